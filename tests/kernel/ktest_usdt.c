// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_usdt.c - USDT probes of the target program on the running kernel.
 *
 * Without <bpf/usdt.bpf.h> (uprobe_test.bpf.c's on_usdt, which only
 * counts, keyed by the cookie the test gives):
 *   - a probe at two places gives two hits per round;
 *   - a probe's semaphore, read from the target's memory, is 1 while we
 *     are attached (PMU and tracefs, for a process already running and
 *     for one started later) and 0 again after detaching, and the target
 *     fires the probe exactly while it is set;
 *   - a probe in a shared library, without a process filter;
 *   - detaching leaves no link, perf event or tracefs event.
 * With <bpf/usdt.bpf.h> (tests/kern/usdt_args.bpf.c): every argument
 * kind arrives intact through BPF_USDT() and bpf_usdt_arg(), with the
 * user's cookie through bpf_usdt_cookie(), and the specs are taken out
 * of __bpf_usdt_specs on detach; usdt.bpf.h's LINUX_HAS_BPF_COOKIE is a
 * .kconfig extern the loader fills in, true on every kernel we test.
 * The same programs with LINUX_HAS_BPF_COOKIE built in as 0, attached
 * without cookies: the IP-lookup path of kernels before 5.15, with the
 * probes' addresses read from the target's /proc/PID/maps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach.h"
#include "attach/usdt.h"
#include "attach/uprobe.h"
#include "attach/usdt_args.h"
#include "embedded.h"
#include "kernel_features.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"
#include "uprobe_helpers.h"
#include "../kern/uprobe_test_common.h"
#include "../kern/usdt_args_common.h"
#include "../target/uprobe_target.h"
#include "../testlib.h"

EMBEDDED_OBJECT(uprobe_test_bpf);
EMBEDDED_OBJECT(usdt_args_bpf);
EMBEDDED_OBJECT(usdt_args_ip_bpf);

#define ROUNDS 30

static struct bl_object *obj;
static char target_path[600], lib_path[600];
static int baseline_perf_events;

/* Kernels before 5.15 have no BPF cookies: on_usdt_plain counts every hit
 * in slot 0 instead, each case using its own target process, and
 * <bpf/usdt.bpf.h> finds its specs by address, for which it needs a pid. */
static int have_cookies;

#define ON_USDT (have_cookies ? "on_usdt" : "on_usdt_plain")

static uint64_t hits(pid_t tgid, uint32_t slot)
{
	struct call_key key = { .tgid = (uint32_t)tgid, .slot = have_cookies ? slot : 0 };
	struct call_stats s;

	memset(&s, 0, sizeof(s));
	bl_map_lookup(bl_object_map(obj, "calls")->fd, &key, &s);
	return s.hits;
}

static int start(const char *name, struct target_proc *t)
{
	char why[256];

	if (target_start(t, target_path, why, sizeof(why)) == 0)
		return 0;
	t_fail(name, "%s", why);
	return -1;
}

/* "usdt N": returns how often bltest:sema fired, or -1. */
static long run_usdt(struct target_proc *t, int rounds)
{
	char cmd[32], reply[64];
	long fired;

	snprintf(cmd, sizeof(cmd), "usdt %d", rounds);
	if (target_cmd(t, cmd, reply, sizeof(reply)) || sscanf(reply, "ok usdt %ld", &fired) != 1)
		return -1;
	return fired;
}

static struct bl_attachment *attach(const char *binary, const char *provider, const char *probe,
			      uint64_t cookie, int tracefs, struct bl_err *err)
{
	struct bl_usdt_opts o = { .cookie = have_cookies ? cookie : 0, .force_tracefs = tracefs };

	return bl_attach_usdt(bl_object_program(obj, ON_USDT), binary, provider, probe, &o, err);
}

static void check_nothing_left(const char *name, const char *program)
{
	char found[128];
	int links = links_of_program(bl_object_program(obj, program)->fd);

	T_EXPECT(name, links == 0, "%d BPF links of %s are left", links, program);
	T_EXPECT(name, open_perf_events() == baseline_perf_events, "%d perf events are still open",
		 open_perf_events() - baseline_perf_events);
	T_EXPECT(name, uprobe_events_of(getpid(), found, sizeof(found)) == 0, "tracefs still has %s", found);
	t_pass(name);
}

static void test_two_places(void)
{
	const char *name = "usdt/two-places";
	struct target_proc t;
	struct bl_attachment *link;
	struct bl_err err;

	if (start(name, &t))
		return;
	link = attach(target_path, "bltest", "twice", 40, 0, &err);
	if (!link)
		t_fail(name, "%s", err.msg);
	else if (!link->usdt || link->usdt->site_cnt != 2)
		t_fail(name, "%zu places, the notes have 2", link->usdt ? link->usdt->site_cnt : 0);
	else if (run_usdt(&t, ROUNDS) < 0 || hits(t.pid, 40) != 2 * ROUNDS)
		t_fail(name, "%" PRIu64 " hits for %d rounds at 2 places", hits(t.pid, 40), ROUNDS);
	else
		t_pass(name);
	bl_attachment_destroy(link, NULL);
	check_nothing_left("usdt/two-places-detach", ON_USDT);
	target_stop(&t);
}

/* The semaphore as the target's memory holds it, before, during, after. */
static void semaphore_case(const char *name, int tracefs, int start_later)
{
	struct target_proc t;
	struct bl_attachment *link = NULL;
	struct bl_err err;
	uint16_t before = 9, during = 9, after = 9;
	long fired_during, fired_after;

	if (!start_later) {
		if (start(name, &t))
			return;
		target_semaphore(&t, &before);
	} else {
		before = 0;
	}
	link = attach(target_path, "bltest", "sema", 41, tracefs, &err);
	if (!link) {
		t_fail(name, "%s", err.msg);
		if (!start_later)
			target_stop(&t);
		return;
	}
	if (start_later && start(name, &t)) {
		bl_attachment_destroy(link, NULL);
		return;
	}
	target_semaphore(&t, &during);
	fired_during = run_usdt(&t, ROUNDS);
	bl_attachment_destroy(link, NULL);
	target_semaphore(&t, &after);
	fired_after = run_usdt(&t, 5);
	if (before != 0 || during != 1 || after != 0)
		t_fail(name, "semaphore %u before, %u attached, %u after detaching; expected 0, 1, 0",
		       before, during, after);
	else if (fired_during != ROUNDS || hits(t.pid, 41) != ROUNDS || fired_after != 0)
		t_fail(name, "fired %ld times (%" PRIu64 " hits) in %d rounds attached, %ld after",
		       fired_during, hits(t.pid, 41), ROUNDS, fired_after);
	else
		t_pass(name);
	target_stop(&t);
}

static void test_shared_library(void)
{
	const char *name = "usdt/shared-library";
	struct target_proc t;
	struct bl_attachment *link;
	struct bl_err err;

	if (start(name, &t))
		return;
	link = attach(lib_path, "bltest_lib", "hello", 42, 0, &err);
	if (!link)
		t_fail(name, "%s", err.msg);
	else if (run_usdt(&t, ROUNDS) < 0 || hits(t.pid, 42) != ROUNDS)
		t_fail(name, "%" PRIu64 " hits for %d rounds", hits(t.pid, 42), ROUNDS);
	else
		t_pass(name);
	bl_attachment_destroy(link, NULL);
	target_stop(&t);
}

static void test_errors(void)
{
	struct bl_usdt_opts ioctl_cookie = { .cookie = 7, .force_ioctl = 1 };
	struct bl_attachment *link;
	struct bl_err err;

	link = attach(target_path, "bltest", "nope", 0, 0, &err);
	T_EXPECT("usdt/error/no-such-probe", !link && strstr(err.msg, "no USDT probe bltest:nope") &&
		 strstr(err.msg, "bltest:twice"), "%s", link ? link->target : err.msg);
	t_pass("usdt/error/no-such-probe");
	link = attach(lib_path, "bltest", "twice", 0, 0, &err);
	T_EXPECT("usdt/error/wrong-file", !link && strstr(err.msg, "it has bltest_lib:hello"), "%s",
		 link ? link->target : err.msg);
	t_pass("usdt/error/wrong-file");
	link = bl_attach_usdt(bl_object_program(obj, ON_USDT), target_path, "bltest", "twice",
			      &ioctl_cookie, &err);
	T_EXPECT("usdt/error/cookie-without-link", !link && strstr(err.msg, "cookie needs BPF links"), "%s",
		 link ? link->target : err.msg);
	t_pass("usdt/error/cookie-without-link");
	link = bl_attach_usdt_spec(bl_object_program(obj, ON_USDT), "only:two", &err);
	T_EXPECT("usdt/error/section-syntax", !link && strstr(err.msg, "usdt/PATH:PROVIDER:NAME"), "%s",
		 link ? link->target : err.msg);
	t_pass("usdt/error/section-syntax");
	check_nothing_left("usdt/error/nothing-left", ON_USDT);
}

/* ---- <bpf/usdt.bpf.h> end to end ------------------------------------------ */

struct expect {
	const char *program, *binary, *provider, *probe;
	int slot, places;
	int64_t sum[MAX_ARGS];
	int args;
};

static void expected_sums(struct expect *e, int n)
{
	int64_t i;
	int k;

	for (i = 0; i < n; i++) {
		e[P_CONSTS].sum[0] += 42, e[P_CONSTS].sum[1] += -7, e[P_CONSTS].sum[2] += 100000;
		e[P_REGS].sum[0] += i, e[P_REGS].sum[1] += i * 1000003, e[P_REGS].sum[2] += i & 0xff;
		e[P_DEREF].sum[0] += 7 * i, e[P_DEREF].sum[1] += -i, e[P_DEREF].sum[2] += (short)(3 * i);
		e[P_SIGNS].sum[0] += SIGNS_S8(i), e[P_SIGNS].sum[1] += SIGNS_U8(i);
		e[P_SIGNS].sum[2] += SIGNS_S16(i), e[P_SIGNS].sum[3] += SIGNS_U16(i);
		e[P_SIGNS].sum[4] += SIGNS_S32(i), e[P_SIGNS].sum[5] += SIGNS_U32(i);
		e[P_SIGNS].sum[6] += SIGNS_S64(i);
		for (k = 0; k < 12; k++)
			e[P_MANY].sum[k] += i + k;
		e[P_TWICE].sum[0] += i + (i + 1000000);
		e[P_STACK].sum[0] += i, e[P_STACK].sum[1] += 2 * i, e[P_STACK].sum[2] += -i;
		e[P_SEMA].sum[0] += i;
		e[P_LIB].sum[0] += i, e[P_LIB].sum[1] += -i;
		e[P_GLOBALS].sum[0] += i, e[P_GLOBALS].sum[1] += -5 * i;
	}
}

static int check_seen(const char *name, struct bl_object *o, const struct expect *e, int n)
{
	struct probe_seen s;
	uint32_t slot = (uint32_t)e->slot;
	int k;

	memset(&s, 0, sizeof(s));
	bl_map_lookup(bl_object_map(o, "seen")->fd, &slot, &s);
	if (s.hits != (uint64_t)(n * e->places) || s.arg_cnt != (uint64_t)(n * e->places * e->args)) {
		t_fail(name, "%s: %" PRIu64 " hits with %" PRIu64 " arguments in all; expected %d with %d each",
		       e->probe, (uint64_t)s.hits, (uint64_t)s.arg_cnt, n * e->places, e->args);
		return -1;
	}
	if (s.cookie != 1000u + slot) {
		t_fail(name, "%s: bpf_usdt_cookie() gave %" PRIu64 ", the attachment's was %u", e->probe,
		       (uint64_t)s.cookie, 1000 + slot);
		return -1;
	}
	for (k = 0; k < e->args; k++)
		if (s.sum[k] != e->sum[k]) {
			t_fail(name, "%s: argument %d summed to %lld, the target sent %lld", e->probe, k + 1,
			       (long long)s.sum[k], (long long)e->sum[k]);
			return -1;
		}
	return 0;
}

static int ip_map_empty(struct bl_object *o)
{
	struct bl_map *m = bl_object_map(o, "__bpf_usdt_ip_to_spec_id");
	uint64_t key;

	return m && bl_map_next_key(m->fd, NULL, &key) == -ENOENT;
}

static int specs_all_free(struct bl_object *o)
{
	struct bl_map *m = bl_object_map(o, "__bpf_usdt_specs");
	unsigned char value[BL_USDT_SPEC_SIZE_V2];
	uint32_t i;
	size_t k;

	for (i = 0; m && i < m->spec.max_entries; i++) {
		if (bl_map_lookup(m->fd, &i, value))
			return 0;
		for (k = 0; k < m->spec.value_size; k++)
			if (value[k])
				return 0;
	}
	return m != NULL;
}

/* Attach every program of o to its probe, fire each ROUNDS times, check
 * what the programs read, detach, and check the specs are gone.  ip_lookup:
 * no BPF cookies (PERF_EVENT_IOC_SET_BPF), the probes' addresses in this
 * process (its pid) in __bpf_usdt_ip_to_spec_id instead. */
static void check_all_probes(const char *prefix, struct bl_object *o, int ip_lookup)
{
	struct expect e[PROBE_COUNT] = {
		[P_CONSTS] = { "usdt_consts", target_path, "bltest", "consts", P_CONSTS, 1, {0}, 3 },
		[P_REGS] = { "usdt_regs", target_path, "bltest", "regs", P_REGS, 1, {0}, 3 },
		[P_DEREF] = { "usdt_deref", target_path, "bltest", "deref", P_DEREF, 1, {0}, 3 },
		[P_SIGNS] = { "usdt_signs", target_path, "bltest", "signs", P_SIGNS, 1, {0}, 7 },
		[P_MANY] = { "usdt_many", target_path, "bltest", "many", P_MANY, 1, {0}, 12 },
		[P_TWICE] = { "usdt_twice", target_path, "bltest", "twice", P_TWICE, 2, {0}, 1 },
		[P_STACK] = { "usdt_stack", target_path, "bltest", "stack", P_STACK, 1, {0}, 3 },
		[P_SEMA] = { "usdt_sema", target_path, "bltest", "sema", P_SEMA, 1, {0}, 1 },
		[P_LIB] = { "usdt_lib", lib_path, "bltest_lib", "hello", P_LIB, 1, {0}, 2 },
		[P_GLOBALS] = { "usdt_globals", target_path, "bltest", "globals", P_GLOBALS, 1, {0}, 2 },
	};
	struct bl_attachment *links[PROBE_COUNT] = { 0 };
	struct target_proc t;
	struct bl_err err;
	char name[128], freed[128];
	uint64_t mismatch = 1;
	int p, ok = 1;

	snprintf(name, sizeof(name), "%s/arguments", prefix);
	snprintf(freed, sizeof(freed), "%s/specs-freed", prefix);
	expected_sums(e, ROUNDS);
	if (start(name, &t))
		return;
	for (p = 0; p < PROBE_COUNT && ok; p++) {
		struct bl_usdt_opts opts = {
			.cookie = 1000u + (uint32_t)p,
			.pid = ip_lookup || !have_cookies ? t.pid : 0,
			.force_ioctl = ip_lookup,
		};

		links[p] = bl_attach_usdt(bl_object_program(o, e[p].program), e[p].binary, e[p].provider,
					  e[p].probe, &opts, &err);
		if (!links[p]) {
			t_fail(name, "%s: %s", e[p].probe, err.msg);
			ok = 0;
		}
	}
	if (ok && run_usdt(&t, ROUNDS) != ROUNDS) {
		t_fail(name, "the target did not fire every probe");
		ok = 0;
	}
	for (p = 0; p < PROBE_COUNT && ok; p++)
		ok = check_seen(name, o, &e[p], ROUNDS) == 0;
	bl_object_var_read(o, "typed_mismatch", &mismatch, sizeof(mismatch), NULL);
	if (ok && mismatch)
		t_fail(name, "BPF_USDT()'s typed arguments disagreed %" PRIu64 " times", mismatch);
	else if (ok)
		t_pass(name);
	for (p = 0; p < PROBE_COUNT; p++)
		bl_attachment_destroy(links[p], NULL);
	if (specs_all_free(o) && ip_map_empty(o))
		t_pass(freed);
	else
		t_fail(freed, "__bpf_usdt_specs or __bpf_usdt_ip_to_spec_id still hold entries after detaching");
	target_stop(&t);
}

static void test_usdt_bpf_h(void)
{
	struct bl_object *o;
	struct bl_err err;

	o = bl_object_open_mem(usdt_args_bpf, EMBEDDED_SIZE(usdt_args_bpf), "usdt_args.bpf.o", NULL, &err);
	if (!o || bl_object_load(o, &err)) {
		t_fail("usdt/usdt.bpf.h/arguments", "%s", err.msg);
		bl_object_close(o);
		return;
	}
	check_all_probes("usdt/usdt.bpf.h", o, 0);
	bl_object_close(o);
}

static uint64_t regs_hits(struct bl_object *o)
{
	struct probe_seen s;
	uint32_t slot = P_REGS;

	memset(&s, 0, sizeof(s));
	bl_map_lookup(bl_object_map(o, "seen")->fd, &slot, &s);
	return s.hits;
}

/* __bpf_usdt_specs shrunk to one slot before load (as a program defining
 * BPF_USDT_MAX_SPEC_CNT 1 would have it): a second probe is refused with
 * ENOSPC and the define named, the first keeps working, and detaching it
 * gives its slot to the second. */
static void test_spec_slots(void)
{
	const char *name = "usdt/error/spec-slots-full";
	struct bl_attachment *first = NULL, *second = NULL, *again = NULL;
	struct bl_usdt_opts opts = { .cookie = 1000u + P_CONSTS };
	struct target_proc t;
	struct bl_object *o;
	struct bl_err err;

	o = bl_object_open_mem(usdt_args_bpf, EMBEDDED_SIZE(usdt_args_bpf), "usdt_args.bpf.o", NULL, &err);
	if (!o || bl_map_set_max_entries(bl_object_map(o, "__bpf_usdt_specs"), 1, &err) ||
	    bl_object_load(o, &err)) {
		t_fail(name, "%s", err.msg);
		bl_object_close(o);
		return;
	}
	if (start(name, &t)) {
		bl_object_close(o);
		return;
	}
	opts.pid = have_cookies ? 0 : t.pid;	/* without cookies, the IP lookup needs a pid */
	first = bl_attach_usdt(bl_object_program(o, "usdt_consts"), target_path, "bltest", "consts", &opts, &err);
	if (!first) {
		t_fail(name, "the first probe, in the one slot: %s", err.msg);
		goto out;
	}
	opts.cookie = 1000u + P_REGS;
	second = bl_attach_usdt(bl_object_program(o, "usdt_regs"), target_path, "bltest", "regs", &opts, &err);
	if (second) {
		t_fail(name, "a second probe attached with one slot");
		goto out;
	}
	if (err.code != ENOSPC || !strstr(err.msg, "all 1 slot of __bpf_usdt_specs") ||
	    !strstr(err.msg, "BPF_USDT_MAX_SPEC_CNT")) {
		t_fail(name, "unclear refusal (%d): %s", err.code, err.msg);
		goto out;
	}
	bl_attachment_destroy(first, NULL);
	first = NULL;
	again = bl_attach_usdt(bl_object_program(o, "usdt_regs"), target_path, "bltest", "regs", &opts, &err);
	if (!again)
		t_fail(name, "the slot was not given back on detach: %s", err.msg);
	else if (run_usdt(&t, 1) < 0)
		t_fail(name, "the target did not fire its probes");
	else if (regs_hits(o) != 1)
		t_fail(name, "bltest:regs, attached in the freed slot, was seen %" PRIu64 " times, not once",
		       regs_hits(o));
	else
		t_pass(name);
out:
	bl_attachment_destroy(first, NULL);
	bl_attachment_destroy(again, NULL);
	if (!specs_all_free(o))
		t_fail("usdt/error/spec-slots-freed", "__bpf_usdt_specs holds entries after detaching");
	else
		t_pass("usdt/error/spec-slots-freed");
	target_stop(&t);
	bl_object_close(o);
}

/* usdt_args_ip.bpf.o: usdt.bpf.h built with LINUX_HAS_BPF_COOKIE 0 (see
 * tests/kernel/uprobe.mk), the way it runs on kernels before 5.15. */
static void test_ip_lookup(void)
{
	struct bl_usdt_opts no_pid = { .force_ioctl = 1 };
	struct bl_attachment *att;
	struct bl_object *o;
	struct bl_err err;

	o = bl_object_open_mem(usdt_args_ip_bpf, EMBEDDED_SIZE(usdt_args_ip_bpf), "usdt_args_ip.bpf.o",
			       NULL, &err);
	if (!o || bl_object_load(o, &err)) {
		t_fail("usdt/ip-lookup/load", "%s", err.msg);
		bl_object_close(o);
		return;
	}
	check_all_probes("usdt/ip-lookup", o, 1);
	/* a PIE's addresses differ per process: without cookies a pid is needed */
	att = bl_attach_usdt(bl_object_program(o, "usdt_regs"), target_path, "bltest", "regs", &no_pid, &err);
	if (att)
		t_fail("usdt/ip-lookup/needs-pid", "attached without cookies and without a pid (%s)", att->target);
	else if (!strstr(err.msg, "give its pid"))
		t_fail("usdt/ip-lookup/needs-pid", "message \"%s\" does not ask for a pid", err.msg);
	else
		t_pass("usdt/ip-lookup/needs-pid");
	bl_attachment_destroy(att, NULL);
	bl_object_close(o);
}

int main(int argc, char **argv)
{
	struct ktest_options o;
	struct bl_err err;

	if (ktest_parse_options(argc, argv, &o))
		return 2;
	if (!bl_uprobes_available()) {
		t_skip("usdt", "this kernel has no uprobes (CONFIG_UPROBE_EVENTS)");
		return 0;
	}
	snprintf(target_path, sizeof(target_path), "%s/uprobe_target", test_bindir());
	snprintf(lib_path, sizeof(lib_path), "%s/libuprobe_target.so", test_bindir());
	bl_raise_memlock_limit();
	have_cookies = kfeature_has(KF_ATTACH_COOKIE) == 1;
	if (!have_cookies) {
		char why[128];

		printf("# %s: on_usdt_plain counts instead of on_usdt\n",
		       kfeature_lacking(KF_ATTACH_COOKIE, why, sizeof(why)));
	}
	obj = bl_object_open_mem(uprobe_test_bpf, EMBEDDED_SIZE(uprobe_test_bpf), "uprobe_test.bpf.o", NULL, &err);
	if (!obj || bl_object_create_maps(obj, &err) ||
	    bl_object_load_program(obj, bl_object_program(obj, ON_USDT), &err)) {
		t_fail("usdt/load", "%s", err.msg);
		return t_exit_code();
	}
	baseline_perf_events = open_perf_events();
	test_two_places();
	semaphore_case("usdt/semaphore", 0, 0);
	semaphore_case("usdt/semaphore-tracefs", 1, 0);
	semaphore_case("usdt/semaphore-process-started-later", 0, 1);
	test_shared_library();
	test_errors();
	check_nothing_left("usdt/detach", ON_USDT);
	test_usdt_bpf_h();
	test_spec_slots();
	test_ip_lookup();
	bl_object_close(obj);
	return t_exit_code();
}
