/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usdt_args_common.h - what usdt_args.bpf.c and ktest_usdt.c share.
 */
#ifndef USDT_ARGS_COMMON_H
#define USDT_ARGS_COMMON_H

#define MAX_ARGS 12

/* The probes of tests/target, one slot of `seen` each. */
enum {
	P_CONSTS, P_REGS, P_DEREF, P_SIGNS, P_MANY, P_TWICE, P_STACK, P_SEMA, P_LIB, P_GLOBALS,
	PROBE_COUNT
};

struct probe_seen {
	__u64 hits;
	__u64 arg_cnt;		/* sum of bpf_usdt_arg_cnt() */
	__u64 cookie;		/* the last bpf_usdt_cookie() */
	__s64 sum[MAX_ARGS];	/* sums of bpf_usdt_arg() */
};

#endif
