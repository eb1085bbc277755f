// SPDX-License-Identifier: GPL-2.0
/*
 * course_blk.bpf.c - the course's block I/O example, as it writes it: a
 * kprobe on blk_mq_start_request(), which the block layer calls as it
 * hands a request to the driver, reading the request's start time with
 * BPF_CORE_READ() over "vmlinux.h" (ours, from this machine's BTF).  Where
 * start_time_ns lies in struct request differs between kernels (it moved
 * in 5.15 and again in 6.x), so the read is a CO-RE relocation that the
 * loader rewrites for the kernel it runs on.
 *
 * Besides the course's bpf_printk(), the program records what the test
 * checks: every start time must fall inside the test's own window of
 * disk I/O (bpf_ktime_get_ns() and CLOCK_MONOTONIC are the same clock),
 * which a wrong offset would not.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

struct times {
	__u64 requests;		/* calls of blk_mq_start_request */
	__u64 first_start;	/* the smallest start_time_ns seen */
	__u64 last_start;	/* the largest */
	__u64 zero_starts;	/* requests that had no start time */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct times);
} start_times SEC(".maps");

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(blk_mq_start_request, struct request *rq)
{
	__u64 start = BPF_CORE_READ(rq, start_time_ns);
	__u64 now = bpf_ktime_get_ns();
	__u32 zero = 0;
	struct times *t = bpf_map_lookup_elem(&start_times, &zero);

	bpf_printk("request started at %llu ns, %llu ns ago", start, now - start);
	if (!t)
		return 0;
	/* one disk, one test: the updates race only with themselves */
	__sync_fetch_and_add(&t->requests, 1);
	if (!start) {
		__sync_fetch_and_add(&t->zero_starts, 1);
		return 0;
	}
	if (!t->first_start || start < t->first_start)
		t->first_start = start;
	if (start > t->last_start)
		t->last_start = start;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
