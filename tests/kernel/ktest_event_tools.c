// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_event_tools.c - kernel tests of the tools that stream events:
 * hello_buffer (perf buffer and BPF ring buffer), execve_count
 * (trace_pipe and perf buffer) and read_trace (ring buffer, tracepoint
 * fields placed from tracefs format files), and of
 * loader/tracepoint_format.c, on the running kernel.
 *
 * The tools run as child processes from --bindir, from the directory "/".
 * Their stdout and stderr go to unlinked files in /tmp rather than pipes:
 * a pipe could fill and slow a tool down, and reading a pipe would be a
 * read() that read_trace traces, and answers with more output.  We look
 * at the files with pread(), a different system call.
 *
 * Every tool prints "... Hit Ctrl-C to end." once it is attached; the
 * tests wait for that line before making the events the tool must see.
 * The flood tests stop the tool (SIGSTOP) while events keep coming, so
 * that its buffer is sure to overflow, then check from --stats that
 * received + lost == produced exactly, and that the tool printed one
 * line per event received.
 *
 * Runs as root on the host and inside the qemu kernels (statically linked).
 * Usage: ktest_event_tools --bindir DIR (see ktest_options.h)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfload/tracepoint_format.h>

#include "../testlib.h"
#include "kernel_features.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "spawn.h"
#include "sys/bpf_syscall.h"
#include "sys/tracefs.h"

static const char *bindir;	/* absolute */
static char my_comm[32];	/* what the kernel calls this process (and its children) */

/* Tools need a moment to load; under qemu's emulation, several. */
#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 60000
#define EVENT_TIMEOUT_MS 20000

/* ---- time ---------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- running a tool ------------------------------------------------------ */

struct tool {
	pid_t pid;
	int out_fd, err_fd;	/* unlinked files holding its stdout and stderr */
	int exit_code;		/* -1 when a signal ended it */
	int signal;
	int timed_out;
	char *out, *err;	/* after tool_wait: all it wrote */
};

static int temp_file(void)
{
	char path[] = "/tmp/ktest_event_tools.XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Everything in fd so far, NUL-terminated (malloc'd); read with pread(). */
static char *file_text(int fd)
{
	struct stat st;
	size_t len = 0, size;
	char *buf;

	if (fstat(fd, &st) < 0)
		return strdup("");
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	while (len < size) {
		ssize_t n = pread(fd, buf + len, size - len, (off_t)len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* Whether the file holds text. */
static int file_has(int fd, const char *text)
{
	char *all = file_text(fd);
	int found = all && strstr(all, text) != NULL;

	free(all);
	return found;
}

static void tool_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", bindir, name);
}

/* Start argv[0] (a tool's name) with the rest of argv, from "/", and wait
 * until it says it is tracing.  0, or -1 with *why filled (the tool is
 * then reaped). */
static int tool_start(struct tool *t, const char *const *argv, char *why, size_t why_size)
{
	char path[512];
	const char *args[16];
	int64_t deadline = now_ms() + START_TIMEOUT_MS;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->out_fd = temp_file();
	t->err_fd = temp_file();
	if (t->out_fd < 0 || t->err_fd < 0) {
		snprintf(why, why_size, "cannot create temporary files in /tmp: %s", strerror(errno));
		return -1;
	}
	tool_path(path, sizeof(path), argv[0]);
	args[0] = path;
	for (i = 1; argv[i] && i < 15; i++)
		args[i] = argv[i];
	args[i] = NULL;
	t->pid = fork();
	if (t->pid < 0) {
		snprintf(why, why_size, "fork: %s", strerror(errno));
		return -1;
	}
	if (t->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, 0);
		dup2(t->out_fd, 1);
		dup2(t->err_fd, 2);
		if (chdir("/") < 0)
			_exit(126);
		execv(path, (char *const *)args);
		_exit(127);
	}
	while (!file_has(t->err_fd, "Hit Ctrl-C to end.")) {
		int status;

		if (waitpid(t->pid, &status, WNOHANG) == t->pid || now_ms() > deadline) {
			char *err;

			if (now_ms() > deadline) {
				kill(t->pid, SIGKILL);
				waitpid(t->pid, &status, 0);
			}
			err = file_text(t->err_fd);
			snprintf(why, why_size, "%s did not start (status 0x%x): %.300s", argv[0], status,
				 err ? err : "");
			free(err);
			close(t->out_fd);
			close(t->err_fd);
			return -1;
		}
		sleep_ms(20);
	}
	return 0;
}

/* Send sig (0: none, wait for --duration to end it) and wait for the
 * tool to exit; then t->out and t->err hold its output. */
static void tool_wait(struct tool *t, int sig)
{
	int64_t deadline = now_ms() + STOP_TIMEOUT_MS;
	int status = 0;

	if (sig)
		kill(t->pid, sig);
	while (waitpid(t->pid, &status, WNOHANG) != t->pid) {
		if (now_ms() > deadline) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &status, 0);
			t->timed_out = 1;
			break;
		}
		sleep_ms(20);
	}
	t->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	t->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	t->out = file_text(t->out_fd);
	t->err = file_text(t->err_fd);
	if (!t->out)
		t->out = strdup("");
	if (!t->err)
		t->err = strdup("");
}

static void tool_free(struct tool *t)
{
	free(t->out);
	free(t->err);
	close(t->out_fd);
	close(t->err_fd);
	t->out = t->err = NULL;
}

/* Why a tool's run was not clean, or NULL: it must have exited 0, and
 * said nothing on stderr but the "Tracing" line and the --stats line. */
static const char *unclean_exit(const struct tool *t, char *why, size_t size)
{
	const char *line = t->err;

	if (t->timed_out)
		return snprintf(why, size, "did not exit within %d s", STOP_TIMEOUT_MS / 1000), why;
	if (t->exit_code != 0)
		return snprintf(why, size, "exit code %d (signal %d): %.300s", t->exit_code, t->signal,
				t->err), why;
	while (line && *line) {
		if (strncmp(line, "Tracing ", 8) != 0 && strncmp(line, "received ", 9) != 0)
			return snprintf(why, size, "unexpected line on stderr: %.200s", line), why;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return NULL;
}

/* --stats: "received N, lost N (produced N)". */
static int parse_stats(const char *err, uint64_t *received, uint64_t *lost, uint64_t *produced)
{
	const char *p = strstr(err, "received ");
	unsigned long long r, l, pr;

	if (!p || sscanf(p, "received %llu, lost %llu (produced %llu)", &r, &l, &pr) != 3)
		return -1;
	*received = r;
	*lost = l;
	*produced = pr;
	return 0;
}

/* The pause while events travel from the kernel to the tool's output. */
static int wait_for_output(struct tool *t, int (*done)(const char *out, void *ctx), void *ctx)
{
	int64_t deadline = now_ms() + EVENT_TIMEOUT_MS;

	for (;;) {
		char *out = file_text(t->out_fd);
		int ok = out && done(out, ctx);

		free(out);
		if (ok)
			return 0;
		if (now_ms() > deadline)
			return -1;
		sleep_ms(50);
	}
}

/* ---- programs left behind ------------------------------------------------ */

/* Programs newer than `after` whose name is one of names (NULL-ended):
 * up to max ids into ids; returns how many. */
static int find_programs(uint32_t after, const char *const *names, uint32_t *ids, int max)
{
	uint32_t id = after;
	int n = 0;

	while (n < max && bl_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bl_prog_get_fd_by_id(id), i;

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(fd, &info, &len) == 0)
			for (i = 0; names[i]; i++)
				if (strcmp(info.name, names[i]) == 0)
					ids[n++] = id;
		close(fd);	/* holding it would keep the program alive */
	}
	return n;
}

/* ---- making events --------------------------------------------------------- */

/* From a child running as uid (0: stay root), fork n children that each
 * exec /bin/true; their pids go into pids.  Returns 0 or -1. */
static int exec_true(int n, uid_t uid, pid_t *pids)
{
	int report[2], status, got = 0;
	pid_t child;

	if (pipe2(report, O_CLOEXEC) < 0)
		return -1;
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		int bad = 0, i;

		close(report[0]);
		if (uid && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
			_exit(2);
		for (i = 0; i < n; i++) {
			char *const argv[] = { "/bin/true", NULL };
			pid_t p = fork();

			if (p == 0) {
				execv(argv[0], argv);
				_exit(127);
			}
			if (p < 0 || write(report[1], &p, sizeof(p)) != sizeof(p) ||
			    waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status))
				bad = 1;
		}
		_exit(bad);
	}
	close(report[1]);
	while (got < n && read(report[0], &pids[got], sizeof(pid_t)) == sizeof(pid_t))
		got++;
	close(report[0]);
	waitpid(child, &status, 0);
	return got == n && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A child that reads count bytes from /dev/zero through fd number fd,
 * once told to (a byte on go), says it has (a byte on done), and then
 * waits to be killed.  (Not for go to close: a second reader started
 * later holds a copy of the first one's pipe ends.) */
struct reader {
	pid_t pid;
	int go, done;		/* our ends of the two pipes */
};

static int reader_start(struct reader *r, int fd, size_t count)
{
	int go[2], done[2];

	/* close-on-exec: the tools must not hold our pipes open */
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
		return -1;
	r->pid = fork();
	if (r->pid < 0)
		return -1;
	if (r->pid == 0) {
		char buf[4096], c;
		int zero = open("/dev/zero", O_RDONLY);

		close(go[1]);
		close(done[0]);
		if (zero < 0 || dup2(zero, fd) != fd || read(go[0], &c, 1) != 1 ||
		    read(fd, buf, count) != (ssize_t)count || write(done[1], "d", 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	r->go = go[1];
	r->done = done[0];
	return 0;
}

/* Let it read; 0 once it has. */
static int reader_run(struct reader *r)
{
	char c;

	return write(r->go, "g", 1) == 1 && read(r->done, &c, 1) == 1 ? 0 : -1;
}

static void reader_end(struct reader *r)
{
	kill(r->pid, SIGKILL);
	close(r->go);
	close(r->done);
	waitpid(r->pid, NULL, 0);
}

/* A child whose two threads read /dev/zero one byte at a time, in
 * bursts: each int N written to go makes two new threads read N bytes
 * each, side by side, one read(2) per byte; a byte on done says they
 * have.  Bounded on purpose: Debian's 5.10 guest soft-locked (both CPUs
 * stuck in the kernel for minutes, RCU starved) during the endless flood
 * of reads this test used before, in full CI runs, never when run alone;
 * a few thousand reads overflow a one-page ring just as surely. */
#define FLOOD_BURST 1000	/* reads per thread while the tool is stopped */

struct flood {
	pid_t pid;
	int go, done;		/* our ends of the two pipes */
	uint64_t reads;		/* read(2)s the threads made */
	int broken;		/* a burst failed */
};

struct flood_thread {
	int zero;
	int count;
	pthread_barrier_t *start;
};

static void *read_bytes(void *arg)
{
	struct flood_thread *t = arg;
	char c;
	int i;

	pthread_barrier_wait(t->start);
	for (i = 0; i < t->count; i++)
		if (read(t->zero, &c, 1) != 1)
			_exit(1);
	return NULL;
}

/* Both threads read count bytes each, side by side. */
static int flood_burst_in_child(int zero, int count)
{
	pthread_barrier_t start;
	struct flood_thread arg = { zero, count, &start };
	pthread_t t1, t2;

	if (pthread_barrier_init(&start, NULL, 2))
		return -1;
	if (pthread_create(&t1, NULL, read_bytes, &arg))
		return -1;
	if (pthread_create(&t2, NULL, read_bytes, &arg))
		return -1;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&start);
	return 0;
}

static int flood_start(struct flood *f)
{
	int go[2], done[2];

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
		return -1;
	f->reads = 0;
	f->broken = 0;
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (f->pid == 0) {
		int zero = open("/dev/zero", O_RDONLY), count;

		close(go[1]);
		close(done[0]);
		while (zero >= 0 && read(go[0], &count, sizeof(count)) == sizeof(count))
			if (flood_burst_in_child(zero, count) || write(done[1], "d", 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	f->go = go[1];
	f->done = done[0];
	return 0;
}

/* Both threads read count bytes each; 0 once they have. */
static int flood_burst(struct flood *f, int count)
{
	char c;

	if (write(f->go, &count, sizeof(count)) != sizeof(count) || read(f->done, &c, 1) != 1) {
		f->broken = 1;
		return -1;
	}
	f->reads += 2 * (uint64_t)count;
	return 0;
}

static void flood_stop(struct flood *f)
{
	kill(f->pid, SIGKILL);
	close(f->go);
	close(f->done);
	waitpid(f->pid, NULL, 0);
}

/* ---- hello_buffer ------------------------------------------------------------ */

struct hello_check {
	const pid_t *pids;
	int n;
	uid_t uid;
	int matched;		/* lines from our pids, right in every field */
	int wrong;		/* lines from our pids with a field wrong */
	int other_uid;		/* lines with our uid from other processes */
	char first_wrong[160];
};

/* Lines "pid uid comm Hello World". */
static void check_hello_lines(const char *out, struct hello_check *c)
{
	const char *line = out;

	c->matched = c->wrong = c->other_uid = 0;
	c->first_wrong[0] = '\0';
	while (line && *line) {
		const char *end = strchr(line, '\n');
		unsigned pid, uid;
		char comm[64], rest[64];
		int i, ours = 0;

		if (sscanf(line, "%u %u %63s %63[^\n]", &pid, &uid, comm, rest) == 4) {
			for (i = 0; i < c->n; i++)
				if ((pid_t)pid == c->pids[i])
					ours = 1;
			if (ours && uid == c->uid && strcmp(comm, my_comm) == 0 && strcmp(rest, "Hello World") == 0)
				c->matched++;
			else if (ours && !c->wrong++)
				snprintf(c->first_wrong, sizeof(c->first_wrong), "%.*s",
					 (int)(end ? end - line : 100), line);
			else if (!ours && uid == c->uid)
				c->other_uid++;
		}
		line = end ? end + 1 : NULL;
	}
}

static int hello_lines_arrived(const char *out, void *ctx)
{
	struct hello_check *c = ctx;

	check_hello_lines(out, c);
	return c->matched + c->wrong >= c->n;
}

/* 20 execs by uid 65534: exactly 20 lines, with that uid, our children's
 * pids and comm; and --stats adds up. */
static void test_hello_execs(const char *name, int ringbuf)
{
	enum { N = 20 };
	const char *argv[] = { "hello_buffer", "--stats", ringbuf ? "--ringbuf" : NULL, NULL };
	struct hello_check c = { .n = N, .uid = 65534 };
	pid_t pids[N];
	uint64_t received, lost, produced;
	struct tool t;
	char why[512];
	const char *unclean;

	c.pids = pids;
	T_EXPECT(name, tool_start(&t, argv, why, sizeof(why)) == 0, "%s", why);
	if (exec_true(N, 65534, pids)) {
		tool_wait(&t, SIGINT);
		t_fail(name, "could not run /bin/true %d times as uid 65534", N);
		goto out;
	}
	wait_for_output(&t, hello_lines_arrived, &c);
	tool_wait(&t, SIGINT);
	check_hello_lines(t.out, &c);
	unclean = unclean_exit(&t, why, sizeof(why));
	if (unclean)
		t_fail(name, "%s", unclean);
	else if (c.wrong)
		t_fail(name, "a line from one of our children is wrong (want uid 65534, comm %s, Hello World): %s",
		       my_comm, c.first_wrong);
	else if (c.matched != N)
		t_fail(name, "%d execs as uid 65534, %d lines from them", N, c.matched);
	else if (parse_stats(t.err, &received, &lost, &produced))
		t_fail(name, "no \"received N, lost N (produced N)\" line: %s", t.err);
	else if (received + lost != produced || received != (uint64_t)count_lines(t.out))
		t_fail(name, "received %" PRIu64 " + lost %" PRIu64 " != produced %" PRIu64
		       ", or %d lines printed", received, lost, produced, count_lines(t.out));
	else {
		printf("# %s: %d of %d lines are ours; received %" PRIu64 ", lost %" PRIu64
		       " (produced %" PRIu64 ")%s\n", name, c.matched, count_lines(t.out), received, lost,
		       produced, c.other_uid ? "; other processes of uid 65534 exec'd meanwhile" : "");
		t_pass(name);
	}
out:
	tool_free(&t);
}

/* The tool stopped while execs fill its buffer of one page (per CPU):
 * events are lost, and received + lost == produced exactly. */
static void test_hello_flood(const char *name, int ringbuf)
{
	long page = sysconf(_SC_PAGESIZE), cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char size[32];
	const char *argv[] = { "hello_buffer", "--stats", ringbuf ? "--ringbuf" : "--buffer-pages",
			       ringbuf ? "--ringbuf-size" : "1", ringbuf ? size : NULL, NULL };
	/* An event takes 48 bytes in either ring: enough execs to overfill
	 * one page on some CPU, however they spread. */
	int n = (int)((cpus > 0 ? cpus : 1) * (page / 48 + 16));
	pid_t *pids = calloc((size_t)n, sizeof(pid_t));
	uint64_t received, lost, produced;
	struct tool t;
	char why[512];
	const char *unclean;
	pid_t spinners[256];
	int busy, failed;

	snprintf(size, sizeof(size), "%ld", page);
	T_EXPECT(name, pids, "out of memory");
	if (tool_start(&t, argv, why, sizeof(why))) {
		t_fail(name, "%s", why);
		free(pids);
		return;
	}
	/* the consumer stopped, every CPU busy besides the execs */
	kill(t.pid, SIGSTOP);
	busy = busy_cpus_start(spinners, 256);
	failed = exec_true(n, 0, pids);
	busy_cpus_stop(spinners, busy);
	if (failed) {
		kill(t.pid, SIGCONT);
		tool_wait(&t, SIGINT);
		t_fail(name, "could not run /bin/true %d times", n);
		goto out;
	}
	kill(t.pid, SIGCONT);
	sleep_ms(200);
	tool_wait(&t, SIGINT);
	unclean = unclean_exit(&t, why, sizeof(why));
	if (unclean)
		t_fail(name, "%s", unclean);
	else if (parse_stats(t.err, &received, &lost, &produced))
		t_fail(name, "no \"received N, lost N (produced N)\" line: %s", t.err);
	else {
		printf("# %s: %d execs while the tool was stopped and %d CPUs spun, 1 page%s: produced %" PRIu64
		       ", received %" PRIu64 ", lost %" PRIu64 "\n", name, n, busy, ringbuf ? "" : " per CPU",
		       produced, received, lost);
		if (received + lost != produced)
			t_fail(name, "received %" PRIu64 " + lost %" PRIu64 " != produced %" PRIu64, received,
			       lost, produced);
		else if (received != (uint64_t)count_lines(t.out))
			t_fail(name, "received %" PRIu64 " events but printed %d lines", received,
			       count_lines(t.out));
		else if (produced < (uint64_t)n || lost == 0)
			t_fail(name, "%d execs: produced %" PRIu64 ", lost %" PRIu64 "; the buffer did not overflow",
			       n, produced, lost);
		else
			t_pass(name);
	}
out:
	tool_free(&t);
	free(pids);
}

/* ---- execve_count -------------------------------------------------------- */

/* execve_count counts with BPF_FETCH: on kernels without it, the tests
 * that need it running are skipped, and execve_count/too-old-kernel-message
 * checks what it says instead.  1 when the test `name` can run. */
static int execve_count_runs_here(const char *name)
{
	char lacking[128];

	if (kfeature_has(KF_ATOMIC_FETCH) > 0)
		return 1;
	t_skip(name, "%s, so execve_count refuses to run (execve_count/too-old-kernel-message checks how)",
	       kfeature_lacking(KF_ATOMIC_FETCH, lacking, sizeof(lacking)));
	return 0;
}

/* Without BPF_FETCH: exit 1, one line on stderr naming Linux 5.12 and the
 * instruction, nothing on stdout, no program left loaded. */
static void test_execve_count_too_old(void)
{
	const char *name = "execve_count/too-old-kernel-message";
	char path[512], left[128];
	const char *argv[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000 };
	struct spawn_result r;
	uint32_t before = highest_prog_id();

	if (kfeature_has(KF_ATOMIC_FETCH) > 0) {
		t_skip(name, "this kernel has BPF_FETCH (Linux 5.12); the message is for kernels without");
		return;
	}
	tool_path(path, sizeof(path), "execve_count");
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code != 1)
		t_fail(name, "exit code %d, expected 1: %s", r.exit_code, r.err);
	else if (count_lines(r.err) != 1 || r.out[0] || !strstr(r.err, "Linux 5.12") || !strstr(r.err, "BPF_FETCH"))
		t_fail(name, "expected one line naming BPF_FETCH and Linux 5.12, got: %s%s", r.err, r.out);
	else if (programs_left_after(before, left, sizeof(left)))
		t_fail(name, "program %s still loaded after the tool exited", left);
	else {
		printf("# %s: %s", name, r.err);
		t_pass(name);
	}
	spawn_result_free(&r);
}

static int has_count_line(const char *out, void *ctx)
{
	(void)ctx;
	return strstr(out, "execve called ") != NULL;
}

/* --start 100, then one execve: the first count shown is 101. */
static void test_execve_count_start(const char *name, int perf)
{
	const char *argv[] = { "execve_count", "--start", "100", perf ? "--perf" : NULL, NULL };
	struct tool t;
	pid_t pid;
	char why[512];
	const char *unclean, *first;
	unsigned long long n = 0;

	if (!execve_count_runs_here(name))
		return;
	T_EXPECT(name, tool_start(&t, argv, why, sizeof(why)) == 0, "%s", why);
	if (exec_true(1, 0, &pid)) {
		tool_wait(&t, SIGINT);
		t_fail(name, "could not run /bin/true");
		goto out;
	}
	wait_for_output(&t, has_count_line, NULL);
	tool_wait(&t, SIGINT);
	unclean = unclean_exit(&t, why, sizeof(why));
	first = strstr(t.out, "execve called ");
	if (first)
		sscanf(first, "execve called %llu times", &n);
	if (unclean)
		t_fail(name, "%s", unclean);
	else if (!first)
		t_fail(name, "no \"execve called N times\" line after an execve: %.300s", t.out);
	else if (n != 101)
		t_fail(name, "the first count is %llu, expected 101: %.200s", n, first);
	else if (perf && strncmp(t.out, "execve called 101 times\n", 24) != 0)
		t_fail(name, "the first line is not \"execve called 101 times\": %.200s", t.out);
	else {
		printf("# %s: %d lines, the first: %.*s\n", name, count_lines(t.out),
		       (int)strcspn(t.out, "\n"), t.out);
		t_pass(name);
	}
out:
	tool_free(&t);
}

/* ---- read_trace ------------------------------------------------------------ */

struct read_check {
	pid_t pid;		/* the line we wait for: this pid, */
	unsigned fd;		/* fd, */
	unsigned long long count;	/* count and ret */
	int found;
	int other_pids;		/* lines from any other process */
	char first_other[160];
};

/* Lines "comm pid fd count ret". */
static void check_read_lines(const char *out, struct read_check *c)
{
	const char *line = out;

	c->found = c->other_pids = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		char comm[64];
		unsigned pid, fd;
		unsigned long long count;
		long long ret;

		if (sscanf(line, "%63s %u %u %llu %lld", comm, &pid, &fd, &count, &ret) == 5) {
			if ((pid_t)pid == c->pid && fd == c->fd && count == c->count &&
			    ret == (long long)c->count && strcmp(comm, my_comm) == 0)
				c->found++;
			if ((pid_t)pid != c->pid && !c->other_pids++)
				snprintf(c->first_other, sizeof(c->first_other), "%.*s",
					 (int)(end ? end - line : 100), line);
		}
		line = end ? end + 1 : NULL;
	}
}

static int read_line_arrived(const char *out, void *ctx)
{
	struct read_check *c = ctx;

	check_read_lines(out, c);
	return c->found > 0;
}

/* read(77, buf, 123) on /dev/zero in a child: a line "comm pid 77 123
 * 123".  With --pid, a second child reading read(78, buf, 321) at the
 * same time must not show up, nor anything else. */
static void test_read_trace(const char *name, int filter)
{
	struct reader target, other;
	struct read_check c = { .fd = 77, .count = 123 };
	char pid_text[16], why[512];
	const char *argv[] = { "read_trace", "--pid", pid_text, NULL };
	const char *unclean;
	struct tool t;

	T_EXPECT(name, reader_start(&target, 77, 123) == 0, "cannot start a reading child");
	if (reader_start(&other, 78, 321)) {
		reader_end(&target);
		t_fail(name, "cannot start a reading child");
		return;
	}
	c.pid = target.pid;
	snprintf(pid_text, sizeof(pid_text), "%d", (int)target.pid);
	if (!filter)
		argv[1] = NULL;
	if (tool_start(&t, argv, why, sizeof(why))) {
		reader_end(&target);
		reader_end(&other);
		t_fail(name, "%s", why);
		return;
	}
	if (reader_run(&other) || reader_run(&target)) {
		tool_wait(&t, SIGINT);
		t_fail(name, "a reading child failed");
		goto out;
	}
	wait_for_output(&t, read_line_arrived, &c);
	tool_wait(&t, SIGINT);
	check_read_lines(t.out, &c);
	unclean = unclean_exit(&t, why, sizeof(why));
	if (unclean)
		t_fail(name, "%s", unclean);
	else if (c.found != 1)
		t_fail(name, "%d lines \"%s %d 77 123 123\" in %d lines", c.found, my_comm, (int)c.pid,
		       count_lines(t.out));
	else if (filter && c.other_pids)
		t_fail(name, "--pid %d, yet %d lines from other processes, e.g. %s", (int)c.pid,
		       c.other_pids, c.first_other);
	else if (!filter && !c.other_pids)
		t_fail(name, "no lines from other processes without --pid (the second child read too)");
	else {
		printf("# %s: %d lines, %d from other processes\n", name, count_lines(t.out), c.other_pids);
		t_pass(name);
	}
out:
	reader_end(&target);
	reader_end(&other);
	tool_free(&t);
}

/* Until the tool prints a line: one more read by each thread for every
 * look at its output (the tool attaches while we wait); done too when
 * the child fails (f->broken). */
static int flood_reached_tool(const char *out, void *ctx)
{
	struct flood *f = ctx;

	return out[0] != '\0' || flood_burst(f, 1) != 0;
}

/* Two threads reading a byte at a time side by side, a ring of one page,
 * and the tool stopped while they read FLOOD_BURST bytes each:
 * received + lost == produced, lost > 0.  The tool is stopped only once
 * the reads reach it. */
static void test_read_trace_flood(void)
{
	const char *name = "read_trace/flood-exact-accounting";
	char pid_text[16], size[32], why[512];
	const char *argv[] = { "read_trace", "--stats", "--ringbuf-size", size, "--pid", pid_text, NULL };
	uint64_t received, lost, produced;
	const char *unclean;
	struct flood f;
	struct tool t;
	int flowing;

	T_EXPECT(name, flood_start(&f) == 0, "cannot start the reading child");
	snprintf(pid_text, sizeof(pid_text), "%d", (int)f.pid);
	snprintf(size, sizeof(size), "%ld", sysconf(_SC_PAGESIZE));
	if (tool_start(&t, argv, why, sizeof(why))) {
		flood_stop(&f);
		t_fail(name, "%s", why);
		return;
	}
	flowing = wait_for_output(&t, flood_reached_tool, &f) == 0 && !f.broken;
	kill(t.pid, SIGSTOP);
	if (flowing)
		flood_burst(&f, FLOOD_BURST);
	kill(t.pid, SIGCONT);
	flood_stop(&f);
	tool_wait(&t, SIGINT);
	unclean = unclean_exit(&t, why, sizeof(why));
	if (f.broken)
		t_fail(name, "the reading child failed after %" PRIu64 " reads", f.reads);
	else if (!flowing)
		t_fail(name, "none of the reading child's %" PRIu64 " reads reached the tool within %d s: %.200s",
		       f.reads, EVENT_TIMEOUT_MS / 1000, t.err);
	else if (unclean)
		t_fail(name, "%s", unclean);
	else if (parse_stats(t.err, &received, &lost, &produced))
		t_fail(name, "no \"received N, lost N (produced N)\" line: %s", t.err);
	else {
		printf("# %s: 2 threads made %d 1-byte reads each, %s-byte ring, the tool stopped: produced %" PRIu64
		       ", received %" PRIu64 ", lost %" PRIu64 "\n", name, FLOOD_BURST, size, produced,
		       received, lost);
		if (received + lost != produced)
			t_fail(name, "received %" PRIu64 " + lost %" PRIu64 " != produced %" PRIu64, received,
			       lost, produced);
		else if (received != (uint64_t)count_lines(t.out))
			t_fail(name, "received %" PRIu64 " events but printed %d lines", received,
			       count_lines(t.out));
		else if (produced < 2 * FLOOD_BURST)
			t_fail(name, "produced %" PRIu64 ", fewer than the %d reads made while the tool was stopped",
			       produced, 2 * FLOOD_BURST);
		else if (lost == 0)
			t_fail(name, "nothing was lost: the flood did not fill the ring");
		else
			t_pass(name);
	}
	tool_free(&t);
}

/* ---- clean exit -------------------------------------------------------------- */

/* Ctrl-C or SIGTERM: exit 0, and the tool's programs are gone. */
static void test_clean_exit(const char *tool, const char *option, int sig,
			    const char *const *prog_names)
{
	char name[96], why[512];
	const char *argv[] = { tool, option, NULL };
	const char *unclean;
	uint32_t before = highest_prog_id(), ids[8];
	struct tool t;
	int n, i;

	snprintf(name, sizeof(name), "%s/%s%s-detaches-everything", tool,
		 sig == SIGINT ? "sigint" : "sigterm", option ? option + 1 : "");
	if (strcmp(tool, "execve_count") == 0 && !execve_count_runs_here(name))
		return;
	T_EXPECT(name, tool_start(&t, argv, why, sizeof(why)) == 0, "%s", why);
	n = find_programs(before, prog_names, ids, 8);
	tool_wait(&t, sig);
	unclean = unclean_exit(&t, why, sizeof(why));
	if (unclean)
		t_fail(name, "%s", unclean);
	else if (n < 2)
		t_fail(name, "found %d of the tool's programs loaded while it ran, expected 2", n);
	else {
		for (i = 0; i < n; i++)
			if (!program_gone(ids[i]))
				break;
		if (i < n)
			t_fail(name, "program %u still loaded after the tool exited", ids[i]);
		else
			t_pass(name);
	}
	tool_free(&t);
}

/* Not root: one line saying so, a non-zero exit. */
static void test_not_root(const char *tool)
{
	char name[64], path[512];
	const char *argv[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = argv, .run_as_uid = 65534, .timeout_ms = 30000 };
	struct spawn_result r;

	snprintf(name, sizeof(name), "%s/not-root", tool);
	tool_path(path, sizeof(path), tool);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code == 0 || r.exit_code >= 126)
		t_fail(name, "exit code %d, expected a failure of the tool itself", r.exit_code);
	else if (count_lines(r.err) != 1 || !strstr(r.err, "run as root") || r.out[0])
		t_fail(name, "expected one line saying to run as root, got: %s", r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* -h: usage on stdout, exit 0; --duration ends a quiet run by itself. */
static void test_help_and_duration(const char *tool)
{
	char name[64], path[512];
	const char *help[] = { path, "--help", NULL };
	const char *timed[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = help, .timeout_ms = 60000 };
	struct spawn_result r1, r2;

	snprintf(name, sizeof(name), "%s/help-and-duration", tool);
	if (strcmp(tool, "execve_count") == 0 && !execve_count_runs_here(name))
		return;
	tool_path(path, sizeof(path), tool);
	T_EXPECT(name, spawn_run(&o, &r1) == 0, "cannot run %s", path);
	o.argv = timed;
	if (spawn_run(&o, &r2)) {
		spawn_result_free(&r1);
		t_fail(name, "cannot run %s", path);
		return;
	}
	if (r1.exit_code != 0 || !strstr(r1.out, "Usage: ") || r1.err[0])
		t_fail(name, "--help: exit code %d, stdout %.100s", r1.exit_code, r1.out);
	else if (r2.exit_code != 0 || r2.timed_out || !strstr(r2.err, "Hit Ctrl-C to end."))
		t_fail(name, "--duration 1: exit code %d%s: %.200s", r2.exit_code,
		       r2.timed_out ? " (timed out)" : "", r2.err);
	else
		t_pass(name);
	spawn_result_free(&r1);
	spawn_result_free(&r2);
}

/* ---- tracepoint format files --------------------------------------------- */

static void test_format_known_fields(void)
{
	const char *name = "tracepoint_format/syscall-read-fields";
	struct bl_tp_format *enter = malloc(sizeof(*enter)), *exit_fmt = malloc(sizeof(*exit_fmt));
	const struct bl_tp_field *fd, *count, *ret, *type, *pid;
	struct bl_err err = { 0, "" };
	int id;

	if (!enter || !exit_fmt) {
		t_fail(name, "out of memory");
		goto out;
	}
	if (bl_tp_format_read("syscalls", "sys_enter_read", enter, &err) ||
	    bl_tp_format_read("syscalls", "sys_exit_read", exit_fmt, &err) ||
	    bl_tp_format_scalar(enter, "fd", &fd, &err) || bl_tp_format_scalar(enter, "count", &count, &err) ||
	    bl_tp_format_scalar(exit_fmt, "ret", &ret, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	id = bl_tracepoint_id("syscalls", "sys_enter_read", &err);
	type = bl_tp_format_field(enter, "common_type");
	pid = bl_tp_format_field(enter, "common_pid");
	if (strcmp(enter->name, "sys_enter_read") != 0 || id < 0 || enter->id != (uint32_t)id)
		t_fail(name, "name %s, id %u; the id file says %d", enter->name, enter->id, id);
	else if (!type || type->offset != 0 || type->size != 2 || !type->is_common ||
		 !pid || pid->offset != 4 || pid->size != 4 || pid->is_signed != 1)
		t_fail(name, "the common header is not {u16 type at 0, ..., s32 pid at 4}");
	else if (fd->offset < 8 || fd->size < 4 || count->size != sizeof(long) || ret->is_signed != 1 ||
		 count->offset + count->size > enter->record_size)
		t_fail(name, "implausible fields: fd at %u (%u bytes), count at %u (%u), ret signed %d",
		       fd->offset, fd->size, count->offset, count->size, ret->is_signed);
	else {
		printf("# %s: fd at %u (%u bytes, \"%s\"), count at %u (%u), ret at %u (%u, signed)\n", name,
		       fd->offset, fd->size, fd->type, count->offset, count->size, ret->offset, ret->size);
		t_pass(name);
	}
out:
	free(enter);
	free(exit_fmt);
}

/* Every format file of this kernel parses. */
/* How many "field:" lines of format file path declare a field called
 * field ("field:TYPE NAME;" or "field:TYPE NAME[N];"), read without the
 * parser under test. */
static int fields_named(const char *path, const char *field)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t len = strlen(field);
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char *decl = strstr(line, "field:"), *end = decl ? strchr(decl, ';') : NULL, *p;

		if (!end)
			continue;
		*end = '\0';
		p = strrchr(decl, ' ');		/* "__data_loc char[] name": the name is last */
		if (!p)
			continue;
		p[strcspn(p, "[")] = '\0';	/* "char comm[16]": the name is before [N] */
		if (strlen(p + 1) == len && strncmp(p + 1, field, len) == 0)
			n++;
	}
	if (f)
		fclose(f);
	return n;
}

/* Every format file of this kernel must parse.  The one exception is a
 * file the kernel itself gets wrong: two fields of one name (5.10's
 * regmap/regcache_sync has a string "type" and an int "type"), which the
 * parser must refuse, since a lookup by name could not know which one is
 * meant; such refusals are checked against the file and listed. */
static void test_format_every_tracepoint(void)
{
	const char *name = "tracepoint_format/every-format-file-parses";
	char dir[BL_PATH_MAX], first_bad[400] = "", kernel_dups[400] = "";
	struct bl_tp_format *fmt = malloc(sizeof(*fmt));
	struct bl_err err = { 0, "" };
	int ok = 0, bad = 0, fields = 0, dups = 0;
	struct dirent *cat;
	DIR *events;

	T_EXPECT(name, fmt, "out of memory");
	if (bl_tracefs_dir(dir, &err)) {
		t_fail(name, "%s", err.msg);
		free(fmt);
		return;
	}
	strncat(dir, "/events", sizeof(dir) - strlen(dir) - 1);
	events = opendir(dir);
	while (events && (cat = readdir(events))) {
		char path[BL_PATH_MAX * 2];
		struct dirent *ev;
		DIR *d;

		if (cat->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, cat->d_name);
		d = opendir(path);
		while (d && (ev = readdir(d))) {
			if (ev->d_name[0] == '.' || ev->d_type != DT_DIR)
				continue;
			char file[sizeof(path) + sizeof(ev->d_name) + 8], dup[64];
			const char *second;

			if (bl_tp_format_read(cat->d_name, ev->d_name, fmt, &err) == 0) {
				ok++;
				fields += (int)fmt->field_cnt;
				continue;
			}
			snprintf(file, sizeof(file), "%s/%s/format", path, ev->d_name);
			second = strstr(err.msg, "a second field called ");
			if (second && sscanf(second, "a second field called %63s", dup) == 1 &&
			    fields_named(file, dup) >= 2) {
				if (!dups++)
					snprintf(kernel_dups, sizeof(kernel_dups), "%.120s/%.120s (two fields called %s)",
						 cat->d_name, ev->d_name, dup);
			} else if (!bad++) {
				snprintf(first_bad, sizeof(first_bad), "%s", err.msg);
			}
		}
		if (d)
			closedir(d);
	}
	if (events)
		closedir(events);
	if (!events)
		t_fail(name, "cannot list %s", dir);
	else if (bad)
		t_fail(name, "%d of %d format files refused, e.g. %s", bad, ok + bad + dups, first_bad);
	else if (ok < 100)
		t_fail(name, "only %d format files found in %s", ok, dir);
	else {
		printf("# %s: %d tracepoints, %d fields", name, ok, fields);
		if (dups)
			printf("; %d refused for the kernel's own duplicate field names: %s", dups, kernel_dups);
		printf("\n");
		t_pass(name);
	}
	free(fmt);
}

static const char good_format[] =
	"name: sys_enter_read\n"
	"ID: 842\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:24;\tsize:16;\tsigned:0;\n"
	"\tfield:__data_loc char[] name;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"fd: 0x%08lx\", ((unsigned long)(REC->fd))\n";

/* Malformed text: an error naming the line, never a crash or a partial
 * result; every truncation of a good file either parses or is refused. */
static void test_format_refusals(void)
{
	static const struct {
		const char *text;
		int code;
		const char *says;
	} cases[] = {
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\n\tfield:int a;\toffset:4;\tsize:4;\n",
		  EINVAL, "line 5: a second field called a" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:4294967296;\tsize:4;\n", EINVAL, "line 4" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:65534;\tsize:4;\n", EINVAL, "past any record" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:-1;\tsize:4;\n", EINVAL, "bad offset" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\tsize:4;\n", EINVAL, "has no offset" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a\toffset:0;\tsize:4;\n", EINVAL, "line 4" },
		{ "name: x\nID: 1\nformat:\n\tfield:a;\toffset:0;\tsize:4;\n", EINVAL, "type and name" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a];\toffset:0;\tsize:4;\n", EINVAL, "without" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:2;\n", EINVAL, "bad signed" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a;\toffset 0;\tsize:4;\n", EINVAL, "key:value" },
		{ "name: x\nID: 1\n\tfield:int a;\toffset:0;\tsize:4;\n", EINVAL, "before the \"format:\"" },
		{ "name: x\nID: one\n", EINVAL, "bad ID" },
		{ "ID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\n", EINVAL, "no \"name:\"" },
		{ "name: x\nID: 1\nformat:\n", EINVAL, "no fields" },
		{ "hello\n", EINVAL, "line 1: unexpected" },
		{ "name: x\nID: 1\nformat:\n\tfield:int a\0b;\toffset:0;\tsize:4;\n", EINVAL, "NUL" },
	};
	const char *name = "tracepoint_format/malformed-refused";
	struct bl_tp_format *fmt = malloc(sizeof(*fmt));
	char big[8192];
	size_t i, len, used;
	int parsed = 0;

	T_EXPECT(name, fmt, "out of memory");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bl_err err = { 0, "" };
		size_t n = strlen(cases[i].text);

		if (strstr(cases[i].says, "NUL"))
			n += 1 + strlen(cases[i].text + n + 1);
		if (bl_tp_format_parse(cases[i].text, n, fmt, &err) != -cases[i].code ||
		    !strstr(err.msg, cases[i].says)) {
			t_fail(name, "case %zu: got %d \"%s\", expected -%d and \"%s\"", i, -err.code, err.msg,
			       cases[i].code, cases[i].says);
			goto out;
		}
	}
	/* more fields than we keep */
	used = (size_t)snprintf(big, sizeof(big), "name: x\nID: 1\nformat:\n");
	for (i = 0; i <= BL_TP_FIELDS_MAX && used < sizeof(big) - 64; i++)
		used += (size_t)snprintf(big + used, sizeof(big) - used,
					 "\tfield:int f%zu;\toffset:%zu;\tsize:4;\tsigned:1;\n", i, 4 * i);
	{
		struct bl_err err = { 0, "" };

		if (bl_tp_format_parse(big, used, fmt, &err) != -E2BIG) {
			t_fail(name, "%d fields were not refused: %s", BL_TP_FIELDS_MAX + 1, err.msg);
			goto out;
		}
	}
	/* the good file, and every prefix of it */
	for (len = 0; len <= sizeof(good_format) - 1; len++) {
		struct bl_err err = { 0, "" };
		int ret = bl_tp_format_parse(good_format, len, fmt, &err);

		if (ret == 0)
			parsed++;
		else if (ret != -EINVAL || !err.msg[0]) {
			t_fail(name, "prefix of %zu bytes: %d without a message", len, ret);
			goto out;
		}
	}
	if (bl_tp_format_parse(good_format, sizeof(good_format) - 1, fmt, NULL) != 0 || fmt->field_cnt != 5 ||
	    !bl_tp_format_field(fmt, "comm") || bl_tp_format_field(fmt, "comm")->array_len != 16 ||
	    !bl_tp_format_field(fmt, "name") || !bl_tp_format_field(fmt, "name")->is_data_loc ||
	    fmt->record_size != 44)
		t_fail(name, "the good file was not read right");
	else if (parsed < 2)
		t_fail(name, "only %d prefixes parsed", parsed);
	else
		t_pass(name);
out:
	free(fmt);
}

static void test_format_scalar_refusals(void)
{
	const char *name = "tracepoint_format/non-scalar-fields-refused";
	struct bl_tp_format *fmt = malloc(sizeof(*fmt));
	const struct bl_tp_field *f;
	struct bl_err e1 = { 0, "" }, e2 = { 0, "" }, e3 = { 0, "" };

	T_EXPECT(name, fmt, "out of memory");
	if (bl_tp_format_parse(good_format, sizeof(good_format) - 1, fmt, &e1)) {
		t_fail(name, "%s", e1.msg);
	} else if (bl_tp_format_scalar(fmt, "nope", &f, &e1) != -ENOENT || !strstr(e1.msg, "fd, comm, name")) {
		t_fail(name, "a missing field: %s", e1.msg);
	} else if (bl_tp_format_scalar(fmt, "comm", &f, &e2) != -EINVAL || !strstr(e2.msg, "char[16]")) {
		t_fail(name, "an array: %s", e2.msg);
	} else if (bl_tp_format_scalar(fmt, "name", &f, &e3) != -EINVAL || !strstr(e3.msg, "__data_loc")) {
		t_fail(name, "a __data_loc field: %s", e3.msg);
	} else if (bl_tp_format_read("syscalls", "no_such_tracepoint", fmt, &e1) != -ENOENT ||
		   !strstr(e1.msg, "does not exist") || bl_tp_format_read("..", "x", fmt, &e2) != -EINVAL) {
		t_fail(name, "a missing tracepoint or a path: %s / %s", e1.msg, e2.msg);
	} else {
		t_pass(name);
	}
	free(fmt);
}

int main(int argc, char **argv)
{
	static const char *const hello_progs[] = { "hello_perf", "hello_ringbuf", NULL };
	static const char *const count_progs[] = { "execve_printk", "execve_perf", NULL };
	static const char *const read_progs[] = { "read_enter", "read_exit", NULL };
	struct ktest_options opts;
	int fd;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	/* the tools run from "/": their path must not be relative */
	bindir = realpath(opts.bindir, NULL);
	if (!bindir) {
		printf("FAIL event-tools/setup: --bindir %s: %s\n", opts.bindir, strerror(errno));
		return 1;
	}
	if (geteuid() != 0) {
		printf("SKIP event-tools: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	fd = open("/proc/self/comm", O_RDONLY);
	if (fd < 0 || pread(fd, my_comm, sizeof(my_comm) - 1, 0) <= 0)
		snprintf(my_comm, sizeof(my_comm), "?");
	my_comm[strcspn(my_comm, "\n")] = '\0';
	if (fd >= 0)
		close(fd);

	test_format_known_fields();
	test_format_every_tracepoint();
	test_format_refusals();
	test_format_scalar_refusals();

	test_not_root("hello_buffer");
	test_not_root("execve_count");
	test_not_root("read_trace");
	test_help_and_duration("hello_buffer");
	test_help_and_duration("execve_count");
	test_help_and_duration("read_trace");

	test_hello_execs("hello_buffer/perf-20-execs-as-uid-65534", 0);
	test_hello_execs("hello_buffer/ringbuf-20-execs-as-uid-65534", 1);
	test_hello_flood("hello_buffer/perf-flood-exact-accounting", 0);
	test_hello_flood("hello_buffer/ringbuf-flood-exact-accounting", 1);

	test_execve_count_too_old();
	test_execve_count_start("execve_count/start-100-trace_pipe-says-101", 0);
	test_execve_count_start("execve_count/start-100-perf-says-101", 1);

	test_read_trace("read_trace/read-123-bytes-of-dev-zero", 0);
	test_read_trace("read_trace/pid-filter-in-kernel", 1);
	test_read_trace_flood();

	test_clean_exit("hello_buffer", NULL, SIGINT, hello_progs);
	test_clean_exit("hello_buffer", "--ringbuf", SIGTERM, hello_progs);
	test_clean_exit("execve_count", NULL, SIGTERM, count_progs);
	test_clean_exit("execve_count", "--perf", SIGINT, count_progs);
	test_clean_exit("read_trace", NULL, SIGINT, read_progs);
	test_clean_exit("read_trace", "--stats", SIGTERM, read_progs);
	return t_exit_code();
}
