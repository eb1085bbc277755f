// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_map_tools.c - kernel tests of hello_map and syscall_tail, run as
 * child processes from --bindir while this process makes the system
 * calls they are to see.  Runs as root on the host and in the qemu
 * kernels (statically linked there).
 *
 * Usage: ktest_map_tools --bindir DIR (see ktest_options.h)
 *
 * The tools print only after loading and attaching, and spawn_run()
 * hands us their output at the end, so the workload is paced from
 * spawn_run()'s while_running callback by what the kernel shows: the
 * tool's program appears (BPF_PROG_GET_NEXT_ID), its map starts filling
 * (BPF_MAP_GET_FD_BY_ID of the program's map), then we act and finally
 * send the stop signal ourselves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testlib.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "spawn.h"
#include "sys/bpf_syscall.h"
#include "syscall_names.h"
#include <bpfload/trace_pipe.h>

#define TEST_UID 65534		/* nobody */
#define TEST_GID 12345		/* a group unlike the uid, to see it is the gid */
#define TEST_EXECS 20

static const char *bindir = ".";

static void tool_path(char *path, size_t size, const char *tool)
{
	snprintf(path, size, "%s/%s", bindir, tool);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run /bin/true `times` times, one execve() each, as uid/gid (0: as we
 * are); returns 0 when every run succeeded. */
static int exec_true(uid_t uid, gid_t gid, int times)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (uid && (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0))
			_exit(2);
		while (times-- > 0) {
			pid_t child = fork();

			if (child == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			if (child < 0 || waitpid(child, &status, 0) < 0 || status != 0)
				_exit(3);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A program named name with an id above newer_than, as an fd, or -1. */
static int find_program(uint32_t newer_than, const char *name)
{
	uint32_t id = newer_than;

	while (bl_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bl_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(fd, &info, &len) == 0 && strcmp(info.name, name) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

/* The hash map a program uses (its first BPF_MAP_TYPE_HASH), or -1. */
static int program_hash_map(int prog_fd)
{
	uint32_t ids[8], len = sizeof(struct bpf_prog_info), i;
	struct bpf_prog_info info;

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 8;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	if (bl_obj_get_info(prog_fd, &info, &len))
		return -1;
	for (i = 0; i < info.nr_map_ids && i < 8; i++) {
		union bpf_attr attr;
		struct bpf_map_info map_info;
		uint32_t map_len = sizeof(map_info);
		int fd;

		memset(&attr, 0, sizeof(attr));
		attr.map_id = ids[i];
		fd = (int)bl_sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
		if (fd < 0)
			continue;
		memset(&map_info, 0, sizeof(map_info));
		if (bl_obj_get_info(fd, &map_info, &map_len) == 0 && map_info.type == BPF_MAP_TYPE_HASH)
			return fd;
		close(fd);
	}
	return -1;
}

/* Programs of our tools (by name) with an id above `after` that stay
 * loaded for a second (the kernel frees them after an RCU grace period);
 * other programs are left alone, as other tests may run at the same time. */
static int tool_programs_left(uint32_t after, char *found, size_t size)
{
	static const char *const ours[] = {
		"hello_map", "hello_struct", "syscall_tail", "hello_exec", "hello_timer", "ignore_syscall",
	};
	int tries, n = 0;

	for (tries = 0; tries < 50; tries++) {
		uint32_t id = after;

		n = 0;
		found[0] = '\0';
		while (bl_prog_get_next_id(id, &id) == 0) {
			struct bpf_prog_info info;
			uint32_t len = sizeof(info);
			int fd = bl_prog_get_fd_by_id(id);
			size_t i;

			if (fd < 0)
				continue;
			memset(&info, 0, sizeof(info));
			if (bl_obj_get_info(fd, &info, &len) == 0)
				for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
					if (strcmp(info.name, ours[i]) == 0 && n++ == 0)
						snprintf(found, size, "id %u (%s)", id, info.name);
			close(fd);
		}
		if (n == 0)
			return 0;
		usleep(20000);
	}
	return n;
}

static void test_not_root(const char *tool)
{
	char name[64], path[512];
	const char *argv[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = argv, .run_as_uid = TEST_UID, .timeout_ms = 20000 };
	struct spawn_result r;

	snprintf(name, sizeof(name), "%s/not-root", tool);
	tool_path(path, sizeof(path), tool);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code == 0 || r.exit_code >= 126)
		t_fail(name, "exit code %d, expected a failure of the tool itself", r.exit_code);
	else if (count_lines(r.err) != 1 || !strstr(r.err, "run as root") || r.out[0])
		t_fail(name, "expected one line saying to run as root, got: %s%s", r.err, r.out);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* ---- hello_map ------------------------------------------------------- */

struct hello_map_pace {
	uint32_t newer_than;	/* highest program id before the tool started */
	const char *prog_name;
	int interval_ms;
	int stop_signal;
	int map_fd;		/* the tool's map, once found */
	int phase;		/* 0 wait for counting, 1 settle, 2 after workload, 3 signalled */
	int64_t since;
	int workload_failed;
};

/*
 * Phase 0: the program is loaded and counts (an execve of ours shows up
 * in its map).  Phase 1: wait a few intervals, so that a line is printed
 * before the workload; then TEST_EXECS execs as TEST_UID.  Phase 2: a few
 * more intervals, then the stop signal (the last line comes after it).
 */
static void pace_hello_map(pid_t child, const char *err, void *ctx)
{
	struct hello_map_pace *p = ctx;
	uint32_t key;

	(void)err;
	switch (p->phase) {
	case 0:
		if (p->map_fd < 0) {
			int prog = find_program(p->newer_than, p->prog_name);

			if (prog < 0)
				return;
			p->map_fd = program_hash_map(prog);
			close(prog);
			if (p->map_fd < 0)
				return;
		}
		exec_true(0, 0, 1);
		if (bl_map_next_key(p->map_fd, NULL, &key) == 0) {
			p->phase = 1;
			p->since = now_ms();
		}
		return;
	case 1:
		if (now_ms() - p->since < 4 * p->interval_ms)
			return;
		p->workload_failed = exec_true(TEST_UID, TEST_GID, TEST_EXECS) != 0;
		p->phase = 2;
		p->since = now_ms();
		return;
	case 2:
		if (now_ms() - p->since < 4 * p->interval_ms)
			return;
		kill(child, p->stop_signal);
		p->phase = 3;
		return;
	}
}

/* The count of uid in one output line (0 when absent), and its gid for
 * --struct lines ("ID 65534 (gid 12345): 20"). */
static uint64_t count_in_line(const char *line, size_t len, uint32_t uid, long *gid)
{
	char want[32];
	const char *p;
	int n = snprintf(want, sizeof(want), "ID %u", uid);

	*gid = -1;
	for (p = line; (p = memmem(p, len - (size_t)(p - line), want, (size_t)n)); p += n) {
		if (p != line && p[-1] != '\t')
			continue;
		if (p[n] == ':')
			return strtoull(p + n + 1, NULL, 10);
		if (strncmp(p + n, " (gid ", 6) == 0) {
			char *end;

			*gid = strtol(p + n + 6, &end, 10);
			if (strncmp(end, "): ", 3) == 0)
				return strtoull(end + 3, NULL, 10);
		}
	}
	return 0;
}

static void test_hello_map_counts(const char *name, int structs, int stop_signal)
{
	char path[512], left[128];
	const char *argv[] = { path, "--interval", "0.25", structs ? "--struct" : NULL, NULL };
	struct hello_map_pace pace = { .newer_than = highest_prog_id(),
				       .prog_name = structs ? "hello_struct" : "hello_map",
				       .interval_ms = 250, .stop_signal = stop_signal, .map_fd = -1 };
	struct spawn_options o = { .argv = argv, .timeout_ms = 120000,
				   .while_running = pace_hello_map, .ctx = &pace };
	struct spawn_result r;
	const char *first, *last, *end;
	uint64_t before, after;
	long gid_before, gid_after;
	int lines;

	tool_path(path, sizeof(path), "hello_map");
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (pace.map_fd >= 0)
		close(pace.map_fd);

	lines = count_lines(r.out);
	first = r.out;
	end = r.out + strlen(r.out);
	if (end > r.out && end[-1] == '\n')
		end--;
	for (last = end; last > r.out && last[-1] != '\n'; last--)
		;
	before = count_in_line(first, (size_t)(strchrnul(first, '\n') - first), TEST_UID, &gid_before);
	after = count_in_line(last, (size_t)(end - last), TEST_UID, &gid_after);

	if (r.timed_out || pace.phase != 3)
		t_fail(name, "%s (stage %d reached); stderr: %s",
		       r.timed_out ? "timed out" : "the tool ended early", pace.phase, r.err);
	else if (pace.workload_failed)
		t_fail(name, "could not run /bin/true %d times as uid %d", TEST_EXECS, TEST_UID);
	else if (r.exit_code != 0)
		t_fail(name, "exit code %d after signal %d: %s", r.exit_code, stop_signal, r.err);
	else if (!strstr(r.err, "Tracing ") || count_lines(r.err) != 1)
		t_fail(name, "expected the one line \"Tracing ...\" on stderr, got: %s", r.err);
	else if (lines < 3)
		t_fail(name, "only %d lines of counts", lines);
	else if (after - before != TEST_EXECS)
		t_fail(name, "%d execs as uid %d: the count went from %" PRIu64 " (first line) to %" PRIu64
		       " (last line); another process running as uid %d would also count",
		       TEST_EXECS, TEST_UID, before, after, TEST_UID);
	else if (structs && gid_after != TEST_GID)
		t_fail(name, "the last line shows gid %ld for uid %d, expected %d", gid_after, TEST_UID, TEST_GID);
	else if (tool_programs_left(pace.newer_than, left, sizeof(left)))
		t_fail(name, "program %s still loaded after the tool exited", left);
	else {
		printf("# %s: %d lines, uid %d: %" PRIu64 " -> %" PRIu64 "\n", name, lines, TEST_UID,
		       before, after);
		t_pass(name);
	}
	spawn_result_free(&r);
}

static void test_hello_map_duration(void)
{
	const char *name = "hello_map/duration";
	char path[512], left[128];
	const char *argv[] = { path, "--duration", "1.5", "--interval", "0.4", NULL };
	uint32_t before = highest_prog_id();
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000 };
	struct spawn_result r;

	tool_path(path, sizeof(path), "hello_map");
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code != 0)
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	else if (count_lines(r.out) < 2)
		t_fail(name, "expected 3 or 4 lines in 1.5 s at 0.4 s, got %d", count_lines(r.out));
	else if (tool_programs_left(before, left, sizeof(left)))
		t_fail(name, "program %s still loaded after the tool exited", left);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* ---- syscall_tail ---------------------------------------------------- */

static long table_nr(const char *name)
{
	size_t i;

	for (i = 0; i < SYSCALL_NAME_COUNT; i++)
		if (strcmp(syscall_names[i].name, name) == 0)
			return syscall_names[i].nr;
	return -1;
}

/* The generated table against numbers known from the kernel's tables
 * (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h). */
static void test_names_table(void)
{
	const char *name = "syscall_tail/names-table";
	static const struct { const char *call; long nr; } known[] = {
#if defined(__x86_64__)
		{ "read", 0 }, { "execve", 59 }, { "getppid", 110 }, { "timer_create", 222 },
		{ "timer_delete", 226 },
#elif defined(__aarch64__)
		{ "read", 63 }, { "timer_create", 107 }, { "timer_delete", 111 }, { "getppid", 173 },
		{ "execve", 221 },
#endif
	};
	size_t i;

	if (sizeof(known) == 0) {
		t_skip(name, "no known numbers for %s", SYSCALL_NAMES_ARCH);
		return;
	}
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		T_EXPECT(name, table_nr(known[i].call) == known[i].nr, "%s: %s is %ld in the table, expected %ld",
			 SYSCALL_NAMES_ARCH, known[i].call, table_nr(known[i].call), known[i].nr);
	T_EXPECT(name, table_nr("getppid") == SYS_getppid, "getppid is %ld in the table, %d in <sys/syscall.h>",
		 table_nr("getppid"), SYS_getppid);
	T_EXPECT(name, SYSCALL_NAME_COUNT > 250, "only %zu system calls in the table", SYSCALL_NAME_COUNT);
	t_pass(name);
}

/* The system calls whose lines the test looks for. */
static void make_calls(void)
{
	struct itimerspec zero, value;
	int timer = 0;		/* the kernel's timer_t is an int, glibc's a pointer */

	memset(&zero, 0, sizeof(zero));
	syscall(SYS_getppid);		/* glibc does not cache getppid */
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &timer) == 0) {
		syscall(SYS_timer_settime, timer, 0, &zero, NULL);	/* disarmed: no signal */
		syscall(SYS_timer_gettime, timer, &value);
		syscall(SYS_timer_delete, timer);
	}
	exec_true(0, 0, 1);
}

struct tail_pace {
	uint32_t newer_than;
	int stop_signal;
	int64_t seen_at;	/* when the tool said it was tracing, or 0 */
	int rounds;
	int signalled;
};

/* Once the tool says it is tracing (all four programs loaded, the main one
 * attached: on a slow emulated guest that can be seconds after the first
 * program appears), make the calls every tick for 3 s (the lines wait in
 * the kernel's buffer until the tool reads them), then send the stop
 * signal. */
static void pace_syscall_tail(pid_t child, const char *err, void *ctx)
{
	struct tail_pace *p = ctx;

	if (p->signalled)
		return;
	if (!p->seen_at) {
		if (!strstr(err, "Tracing "))
			return;
		p->seen_at = now_ms();
	}
	make_calls();
	p->rounds++;
	if (now_ms() - p->seen_at >= 3000 && p->rounds >= 10) {
		kill(child, p->stop_signal);
		p->signalled = 1;
	}
}

/* A line of trace_pipe output from process pid carrying text. */
static int has_line(const char *out, pid_t pid, const char *text)
{
	char who[32];
	const char *line;

	snprintf(who, sizeof(who), "-%d ", (int)pid);
	for (line = out; line && *line;) {
		const char *end = strchrnul(line, '\n');
		const char *t = memmem(line, (size_t)(end - line), text, strlen(text));

		if (t && (pid == 0 || memmem(line, (size_t)(t - line), who, strlen(who))))
			return 1;
		line = *end ? end + 1 : NULL;
	}
	return 0;
}

static void count_line(const char *line, void *ctx)
{
	(void)line;
	++*(int *)ctx;
}

/* trace_pipe keeps what an earlier run's programs printed after that tool
 * stopped reading (between its last read and its detach): read it away, so
 * that a line is this run's. */
static int drain_trace_pipe(void)
{
	struct bl_trace_pipe tp = { .fd = -1 };
	struct bl_err err = { 0 };
	int lines = 0;

	if (bl_trace_pipe_open(&tp, &err))
		return -1;
	while (bl_trace_pipe_read(&tp, 50, count_line, &lines) > 0)
		;
	bl_trace_pipe_close(&tp);
	return lines;
}

static void test_syscall_tail(const char *name, int skip_others, int stop_signal)
{
	static const char *const wanted[] = {
		"Creating a timer", "Setting a timer", "Getting timer value", "Deleting a timer",
	};
	char path[512], left[128];
	const char *argv[] = { path, skip_others ? "--skip-others" : NULL, NULL };
	struct tail_pace pace = { .newer_than = highest_prog_id(), .stop_signal = stop_signal };
	struct spawn_options o = { .argv = argv, .timeout_ms = 120000,
				   .while_running = pace_syscall_tail, .ctx = &pace };
	struct spawn_result r;
	pid_t self = getpid();
	size_t i;

	tool_path(path, sizeof(path), "syscall_tail");
	if (drain_trace_pipe() > 0)
		printf("# %s: read away an earlier run's lines from trace_pipe\n", name);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.timed_out || !pace.signalled) {
		t_fail(name, "%s; stderr: %s", r.timed_out ? "timed out" : "the tool ended early", r.err);
		goto out;
	}
	if (r.exit_code != 0) {
		t_fail(name, "exit code %d after signal %d: %s", r.exit_code, stop_signal, r.err);
		goto out;
	}
	if (!strstr(r.err, "Tracing ") || count_lines(r.err) != 1) {
		t_fail(name, "expected the one line \"Tracing ...\" on stderr, got: %s", r.err);
		goto out;
	}
	if (!has_line(r.out, 0, ": Executing a program")) {
		t_fail(name, "no \"Executing a program\" line in %d lines", count_lines(r.out));
		goto out;
	}
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!has_line(r.out, self, wanted[i])) {
			t_fail(name, "no \"%s\" line from process %d in %d lines", wanted[i], (int)self,
			       count_lines(r.out));
			goto out;
		}
	if (skip_others && strstr(r.out, "Another syscall")) {
		t_fail(name, "an \"Another syscall\" line despite --skip-others");
		goto out;
	}
	if (!skip_others && !has_line(r.out, self, "Another syscall: getppid")) {
		t_fail(name, "no \"Another syscall: getppid\" line from process %d in %d lines", (int)self,
		       count_lines(r.out));
		goto out;
	}
	if (tool_programs_left(pace.newer_than, left, sizeof(left))) {
		t_fail(name, "program %s still loaded after the tool exited", left);
		goto out;
	}
	printf("# %s: %d lines in %d rounds\n", name, count_lines(r.out), pace.rounds);
	t_pass(name);
out:
	spawn_result_free(&r);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	bindir = opts.bindir;
	test_names_table();
	if (geteuid() != 0) {
		printf("SKIP map-tools: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	signal(SIGPIPE, SIG_IGN);
	test_not_root("hello_map");
	test_hello_map_counts("hello_map/exact-count-sigint", 0, SIGINT);
	test_hello_map_counts("hello_map/struct-count-gid-sigterm", 1, SIGTERM);
	test_hello_map_duration();
	test_not_root("syscall_tail");
	test_syscall_tail("syscall_tail/messages-sigint", 0, SIGINT);
	test_syscall_tail("syscall_tail/skip-others-sigterm", 1, SIGTERM);
	return t_exit_code();
}
