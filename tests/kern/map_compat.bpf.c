// SPDX-License-Identifier: GPL-2.0
/*
 * map_compat.bpf.c - BTF-defined maps declared with key and value types,
 * as libbpf users write them, of types the kernel takes no BTF for
 * (a cgroup array, a stack trace map), one whose value BTF the kernel
 * refuses for its map type (a struct bpf_timer in a per-CPU array: timers
 * live only in hash and array maps), and one that keeps its BTF types.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#define STACK_DEPTH 127

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__type(key, __u32);
	__type(value, __u64[STACK_DEPTH]);
	__uint(max_entries, 64);
} stacks SEC(".maps");

struct timer_value {
	struct bpf_timer timer;
	__u64 armed;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct timer_value);
	__uint(max_entries, 1);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int use_maps(void *ctx)
{
	__u32 zero = 0;
	__u64 one = 1, *armed;
	struct timer_value *t;
	long id = bpf_get_stackid(ctx, &stacks, 0);

	if (bpf_current_task_under_cgroup(&cgroups, 0) == 1)
		bpf_map_update_elem(&counts, &zero, &one, BPF_ANY);
	t = bpf_map_lookup_elem(&timers, &zero);
	if (t) {
		armed = &t->armed;
		*armed += id >= 0;
	}
	return 0;
}

char _license[] SEC("license") = "GPL";
