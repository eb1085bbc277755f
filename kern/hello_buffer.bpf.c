// SPDX-License-Identifier: GPL-2.0
/*
 * hello_buffer.bpf.c - "Hello World" and who said it, on every execve.
 *
 * Learning eBPF's hello-buffer (chapter 2) sends {pid, uid,
 * command, message} to user space on each execve through a perf buffer.
 * Here the same event goes by one of two routes; both programs sit on
 * tracepoint syscalls/sys_enter_execve and user space attaches the one
 * asked for:
 *
 *   hello_perf      bpf_perf_event_output() into a
 *                   BPF_MAP_TYPE_PERF_EVENT_ARRAY: one ring per CPU, the
 *                   event copied into the ring of the CPU we run on
 *   hello_ringbuf   bpf_ringbuf_reserve() in a BPF_MAP_TYPE_RINGBUF (one
 *                   ring for all CPUs, Linux 5.8), filled in place, then
 *                   bpf_ringbuf_submit()
 *
 * Both count every event they try to send and every one that could not be
 * sent (kern/event_counts_common.h), so the tool can report exact losses.
 */
#include "bpf_kern.h"
#include "event_counts_common.h"
#include "hello_buffer_common.h"

/* max_entries 0: the loader makes one slot per possible CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} output SEC(".maps");

/* User space may resize it before loading (--ringbuf-size). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EVENT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* An atomic add even on this CPU's own slot: it costs next to nothing and
 * keeps the count exact however the kernel schedules program runs. */
static inline __attribute__((always_inline)) void count(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static inline __attribute__((always_inline)) void fill(struct hello_event *ev)
{
	ev->pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	ev->uid = (__u32)bpf_get_current_uid_gid();	/* low half: uid, high: gid */
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	__builtin_memcpy(ev->message, "Hello World", HELLO_MESSAGE_LEN);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_perf(void *ctx)
{
	struct hello_event ev;

	fill(&ev);
	count(EVENT_PRODUCED);
	/* -ENOSPC: this CPU's ring is full; -ENOENT: no ring for this CPU */
	if (bpf_perf_event_output(ctx, &output, BPF_F_CURRENT_CPU, &ev, sizeof(ev)))
		count(EVENT_LOST);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_ringbuf(void *ctx)
{
	struct hello_event *ev;

	(void)ctx;	/* a ring buffer needs no context */
	count(EVENT_PRODUCED);
	ev = bpf_ringbuf_reserve(&ringbuf, sizeof(*ev), 0);
	if (!ev) {	/* the ring is full */
		count(EVENT_LOST);
		return 0;
	}
	fill(ev);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
