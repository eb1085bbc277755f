// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_map_def.bpf.c - maps declared with samples/bpf's older 7-field
 * struct bpf_map_def (inner_map_idx and numa_node after map_flags), and a
 * "version" section.  The loader must derive the 28-byte definition size.
 */
#include "bpf_kern.h"

struct old_bpf_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
	unsigned int inner_map_idx, numa_node;
};

struct old_bpf_map_def SEC("maps") first = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 128,
};

struct old_bpf_map_def SEC("maps") second = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 8,
	.map_flags = 0,
};

SEC("kprobe/do_sys_openat2")
int use_both(struct pt_regs *ctx)
{
	__u32 key = 0;
	__u64 one = 1;
	__u32 *slot = bpf_map_lookup_elem(&second, &key);

	if (slot)
		*slot += 1;
	bpf_map_update_elem(&first, &key, &one, BPF_ANY);
	return 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060100;
