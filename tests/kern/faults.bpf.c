// SPDX-License-Identifier: GPL-2.0
/*
 * faults.bpf.c - for the fault tests (tests/kernel/ktest_faults.c): an
 * object in libbpf's style whose one map is large, 32 MiB, which a memory
 * cgroup with a smaller limit cannot hold (BPF memory is charged to the
 * creator's memory cgroup since Linux 5.11, to RLIMIT_MEMLOCK before).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct page_of_counts {
	__u64 count[512];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct page_of_counts);
} pages SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int count_in_pages(void *ctx)
{
	__u32 key = 0;
	struct page_of_counts *p = bpf_map_lookup_elem(&pages, &key);

	if (p)
		__sync_fetch_and_add(&p->count[0], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
