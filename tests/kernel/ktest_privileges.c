// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_privileges.c - bpfload with less than it needs, on a real kernel:
 * nobody with CAP_BPF and/or CAP_PERFMON, root with its capabilities
 * dropped; tracefs, bpffs or /sys/kernel/btf missing (hidden by an empty
 * tmpfs in a mount namespace of the child's own), mountable by the loader
 * or not (no CAP_SYS_ADMIN); and, last in a guest (--lockdown), kernel
 * lockdown in confidentiality mode.  Each refusal must be one clear line
 * per thing refused, naming what is missing and what to try; where the
 * loader can help itself (mounting tracefs or bpffs, --btf FILE), the
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
#include <unistd.h>

#include "../testlib.h"
#include "fault_run.h"
#include "ktest_options.h"
#include "spawn.h"

static struct ktest_options opts;

/* nobody with CAP_BPF alone: maps yes, tracing programs no; each of the
 * four programs' lines names the missing CAP_PERFMON. */
static void test_cap_bpf_alone(void)
{
	const char *name = "privileges/cap-bpf-without-cap-perfmon";
	struct run run = { .o = nobody_with(CAP(CAP_BPF)),
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
	if (count_of(run.r.out, "but not CAP_PERFMON") != 4 || strstr(run.r.out, "run as root (BPF needs"))
		t_fail(name, "exit code %d; expected four lines naming CAP_PERFMON: %s%s", run.r.exit_code,
		       run.r.out, run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "EPERM", "add CAP_PERFMON", NULL });
	spawn_result_free(&run.r);
}

static void test_cap_perfmon_alone(void)
{
	const char *name = "privileges/cap-perfmon-without-cap-bpf";
	struct run run = { .o = nobody_with(CAP(CAP_PERFMON)),
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
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
	const char *name = "privileges/cap-bpf-and-cap-perfmon-without-root";
	struct run load = { .o = nobody_with(CAP(CAP_BPF) | CAP(CAP_PERFMON)),
			    .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };
	struct run attach = { .o = load.o, .args = { "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 2 };

	T_EXPECT(name, run_tool(&opts, &load) == 0, "cannot run bpfload");
	if (load.r.exit_code != 0 || count_of(load.r.out, " ok\n") != 4)
		t_fail(name, "--load-only: exit code %d: %s%s", load.r.exit_code, load.r.out, load.r.err);
	else if (run_tool(&opts, &attach) != 0)
		t_fail(name, "cannot run bpfload");
	else if (attach.r.exit_code != 0 || !strstr(attach.r.out, "syscalls = ") ||
		 strstr(attach.r.out, "syscalls = 0\n") || strstr(attach.r.err, "not attached"))
		t_fail(name, "raw tracepoint: exit code %d: %s%s", attach.r.exit_code, attach.r.out, attach.r.err);
	else
		t_pass(name);
	spawn_result_free(&load.r);
	spawn_result_free(&attach.r);
}

/* The same user attaching a tracepoint, which needs tracefs's event ids. */
static void test_tracefs_closed(void)
{
	const char *name = "privileges/tracefs-closed-to-other-users";
	struct run run = { .o = nobody_with(CAP(CAP_BPF) | CAP(CAP_PERFMON)),
			   .args = { "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 2 };
	struct stat st;

	run.args[2] = "probes.bpf.o";
	if (stat("/sys/kernel/tracing", &st) < 0 || (st.st_mode & 0001)) {
		t_skip(name, "tracefs at /sys/kernel/tracing is open to every user here");
		return;
	}
	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
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
	const char *name = "privileges/root-without-capabilities";
	struct run run = { .o = { .limit_caps = 1, .caps = CAP(CAP_DAC_OVERRIDE) },
			   .args = { "--load-only", "probes.bpf.o" }, .obj_arg = 1 };

	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
	expect_failure(name, &run, (const char *const[]){ "EPERM", "root but without CAP_BPF", NULL });
	spawn_result_free(&run.r);
}

static const char *const tracefs_places[] = { "/sys/kernel/tracing", "/sys/kernel/debug", NULL };

/* tracefs not mounted: the loader mounts it (in the child's namespace). */
static void test_tracefs_absent(void)
{
	const char *name = "privileges/tracefs-absent-is-mounted";
	struct run run = { .o = { .hide = tracefs_places }, .args = { "--duration", "1", "probes.bpf.o" },
			   .obj_arg = 2 };

	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
	if (run.r.exit_code != 0 || strstr(run.r.err, "count_getppid not attached") || !strstr(run.r.err, "Tracing"))
		t_fail(name, "exit code %d: %s%s", run.r.exit_code, run.r.out, run.r.err);
	else
		t_pass(name);
	spawn_result_free(&run.r);
}

/* ... and where it may not (no CAP_SYS_ADMIN): one line per program. */
static void test_tracefs_not_mountable(void)
{
	const char *name = "privileges/tracefs-not-mountable";
	struct run run = { .o = { .hide = tracefs_places, .limit_caps = 1, .caps = ALL_CAPS & ~CAP(CAP_SYS_ADMIN) },
			   .args = { "--duration", "1", "probes.bpf.o" }, .obj_arg = 2 };

	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
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
	const char *name = "privileges/bpffs-absent-is-mounted";
	char dir[64];
	struct run run = { .o = { .hide = bpffs_place }, .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" },
			   .obj_arg = 4 };
	struct stat st;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-%d", (int)getpid());
	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
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
	const char *name = "privileges/bpffs-not-mountable";
	char dir[64];
	struct run run = { .o = { .hide = bpffs_place, .limit_caps = 1, .caps = ALL_CAPS & ~CAP(CAP_SYS_ADMIN) },
			   .args = { "--pin", dir, "--duration", "1", "raw_tp.bpf.o" }, .obj_arg = 4 };

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/bl-faults-%d", (int)getpid());
	T_EXPECT(name, run_tool(&opts, &run) == 0, "cannot run bpfload");
	if (count_lines(run.r.err) != 1)
		t_fail(name, "expected one line: %s", run.r.err);
	else
		expect_failure(name, &run, (const char *const[]){ "no BPF file system at /sys/fs/bpf",
								  "needs CAP_SYS_ADMIN", NULL });
	spawn_result_free(&run.r);
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
	const char *name = "privileges/no-kernel-btf";
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
	if (run_tool(&opts, &core) || run_tool(&opts, &with_file) || run_tool(&opts, &plain)) {
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
	spawn_result_free(&with_file.r);
	spawn_result_free(&plain.r);
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
	const char *name = "privileges/lockdown-confidentiality";
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
	if (run_tool(&opts, &attach) != 0 || run_tool(&opts, &core) != 0)
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
	spawn_result_free(&attach.r);
	spawn_result_free(&core.r);
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP privileges: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	if (opts.lockdown) {
		if (!opts.in_guest) {
			fprintf(stderr, "ktest_privileges: --lockdown lasts until reboot: only with --guest\n");
			return 2;
		}
		test_lockdown();
		return t_exit_code();
	}
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
	return t_exit_code();
}
