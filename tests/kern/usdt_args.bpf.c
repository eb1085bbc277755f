// SPDX-License-Identifier: GPL-2.0
/*
 * usdt_args.bpf.c - USDT programs written with libbpf's <bpf/usdt.bpf.h>,
 * unchanged from how libbpf users write them: BPF_USDT() hands each
 * program its probe's arguments, read through the specs the loader put
 * into __bpf_usdt_specs.
 *
 * Each program adds its probe's arguments, as bpf_usdt_arg() reads them,
 * into the probe's slot of `seen`, with the number of hits, the argument
 * count and the cookie: the test compares them with the values the
 * target program passed (tests/target/uprobe_target.h).
 *
 * usdt.bpf.h declares `extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig`,
 * which the loader fills in (object/kconfig), and its helpers are
 * `__weak __hidden`, verified as static (object/btf_linkage.c).  The same
 * source is built a second time with that extern fixed to 0, for the IP
 * lookup of kernels before 5.15 (tests/kernel/uprobe.mk).
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include <stdbool.h>	/* usdt.bpf.h uses bool, which vmlinux.h would define */

#include "uprobe_regs.h"
#include <bpf/usdt.bpf.h>
#include "usdt_args_common.h"

char LICENSE[] SEC("license") = "GPL";

/* Calls whose typed BPF_USDT() arguments disagreed with the values sent. */
__u64 typed_mismatch;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROBE_COUNT);
	__type(key, __u32);
	__type(value, struct probe_seen);
} seen SEC(".maps");

static __always_inline void record(struct pt_regs *ctx, __u32 probe)
{
	struct probe_seen *s = bpf_map_lookup_elem(&seen, &probe);
	long v;
	int i;

	if (!s)
		return;
	__sync_fetch_and_add(&s->hits, 1);
	__sync_fetch_and_add(&s->arg_cnt, bpf_usdt_arg_cnt(ctx));
	s->cookie = bpf_usdt_cookie(ctx);
#pragma unroll
	for (i = 0; i < MAX_ARGS; i++) {
		if (bpf_usdt_arg(ctx, i, &v) == 0)
			__sync_fetch_and_add(&s->sum[i], v);
	}
}

SEC("usdt")
int BPF_USDT(usdt_consts, int a, int b, int c)
{
	record(ctx, P_CONSTS);
	/* the typed arguments BPF_USDT() gives must agree */
	if (a != 42 || b != -7 || c != 100000)
		__sync_fetch_and_add(&typed_mismatch, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(usdt_regs, int x, long y, unsigned char z)
{
	record(ctx, P_REGS);
	if ((long)x * 1000003L != y || (unsigned char)x != z)
		__sync_fetch_and_add(&typed_mismatch, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(usdt_deref, long a, int b, short c)
{
	record(ctx, P_DEREF);
	if (a != -7L * b || c != (short)(-3 * b))
		__sync_fetch_and_add(&typed_mismatch, 1);
	return 0;
}

SEC("usdt")
int usdt_signs(struct pt_regs *ctx)
{
	record(ctx, P_SIGNS);
	return 0;
}

SEC("usdt")
int usdt_many(struct pt_regs *ctx)
{
	record(ctx, P_MANY);
	return 0;
}

SEC("usdt")
int usdt_twice(struct pt_regs *ctx)
{
	record(ctx, P_TWICE);
	return 0;
}

SEC("usdt")
int usdt_stack(struct pt_regs *ctx)
{
	record(ctx, P_STACK);
	return 0;
}

SEC("usdt")
int usdt_sema(struct pt_regs *ctx)
{
	record(ctx, P_SEMA);
	return 0;
}

SEC("usdt")
int usdt_lib(struct pt_regs *ctx)
{
	record(ctx, P_LIB);
	return 0;
}

SEC("usdt")
int BPF_USDT(usdt_globals, int counter, long element)
{
	record(ctx, P_GLOBALS);
	if (element != -5L * counter)
		__sync_fetch_and_add(&typed_mismatch, 1);
	return 0;
}
