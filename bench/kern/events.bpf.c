// SPDX-License-Identifier: GPL-2.0
/*
 * events.bpf.c - the producer of the event throughput benchmark: one
 * record per getppid() of the producer processes, into a BPF ring buffer
 * (to_ringbuf) or a perf event array (to_perf).  Both readers, ours and
 * libbpf's, read records of this same object.
 *
 * Both programs copy the record from the same per-CPU scratch buffer
 * (bpf_ringbuf_output, bpf_perf_event_output), so the kernel does the
 * same work for either route.  Each counts per CPU what it tried and what
 * the kernel refused, which makes the loss count exact:
 * received + lost == produced once the producers have stopped and the
 * reader has drained its buffer.
 *
 * Written as libbpf users write objects: vmlinux.h, <bpf/bpf_helpers.h>,
 * BTF-defined maps, global data set before load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "events_bench.h"

/* Set by user space before load; .rodata is frozen, so the verifier
 * knows record_size and drops the branch not taken. */
const volatile struct evb_config evb_config = { .record_size = EVB_SMALL };

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* user space sets the size */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EVB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct evb_record);
} scratch SEC(".maps");

static __always_inline int is_producer(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	int i;

	for (i = 0; i < EVB_MAX_PRODUCERS; i++)
		if (evb_config.producer_tgid[i] && evb_config.producer_tgid[i] == tgid)
			return 1;
	return 0;
}

static __always_inline void bump(__u32 key)
{
	__u64 *count = bpf_map_lookup_elem(&counts, &key);

	if (count)
		*count += 1;
}

/* The record to send, its header filled; NULL when not a producer. */
static __always_inline struct evb_record *next_record(void)
{
	__u32 zero = 0, key = EVB_PRODUCED;
	struct evb_record *rec;
	__u64 *produced;

	if (!is_producer())
		return NULL;
	rec = bpf_map_lookup_elem(&scratch, &zero);
	produced = bpf_map_lookup_elem(&counts, &key);
	if (!rec || !produced)
		return NULL;
	rec->seq = *produced;
	rec->cpu = bpf_get_smp_processor_id();
	rec->size = evb_config.record_size;
	*produced += 1;
	return rec;
}

SEC("tp/syscalls/sys_enter_getppid")
int to_ringbuf(void *ctx)
{
	struct evb_record *rec = next_record();
	long ret;

	if (!rec)
		return 0;
	if (evb_config.record_size == EVB_BIG)
		ret = bpf_ringbuf_output(&rb, rec, EVB_BIG, 0);
	else
		ret = bpf_ringbuf_output(&rb, rec, EVB_SMALL, 0);
	if (ret)
		bump(EVB_LOST);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int to_perf(void *ctx)
{
	struct evb_record *rec = next_record();
	long ret;

	if (!rec)
		return 0;
	if (evb_config.record_size == EVB_BIG)
		ret = bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, rec, EVB_BIG);
	else
		ret = bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, rec, EVB_SMALL);
	if (ret)
		bump(EVB_LOST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
