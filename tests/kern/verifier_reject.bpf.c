// SPDX-License-Identifier: GPL-2.0
/*
 * verifier_reject.bpf.c - a program the verifier must refuse: it uses a
 * hash map lookup's result without checking it for NULL.  (Not an array:
 * recent kernels know that an array lookup with a constant in-range key
 * cannot fail.)  Tests expect the loader to report the rejection with the
 * verifier's reason.
 */
#include "bpf_kern.h"

struct bpf_map_def SEC("maps") values = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

SEC("tracepoint/syscalls/sys_enter_getppid")
int unchecked_lookup(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &zero);

	return (int)*value;	/* no NULL check: rejected */
}

char _license[] SEC("license") = "GPL";
