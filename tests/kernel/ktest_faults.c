// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_faults.c - bpfload where the machine is against it, on a real
 * kernel: out of file descriptors, a small RLIMIT_MEMLOCK, a memory cgroup
 * at its limit; tracefs, bpffs or /sys/kernel/btf missing (hidden by an
 * empty tmpfs in a mount namespace of the child's own) and not mountable
 * (no CAP_SYS_ADMIN); users with some of CAP_BPF and CAP_PERFMON, and
 * root with its capabilities dropped.  Each failure must be one clear
 * line per thing that failed, naming the resource and what to try; where
 * the loader can help itself (mounting tracefs or bpffs, --btf FILE), the
 * fallback is tested instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../testlib.h"
#include "ktest_options.h"
#include "spawn.h"

#define CAP(c) (1ull << (c))
#define ALL_CAPS (~0ull)
#define NOBODY 65534

static struct ktest_options opts;

static void tool_path(char *path, size_t size)
{
	snprintf(path, size, "%s/bpfload", opts.bindir);
}

static void object_path(char *path, size_t size, const char *object)
{
	snprintf(path, size, "%s/%s", opts.objdir, object);
}

/* The running kernel as major * 100 + minor (5.10 is 510). */
static int kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &major, &minor);
	return major * 100 + minor;
}

/*
 * A child running as nobody with capabilities caps.  Before 5.11 maps
 * count against RLIMIT_MEMLOCK, charged to the user and given back only
 * some time after a map is freed: such a user needs CAP_SYS_RESOURCE to
 * raise it (faults/small-memlock-limit tests what happens without).
 */
static struct spawn_options nobody_with(uint64_t caps)
{
	struct spawn_options o = { .run_as_uid = NOBODY, .limit_caps = 1, .caps = caps };

	if (kernel_version() < 511)
		o.caps |= CAP(CAP_SYS_RESOURCE);
	return o;
}

static int count_of(const char *haystack, const char *needle)
{
	int n = 0;

	for (; (haystack = strstr(haystack, needle)); haystack += strlen(needle))
		n++;
	return n;
}

/*
 * bpfload with args, as o says (uid, capabilities, hidden paths); the
 * object (args[obj_arg]) is given as a copy under /tmp when the child is
 * not root, which may not reach a build directory in a 0700 home.
 */
struct run {
	struct spawn_options o;
	const char *args[8];		/* after argv[0]; NULL-terminated */
	int obj_arg;			/* index in args of the object's name */
	struct spawn_result r;
};

static int run_tool(struct run *run)
{
	char tool[512], obj[512], dir[64] = "", copy[512];
	const char *argv[10];
	int i, ret;

	tool_path(tool, sizeof(tool));
	argv[0] = tool;
	for (i = 0; run->args[i] && i < 8; i++)
		argv[i + 1] = run->args[i];
	argv[i + 1] = NULL;
	object_path(obj, sizeof(obj), run->args[run->obj_arg]);
	argv[run->obj_arg + 1] = obj;
	if (run->o.run_as_uid) {
		ret = spawn_public_copy(obj, dir, sizeof(dir), copy, sizeof(copy));
		if (ret)
			return ret;
		argv[run->obj_arg + 1] = copy;
	}
	run->o.argv = argv;
	if (!run->o.timeout_ms)
		run->o.timeout_ms = 60000;
	ret = spawn_run(&run->o, &run->r);
	if (dir[0])
		spawn_public_copy_remove(dir, copy);
	return ret;
}

/* A run that failed, with the one line per failure expected: each of
 * needles in stderr and stdout together. */
static void expect_failure(const char *name, struct run *run, const char *const *needles)
{
	char all[16384];
	size_t i;

	snprintf(all, sizeof(all), "%s%s", run->r.out, run->r.err);
	if (run->r.exit_code == 126) {
		t_fail(name, "the child could not set up its uid, capabilities, mounts or cgroup");
		return;
	}
	if (run->r.exit_code != 1) {
		t_fail(name, "exit code %d, expected 1: %s", run->r.exit_code, all);
		return;
	}
	for (i = 0; needles[i]; i++) {
		if (!strstr(all, needles[i])) {
			t_fail(name, "no \"%s\" in: %s", needles[i], all);
			return;
		}
	}
	t_pass(name);
}

/* Run out of file descriptors (ulimit -n 5: stdin, stdout, stderr, the
 * object's BTF, one map): the error says so and what to do. */
static void test_out_of_fds(void)
{
	const char *name = "faults/out-of-file-descriptors";
	char obj[512], tool[512], script[1200];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000 };
	struct spawn_result r;

	object_path(obj, sizeof(obj), "profile.bpf.o");
	tool_path(tool, sizeof(tool));
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

	object_path(obj, sizeof(obj), "probes.bpf.o");
	tool_path(tool, sizeof(tool));
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

/* nobody with CAP_BPF alone: maps yes, tracing programs no; each of the
 * four programs' lines names the missing CAP_PERFMON. */
static void test_cap_bpf_alone(void)
{
	const char *name = "faults/cap-bpf-without-cap-perfmon";
	struct run run = { .o = nobody_with(CAP(CAP_BPF)),
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (count_of(run.r.out, "but not CAP_PERFMON") != 4 || strstr(run.r.out, "run as root (BPF needs"))
		t_fail(name, "exit code %d; expected four lines naming CAP_PERFMON: %s%s", run.r.exit_code,
		       run.r.out, run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "EPERM", "add CAP_PERFMON", NULL });
	spawn_result_free(&run.r);
}

static void test_cap_perfmon_alone(void)
{
	const char *name = "faults/cap-perfmon-without-cap-bpf";
	struct run run = { .o = nobody_with(CAP(CAP_PERFMON)),
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (count_lines(run.r.err) != 1)
		t_fail(name, "expected one line: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "creating map", "EPERM", "but not CAP_BPF", NULL });
	spawn_result_free(&run.r);
}

/* nobody with both: the four programs load, and a raw tracepoint, which
 * needs no tracefs, attaches and runs. */
static void test_cap_bpf_and_perfmon(void)
{
	const char *name = "faults/cap-bpf-and-cap-perfmon-without-root";
	struct run load = { .o = nobody_with(CAP(CAP_BPF) | CAP(CAP_PERFMON)),
			    .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };
	struct run attach = { .o = load.o, .args = { "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 2 };

	T_EXPECT(name, run_tool(&load) == 0, "cannot run bpfload");
	if (load.r.exit_code != 0 || count_of(load.r.out, " ok\n") != 4)
		t_fail(name, "--load-only: exit code %d: %s%s", load.r.exit_code, load.r.out, load.r.err);
	else if (run_tool(&attach) != 0)
		t_fail(name, "cannot run bpfload");
	else if (attach.r.exit_code != 0 || !strstr(attach.r.out, "syscalls = ") ||
		 strstr(attach.r.out, "syscalls = 0\n") || strstr(attach.r.err, "not attached"))
		t_fail(name, "raw tracepoint: exit code %d: %s%s", attach.r.exit_code, attach.r.out, attach.r.err);
	else
		t_pass(name);
	spawn_result_free(&load.r);
	if (attach.r.out)
		spawn_result_free(&attach.r);
}

/* The same user attaching a tracepoint, which needs tracefs's event ids. */
static void test_tracefs_closed(void)
{
	const char *name = "faults/tracefs-closed-to-other-users";
	struct run run = { .o = nobody_with(CAP(CAP_BPF) | CAP(CAP_PERFMON)),
			   .args = { "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 2 };
	struct stat st;

	run.args[2] = "probes.bpf.o";
	if (stat("/sys/kernel/tracing", &st) < 0 || (st.st_mode & 0001)) {
		t_skip(name, "tracefs at /sys/kernel/tracing is open to every user here");
		return;
	}
	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	/* the kprobes may attach (through the kprobe PMU), so the exit code
	 * is not checked: the tracepoints' lines are */
	if (count_of(run.r.err, "count_getppid not attached: cannot enter /sys/kernel/tracing") != 1 ||
	    count_of(run.r.err, "tracefs is open to root only (mode 0700): run as root") != 2)
		t_fail(name, "expected one line for each tracepoint program: %s", run.r.err);
	else
		t_pass(name);
	spawn_result_free(&run.r);
}

/* root stripped of every capability BPF takes. */
static void test_root_without_caps(void)
{
	const char *name = "faults/root-without-capabilities";
	struct run run = { .o = { .limit_caps = 1, .caps = CAP(CAP_DAC_OVERRIDE) },
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	expect_failure(name, &run, (const char *const[]){ "EPERM", "root but without CAP_BPF", NULL });
	spawn_result_free(&run.r);
}

static const char *const tracefs_places[] = { "/sys/kernel/tracing", "/sys/kernel/debug", NULL };

/* tracefs not mounted: the loader mounts it (in the child's namespace). */
static void test_tracefs_absent(void)
{
	const char *name = "faults/tracefs-absent-is-mounted";
	struct run run = { .o = { .hide = tracefs_places }, .args = { "--duration", "1", "probes.bpf.o" },
			   .obj_arg = 2 };

	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (run.r.exit_code != 0 || strstr(run.r.err, "count_getppid not attached") || !strstr(run.r.err, "Tracing"))
		t_fail(name, "exit code %d: %s%s", run.r.exit_code, run.r.out, run.r.err);
	else
		t_pass(name);
	spawn_result_free(&run.r);
}

/* ... and where it may not (no CAP_SYS_ADMIN): one line per program. */
static void test_tracefs_not_mountable(void)
{
	const char *name = "faults/tracefs-not-mountable";
	struct run run = { .o = { .hide = tracefs_places, .limit_caps = 1, .caps = ALL_CAPS & ~CAP(CAP_SYS_ADMIN) },
			   .args = { "--duration", "1", "probes.bpf.o" }, .obj_arg = 2 };

	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (count_of(run.r.err, "count_getppid not attached") != 1 || count_of(run.r.err, "print_getppid not attached") != 1)
		t_fail(name, "expected one line for each tracepoint program: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "tracefs is not mounted", "needs CAP_SYS_ADMIN",
								  "mount it beforehand", NULL });
	spawn_result_free(&run.r);
}

static const char *const bpffs_place[] = { "/sys/fs/bpf", NULL };

/* No bpffs at /sys/fs/bpf: --pin mounts one; the pins go with the
 * child's namespace, and none reach the machine's own bpffs. */
static void test_bpffs_absent(void)
{
	const char *name = "faults/bpffs-absent-is-mounted";
	char dir[64];
	struct run run = { .o = { .hide = bpffs_place }, .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" },
			   .obj_arg = 4 };
	struct stat st;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-%d", (int)getpid());
	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (run.r.exit_code != 0 || strstr(run.r.err, "bpfload: "))
		t_fail(name, "exit code %d: %s", run.r.exit_code, run.r.err);
	else if (stat(dir, &st) == 0)
		t_fail(name, "%s exists outside the child's mount namespace", dir);
	else
		t_pass(name);
	spawn_result_free(&run.r);
}

static void test_bpffs_not_mountable(void)
{
	const char *name = "faults/bpffs-not-mountable";
	char dir[64];
	struct run run = { .o = { .hide = bpffs_place, .limit_caps = 1, .caps = ALL_CAPS & ~CAP(CAP_SYS_ADMIN) },
			   .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 4 };

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-%d", (int)getpid());
	T_EXPECT(name, run_tool(&run) == 0, "cannot run bpfload");
	if (count_lines(run.r.err) != 1)
		t_fail(name, "expected one line: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "no BPF file system at /sys/fs/bpf",
								  "needs CAP_SYS_ADMIN", NULL });
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
	if (run_tool(&run) != 0)
		t_fail(name, "cannot run bpfload");
	else if (is_there(dir, "maps/getppid_by_tgid") || is_there(dir, "maps/raw_tp_bss"))
		t_fail(name, "map pins left behind: %s", run.r.err);
	else if (count_lines(run.r.err) != 1)
		t_fail(name, "expected one line: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "pinning", "EACCES", "directory's mode",
								  "2 pins made before it removed again", NULL });
	remove_tree(dir);
	if (run.r.out)
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
	if (run_tool(&first) != 0 || first.r.exit_code != 0 || !is_there(dir, "progs/count_sys_enter")) {
		t_fail(name, "the first --pin run: %s", first.r.err ? first.r.err : "cannot run bpfload");
	} else {
		char prog_pin[128];

		snprintf(prog_pin, sizeof(prog_pin), "%s/progs/count_sys_enter", dir);
		unlink(prog_pin);
		if (run_tool(&next) != 0)
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
	if (first.r.out)
		spawn_result_free(&first.r);
	if (next.r.out)
		spawn_result_free(&next.r);
}

/* Copy src to dst (the kernel's BTF, saved before it is hidden). */
static int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, ret = 0;
	ssize_t n;

	if (in >= 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		ret = -1;
	while (!ret && (n = read(in, buf, sizeof(buf))) != 0)
		if (n < 0 || write(out, buf, (size_t)n) != n)
			ret = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

static const char *const btf_place[] = { "/sys/kernel/btf", NULL };

/* No /sys/kernel/btf: a CO-RE object says what it needs and how to give
 * it; given the same BTF as a file (--btf), it loads; an object without
 * CO-RE relocations never needed it. */
static void test_no_kernel_btf(void)
{
	const char *name = "faults/no-kernel-btf";
	char saved[64];
	struct run core = { .o = { .hide = btf_place }, .args = { "--load-only", "core_truth.bpf.o" }, .obj_arg = 1 };
	struct run with_file = { .o = core.o, .args = { "--btf", saved, "--load-only", "core_truth.bpf.o" },
				 .obj_arg = 3 };
	struct run plain = { .o = core.o, .args = { "--load-only", "raw_tp.bpf.o" }, .obj_arg = 1 };

	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		t_skip(name, "this kernel has no /sys/kernel/btf/vmlinux to take away");
		return;
	}
	snprintf(saved, sizeof(saved), "/tmp/bl-faults-vmlinux-%d.btf", (int)getpid());
	T_EXPECT(name, copy_file("/sys/kernel/btf/vmlinux", saved) == 0, "cannot copy the kernel's BTF to %s", saved);
	if (run_tool(&core) || run_tool(&with_file) || run_tool(&plain)) {
		t_fail(name, "cannot run bpfload");
	} else if (count_of(core.r.out, " failed: ") != 1 || !strstr(core.r.out, "/sys/kernel/btf/vmlinux") ||
		   !strstr(core.r.out, "--btf FILE")) {
		t_fail(name, "CO-RE object without the kernel's BTF: exit code %d: %s%s", core.r.exit_code,
		       core.r.out, core.r.err);
	} else if (with_file.r.exit_code != 0) {
		t_fail(name, "with --btf %s: exit code %d: %s%s", saved, with_file.r.exit_code, with_file.r.out,
		       with_file.r.err);
	} else if (plain.r.exit_code != 0) {
		t_fail(name, "object without CO-RE: exit code %d: %s%s", plain.r.exit_code, plain.r.out,
		       plain.r.err);
	} else {
		expect_failure(name, &core, (const char *const[]){ "CO-RE relocations need the kernel's BTF", NULL });
	}
	unlink(saved);
	spawn_result_free(&core.r);
	if (with_file.r.out)
		spawn_result_free(&with_file.r);
	if (plain.r.out)
		spawn_result_free(&plain.r);
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

	object_path(obj, sizeof(obj), "probes.bpf.o");
	tool_path(tool, sizeof(tool));
	snprintf(script, sizeof(script), "ulimit -l 0 && exec '%s' --load-only '%s'", tool, obj);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run /bin/sh");
	if (kernel_version() >= 511) {
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
	if (run_tool(&run) != 0) {
		t_fail(name, "cannot run bpfload");
	} else if (kernel_version() < 511) {
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
	if (run.r.out)
		spawn_result_free(&run.r);
}

/* How many lines of text say EPERM ("not permitted"), if every one of
 * them also says why; -1 if one does not. */
static int refusals_naming(const char *text, const char *why)
{
	char line[2048];
	int n = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		text += len + (text[len] == '\n');
		if (!strstr(line, "not permitted") && !strstr(line, "EPERM"))
			continue;
		if (!strstr(line, why))
			return -1;
		n++;
	}
	return n;
}

/*
 * Kernel lockdown in confidentiality mode (guest only, last: it lasts
 * until reboot): kprobes and trace_pipe refuse even root, and every
 * refusal names lockdown, not a missing capability; a CO-RE program reading kernel
 * memory (core_truth.bpf.o, BPF_CORE_READ) either loads, where the kernel
 * checks at run time, or names lockdown as why its helper is withheld.
 */
static void test_lockdown(void)
{
	const char *name = "faults/lockdown-confidentiality";
	struct run attach = { .args = { "--duration", "1", "probes.bpf.o" }, .obj_arg = 2 };
	struct run core = { .args = { "--load-only", "core_truth.bpf.o" }, .obj_arg = 1 };
	int fd = open("/sys/kernel/security/lockdown", O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		t_skip(name, "no /sys/kernel/security/lockdown (no lockdown LSM, or securityfs not mounted)");
		return;
	}
	if (write(fd, "confidentiality", 15) != 15) {
		t_fail(name, "cannot raise lockdown: %s", strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	if (run_tool(&attach) != 0 || run_tool(&core) != 0)
		t_fail(name, "cannot run bpfload");
	else if (refusals_naming(attach.r.err, "lockdown is in confidentiality mode") < 1 ||
		 !strstr(attach.r.err, "trace_pipe"))
		t_fail(name, "a refusal under lockdown that does not name it: %s", attach.r.err);
	else if (core.r.exit_code != 0 && !strstr(core.r.out, "lockdown is in confidentiality mode"))
		t_fail(name, "CO-RE program under lockdown: %s%s", core.r.out, core.r.err);
	else {
		printf("# %s: core_truth.bpf.o %s\n", name, core.r.exit_code ? "refused, naming lockdown" : "loads");
		t_pass(name);
	}
	if (attach.r.out)
		spawn_result_free(&attach.r);
	if (core.r.out)
		spawn_result_free(&core.r);
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP faults: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	if (opts.lockdown) {
		if (!opts.in_guest) {
			fprintf(stderr, "ktest_faults: --lockdown lasts until reboot: only with --guest\n");
			return 2;
		}
		test_lockdown();
		return t_exit_code();
	}
	test_out_of_fds();
	test_out_of_fds_sweep();
	test_small_memlock();
	test_memory_cgroup_limit();
	test_cap_bpf_alone();
	test_cap_perfmon_alone();
	test_cap_bpf_and_perfmon();
	test_tracefs_closed();
	test_root_without_caps();
	test_tracefs_absent();
	test_tracefs_not_mountable();
	test_bpffs_absent();
	test_bpffs_not_mountable();
	test_no_kernel_btf();
	test_pin_undone();
	test_pin_killed_midway();
	return t_exit_code();
}
