// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_bpfload.c - the bpfload command on real objects and a real kernel:
 * --dry-run (also without root, also on broken files), --load-only,
 * attaching by section name with map contents printed at exit, and
 * --pin (pins checked with BPF_OBJ_GET, and with bpftool where installed),
 * and the records of a ring buffer and a perf event array streamed
 * (decoded by --event MAP=TYPE, or in hex) with exact counts at exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpfload/maps.h>
#include <bpfload/trace_pipe.h>

#include "../testlib.h"
#include "kernel_features.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "spawn.h"
#include "sys/bpf_syscall.h"
#include "sys/file.h"

static struct ktest_options opts;

static void bpfload_path(char *path, size_t size)
{
	snprintf(path, size, "%s/bpfload", opts.bindir);
}

static void object_path(char *path, size_t size, const char *object)
{
	snprintf(path, size, "%s/%s", opts.objdir, object);
}

static int run_bpfload(const char *const *args, uid_t uid, struct spawn_result *r)
{
	const char *argv[16];
	char path[512];
	size_t i;
	struct spawn_options o = { .argv = argv, .run_as_uid = uid, .timeout_ms = 60000 };

	bpfload_path(path, sizeof(path));
	argv[0] = path;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	return spawn_run(&o, r);
}

static void test_dry_run_unprivileged(void)
{
	const char *name = "bpfload/dry-run-without-root";
	char src[512], dir[64], obj[512];
	const char *args[] = { "--dry-run", obj, NULL };
	struct spawn_result r;
	int ret;

	object_path(src, sizeof(src), "subprog_data.bpf.o");
	if (geteuid() != 0) {	/* already without root: run as we are */
		snprintf(obj, sizeof(obj), "%s", src);
		T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	} else {
		/* nobody cannot reach the build directory of a clone in /root
		 * or in a 0700 home directory */
		T_EXPECT(name, spawn_public_copy(src, dir, sizeof(dir), obj, sizeof(obj)) == 0,
			 "cannot copy %s to a directory under /tmp", src);
		ret = run_bpfload(args, 65534, &r);
		spawn_public_copy_remove(dir, obj);
		T_EXPECT(name, ret == 0, "cannot run bpfload");
	}
	if (r.exit_code != 0)
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	else if (!strstr(r.out, "count_calls") || !strstr(r.out, "count_again") ||
		 !strstr(r.out, ".data.stats") || !strstr(r.out, "call add_step") ||
		 !strstr(r.out, "global data .rodata"))
		t_fail(name, "programs, maps or relocations missing from: %s", r.out);
	else
		t_pass(name);
	spawn_result_free(&r);
}

static void test_dry_run_broken_file(void)
{
	const char *name = "bpfload/dry-run-broken-file";
	char obj[512], broken[64];
	const char *args[] = { "--dry-run", broken, NULL };
	struct spawn_result r;
	unsigned char buf[4096];
	int in, out;
	ssize_t n;

	object_path(obj, sizeof(obj), "probes.bpf.o");
	snprintf(broken, sizeof(broken), "/tmp/bl-broken-%d.o", (int)getpid());
	in = open(obj, O_RDONLY);
	out = open(broken, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	n = in >= 0 ? read(in, buf, sizeof(buf)) : -1;
	T_EXPECT(name, in >= 0 && out >= 0 && n > 100 && write(out, buf, (size_t)n / 2) > 0,
		 "cannot make a truncated copy of %s", obj);
	close(in);
	close(out);
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	unlink(broken);
	if (r.exit_code != 1)
		t_fail(name, "exit code %d, expected 1", r.exit_code);
	else if (count_lines(r.err) != 1 || !strstr(r.err, "bpfload: "))
		t_fail(name, "expected one error line, got: %s", r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* want_text must be on stdout; a failure must also end with one error
 * line naming the file, as in bpfload's other modes. */
static void test_load_only(const char *object, int want_exit, const char *want_text)
{
	char want_error[160];

	char name[128], obj[512];
	const char *args[] = { "--load-only", obj, NULL };
	struct spawn_result r;

	snprintf(name, sizeof(name), "bpfload/load-only-%s", object);
	object_path(obj, sizeof(obj), object);
	snprintf(want_error, sizeof(want_error), "bpfload: %s: ", object);
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	if (r.exit_code != want_exit)
		t_fail(name, "exit code %d, expected %d: %s%s", r.exit_code, want_exit, r.out, r.err);
	else if (!strstr(r.out, want_text))
		t_fail(name, "no \"%s\" in: %s", want_text, r.out);
	else if (want_exit && !strstr(r.err, want_error))
		t_fail(name, "no error line starting \"%s\" in: %s", want_error, r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* An iterator object: bpfload walks it once, prints what it printed and
 * exits, without waiting for Ctrl-C; a map of ours is in the walk. */
static void test_iterator(void)
{
	const char *name = "bpfload/iter-bpf_map";
	char obj[512], want[64];
	const char *args[] = { obj, NULL };
	struct bl_map_spec spec = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
				    .max_entries = 1, .name = "bl_iter_probe" };
	struct bpf_map_info info;
	union bpf_attr attr;
	struct spawn_result r;
	int map_fd, ret;

	bl_raise_memlock_limit();	/* before 5.11 maps count against RLIMIT_MEMLOCK */
	map_fd = bl_map_create(&spec);
	object_path(obj, sizeof(obj), "iter_maps.bpf.o");
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)map_fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (__u64)(uintptr_t)&info;
	ret = map_fd < 0 ? map_fd : (int)bl_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (ret) {
		t_fail(name, "cannot create a map to look for: %s", strerror(-ret));
		goto close;
	}
	snprintf(want, sizeof(want), "map %u bl_iter_probe\n", info.id);
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	if (r.timed_out || r.exit_code != 0)
		t_fail(name, "exit code %d%s: %s", r.exit_code, r.timed_out ? " (timed out)" : "", r.err);
	else if (!strstr(r.out, want))
		t_fail(name, "no line \"%.*s\" in: %.300s", (int)strlen(want) - 1, want, r.out);
	else if (strstr(r.err, "Tracing"))
		t_fail(name, "waited for events after the walk: %s", r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
close:
	if (map_fd >= 0)
		close(map_fd);
}

/* A section name the loader does not know: refused, unless --type says. */
static void test_unknown_section(void)
{
	const char *name = "bpfload/unknown-section-needs-type";
	char obj[512];
	const char *plain[] = { "--load-only", obj, NULL };
	const char *typed[] = { "--load-only", "--type", "socket_filter", obj, NULL };
	struct spawn_result r1, r2;

	object_path(obj, sizeof(obj), "custom_section.bpf.o");
	T_EXPECT(name, run_bpfload(plain, 0, &r1) == 0, "cannot run bpfload");
	if (run_bpfload(typed, 0, &r2) != 0) {
		spawn_result_free(&r1);
		t_fail(name, "cannot run bpfload");
		return;
	}
	if (r1.exit_code != 1 || !strstr(r1.err, "section my_filters/accept_all: unknown program type"))
		t_fail(name, "without --type: exit %d, %s", r1.exit_code, r1.err);
	else if (r2.exit_code != 0 || !strstr(r2.out, "accept_all socket_filter ok"))
		t_fail(name, "with --type socket_filter: exit %d, %s%s", r2.exit_code, r2.out, r2.err);
	else
		t_pass(name);
	spawn_result_free(&r1);
	spawn_result_free(&r2);
}

/* The value printed for a global variable: "  NAME = N" when BTF says
 * its type, "  NAME = xx xx ... (N)" from raw bytes. */
static long long printed_value(const char *out, const char *var)
{
	char want[64];
	const char *p, *paren, *end;

	snprintf(want, sizeof(want), "  %s = ", var);
	p = strstr(out, want);
	if (!p)
		return -1;
	p += strlen(want);
	end = strchr(p, '\n');
	paren = strchr(p, '(');
	if (paren && (!end || paren < end))
		return atoll(paren + 1);
	return atoll(p);
}

/* A getppid() loop in a child while bpfload runs: its count must show. */
static void make_getppid_calls(pid_t child, const char *err, void *ctx)
{
	int *rounds = ctx;

	(void)child;
	(void)err;
	if ((*rounds)++ % 4 == 0)
		syscall(SYS_getppid);
}

static void test_attach_and_dump(void)
{
	const char *name = "bpfload/raw-tracepoint-attach-and-map-dump";
	char obj[512], key[64];
	const char *argv[] = { NULL, "--duration", "3", obj, NULL };
	char path[512];
	int rounds = 0;
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000,
				   .while_running = make_getppid_calls, .ctx = &rounds };
	struct spawn_result r;
	uint32_t me = (uint32_t)getpid(), before = highest_prog_id();
	char left[128];

	bpfload_path(path, sizeof(path));
	argv[0] = path;
	object_path(obj, sizeof(obj), "raw_tp.bpf.o");
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run bpfload");
	/* our tgid as the little-endian bytes bpfload prints for the key */
	snprintf(key, sizeof(key), "key %02x %02x %02x %02x (%u)", me & 0xff, (me >> 8) & 0xff,
		 (me >> 16) & 0xff, me >> 24, me);
	if (r.exit_code != 0)
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	else if (printed_value(r.out, "syscalls") <= 0)
		t_fail(name, "global variable syscalls not shown or zero: %s", r.out);
	else if (!strstr(r.out, "map getppid_by_tgid (hash):") || !strstr(r.out, key))
		t_fail(name, "no entry \"%s\" for this process in the hash map dump: %s", key, r.out);
	else if (programs_left_after(before, left, sizeof(left)))
		t_fail(name, "program %s still loaded after bpfload exited", left);
	else
		t_pass(name);
	spawn_result_free(&r);
}

static int bpftool_available(void)
{
	return system("command -v bpftool >/dev/null 2>&1") == 0;
}

/* The output of a shell command, or "" (out has size bytes). */
static void command_output(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, size - 1, p) : 0;

	out[n] = '\0';
	if (p)
		pclose(p);
}

/* An independent look at the pins: bpftool opens them itself. */
static void check_pins_with_bpftool(const char *map_pin, const char *prog_pin)
{
	const char *name = "bpfload/pin-seen-by-bpftool";
	char cmd[600], out[4096];

	if (!bpftool_available()) {
		t_skip(name, opts.in_guest ? "the qemu guest has no bpftool (its initramfs holds busybox and the tests only)"
					   : "bpftool is not installed here (apt-get install bpftool)");
		return;
	}
	snprintf(cmd, sizeof(cmd), "bpftool map show pinned %s 2>&1", map_pin);
	command_output(cmd, out, sizeof(out));
	if (!strstr(out, "name getppid_by_tgid") || !strstr(out, "hash")) {
		t_fail(name, "bpftool map show: %s", out);
		return;
	}
	snprintf(cmd, sizeof(cmd), "bpftool prog show pinned %s 2>&1", prog_pin);
	command_output(cmd, out, sizeof(out));
	if (!strstr(out, "name count_sys_enter") || !strstr(out, "raw_tracepoint"))
		t_fail(name, "bpftool prog show: %s", out);
	else
		t_pass(name);
}

static void test_pin(void)
{
	const char *name = "bpfload/pin";
	char obj[512], dir[128], map_pin[256], prog_pin[256], cmd[512];
	const char *args[] = { "--pin", dir, "--duration", "1", obj, NULL };
	struct spawn_result r;
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bltest_%d", (int)getpid());
	snprintf(map_pin, sizeof(map_pin), "%s/maps/getppid_by_tgid", dir);
	snprintf(prog_pin, sizeof(prog_pin), "%s/progs/count_sys_enter", dir);
	object_path(obj, sizeof(obj), "raw_tp.bpf.o");
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	fd = bl_obj_get(map_pin);
	memset(&info, 0, sizeof(info));
	if (r.exit_code != 0) {
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	} else if (fd < 0 || bl_obj_get_info(fd, &info, &len) || info.type != BPF_MAP_TYPE_HASH ||
		   strcmp(info.name, "getppid_by_tgid") != 0) {
		t_fail(name, "map pin %s missing or wrong after exit", map_pin);
	} else if (access(prog_pin, F_OK) != 0) {
		t_fail(name, "program pin %s missing after exit", prog_pin);
	} else {
		t_pass(name);
		check_pins_with_bpftool(map_pin, prog_pin);
	}
	if (fd >= 0)
		close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	spawn_result_free(&r);
}

/* Something pinned at the program's name already: bpfload says so and
 * pins nothing (no map pin appears); what was there stays.  The undoing
 * of a set that fails midway is faults/pin-undone-when-one-fails. */
static void test_pin_half_made(void)
{
	const char *name = "bpfload/pin-over-an-existing-pin";
	char obj[512], dir[128], sub[160], blocker[256], map_pin[256], cmd[512];
	const char *args[] = { "--pin", dir, "--duration", "1", obj, NULL };
	struct bl_map_spec spec = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
				    .max_entries = 1, .name = "bl_blocker" };
	struct spawn_result r;
	int fd;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bltest_half_%d", (int)getpid());
	snprintf(sub, sizeof(sub), "%s/progs", dir);
	snprintf(blocker, sizeof(blocker), "%s/count_sys_enter", sub);
	snprintf(map_pin, sizeof(map_pin), "%s/maps/getppid_by_tgid", dir);
	object_path(obj, sizeof(obj), "raw_tp.bpf.o");
	bl_raise_memlock_limit();
	fd = bl_map_create(&spec);
	if (fd < 0 || mkdir(dir, 0700) || mkdir(sub, 0700) || bl_obj_pin(fd, blocker)) {
		t_fail(name, "cannot pin a map at %s first: %s", blocker, strerror(errno));
		goto clean;
	}
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	if (r.exit_code == 0)
		t_fail(name, "bpfload pinned over %s", blocker);
	else if (!strstr(r.err, "holds 1 of this object's 3 pins") || !strstr(r.err, "nothing was pinned"))
		t_fail(name, "unclear message: %s", r.err);
	else if (access(map_pin, F_OK) == 0)
		t_fail(name, "the map pin %s was left behind", map_pin);
	else if (access(blocker, F_OK) != 0)
		t_fail(name, "the pin that was there before, %s, is gone", blocker);
	else
		t_pass(name);
	spawn_result_free(&r);
clean:
	if (fd >= 0)
		close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* A uprobe event in tracefs named as our loaders name theirs, for pid. */
static int add_uprobe_event(long pid, char *event, size_t size)
{
	char line[256];
	int fd = open("/sys/kernel/tracing/uprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t n;

	snprintf(event, size, "uprobes/bl_up0_%ld_stale_test", pid);
	snprintf(line, sizeof(line), "p:%s /bin/sh:0x1000\n", event);
	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	close(fd);
	return n == (ssize_t)strlen(line) ? 0 : -errno;
}

static int uprobe_event_exists(const char *event)
{
	char buf[65536];
	int n = bl_read_text("/sys/kernel/tracing/uprobe_events", buf, sizeof(buf), 0);

	return n > 0 && strstr(buf, event) != NULL;
}

static void remove_uprobe_event(const char *event)
{
	char line[128];
	int fd = open("/sys/kernel/tracing/uprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);

	snprintf(line, sizeof(line), "-:%s\n", event);
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			fprintf(stderr, "# cannot remove %s: %s\n", event, strerror(errno));
		close(fd);
	}
}

/* A run killed with SIGKILL leaves its tracefs probes: the next run of a
 * tool removes those whose process is gone, says so, and keeps the
 * others (here one named for this live process). */
static void test_stale_probes(void)
{
	const char *name = "bpfload/stale-tracefs-probes-removed";
	char obj[512], dead_event[96], live_event[96];
	const char *args[] = { "--load-only", obj, NULL };
	struct spawn_result r;
	pid_t dead = fork();
	int ret;

	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);	/* reaped: the pid names no process now */
	if (access("/sys/kernel/tracing/uprobe_events", F_OK)) {
		t_skip(name, "no tracefs uprobe_events here (CONFIG_UPROBE_EVENTS, tracefs at /sys/kernel/tracing)");
		return;
	}
	if ((ret = add_uprobe_event(dead, dead_event, sizeof(dead_event))) ||
	    (ret = add_uprobe_event(getpid(), live_event, sizeof(live_event)))) {
		t_fail(name, "cannot write uprobe_events: %s", strerror(-ret));
		remove_uprobe_event(dead_event);
		return;
	}
	object_path(obj, sizeof(obj), "profile.bpf.o");
	T_EXPECT(name, run_bpfload(args, 0, &r) == 0, "cannot run bpfload");
	if (uprobe_event_exists(dead_event))
		t_fail(name, "%s, whose process is gone, is still in uprobe_events: %s", dead_event, r.err);
	else if (!uprobe_event_exists(live_event))
		t_fail(name, "%s, of a live process, was removed", live_event);
	else if (!strstr(r.err, "left by processes that no longer exist") || !strstr(r.err, dead_event))
		t_fail(name, "no note naming %s: %s", dead_event, r.err);
	else
		t_pass(name);
	remove_uprobe_event(live_event);
	if (uprobe_event_exists(dead_event))
		remove_uprobe_event(dead_event);
	spawn_result_free(&r);
}

/* ---- event streams: ring buffers and perf event arrays ---------------------- */

#define EVENT_CALLS 200
#define EVENT_OBJECT "bpfload_events.bpf.o"

/* While bpfload runs: once it says "Tracing", make this process the one
 * the programs send for (its tgid into the pinned map target_tgid), make
 * exactly EVENT_CALLS getppid() calls, then stop bpfload with SIGINT. */
struct event_calls {
	const char *pin_dir;
	int done;
	char why[320];		/* what went wrong, when it did */
};

static void make_event_calls(pid_t child, const char *err, void *ctx)
{
	struct event_calls *c = ctx;
	uint32_t zero = 0, tgid = (uint32_t)getpid();
	char pin[256];
	int fd, i, ret;

	if (c->done || !strstr(err, "Tracing"))
		return;
	c->done = 1;
	snprintf(pin, sizeof(pin), "%s/maps/target_tgid", c->pin_dir);
	fd = bl_obj_get(pin);
	ret = fd < 0 ? fd : bl_map_update(fd, &zero, &tgid, BPF_ANY);
	if (ret)
		snprintf(c->why, sizeof(c->why), "cannot write our tgid into %s: %s", pin, strerror(-ret));
	else
		for (i = 0; i < EVENT_CALLS; i++)
			syscall(SYS_getppid);
	if (fd >= 0)
		close(fd);
	kill(child, SIGINT);
}

/* bpfload --pin DIR [extra...] bpfload_events.bpf.o, driven by make_event_calls(). */
static int run_events(const char *name, const char *const *extra, struct spawn_result *r)
{
	const char *argv[12];
	char path[512], obj[512], dir[128], cmd[160];
	struct event_calls calls = { .pin_dir = dir };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000,
				   .while_running = make_event_calls, .ctx = &calls };
	size_t n = 0;
	int ret;

	bpfload_path(path, sizeof(path));
	object_path(obj, sizeof(obj), EVENT_OBJECT);
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bltest_events_%d", (int)getpid());
	argv[n++] = path;
	argv[n++] = "--pin";
	argv[n++] = dir;
	while (*extra && n < 9)
		argv[n++] = *extra++;
	argv[n++] = obj;
	argv[n] = NULL;
	ret = spawn_run(&o, r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	if (ret) {
		t_fail(name, "cannot run bpfload: %s", strerror(-ret));
		return -1;
	}
	if (!calls.done || calls.why[0] || r->timed_out || r->exit_code != 0) {
		t_fail(name, "%s%s, exit code %d%s: %s", calls.done ? "" : "no \"Tracing\" line",
		       calls.why, r->exit_code, r->timed_out ? " (timed out)" : "", r->err);
		spawn_result_free(r);
		return -1;
	}
	return 0;
}

enum event_view { EVENTS_DECODED, EVENTS_HEX, EVENTS_TOO_SHORT };

/* The counter of each of the map's lines ("MAP: {counter=N, ..." decoded,
 * "MAP: 32 bytes: 01 00 00 00 ..." in hex, "MAP: 32 bytes (shorter than
 * struct event_v2, 56 bytes): 01 00 ..." for a type longer than the
 * records) is marked in seen[1..]; returns the number of the map's lines,
 * or -1 with why filled on a line that is not as expected. */
static int check_event_lines(const char *out, const char *map, enum event_view view, int *seen,
			     char *why, size_t why_size)
{
	char prefix[32], hex[96], line[512];
	const char *p = out, *nl;
	unsigned int b[4];
	int lines = 0, counter;

	snprintf(prefix, sizeof(prefix), "%s: ", map);
	/* struct event is 32 bytes; a perf sample of them carries 36 (its
	 * u32 size field and data padded to a multiple of 8) */
	snprintf(hex, sizeof(hex), "%s bytes%s: ", strcmp(map, "pa") ? "32" : "36",
		 view == EVENTS_TOO_SHORT ? " (shorter than struct event_v2, 56 bytes)" : "");
	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		lines++;
		counter = -1;
		if (view == EVENTS_DECODED &&
		    sscanf(line + strlen(prefix), "{counter=%d, nsecs=", &counter) == 1 &&
		    !strstr(line, ", comm=\"ktest_bpfload\"}"))
			counter = -1;
		if (view != EVENTS_DECODED && strncmp(line + strlen(prefix), hex, strlen(hex)) == 0 &&
		    sscanf(line + strlen(prefix) + strlen(hex), "%x %x %x %x", &b[0], &b[1], &b[2],
			   &b[3]) == 4)
			counter = (int)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
		if (counter < 1 || counter > EVENT_CALLS || seen[counter]++) {
			snprintf(why, why_size, "unexpected or repeated line: %.200s", line);
			return -1;
		}
	}
	return lines;
}

/* With pipe_busy the test holds trace_pipe (the kernel allows one
 * reader): bpfload says so in a note and streams the events all the same. */
static void test_events(enum event_view view, int pipe_busy)
{
	static const char *const names[] = { "bpfload/events-decoded-by-btf-type",
					     "bpfload/events-as-hex",
					     "bpfload/events-shorter-than-type-as-hex" };
	struct bl_trace_pipe held = { .fd = -1 };
	struct bl_err perr;
	const char *typed[] = { "--event", "rb=struct event", "--event", "pa=struct event", NULL };
	const char *longer[] = { "--event", "rb=struct event_v2", "--event", "pa=struct event_v2", NULL };
	const char *none[] = { NULL };
	const char *const *extra = view == EVENTS_DECODED ? typed : view == EVENTS_HEX ? none : longer;
	const char *name = pipe_busy ? "bpfload/events-while-trace_pipe-busy" : names[view];
	const char *maps[] = { "rb", "pa" };
	char why[300] = "", want_rb[96], want_pa[96];
	struct spawn_result r;
	int i, m, lines, ret, seen[EVENT_CALLS + 1];
	char lacking[128];

	if (kfeature_has(KF_RINGBUF) == 0) {
		t_skip(name, "%s", kfeature_lacking(KF_RINGBUF, lacking, sizeof(lacking)));
		return;
	}
	if (pipe_busy && bl_trace_pipe_open(&held, &perr)) {
		t_fail(name, "cannot hold trace_pipe: %s", perr.msg);
		return;
	}
	ret = run_events(name, extra, &r);
	bl_trace_pipe_close(&held);
	if (ret)
		return;
	if (pipe_busy && (!strstr(r.err, "bpfload: note: ") || !strstr(r.err, "bpf_printk() lines are not shown")))
		snprintf(why, sizeof(why), "no note that trace_pipe is busy: %.200s", r.err);
	for (m = 0; m < 2 && !why[0]; m++) {
		memset(seen, 0, sizeof(seen));
		lines = check_event_lines(r.out, maps[m], view, seen, why, sizeof(why));
		for (i = 1; lines >= 0 && i <= EVENT_CALLS && !why[0]; i++)
			if (!seen[i])
				snprintf(why, sizeof(why), "%s: %d lines, no record with counter %d",
					 maps[m], lines, i);
	}
	snprintf(want_rb, sizeof(want_rb), "bpfload: events rb (ringbuf): %d received", EVENT_CALLS);
	snprintf(want_pa, sizeof(want_pa), "bpfload: events pa (perf_event_array): %d received, 0 lost\n",
		 EVENT_CALLS);
	if (why[0])
		t_fail(name, "%s; the counts: %.300s; stderr: %.400s; output: %.600s", why,
		       strstr(r.out, "counter = ") ? strstr(r.out, "counter = ") : "(none)", r.err, r.out);
	else if (!strstr(r.err, want_rb) || !strstr(r.err, want_pa))
		t_fail(name, "no \"%s\" and \"%s\" on stderr: %s", want_rb, want_pa, r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* --event naming a map or a type the object lacks: one error line, before
 * anything is loaded. */
static void test_event_errors(void)
{
	const char *name = "bpfload/event-unknown-map-or-type";
	char obj[512];
	const char *bad_map[] = { "--event", "nosuch=struct event", obj, NULL };
	const char *bad_type[] = { "--event", "rb=struct nosuch", obj, NULL };
	struct spawn_result r1, r2;

	object_path(obj, sizeof(obj), EVENT_OBJECT);
	T_EXPECT(name, run_bpfload(bad_map, 0, &r1) == 0, "cannot run bpfload");
	if (run_bpfload(bad_type, 0, &r2) != 0) {
		spawn_result_free(&r1);
		t_fail(name, "cannot run bpfload");
		return;
	}
	if (r1.exit_code != 1 || count_lines(r1.err) != 1 ||
	    !strstr(r1.err, "no ring buffer or perf event array map 'nosuch'") ||
	    !strstr(r1.err, "rb (ringbuf), pa (perf_event_array)"))
		t_fail(name, "unknown map: exit %d, %s", r1.exit_code, r1.err);
	else if (r2.exit_code != 1 || count_lines(r2.err) != 1 ||
		 !strstr(r2.err, "no type 'struct nosuch' in the BTF of " EVENT_OBJECT))
		t_fail(name, "unknown type: exit %d, %s", r2.exit_code, r2.err);
	else
		t_pass(name);
	spawn_result_free(&r1);
	spawn_result_free(&r2);
}

/* The "key K  value V" lines of map name's dump in out: the sum of the
 * values, and in by_key[K] (K < keys) each value. */
static uint64_t map_dump_sum(const char *out, const char *name, uint64_t *by_key, int keys)
{
	char head[80];
	const char *p;
	uint64_t sum = 0;

	snprintf(head, sizeof(head), "map %s (", name);
	p = strstr(out, head);
	for (p = p ? strchr(p, '\n') : NULL; p && strncmp(p, "\n  key ", 7) == 0; p = strchr(p + 1, '\n')) {
		unsigned long long key, value;

		if (sscanf(p, "\n  key %llu  value %llu", &key, &value) != 2)
			break;
		sum += value;
		if (by_key && key < (unsigned long long)keys)
			by_key[key] = value;
	}
	return sum;
}

/* A perf_event section on the CPU clock of every CPU at --freq: each
 * online CPU (kept busy: an idle one may not sample at all) sampled, and
 * the per-process counts add up to the per-CPU ones (every sample
 * counted in both). */
static void test_perf_event_freq(void)
{
	const char *name = "bpfload/perf_event-freq";
	char obj[512];
	const char *args[] = { "--freq", "97", "--duration", "2", obj, NULL };
	uint64_t by_cpu[256] = { 0 }, cpu_sum, tgid_sum;
	unsigned char online[256] = { 0 };
	struct spawn_result r;
	struct bl_err err;
	int ncpus, cpu, missing = -1, busy, ran;
	pid_t spinners[256];

	object_path(obj, sizeof(obj), "profile.bpf.o");
	ncpus = bl_possible_cpus(&err);
	if (ncpus < 0 || bl_online_cpus(online, ncpus < 256 ? ncpus : 256, &err)) {
		t_fail(name, "%s", err.msg);
		return;
	}
	busy = busy_cpus_start(spinners, 256);
	ran = run_bpfload(args, 0, &r);
	busy_cpus_stop(spinners, busy);
	T_EXPECT(name, ran == 0, "cannot run bpfload");
	cpu_sum = map_dump_sum(r.out, "samples_by_cpu", by_cpu, 256);
	tgid_sum = map_dump_sum(r.out, "samples_by_tgid", NULL, 0);
	for (cpu = 0; cpu < ncpus && cpu < 256; cpu++)
		if (online[cpu] && by_cpu[cpu] == 0 && missing < 0)
			missing = cpu;
	if (r.timed_out || r.exit_code != 0 || strstr(r.err, "not attached"))
		t_fail(name, "exit code %d%s: %s", r.exit_code, r.timed_out ? " (timed out)" : "", r.err);
	else if (missing >= 0)
		t_fail(name, "no sample on CPU %d (%llu in all): %.300s", missing, (unsigned long long)cpu_sum, r.out);
	else if (tgid_sum != cpu_sum)
		t_fail(name, "%llu samples by CPU, %llu by process", (unsigned long long)cpu_sum,
		       (unsigned long long)tgid_sum);
	else {
		printf("# %s: %llu samples in 2 s at 97 Hz\n", name, (unsigned long long)cpu_sum);
		t_pass(name);
	}
	spawn_result_free(&r);
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	test_dry_run_unprivileged();
	test_dry_run_broken_file();
	test_event_errors();
	if (geteuid() != 0) {
		printf("SKIP bpfload: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	test_load_only("probes.bpf.o", 0, "count_getppid tracepoint ok");
	test_unknown_section();
	test_load_only("verifier_reject.bpf.o", 1, "failed: verifier_reject.bpf.o: section tracepoint/syscalls/sys_enter_getppid: loading program unchecked_lookup failed: the verifier rejected it");
	test_attach_and_dump();
	test_iterator();
	test_perf_event_freq();
	test_pin();
	test_pin_half_made();
	test_stale_probes();
	test_events(EVENTS_DECODED, 0);
	test_events(EVENTS_HEX, 0);
	test_events(EVENTS_TOO_SHORT, 0);
	test_events(EVENTS_DECODED, 1);
	return t_exit_code();
}
