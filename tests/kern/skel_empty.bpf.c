// SPDX-License-Identifier: GPL-2.0
/*
 * skel_empty.bpf.c - an object with no global variables at all: its
 * skeleton has maps and programs and no .bss, .data or .rodata.  One
 * program has no target in its section name (attach passes it over),
 * another names a tracepoint that does not exist, so that attaching all
 * of them fails and must leave none attached.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&calls, &zero);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

/* No section name to attach by: the skeleton's attach passes it over. */
SEC("socket")
int drop_all(void *ctx)
{
	return 0;
}

/* No kernel has this tracepoint. */
SEC("tracepoint/bpfload_test/no_such_event")
int never_attached(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
