// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_faults.c - bpfload out of resources, on a real kernel: out of file
 * descriptors (ulimit -n, swept until all programs load), a small
 * RLIMIT_MEMLOCK without CAP_SYS_RESOURCE, a memory cgroup at its limit;
 * and pins: a set failing midway is taken back, the incomplete set a
 * killed run leaves is reported and left alone.  Each failure must be one
 * clear line naming the resource and what to try.  Capabilities, missing
 * file systems and lockdown are ktest_privileges.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "../testlib.h"
#include "fault_run.h"
#include "ktest_options.h"
#include "spawn.h"
#include "sys/bpf_syscall.h"

static struct ktest_options opts;

/* Run out of file descriptors (ulimit -n 5: stdin, stdout, stderr, the
 * object's BTF, one map): the error says so and what to do. */
static void test_out_of_fds(void)
{
	const char *name = "faults/out-of-file-descriptors";
	char obj[512], tool[512], script[1200];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000 };
	struct spawn_result r;

	fault_object_path(&opts, obj, sizeof(obj), "profile.bpf.o");
	fault_tool_path(&opts, tool, sizeof(tool));
	snprintf(script, sizeof(script), "ulimit -n 5 && exec '%s' --load-only '%s'", tool, obj);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run /bin/sh");
	if (r.exit_code == 0)
		t_fail(name, "loaded with 5 file descriptors: %s", r.out);
	else if (!strstr(r.err, "EMFILE") || !strstr(r.err, "ulimit -n") || strstr(r.err, "BTF types"))
		t_fail(name, "unclear message: %s", r.err);
	else if (count_lines(r.err) != 1)
		t_fail(name, "more than one line: %s", r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* One limit of the sweep below: 1 if it loaded everything, 0 if it failed
 * as it should (the reason once, no verifier log, the programs after the
 * failed one not tried), -1 after reporting a failure.  The shell cannot
 * redirect under such a limit (it saves descriptors above 10), so stdout
 * and stderr are joined here. */
static int out_of_fds_at(const char *name, int limit, int *program_stage)
{
	char obj[512], tool[512], script[1200], all[16384];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000 };
	struct spawn_result r;
	int ret = -1;

	fault_object_path(&opts, obj, sizeof(obj), "probes.bpf.o");
	fault_tool_path(&opts, tool, sizeof(tool));
	snprintf(script, sizeof(script), "ulimit -n %d && exec '%s' --load-only '%s'", limit, tool, obj);
	if (spawn_run(&o, &r) != 0) {
		t_fail(name, "cannot run /bin/sh");
		return -1;
	}
	snprintf(all, sizeof(all), "%s%s", r.out, r.err);
	if (r.exit_code == 0 && !strstr(all, "EMFILE"))
		ret = 1;
	else if (r.exit_code == 0)
		t_fail(name, "ulimit -n %d: exit code 0 after EMFILE: %s", limit, all);
	else if (count_of(all, "out of file descriptors") != 1 || count_of(all, "ulimit -n") != 1)
		t_fail(name, "ulimit -n %d: the reason not said exactly once: %s", limit, all);
	else if (strstr(all, "verifier"))
		t_fail(name, "ulimit -n %d: blames the verifier: %s", limit, all);
	else if (strstr(all, "loading program") && count_of(r.out, " ok\n") + count_of(r.out, " not tried\n") != 3)
		t_fail(name, "ulimit -n %d: more than one of the four programs failed: %s", limit, all);
	else {
		*program_stage |= strstr(all, "loading program") != NULL;
		ret = 0;
	}
	spawn_result_free(&r);
	return ret;
}

/* From too few descriptors for the first map up to enough for all four
 * programs: each limit that fails says EMFILE once, and never as the
 * verifier's rejection (the verifier accepts; the descriptor is missing). */
static void test_out_of_fds_sweep(void)
{
	const char *name = "faults/out-of-file-descriptors-while-loading-programs";
	int limit, ret = 0, program_stage = 0;

	for (limit = 4; limit < 32 && ret == 0; limit++)
		ret = out_of_fds_at(name, limit, &program_stage);
	if (ret < 0)
		return;
	if (ret == 0)
		t_fail(name, "still out of file descriptors with ulimit -n 31");
	else if (!program_stage)
		t_fail(name, "no limit failed while loading programs (maps, then all four loaded at ulimit -n %d)",
		       limit - 1);
	else {
		printf("# %s: all four programs load from ulimit -n %d\n", name, limit - 1);
		t_pass(name);
	}
}

/*
 * RLIMIT_MEMLOCK at 0 for root without CAP_SYS_RESOURCE (so the loader
 * cannot raise it): before 5.11 every map is charged to it and the first
 * one fails with EPERM, which must be told from a missing capability;
 * since 5.11 the limit plays no part and everything loads.
 */
static void test_small_memlock(void)
{
	const char *name = "faults/small-memlock-limit";
	char obj[512], tool[512], script[1200];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000, .limit_caps = 1,
				   .caps = ALL_CAPS & ~CAP(CAP_SYS_RESOURCE) };
	struct spawn_result r;

	fault_object_path(&opts, obj, sizeof(obj), "probes.bpf.o");
	fault_tool_path(&opts, tool, sizeof(tool));
	snprintf(script, sizeof(script), "ulimit -l 0 && exec '%s' --load-only '%s'", tool, obj);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run /bin/sh");
	if (fault_kernel_version() >= 511) {
		if (r.exit_code != 0)
			t_fail(name, "since 5.11 RLIMIT_MEMLOCK plays no part, yet: exit code %d: %s%s", r.exit_code,
			       r.out, r.err);
		else
			t_pass(name);
	} else if (r.exit_code != 1 || count_lines(r.err) != 1 || !strstr(r.err, "RLIMIT_MEMLOCK") ||
		   !strstr(r.err, "ulimit -l unlimited")) {
		t_fail(name, "exit code %d; expected one line naming RLIMIT_MEMLOCK: %s%s", r.exit_code, r.out, r.err);
	} else {
		t_pass(name);
	}
	spawn_result_free(&r);
}

/* A new memory cgroup limited to limit bytes, v2 or v1, its cgroup.procs
 * in procs; 0, or -1 with the reason in why. */
static int make_memory_cgroup(char *dir, size_t dir_size, char *procs, size_t procs_size, const char *limit,
			      char *why, size_t why_size)
{
	char text[256] = "", file[600];
	int fd = open("/sys/fs/cgroup/cgroup.controllers", O_RDONLY | O_CLOEXEC);
	const char *limit_file = "memory.max";

	if (fd >= 0) {
		ssize_t n = read(fd, text, sizeof(text) - 1);

		text[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	if (strstr(text, "memory")) {
		fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "+memory", 7) != 7) {
			snprintf(why, why_size, "cannot enable the memory controller for children of /sys/fs/cgroup: %s",
				 strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		snprintf(dir, dir_size, "/sys/fs/cgroup/bl-faults-%d", (int)getpid());
	} else if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0) {
		snprintf(dir, dir_size, "/sys/fs/cgroup/memory/bl-faults-%d", (int)getpid());
		limit_file = "memory.limit_in_bytes";
	} else {
		snprintf(why, why_size, "no memory cgroup controller is mounted (neither cgroup2 with memory at /sys/fs/cgroup nor v1 at /sys/fs/cgroup/memory)");
		return -1;
	}
	if (mkdir(dir, 0755) < 0) {
		snprintf(why, why_size, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(file, sizeof(file), "%s/%s", dir, limit_file);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, limit, strlen(limit)) != (ssize_t)strlen(limit)) {
		snprintf(why, why_size, "cannot write %.180s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		rmdir(dir);
		return -1;
	}
	close(fd);
	snprintf(procs, procs_size, "%s/cgroup.procs", dir);
	return 0;
}

/*
 * A memory cgroup of 8 MiB and a 32 MiB array (faults.bpf.o): since 5.11
 * the map is charged to the cgroup and creating it fails with ENOMEM,
 * said once as the cgroup's limit; before, the cgroup does not see it.
 */
static void test_memory_cgroup_limit(void)
{
	const char *name = "faults/memory-cgroup-limit";
	char dir[128], procs[160], why[256];
	struct run run = { .o = { .cgroup_procs = procs }, .args = { "--load-only", "faults.bpf.o" }, .obj_arg = 1 };

	if (make_memory_cgroup(dir, sizeof(dir), procs, sizeof(procs), "8388608", why, sizeof(why))) {
		t_skip(name, "%s", why);
		return;
	}
	if (run_tool(&opts, &run) != 0) {
		t_fail(name, "cannot run bpfload");
	} else if (fault_kernel_version() < 511) {
		if (run.r.exit_code != 0)
			t_fail(name, "before 5.11 the cgroup does not hold BPF memory, yet: exit code %d: %s%s",
			       run.r.exit_code, run.r.out, run.r.err);
		else
			t_pass(name);
	} else if (count_lines(run.r.err) != 1 || strstr(run.r.err, "BTF types")) {
		t_fail(name, "expected one line: %s", run.r.err);
	} else {
		expect_failure(name, &run, (const char *const[]){ "creating map pages", "ENOMEM", "memory cgroup", NULL });
	}
	if (rmdir(dir) < 0)
		t_fail(name, "cannot remove %s: %s", dir, strerror(errno));
	spawn_result_free(&run.r);
}

/* rm -r of a pin directory (bpffs holds no files of ours, only pins). */
static void remove_tree(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
}

static int is_there(const char *dir, const char *rel)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return access(path, F_OK) == 0;
}

/*
 * A set of pins that fails midway is taken back: root without
 * CAP_DAC_OVERRIDE cannot pin into a progs/ directory of mode 0555, after
 * the maps are pinned; those map pins must be gone again.
 */
static void test_pin_undone(void)
{
	const char *name = "faults/pin-undone-when-one-fails";
	char dir[64], progs[96];
	struct run run = { .o = { .limit_caps = 1, .caps = ALL_CAPS & ~CAP(CAP_DAC_OVERRIDE) },
			   .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 4 };

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-undo-%d", (int)getpid());
	snprintf(progs, sizeof(progs), "%s/progs", dir);
	if (mkdir(dir, 0700) < 0 || mkdir(progs, 0555) < 0) {
		t_fail(name, "cannot make %s: %s", progs, strerror(errno));
		remove_tree(dir);
		return;
	}
	if (run_tool(&opts, &run) != 0)
		t_fail(name, "cannot run bpfload");
	else if (is_there(dir, "maps/getppid_by_tgid") || is_there(dir, "maps/raw_tp_bss"))
		t_fail(name, "map pins left behind: %s", run.r.err);
	else if (count_lines(run.r.err) != 1)
		t_fail(name, "expected one line: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "pinning", "EACCES", "directory's mode",
								  "2 pins made before it removed again", NULL });
	remove_tree(dir);
	spawn_result_free(&run.r);
}

/*
 * What a --pin run killed between two pins leaves (its map pins, not its
 * program's; made here by pinning everything and removing the program's
 * pin, as no signal can land between two syscalls on purpose): the next
 * run names the incomplete set, pins nothing, and leaves it as it is.
 */
static void test_pin_killed_midway(void)
{
	const char *name = "faults/pin-left-by-a-killed-run";
	char dir[64];
	struct run first = { .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 4 };
	struct run next = first;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-killed-%d", (int)getpid());
	if (run_tool(&opts, &first) != 0 || first.r.exit_code != 0 || !is_there(dir, "progs/count_sys_enter")) {
		t_fail(name, "the first --pin run: %s", first.r.err ? first.r.err : "cannot run bpfload");
	} else {
		char prog_pin[128];

		snprintf(prog_pin, sizeof(prog_pin), "%s/progs/count_sys_enter", dir);
		unlink(prog_pin);
		if (run_tool(&opts, &next) != 0)
			t_fail(name, "cannot run bpfload");
		else if (is_there(dir, "progs/count_sys_enter") || !is_there(dir, "maps/getppid_by_tgid"))
			t_fail(name, "the incomplete set was changed: %s", next.r.err);
		else if (count_lines(next.r.err) != 1)
			t_fail(name, "expected one line: %s", next.r.err);
		else
			expect_failure(name, &next, (const char *const[]){ "holds 2 of this object's 3 pins", "incomplete set",
									   "nothing was pinned", "rm -r", NULL });
	}
	remove_tree(dir);
	spawn_result_free(&first.r);
	spawn_result_free(&next.r);
}

/* The number after "what: " in text, or -1. */
static long long number_after(const char *text, const char *what)
{
	const char *p = strstr(text, what);

	return p ? strtoll(p + strlen(what), NULL, 10) : -1;
}

/* Read the file at fd from its start (at most size - 1 bytes). */
static void read_back(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

/* Until the child says "Tracing" on stderr (the file at err_fd), up to 60 s. */
static int wait_for_tracing(int err_fd, char *err, size_t size)
{
	for (int i = 0; i < 1200; i++) {
		read_back(err_fd, err, size);
		if (strstr(err, "Tracing"))
			return 0;
		usleep(50000);
	}
	return -1;
}

/*
 * Ctrl-C while stdout is a pipe nobody reads: bpfload is blocked in
 * write(2) when the signal comes.  Without SA_RESTART that write fails
 * with EINTR and stdio drops the lines it held; every record received
 * must still be one line.  2000 getppid() calls make some 600 KB of
 * lines, ten pipes full.
 */
static void test_sigint_with_stdout_full(void)
{
	const char *name = "faults/sigint-while-stdout-is-full";
	char tool[512], obj[512], dir[64], pin[128], err[8192];
	static char out[1 << 21];
	int outp[2], err_fd, map_fd, status;
	uint32_t zero = 0, tgid = (uint32_t)getpid();
	long long rb, pa, pa_lost;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	fault_tool_path(&opts, tool, sizeof(tool));
	fault_object_path(&opts, obj, sizeof(obj), "bpfload_events.bpf.o");
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-sigint-%d", (int)getpid());
	snprintf(pin, sizeof(pin), "%s/maps/target_tgid", dir);
	snprintf(err, sizeof(err), "/tmp/bl-faults-stderr-XXXXXX");
	err_fd = mkstemp(err);	/* not O_TMPFILE: a guest's /tmp may be ramfs */
	if (err_fd >= 0)
		unlink(err);
	err[0] = '\0';
	T_EXPECT(name, err_fd >= 0 && pipe(outp) == 0, "cannot make a pipe and a file: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		dup2(outp[1], 1);
		dup2(err_fd, 2);
		close(outp[0]);
		execl(tool, tool, "--pin", dir, "--event", "rb=struct event", "--event", "pa=struct event", obj,
		      (char *)NULL);
		_exit(127);
	}
	close(outp[1]);
	if (pid < 0 || wait_for_tracing(err_fd, err, sizeof(err))) {
		t_fail(name, "bpfload did not start tracing: %s", err);
		if (pid > 0)
			kill(pid, SIGKILL);
		goto out;
	}
	map_fd = bl_obj_get(pin);
	if (map_fd < 0 || bl_map_update(map_fd, &zero, &tgid, BPF_ANY)) {
		t_fail(name, "cannot write our tgid into %s", pin);
		kill(pid, SIGKILL);
		goto out;
	}
	close(map_fd);
	for (int i = 0; i < 2000; i++)
		syscall(SYS_getppid);
	usleep(1000 * 1000);	/* bpfload fills the pipe and blocks in write(2) */
	kill(pid, SIGINT);
	while (len < sizeof(out) - 1 && (n = read(outp[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
out:
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(outp[0]);
	remove_tree(dir);
	read_back(err_fd, err, sizeof(err));
	close(err_fd);
	if (!len)
		return;
	rb = number_after(err, "events rb (ringbuf): ");
	pa = number_after(err, "events pa (perf_event_array): ");
	pa_lost = number_after(err, " received, ");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		t_fail(name, "bpfload ended with status %#x: %s", status, err);
	else if (rb != 2000 || pa < 0 || pa + pa_lost != 2000)
		t_fail(name, "received rb %lld, pa %lld + %lld lost, of 2000: %s", rb, pa, pa_lost, err);
	else if (count_of(out, "\nrb: ") + (strncmp(out, "rb: ", 4) == 0) != rb ||
		 count_of(out, "\npa: ") + (strncmp(out, "pa: ", 4) == 0) != pa)
		t_fail(name, "lines: rb %d of %lld received, pa %d of %lld", count_of(out, "\nrb: ") + (strncmp(out, "rb: ", 4) == 0),
		       rb, count_of(out, "\npa: ") + (strncmp(out, "pa: ", 4) == 0), pa);
	else {
		printf("# %s: %zu bytes of lines, rb %lld, pa %lld (+%lld lost by the perf ring)\n", name, len, rb, pa,
		       pa_lost);
		t_pass(name);
	}
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP faults: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	test_out_of_fds();
	test_out_of_fds_sweep();
	test_small_memlock();
	test_memory_cgroup_limit();
	test_pin_undone();
	test_pin_killed_midway();
	test_sigint_with_stdout_full();
	return t_exit_code();
}
