// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy_stat_libbpf.bpf.c - kern/memcpy_stat.bpf.c as a libbpf user
 * writes it, for the footprint benchmark's libbpf peer of memcpy_stat
 * (bench/peer/libbpf_memcpy_stat.c): the same program, with BTF-defined
 * maps, because libbpf 1.0 and later refuse the legacy "maps" section
 * that kern/memcpy_stat.bpf.c uses.
 */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "memcpy_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct memcpy_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MEMCPY_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} size_hist SEC(".maps");

/* Every argument read first, as volatile loads, then one chosen: a
 * switch over the reads themselves lets clang compute the context offset,
 * which the verifier refuses (see bl_kprobe_arg() in kern/bpf_kern.h). */
#define ARG(ctx, n) (*(volatile const unsigned long *)&PT_REGS_PARM##n(ctx))

static __always_inline unsigned long arg_n(struct pt_regs *ctx, __u32 n)
{
	unsigned long a1 = ARG(ctx, 1), a2 = ARG(ctx, 2), a3 = ARG(ctx, 3);
	unsigned long a4 = ARG(ctx, 4), a5 = ARG(ctx, 5);

	switch (n) {
	case 1: return a1;
	case 2: return a2;
	case 3: return a3;
	case 4: return a4;
	case 5: return a5;
	default: return 0;
	}
}

SEC("kprobe/memcpy")
int memcpy_stat(struct pt_regs *ctx)
{
	__u32 zero = 0, slot;
	struct memcpy_config *cfg = bpf_map_lookup_elem(&config, &zero);
	__u64 *count;

	if (cfg && cfg->only_if_arg && !arg_n(ctx, cfg->only_if_arg))
		slot = MEMCPY_SLOT_NOT_COUNTED;
	else
		slot = memcpy_bucket(cfg ? arg_n(ctx, cfg->arg) : 0);
	count = bpf_map_lookup_elem(&size_hist, &slot);
	if (count)
		*count += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
