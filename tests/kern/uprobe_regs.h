/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uprobe_regs.h - struct pt_regs for <bpf/bpf_tracing.h>, as vmlinux.h
 * would give it.  A uprobe's context is the traced process's registers.
 * The test objects are rebuilt for arm64 on an x86-64 machine, whose
 * /usr/include has only x86's <asm/ptrace.h>, so arm64's layout
 * (arch/arm64/include/uapi/asm/ptrace.h) is written here.
 */
#ifndef UPROBE_REGS_H
#define UPROBE_REGS_H

#if defined(__TARGET_ARCH_x86)
#include <asm/ptrace.h>		/* x86-64's struct pt_regs: rdi, rsi, ..., rip */
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	struct user_pt_regs user_regs;
};
#else
#error "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64 (the Makefile does)"
#endif

#endif
