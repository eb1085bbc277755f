// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_course.c - the course's first program, built against the
 * vmlinux.h that "bpfload btf dump" wrote (tests/course/course_execve.bpf.c),
 * run by bpfload on the running kernel.
 *
 * One process makes a known number of execve() calls: this binary runs
 * itself again and again with "--exec-chain N", which keeps the pid, so
 * the program's per-process count must be exactly N, whatever else the
 * machine runs meanwhile.  The program also keeps ctx->id and the file
 * name from ctx->args[0]: the header's struct trace_event_raw_sys_enter
 * must put them where the kernel does.  bpfload prints the map when it
 * stops.
 *
 * The course's kprobe on blk_mq_start_request() (course_blk.bpf.c) runs
 * where there are kprobes and a disk to read: the qemu guests, which get
 * a virtio disk (/dev/vda) for it.  Its start times must fall inside the
 * window in which this test read the disk, nothing else using that disk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfload/attach.h>

#include "../testlib.h"
#include "embedded.h"
#include "kernel_state.h"
#include "ktest_options.h"

EMBEDDED_OBJECT(course_execve_bpf);
#ifdef HAVE_COURSE_BLK
EMBEDDED_OBJECT(course_blk_bpf);
#endif

#define EXECS 20
#define SELF "/proc/self/exe"

static struct ktest_options opts;

/* The chain: exec ourselves until n reaches 0, always in one process. */
static int exec_chain(const char *argv0, const char *count)
{
	long n = strtol(count, NULL, 10);
	char next[24];

	if (n <= 0)
		return 0;
	snprintf(next, sizeof(next), "%ld", n - 1);
	execl(SELF, argv0, "--exec-chain", next, (char *)NULL);
	return 1;
}

struct run {
	pid_t pid;
	int err_fd;		/* bpfload's stderr, read as it comes */
	char out_path[64];	/* its stdout, a file */
	char err[8192];
	size_t err_len;
};

/* Read bpfload's stderr until `line` appears, it exits, or timeout. */
static int wait_for(struct run *r, const char *line, int timeout_ms)
{
	struct pollfd p = { .fd = r->err_fd, .events = POLLIN };

	while (!strstr(r->err, line)) {
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		n = read(r->err_fd, r->err + r->err_len, sizeof(r->err) - 1 - r->err_len);
		if (n <= 0)
			return -1;
		r->err_len += (size_t)n;
		r->err[r->err_len] = '\0';
	}
	return 0;
}

static int start_bpfload(struct run *r, const char *obj)
{
	char path[512];
	int errp[2], out;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/bpfload", opts.bindir);
	snprintf(r->out_path, sizeof(r->out_path), "/tmp/ktest_course.out.XXXXXX");
	out = mkstemp(r->out_path);
	if (out < 0 || pipe(errp))
		return -1;
	r->pid = fork();
	if (r->pid == 0) {
		dup2(out, 1);
		dup2(errp[1], 2);
		execl(path, "bpfload", "--duration", "30", obj, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(out);
	close(errp[1]);
	r->err_fd = errp[0];
	return r->pid < 0 ? -1 : 0;
}

/* The rest of bpfload's stderr, until it closes it. */
static void read_rest(struct run *r, int timeout_ms)
{
	struct pollfd p = { .fd = r->err_fd, .events = POLLIN };
	char sink[4096];

	while (poll(&p, 1, timeout_ms) > 0) {
		size_t room = sizeof(r->err) - 1 - r->err_len;
		ssize_t n = read(r->err_fd, room ? r->err + r->err_len : sink, room ? room : sizeof(sink));

		if (n <= 0)
			return;
		if (room) {
			r->err_len += (size_t)n;
			r->err[r->err_len] = '\0';
		}
	}
}

/* Stop bpfload (Ctrl-C), collect the rest of stderr and its stdout. */
static int stop_bpfload(struct run *r, char **out)
{
	size_t size = 0;
	int status = 0;
	FILE *f;

	kill(r->pid, SIGINT);
	read_rest(r, 10000);
	waitpid(r->pid, &status, 0);
	close(r->err_fd);
	*out = NULL;
	f = fopen(r->out_path, "r");
	if (f && getdelim(out, &size, '\0', f) < 0) {
		free(*out);
		*out = NULL;
	}
	if (f)
		fclose(f);
	unlink(r->out_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static pid_t run_chain(const char *argv0)
{
	char count[16];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(count, sizeof(count), "%d", EXECS - 1);
		execl(SELF, argv0, "--exec-chain", count, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return pid;
}

static int write_object(char *path, size_t size, const unsigned char *obj, size_t len)
{
	int fd;

	snprintf(path, size, "/tmp/course_obj.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, obj, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* trace_pipe admits one reader, and bpfload streams it: another test
 * holding it makes bpfload stop; try again a few times. */
static int trace_pipe_busy(const struct run *r)
{
	return strstr(r->err, "another process is reading") != NULL;
}

static void test_execve_counter(const char *argv0)
{
	const char *name = "course/execve-counter-with-our-vmlinux.h";
	char obj[64], want[256], *out = NULL;
	uint32_t before = highest_prog_id();
	int attempt, code = -1, started;
	pid_t chain = -1;
	struct run r;

	T_EXPECT(name, write_object(obj, sizeof(obj), course_execve_bpf, EMBEDDED_SIZE(course_execve_bpf)) == 0, "cannot write the object to /tmp: %s", strerror(errno));
	for (attempt = 0; attempt < 10; attempt++) {
		free(out);
		out = NULL;
		if (start_bpfload(&r, obj)) {
			t_fail(name, "cannot start bpfload: %s", strerror(errno));
			goto out;
		}
		/* bpfload says so once its programs are attached */
		started = wait_for(&r, "Hit Ctrl-C to end.", 30000) == 0;
		chain = started ? run_chain(argv0) : -1;
		code = stop_bpfload(&r, &out);
		if (!trace_pipe_busy(&r))
			break;
		sleep(3);
	}
	snprintf(want, sizeof(want), "key %d  value {calls=%d, syscall_nr=%d, filename=\"%s\"}",
		 (int)chain, EXECS, (int)SYS_execve, SELF);
	if (trace_pipe_busy(&r))
		t_fail(name, "trace_pipe stayed busy (another reader) for %d tries; rerun", attempt);
	else if (!started)
		t_fail(name, "bpfload did not start tracing (exit %d): %s", code, r.err);
	else if (chain < 0)
		t_fail(name, "the exec chain failed");
	else if (code != 0)
		t_fail(name, "bpfload exited with %d: %s", code, r.err);
	else if (!out || !strstr(out, "map execve_by_tgid (hash):"))
		t_fail(name, "bpfload printed no execve_by_tgid map: %s", out ? out : "");
	else if (!strstr(out, want))
		t_fail(name, "no \"%s\" in bpfload's map dump: %s", want, strstr(out, "map execve_by_tgid"));
	else if (programs_left_after(before, want, sizeof(want)))
		t_fail(name, "program %s still loaded after bpfload exited", want);
	else
		t_pass(name);
out:
	free(out);
	unlink(obj);
}

/* ---- the kprobe on blk_mq_start_request ------------------------------- */

#define DISK "/dev/vda"
#define DISK_READS 16

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* DISK_READS reads of 4 KiB at different places, O_DIRECT so that each
 * one is a request to the driver and none is served from the page cache. */
static int read_disk(void)
{
	void *buf;
	int fd, i, ret = 0;

	fd = open(DISK, O_RDONLY | O_DIRECT);
	if (fd < 0)
		return -1;
	if (posix_memalign(&buf, 4096, 4096)) {
		close(fd);
		return -1;
	}
	for (i = 0; i < DISK_READS && !ret; i++)
		if (pread(fd, buf, 4096, (off_t)i * 1024 * 1024) != 4096)
			ret = -1;
	free(buf);
	close(fd);
	return ret;
}

/* Is there a disk and a kprobe to try it with?  1, or 0 after the skip. */
static int blk_test_possible(const char *name)
{
	if (!bl_kprobes_available()) {
		if (opts.expect_kprobes)
			t_fail(name, "this kernel should have kprobes but has neither the kprobe PMU nor kprobe_events");
		else
			t_skip(name, "this kernel has no kprobes (CONFIG_KPROBES is off)");
		return 0;
	}
	if (access(DISK, R_OK)) {
		if (opts.in_guest)
			t_fail(name, "no %s in the guest: tests/vm/run-vm.sh attaches a virtio disk and init.sh loads its modules (%s)",
			       DISK, strerror(errno));
		else
			t_skip(name, "no %s to read: the qemu guests have one (tests/vm/run-vm.sh)", DISK);
		return 0;
	}
	return 1;
}

/* The values of bpfload's dump of start_times: 0 when all are found. */
static int parse_times(const char *out, unsigned long long *requests, unsigned long long *first,
		       unsigned long long *last, unsigned long long *zero)
{
	const char *v = out ? strstr(out, "value {requests=") : NULL;

	if (!v)
		return -1;
	return sscanf(v, "value {requests=%llu, first_start=%llu, last_start=%llu, zero_starts=%llu}",
		      requests, first, last, zero) == 4 ? 0 : -1;
}

static void test_blk_start_times(void)
{
	const char *name = "course/kprobe-blk_mq_start_request-start-times";
#ifdef HAVE_COURSE_BLK
	unsigned long long requests, first, last, zero;
	uint32_t before = highest_prog_id();
	char obj[64], left[256], *out = NULL;
	uint64_t t0 = 0, t1 = 0;
	int code, started, io = -1;
	struct run r;

	if (!blk_test_possible(name))
		return;
	T_EXPECT(name, write_object(obj, sizeof(obj), course_blk_bpf, EMBEDDED_SIZE(course_blk_bpf)) == 0,
		 "cannot write the object to /tmp: %s", strerror(errno));
	if (start_bpfload(&r, obj)) {
		t_fail(name, "cannot start bpfload: %s", strerror(errno));
		unlink(obj);
		return;
	}
	started = wait_for(&r, "Hit Ctrl-C to end.", 30000) == 0;
	if (started) {
		t0 = monotonic_ns();
		io = read_disk();
		t1 = monotonic_ns();
	}
	code = stop_bpfload(&r, &out);
	if (!started)
		t_fail(name, "bpfload did not start tracing (exit %d): %s", code, r.err);
	else if (io)
		t_fail(name, "reading %s failed: %s", DISK, strerror(errno));
	else if (code != 0)
		t_fail(name, "bpfload exited with %d: %s", code, r.err);
	else if (parse_times(out, &requests, &first, &last, &zero))
		t_fail(name, "no start_times dump in bpfload's output: %s", out ? out : "");
	else if (!strstr(out, "request started at "))
		t_fail(name, "the program's bpf_printk() lines did not reach bpfload's output: %s", out);
	else if (requests != DISK_READS)	/* O_DIRECT: one request per read; nothing else uses the disk */
		t_fail(name, "%llu requests seen for %d reads of %s", requests, DISK_READS, DISK);
	else if (zero)
		t_fail(name, "%llu of %llu requests had start_time_ns 0", zero, requests);
	else if (first < t0 || last > t1)
		t_fail(name, "start times %llu..%llu fall outside the reads' window %llu..%llu: a wrong field offset?",
		       first, last, (unsigned long long)t0, (unsigned long long)t1);
	else if (programs_left_after(before, left, sizeof(left)))
		t_fail(name, "program %s still loaded after bpfload exited", left);
	else {
		printf("# %s: %llu requests for %d reads, started %llu..%llu ns after the reads began\n",
		       name, requests, DISK_READS, first - t0, last - t0);
		t_pass(name);
	}
	free(out);
	unlink(obj);
#else
	t_skip(name, "course_blk.bpf.o is built for x86_64 only: our vmlinux.h comes from this machine's x86_64 BTF, "
		     "which has no arm64 struct user_pt_regs for BPF_KPROBE()");
#endif
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--exec-chain") == 0)
		return exec_chain(argv[0], argv[2]);
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		t_skip("course/execve-counter-with-our-vmlinux.h", "not root: loading BPF programs needs root");
		t_skip("course/kprobe-blk_mq_start_request-start-times", "not root: loading BPF programs needs root");
		return 0;
	}
	test_execve_counter(argv[0]);
	test_blk_start_times();
	return t_exit_code();
}
