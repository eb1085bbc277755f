// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_uprobe.c - uprobes, uretprobes, sleepable uprobes and uprobe_multi
 * links on the running kernel, against the target program
 * (tests/target/uprobe_target, a PIE executable) and its shared library.
 *
 * Each case starts a fresh target, attaches programs of
 * tests/kern/uprobe_test.bpf.c, has the target make N calls with known
 * arguments, and checks that the programs counted exactly N hits and saw
 * exactly the arguments and return values sent; then it detaches and
 * checks that nothing is left: no BPF link of the program, no perf event,
 * no tracefs uprobe event, and no hit for calls made afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach/attach.h"
#include "attach/uprobe.h"
#include "attach/uprobe_multi.h"
#include "attach/uprobe_target.h"
#include "embedded.h"
#include "kernel_features.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"
#include "spawn.h"
#include "uprobe_helpers.h"
#include "../kern/uprobe_test_common.h"
#include "../target/uprobe_target.h"
#include "../testlib.h"

EMBEDDED_OBJECT(uprobe_test_bpf);

#define N 200

static struct bl_object *obj;
static char target_path[600], lib_path[600];
static int baseline_perf_events;

/* Kernels before 5.15 have no BPF cookies (bpf_get_attach_cookie(), and no
 * BPF links for perf events to carry them).  There the tests attach the
 * cookie-free twins on_entry_plain and on_return_plain, which count in
 * slot 0 and SLOT_PLAIN_RETURN, give no cookie, and check that asking for
 * one is refused (uprobe/cookie-refused). */
static int have_cookies;

#define ENTRY (have_cookies ? "on_entry" : "on_entry_plain")
#define RETURN (have_cookies ? "on_return" : "on_return_plain")

static uint64_t cookie(uint64_t c)
{
	return have_cookies ? c : 0;
}

/* Where a program attached with cookie c counts. */
static uint32_t slot_of(uint64_t c, int is_return)
{
	if (have_cookies)
		return (uint32_t)c;
	return is_return ? SLOT_PLAIN_RETURN : 0;
}

static struct call_stats stats(pid_t tgid, uint32_t slot)
{
	struct call_key key = { .tgid = (uint32_t)tgid, .slot = slot };
	struct call_stats s;

	memset(&s, 0, sizeof(s));
	bl_map_lookup(bl_object_map(obj, "calls")->fd, &key, &s);
	return s;
}

static struct bl_program *prog(const char *name)
{
	return bl_object_program(obj, name);
}

static int start(const char *name, struct target_proc *t)
{
	char why[256];

	if (target_start(t, target_path, why, sizeof(why)) == 0)
		return 0;
	t_fail(name, "%s", why);
	return -1;
}

static int run(const char *name, struct target_proc *t, const char *cmd)
{
	if (target_cmd(t, cmd, NULL, 0) == 0)
		return 0;
	t_fail(name, "the target did not answer \"%s\"", cmd);
	return -1;
}

/* sum over i < n of (a + i) */
static uint64_t sum_from(int64_t a, int n)
{
	return (uint64_t)(a * n + (int64_t)n * (n - 1) / 2);
}

/* Detach, then check that nothing is left and that calls no longer count. */
static void check_detached(const char *name, struct bl_attachment *link, const struct bl_program *p,
			   struct target_proc *t, uint32_t slot, const char *again)
{
	struct bl_err err;
	uint64_t before;
	char found[128];
	int links;

	if (bl_attachment_destroy(link, &err)) {
		t_fail(name, "detaching: %s", err.msg);
		return;
	}
	before = stats(t->pid, slot).hits;
	links = links_of_program(p->fd);
	T_EXPECT(name, links == 0, "%d BPF links of %s are left", links, p->name);
	T_EXPECT(name, open_perf_events() == baseline_perf_events, "%d perf events are still open",
		 open_perf_events() - baseline_perf_events);
	T_EXPECT(name, uprobe_events_of(getpid(), found, sizeof(found)) == 0, "tracefs still has %s", found);
	T_EXPECT(name, target_cmd(t, again, NULL, 0) == 0, "the target did not answer \"%s\"", again);
	T_EXPECT(name, stats(t->pid, slot).hits == before, "calls after detaching still counted");
	t_pass(name);
}

/* A PIE executable's function found through .symtab: entry arguments and
 * return values, one attachment each, told apart by their cookies. */
static void test_pie(void)
{
	const char *name = "uprobe/pie-executable/arguments";
	struct bl_uprobe_opts in = { .cookie = cookie(1) }, out = { .cookie = cookie(2) };
	struct target_proc t;
	struct bl_attachment *entry, *ret;
	struct bl_err err;
	struct call_stats a, r;

	if (start(name, &t))
		return;
	entry = bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_add", 0, 0, &in, &err);
	ret = entry ? bl_attach_uprobe(prog(RETURN), target_path, "bl_target_add", 0, 1, &out, &err) : NULL;
	if (!entry || !ret) {
		t_fail(name, "%s", err.msg);
		bl_attachment_destroy(entry, NULL);
		target_stop(&t);
		return;
	}
	if (run(name, &t, "add 200 1000 7") == 0) {
		a = stats(t.pid, slot_of(1, 0));
		r = stats(t.pid, slot_of(2, 1));
		if (a.hits != N || a.sum_a != sum_from(1000, N) || a.sum_b != 7 * N)
			t_fail(name, "entry: %" PRIu64 " hits, sums %" PRIu64 " %" PRIu64 "; expected %d, %" PRIu64 " %d",
			       (uint64_t)a.hits, (uint64_t)a.sum_a, (uint64_t)a.sum_b, N, sum_from(1000, N), 7 * N);
		else if (r.hits != N || r.sum_ret != sum_from(1007, N))
			t_fail("uprobe/pie-executable/return-values", "%" PRIu64 " returns summing to %" PRIu64 ", expected %d summing to %" PRIu64,
			       (uint64_t)r.hits, (uint64_t)r.sum_ret, N, sum_from(1007, N));
		else {
			t_pass(name);
			t_pass("uprobe/pie-executable/return-values");
		}
	}
	bl_attachment_destroy(ret, NULL);
	check_detached("uprobe/pie-executable/detach", entry, prog(ENTRY), &t, slot_of(1, 0), "add 10 0 0");
	target_stop(&t);
}

/* Functions exported by a shared library, by path and by a section name
 * naming the library the way the dynamic loader finds it. */
static void test_shared_library(void)
{
	const char *name = "uprobe/shared-library/arguments";
	struct bl_uprobe_opts in = { .cookie = cookie(3) };
	struct target_proc t;
	struct bl_attachment *entry, *ret;
	struct bl_err err;
	struct call_stats a, r;

	if (start(name, &t))
		return;
	entry = bl_attach_uprobe(prog(ENTRY), lib_path, "bl_lib_mul", 0, 0, &in, &err);
	if (!entry) {
		t_fail(name, "%s", err.msg);
		target_stop(&t);
		return;
	}
	ret = bl_program_attach(prog("on_lib_mul_return"), NULL, &err);
	if (!ret)
		t_fail("uprobe/section/library-name", "uretprobe/libuprobe_target.so:bl_lib_mul: %s", err.msg);
	if (run(name, &t, "mul 150 5 3") == 0) {
		a = stats(t.pid, slot_of(3, 0));
		if (a.hits != 150 || a.sum_a != sum_from(5, 150) || a.sum_b != 450)
			t_fail(name, "%" PRIu64 " hits, sums %" PRIu64 " %" PRIu64 "; expected 150, %" PRIu64 " 450",
			       (uint64_t)a.hits, (uint64_t)a.sum_a, (uint64_t)a.sum_b, sum_from(5, 150));
		else
			t_pass(name);
		r = stats(t.pid, SLOT_LIB_MUL_RETURN);
		if (ret && (r.hits != 150 || r.sum_ret != 3 * sum_from(5, 150)))
			t_fail("uprobe/section/library-name", "%" PRIu64 " returns summing to %" PRIu64 ", expected 150 summing to %" PRIu64,
			       (uint64_t)r.hits, (uint64_t)r.sum_ret, 3 * sum_from(5, 150));
		else if (ret)
			t_pass("uprobe/section/library-name");
	}
	bl_attachment_destroy(ret, NULL);
	check_detached("uprobe/shared-library/detach", entry, prog(ENTRY), &t, slot_of(3, 0), "mul 10 1 1");
	target_stop(&t);
}

/* uprobe/libc.so.6:getpid: the real C library, found by its soname. */
static void test_libc(void)
{
	const char *name = "uprobe/section/libc";
	struct target_proc t;
	struct bl_attachment *link;
	struct bl_err err;
	uint64_t before;

	if (start(name, &t))
		return;
	link = bl_program_attach(prog("on_libc_getpid"), NULL, &err);
	if (!link) {
		t_fail(name, "%s", err.msg);
		target_stop(&t);
		return;
	}
	before = stats(t.pid, SLOT_LIBC_GETPID).hits;
	if (run(name, &t, "getpid 120") == 0) {
		uint64_t hits = stats(t.pid, SLOT_LIBC_GETPID).hits - before;

		if (hits != 120)
			t_fail(name, "%" PRIu64 " hits for 120 calls of getpid() (%s)", hits, link->target);
		else
			t_pass(name);
	}
	check_detached("uprobe/section/libc-detach", link, prog("on_libc_getpid"), &t, SLOT_LIBC_GETPID,
		       "getpid 10");
	target_stop(&t);
}

/* With a pid only that process counts. */
static void test_pid_filter(void)
{
	const char *name = "uprobe/pid-filter";
	struct target_proc p, q;
	struct bl_uprobe_opts o = { .cookie = cookie(4) };
	uint32_t slot = slot_of(4, 0);
	struct bl_attachment *link;
	struct bl_err err;

	if (start(name, &p))
		return;
	if (start(name, &q)) {
		target_stop(&p);
		return;
	}
	o.pid = p.pid;
	link = bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_add", 0, 0, &o, &err);
	if (!link)
		t_fail(name, "%s", err.msg);
	else if (run(name, &p, "add 50 1 1") == 0 && run(name, &q, "add 70 1 1") == 0) {
		if (stats(p.pid, slot).hits != 50 || stats(q.pid, slot).hits != 0)
			t_fail(name, "process %d: %" PRIu64 " hits (50 calls), process %d: %" PRIu64 " (70 calls, not traced)",
			       p.pid, (uint64_t)stats(p.pid, slot).hits, q.pid, (uint64_t)stats(q.pid, slot).hits);
		else
			t_pass(name);
	}
	bl_attachment_destroy(link, NULL);
	target_stop(&p);
	target_stop(&q);
}

/* The two older ways: tracefs uprobe_events instead of the uprobe PMU,
 * and PERF_EVENT_IOC_SET_BPF instead of a BPF link. */
static void test_old_paths(void)
{
	struct bl_uprobe_opts tracefs = { .cookie = cookie(5), .force_tracefs = 1 }, ioctl_path = { .force_ioctl = 1 };
	uint32_t slot = slot_of(5, 0);
	struct call_stats before;
	struct target_proc t;
	struct bl_attachment *link;
	struct bl_err err;
	char found[128];

	if (start("uprobe/tracefs", &t))
		return;
	link = bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_add", 0, 0, &tracefs, &err);
	if (!link) {
		t_fail("uprobe/tracefs", "%s", err.msg);
	} else if (run("uprobe/tracefs", &t, "add 100 2 2") == 0) {
		if (uprobe_events_of(getpid(), found, sizeof(found)) != 1 || !strstr(found, link->legacy_event))
			t_fail("uprobe/tracefs", "uprobe_events does not show %s", link->legacy_event);
		else if (stats(t.pid, slot).hits != 100 || stats(t.pid, slot).sum_a != sum_from(2, 100))
			t_fail("uprobe/tracefs", "%" PRIu64 " hits for 100 calls", (uint64_t)stats(t.pid, slot).hits);
		else
			t_pass("uprobe/tracefs");
		check_detached("uprobe/tracefs-detach", link, prog(ENTRY), &t, slot, "add 3 0 0");
	}
	link = bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_add", 0, 0, &ioctl_path, &err);
	before = stats(t.pid, 0);	/* without cookies the tracefs case counted here too */
	if (!link) {
		t_fail("uprobe/ioctl", "%s", err.msg);
	} else if (run("uprobe/ioctl", &t, "add 100 3 3") == 0) {
		/* no link, so no cookie: slot 0 */
		if (link->bpf_fd >= 0 || links_of_program(prog(ENTRY)->fd) != 0)
			t_fail("uprobe/ioctl", "a BPF link was made");
		else if (stats(t.pid, 0).hits - before.hits != 100 || stats(t.pid, 0).sum_b - before.sum_b != 300)
			t_fail("uprobe/ioctl", "%" PRIu64 " hits for 100 calls", (uint64_t)(stats(t.pid, 0).hits - before.hits));
		else
			t_pass("uprobe/ioctl");
		check_detached("uprobe/ioctl-detach", link, prog(ENTRY), &t, 0, "add 3 0 0");
	}
	target_stop(&t);
}

/* A file offset given directly ("PATH:+OFFSET"), as a section says it. */
static void test_file_offset(void)
{
	const char *name = "uprobe/file-offset";
	struct bl_uprobe_target where;
	struct target_proc t;
	struct bl_attachment *link;
	struct bl_err err;
	char spec[700];

	if (bl_uprobe_resolve(target_path, "bl_target_add", 0, 0, &where, &err)) {
		t_fail(name, "%s", err.msg);
		return;
	}
	if (start(name, &t))
		return;
	snprintf(spec, sizeof(spec), "%s:+0x%llx", target_path, (unsigned long long)where.offset);
	link = bl_attach_uprobe_spec(prog(ENTRY), spec, 0, &err);
	if (!link)
		t_fail(name, "%s: %s", spec, err.msg);
	else if (run(name, &t, "add 40 9 9") == 0 && stats(t.pid, 0).hits != 40)
		t_fail(name, "%" PRIu64 " hits for 40 calls", (uint64_t)stats(t.pid, 0).hits);
	else
		t_pass(name);
	bl_attachment_destroy(link, NULL);
	target_stop(&t);
}

/* uprobe.s / uretprobe.s: bpf_copy_from_user() only loads in sleepable
 * programs; the string must arrive as the target holds it. */
static void test_sleepable(int loaded)
{
	const char *name = "uprobe/sleepable";
	struct target_proc t;
	struct bl_attachment *in, *out;
	struct bl_err err;
	char copied[COPY_MAX] = "";

	if (!loaded) {
		t_skip(name, "the kernel refused the sleepable programs (sleepable uprobes: Linux 6.0)");
		return;
	}
	if (start(name, &t))
		return;
	in = bl_attach_uprobe(prog("on_copy"), target_path, "bl_target_copy", 0, 0, NULL, &err);
	out = in ? bl_attach_uprobe(prog("on_copy_return"), target_path, "bl_target_copy", 0, 1, NULL, &err) : NULL;
	if (!in || !out) {
		t_fail(name, "%s", err.msg);
	} else if (run(name, &t, "copy 20") == 0) {
		long len = (long)strlen(TARGET_COPY_TEXT);

		bl_object_var_read(obj, "copied", copied, sizeof(copied), NULL);
		if (stats(t.pid, SLOT_COPY).hits != 20 || stats(t.pid, SLOT_COPY).sum_a != (uint64_t)(20 * len))
			t_fail(name, "%" PRIu64 " copies for 20 calls", (uint64_t)stats(t.pid, SLOT_COPY).hits);
		else if (strcmp(copied, TARGET_COPY_TEXT) != 0)
			t_fail(name, "copied \"%s\", the target passed \"%s\"", copied, TARGET_COPY_TEXT);
		else if (stats(t.pid, SLOT_COPY_RETURN).hits != 20 ||
			 stats(t.pid, SLOT_COPY_RETURN).sum_ret != (uint64_t)(20 * (TARGET_COPY_TEXT[0] + len)))
			t_fail(name, "the sleepable uretprobe saw %" PRIu64 " returns",
			       (uint64_t)stats(t.pid, SLOT_COPY_RETURN).hits);
		else
			t_pass(name);
	}
	bl_attachment_destroy(out, NULL);
	bl_attachment_destroy(in, NULL);
	target_stop(&t);
}

/* uprobe_multi links: a glob, then names with a cookie each. */
static void test_multi(int loaded)
{
	static const char *const funcs[] = { "bl_multi_0", "bl_multi_1", "bl_multi_2", "bl_multi_3" };
	static const uint64_t in_cookies[] = { 20, 21, 22, 23 }, out_cookies[] = { 30, 31, 32, 33 };
	struct bl_uprobe_multi_opts named = { .funcs = funcs, .func_cnt = 4, .cookies = in_cookies };
	struct bl_uprobe_multi_opts named_ret = { .funcs = funcs, .func_cnt = 4, .cookies = out_cookies, .retprobe = 1 };
	struct target_proc t;
	struct bl_attachment *glob, *in, *out;
	struct bl_err err;
	int k, ok = 1;

	if (!loaded) {
		t_skip("uprobe/multi", "the kernel refused programs for uprobe_multi links (Linux 6.6)");
		return;
	}
	if (start("uprobe/multi", &t))
		return;
	glob = bl_attach_uprobe_multi(prog("on_multi"), target_path, "bl_multi_*", NULL, &err);
	if (!glob && err.code == EINVAL && bl_running_kernel_version() < ((6u << 16) | (6u << 8))) {
		t_skip("uprobe/multi", "%s", err.msg);
		target_stop(&t);
		return;
	}
	if (!glob) {
		t_fail("uprobe/multi/glob", "%s", err.msg);
	} else if (run("uprobe/multi/glob", &t, "multi 10") == 0) {
		/* per round i: bl_multi_K(i) K + 1 times, K = 0..3 */
		struct call_stats s = stats(t.pid, 0);

		if (s.hits != 100 || s.sum_a != 10 * 45)
			t_fail("uprobe/multi/glob", "%" PRIu64 " hits, argument sum %" PRIu64 "; expected 100 and 450 (%s)",
			       (uint64_t)s.hits, (uint64_t)s.sum_a, glob->target);
		else
			t_pass("uprobe/multi/glob");
		check_detached("uprobe/multi/glob-detach", glob, prog("on_multi"), &t, 0, "multi 1");
	}
	in = bl_attach_uprobe_multi(prog("on_multi"), target_path, NULL, &named, &err);
	out = in ? bl_attach_uprobe_multi(prog("on_multi_return"), target_path, NULL, &named_ret, &err) : NULL;
	if (!in || !out) {
		t_fail("uprobe/multi/cookies", "%s", err.msg);
	} else if (run("uprobe/multi/cookies", &t, "multi 10") == 0) {
		for (k = 0; k < 4 && ok; k++) {
			struct call_stats a = stats(t.pid, 20 + k), r = stats(t.pid, 30 + k);

			if (a.hits != (uint64_t)(10 * (k + 1)) || a.sum_a != (uint64_t)(45 * (k + 1)) ||
			    r.hits != a.hits || r.sum_ret != (uint64_t)((45 + 10 * k) * (k + 1))) {
				t_fail("uprobe/multi/cookies", "bl_multi_%d: %" PRIu64 " entries, %" PRIu64 " returns summing to %" PRIu64,
				       k, (uint64_t)a.hits, (uint64_t)r.hits, (uint64_t)r.sum_ret);
				ok = 0;
			}
		}
		if (ok)
			t_pass("uprobe/multi/cookies");
	}
	bl_attachment_destroy(out, NULL);
	if (in)
		check_detached("uprobe/multi/cookies-detach", in, prog("on_multi"), &t, 20, "multi 1");
	target_stop(&t);
}

static void expect_refusal(const char *name, struct bl_attachment *link, const struct bl_err *err,
			   const char *text)
{
	if (link) {
		t_fail(name, "attached (%s)", link->target);
		bl_attachment_destroy(link, NULL);
		return;
	}
	T_EXPECT(name, strstr(err->msg, text), "message \"%s\" does not say \"%s\"", err->msg, text);
	t_pass(name);
}

static void test_errors(void)
{
	char copy_dir[64], copy[512];
	struct bl_err err;
	int status;
	pid_t child;

	expect_refusal("uprobe/error/no-such-function",
		       bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_ad", 0, 0, NULL, &err),
		       &err, "similar names: bl_target_add");
	expect_refusal("uprobe/error/uretprobe-offset",
		       bl_attach_uprobe(prog(RETURN), target_path, "bl_target_add", 4, 1, NULL, &err),
		       &err, "takes no offset");
	expect_refusal("uprobe/error/section-syntax",
		       bl_attach_uprobe_spec(prog(ENTRY), "no-colon-here", 0, &err), &err, "PATH:FUNCTION");
	expect_refusal("uprobe/error/multi-program",
		       bl_attach_uprobe(prog("on_multi"), target_path, "bl_target_add", 0, 0, NULL, &err),
		       &err, "uprobe.multi");
	/* not root: a child that dropped its privileges but keeps the loaded
	 * program, on a copy of the target it can reach (the build directory
	 * may lie in a 0700 home) */
	if (spawn_public_copy(target_path, copy_dir, sizeof(copy_dir), copy, sizeof(copy))) {
		t_fail("uprobe/error/not-root", "cannot copy %s under /tmp", target_path);
		return;
	}
	child = fork();
	if (child == 0) {
		struct bl_attachment *link;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		link = bl_attach_uprobe(prog(ENTRY), copy, "bl_target_add", 0, 0, NULL, &err);
		_exit(!link && strstr(err.msg, "need root") ? 0 : 1);
	}
	waitpid(child, &status, 0);
	spawn_public_copy_remove(copy_dir, copy);
	T_EXPECT("uprobe/error/not-root", WIFEXITED(status) && WEXITSTATUS(status) == 0,
		 "as uid 65534 the attach did not fail saying that uprobes need root");
	t_pass("uprobe/error/not-root");
}

/* Without BPF cookies a cookie cannot reach the program: the attach must
 * say so rather than drop it. */
static void test_cookie_refused(void)
{
	struct bl_uprobe_opts o = { .cookie = 9 };
	struct bl_err err;

	if (have_cookies)
		return;
	expect_refusal("uprobe/cookie-refused",
		       bl_attach_uprobe(prog(ENTRY), target_path, "bl_target_add", 0, 0, &o, &err), &err,
		       "Linux 5.15");
}

/* Load each program on its own: the sleepable and uprobe_multi ones need
 * newer kernels than the rest. */
static int load(const char *const *names, size_t n, struct bl_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bl_object_load_program(obj, prog(names[i]), err))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const basic[] = { "on_entry", "on_return", "on_lib_mul_return", "on_libc_getpid", "on_usdt" };
	static const char *const plain[] = { "on_entry_plain", "on_return_plain", "on_lib_mul_return", "on_libc_getpid" };
	static const char *const sleepable[] = { "on_copy", "on_copy_return" };
	static const char *const multi[] = { "on_multi", "on_multi_return" };
	struct ktest_options o;
	struct bl_err err;
	char libpath[1300];
	int have_sleepable, have_multi;

	if (ktest_parse_options(argc, argv, &o))
		return 2;
	if (!bl_uprobes_available()) {
		t_skip("uprobe", "this kernel has no uprobes (CONFIG_UPROBE_EVENTS)");
		return 0;
	}
	snprintf(target_path, sizeof(target_path), "%s/uprobe_target", test_bindir());
	snprintf(lib_path, sizeof(lib_path), "%s/libuprobe_target.so", test_bindir());
	/* sections name "libuprobe_target.so" and "libc.so.6": the guests keep
	 * their C library in ../lib */
	snprintf(libpath, sizeof(libpath), "%s:%s/../lib", test_bindir(), test_bindir());
	setenv("LD_LIBRARY_PATH", libpath, 1);
	bl_raise_memlock_limit();
	obj = bl_object_open_mem(uprobe_test_bpf, EMBEDDED_SIZE(uprobe_test_bpf), "uprobe_test.bpf.o", NULL, &err);
	have_cookies = kfeature_has(KF_ATTACH_COOKIE) == 1;
	if (!have_cookies)
		printf("# %s: the tests attach on_entry_plain and on_return_plain\n",
		       kfeature_lacking(KF_ATTACH_COOKIE, libpath, sizeof(libpath)));
	if (!obj || bl_object_create_maps(obj, &err) ||
	    (have_cookies ? load(basic, 5, &err) : load(plain, 4, &err))) {
		t_fail("uprobe/load", "%s", err.msg);
		return t_exit_code();
	}
	have_sleepable = load(sleepable, 2, &err) == 0;
	if (!have_sleepable)
		printf("# sleepable programs refused: %s\n", err.msg);
	have_multi = load(multi, 2, &err) == 0;
	if (!have_multi)
		printf("# uprobe_multi programs refused: %s\n", err.msg);
	baseline_perf_events = open_perf_events();
	test_pie();
	test_shared_library();
	test_libc();
	test_pid_filter();
	test_old_paths();
	test_file_offset();
	test_sleepable(have_sleepable);
	test_multi(have_multi);
	test_errors();
	test_cookie_refused();
	bl_object_close(obj);
	return t_exit_code();
}
