// SPDX-License-Identifier: GPL-2.0
/*
 * verifier_reject.bpf.c - a program the verifier must refuse: it uses a
 * hash map lookup's result without checking it for NULL.  (Not an array:
 * recent kernels know that an array lookup with a constant in-range key
 * cannot fail.)  Tests expect the loader to report the rejection with the
 * verifier's reason.  The second program is the same mistake under a
 * name holding "btf": the loader must not take its rejection for a
 * refusal of the BTF line information (and load it again without).
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

SEC("tracepoint/syscalls/sys_enter_getppid")
int btf_unchecked_read(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &zero);

	return (int)*value + 1;	/* no NULL check either */
}

char _license[] SEC("license") = "GPL";
