// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy_stat.bpf.c - histogram of a copy routine's size argument.
 *
 * The section says kprobe/memcpy; user space attaches the program to
 * whichever function it can actually probe (see user/memcpy_probe.c).
 *
 * Exact counting: the histogram is a per-CPU array, so each CPU bumps its
 * own counter.  A kprobe program runs with preemption disabled and never
 * nests on one CPU (the kernel skips it while another kprobe program runs
 * there), so a plain increment cannot lose an update.  A single shared
 * counter with a non-atomic "+= 1" (as learn-bpf's version had) loses
 * counts when two CPUs race.
 */
#include "bpf_kern.h"
#include "memcpy_common.h"

struct bpf_map_def SEC("maps") config = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct memcpy_config),
	.max_entries = 1,
};

struct bpf_map_def SEC("maps") size_hist = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = MEMCPY_SLOTS,
};

SEC("kprobe/memcpy")
int memcpy_stat(struct pt_regs *ctx)
{
	__u32 zero = 0, slot;
	struct memcpy_config *cfg = bpf_map_lookup_elem(&config, &zero);
	__u64 *count;

	if (cfg && cfg->only_if_arg && !bl_kprobe_arg(ctx, cfg->only_if_arg))
		slot = MEMCPY_SLOT_NOT_COUNTED;
	else
		slot = memcpy_bucket(cfg ? bl_kprobe_arg(ctx, cfg->arg) : 0);
	count = bpf_map_lookup_elem(&size_hist, &slot);
	if (count)
		*count += 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
