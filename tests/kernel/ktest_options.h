/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest_options.h - the command line every kernel-test binary takes:
 *   --bindir DIR       where the tools are (memcpy_stat, bpfload, ...)
 *   --objdir DIR       where the test BPF objects are (*.bpf.o)
 *   --expect-kprobes   this kernel has kprobes: their absence is a failure
 *   --guest            running in the qemu guest (tests/vm), where only
 *                      busybox and the test files exist: no bpftool
 *   --lockdown         with --guest: raise kernel lockdown to
 *                      confidentiality, which only a reboot undoes, and
 *                      run the tests for it (ktest_privileges, last in a guest)
 */
#ifndef KTEST_OPTIONS_H
#define KTEST_OPTIONS_H

struct ktest_options {
	const char *bindir;
	const char *objdir;
	int expect_kprobes;
	int in_guest;
	int lockdown;
};

/* Parse argv; returns 0, or prints usage and returns -1. */
int ktest_parse_options(int argc, char **argv, struct ktest_options *o);

#endif
