// SPDX-License-Identifier: GPL-2.0
/*
 * narrate.bpf.c - one object that makes the loader do every kind of
 * thing it narrates (tests/kernel/ktest_trace.c, htest_trace.c): BTF,
 * two BTF-defined maps, global data in .rodata, .data and .bss, a
 * global subprogram (verified on its own) and a static one (appended),
 * a tracepoint program (perf_event_open, then a BPF link or
 * PERF_EVENT_IOC_SET_BPF) and a raw tracepoint program
 * (BPF_RAW_TRACEPOINT_OPEN).  Counts getppid() calls of target_tgid.
 */
#include "bpf_kern.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} calls_by_tgid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sys_enters SEC(".maps");

const volatile __u32 target_tgid = 0;	/* .rodata: set before load */
__u64 step = 1;				/* .data */
__u64 getppid_calls = 0;		/* .bss */

__attribute__((noinline)) int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __attribute__((noinline)) __u64 add_step(__u64 value)
{
	return value + step;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	__u64 one = 1, *count;

	if (!is_target())
		return 0;
	getppid_calls = add_step(getppid_calls);
	count = bpf_map_lookup_elem(&calls_by_tgid, &tgid);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&calls_by_tgid, &tgid, &one, BPF_NOEXIST);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 slot = 0;
	__u64 *count;

	if (!is_target())
		return 0;
	count = bpf_map_lookup_elem(&sys_enters, &slot);
	if (count)
		*count = add_step(*count);
	return 0;
}

char _license[] SEC("license") = "GPL";
