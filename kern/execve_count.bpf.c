// SPDX-License-Identifier: GPL-2.0
/*
 * execve_count.bpf.c - count execve calls in a map and say so each time.
 *
 * learn-bpf's 001 program: a one-slot BPF_MAP_TYPE_ARRAY holds the count, user
 * space may write a starting value into it before attaching, and every
 * execve adds one and reports the new count, "execve called N times".
 * Two programs on tracepoint syscalls/sys_enter_execve, of which user
 * space attaches one:
 *
 *   execve_printk   bpf_trace_printk(), read from tracefs trace_pipe
 *   execve_perf     the count as a u64 through a perf event array
 *
 * The add is atomic and its result is the count we report
 * (BPF_ATOMIC | BPF_FETCH, Linux 5.12, which clang 12 and later emit when
 * the value __sync_fetch_and_add() returns is used): two CPUs exec'ing at
 * once get two different numbers, and no call is lost.  A plain
 * "*count += 1; n = *count" could both lose a call and report one number
 * twice.
 */
#include "bpf_kern.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

/* max_entries 0: the loader makes one slot per possible CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} output SEC(".maps");

/* The count after this call, or 0 when the map has no slot 0. */
static inline __attribute__((always_inline)) __u64 count_one(void)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&counter, &zero);

	if (!count)
		return 0;
	return __sync_fetch_and_add(count, 1) + 1;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_printk(void *ctx)
{
	char fmt[] = "execve called %llu times\n";
	__u64 n = count_one();

	(void)ctx;
	if (n)
		bpf_trace_printk(fmt, sizeof(fmt), n);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_perf(void *ctx)
{
	__u64 n = count_one();

	if (n)
		bpf_perf_event_output(ctx, &output, BPF_F_CURRENT_CPU, &n, sizeof(n));
	return 0;
}

char _license[] SEC("license") = "GPL";
