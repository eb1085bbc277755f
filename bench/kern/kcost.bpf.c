// SPDX-License-Identifier: GPL-2.0
/*
 * kcost.bpf.c - what one run of a size-histogram program costs in the
 * kernel: memcpy_stat's program (kern/memcpy_stat.bpf.c) against one
 * written the way learn-bpf's was, with one bucket array shared by all
 * CPUs.  bench/kcost.c attaches one program at a time to the same probe
 * and reads the kernel's run_time_ns / run_cnt (BPF_ENABLE_STATS).
 *
 *   stat_percpu     memcpy_stat's program, on a tracepoint: the config
 *                   lookup, the only_if_arg test, the bucket, a per-CPU
 *                   counter bumped with a plain add.  (On a kprobe the
 *                   benchmark loads kern/memcpy_stat.bpf.o itself.)
 *   stat_rodata     memcpy_stat's program with its config in .rodata,
 *                   set before load: the verifier knows the values, so
 *                   the config lookup and the untaken branches go away
 *                   (what memcpy_stat would gain by choosing its probe
 *                   before loading)
 *   stat_shared     learn-bpf's: a fixed argument, one array shared by
 *                   every CPU, "+= 1" without atomics (loses counts when
 *                   two CPUs race; the benchmark reports how many)
 *   stat_atomic     the same with an atomic add: exact, but every CPU
 *                   writes the same cache line
 *   kp_rodata, kp_shared, kp_atomic   stat_rodata (configured as memcpy_stat
 *                   configures itself for __check_object_size) and the two
 *                   shared versions, on a kprobe
 *   kp_fixed        memcpy_stat's per-CPU counting with the arguments
 *                   fixed at compile time (size: 2, to_user: 3), as
 *                   learn-bpf's fixed its: what the per-CPU counter
 *                   alone costs
 *
 * Tracepoint: syscalls/sys_enter_write, the size being write()'s count.
 * Kprobe (guests only): __check_object_size, the size its argument 2.
 */
#include "bpf_kern.h"
#include "memcpy_common.h"

struct bpf_map_def SEC("maps") config = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct memcpy_config),
	.max_entries = 1,
};

struct bpf_map_def SEC("maps") hist_percpu = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

struct bpf_map_def SEC("maps") hist_rodata = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

struct bpf_map_def SEC("maps") hist_fixed = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

struct bpf_map_def SEC("maps") hist_shared = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

struct bpf_map_def SEC("maps") hist_atomic = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

/* Argument n (1..3) of write(2), from its syscalls/sys_enter_write
 * record: the 8-byte common header, the syscall number, then the
 * arguments as unsigned longs.  The kernel refuses to attach a program
 * that reads past the record (EACCES), so only write's three are there.
 * Read like bl_kprobe_arg(): every field, then choose. */
struct sys_enter_write_record {
	__u64 common;
	long id;
	unsigned long args[3];
};

static inline __attribute__((always_inline))
unsigned long tp_arg(const struct sys_enter_write_record *ctx, __u32 n)
{
	unsigned long a1 = BL_CTX_READ(ctx->args[0]), a2 = BL_CTX_READ(ctx->args[1]);
	unsigned long a3 = BL_CTX_READ(ctx->args[2]);

	switch (n) {
	case 1: return a1;
	case 2: return a2;
	case 3: return a3;
	default: return 0;
	}
}

SEC("tracepoint/syscalls/sys_enter_write")
int stat_percpu(struct sys_enter_write_record *ctx)
{
	__u32 zero = 0, slot;
	struct memcpy_config *cfg = bpf_map_lookup_elem(&config, &zero);
	__u64 *count;

	if (cfg && cfg->only_if_arg && !tp_arg(ctx, cfg->only_if_arg))
		slot = MEMCPY_SLOT_NOT_COUNTED;
	else
		slot = memcpy_bucket(cfg ? tp_arg(ctx, cfg->arg) : 0);
	count = bpf_map_lookup_elem(&hist_percpu, &slot);
	if (count)
		*count += 1;
	return 0;
}

const volatile struct memcpy_config rodata_config = { .arg = 3 };

SEC("tracepoint/syscalls/sys_enter_write")
int stat_rodata(struct sys_enter_write_record *ctx)
{
	__u32 slot;
	__u64 *count;

	if (rodata_config.only_if_arg && !tp_arg(ctx, rodata_config.only_if_arg))
		slot = MEMCPY_SLOT_NOT_COUNTED;
	else
		slot = memcpy_bucket(tp_arg(ctx, rodata_config.arg));
	count = bpf_map_lookup_elem(&hist_rodata, &slot);
	if (count)
		*count += 1;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int stat_shared(struct sys_enter_write_record *ctx)
{
	__u32 slot = memcpy_bucket(BL_CTX_READ(ctx->args[2]));
	__u64 *count = bpf_map_lookup_elem(&hist_shared, &slot);

	if (count)
		*count += 1;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int stat_atomic(struct sys_enter_write_record *ctx)
{
	__u32 slot = memcpy_bucket(BL_CTX_READ(ctx->args[2]));
	__u64 *count = bpf_map_lookup_elem(&hist_atomic, &slot);

	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

/* memcpy_stat's config for __check_object_size: the size is argument 2,
 * counted only when argument 3 (to_user) is set. */
const volatile struct memcpy_config kp_rodata_config = { .arg = 2, .only_if_arg = 3 };

SEC("kprobe/__check_object_size")
int kp_rodata(struct pt_regs *ctx)
{
	__u32 slot;
	__u64 *count;

	if (kp_rodata_config.only_if_arg && !bl_kprobe_arg(ctx, kp_rodata_config.only_if_arg))
		slot = MEMCPY_SLOT_NOT_COUNTED;
	else
		slot = memcpy_bucket(bl_kprobe_arg(ctx, kp_rodata_config.arg));
	count = bpf_map_lookup_elem(&hist_rodata, &slot);
	if (count)
		*count += 1;
	return 0;
}

SEC("kprobe/__check_object_size")
int kp_fixed(struct pt_regs *ctx)
{
	__u32 slot = BL_ARG3(ctx) ? memcpy_bucket(BL_ARG2(ctx)) : MEMCPY_SLOT_NOT_COUNTED;
	__u64 *count = bpf_map_lookup_elem(&hist_fixed, &slot);

	if (count)
		*count += 1;
	return 0;
}

SEC("kprobe/__check_object_size")
int kp_shared(struct pt_regs *ctx)
{
	__u32 slot = memcpy_bucket(BL_ARG2(ctx));
	__u64 *count = bpf_map_lookup_elem(&hist_shared, &slot);

	if (count)
		*count += 1;
	return 0;
}

SEC("kprobe/__check_object_size")
int kp_atomic(struct pt_regs *ctx)
{
	__u32 slot = memcpy_bucket(BL_ARG2(ctx));
	__u64 *count = bpf_map_lookup_elem(&hist_atomic, &slot);

	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
