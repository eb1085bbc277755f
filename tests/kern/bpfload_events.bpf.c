// SPDX-License-Identifier: GPL-2.0
/*
 * bpfload_events.bpf.c - an object written the way libbpf tools are
 * (<bpf/bpf_helpers.h>, maps in ".maps", records typed by a struct) for
 * the tests of bpfload's event streams: on every getppid() of the process
 * whose tgid user space writes into target_tgid (bpfload pins the map with
 * --pin, the test writes to the pin), it sends the same struct event
 *   counter  1, 2, 3, ... in call order
 *   nsecs    bpf_ktime_get_ns()
 *   comm     the calling task's name
 * to the BPF ring buffer rb (reserve, fill, submit) and to the perf event
 * array pa (bpf_perf_event_output), and counts the sends that failed.
 *
 * Only one thread of the test triggers it, one call after another, so the
 * counter needs no atomic increment (an atomic one whose result is used
 * needs BPF_FETCH, Linux 5.12).
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#define TASK_COMM_LEN 16

struct event {
	int counter;
	__u64 nsecs;
	char comm[TASK_COMM_LEN];
};

/* clang writes into BTF only the types of globals and functions, not of
 * locals: this pointer puts struct event there, for --event to find (the
 * line cilium/ebpf's bpf2go asks of its users). */
const struct event *unused_event __attribute__((unused));

/* A later version of the record, longer than what this program sends:
 * decoding records by it must not read past them. */
struct event_v2 {
	struct event v1;
	__u64 flags;
	char parent_comm[TASK_COMM_LEN];
};
const struct event_v2 *unused_event_v2 __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

/* max_entries left out: the loader makes one slot per possible CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pa SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target_tgid SEC(".maps");

int counter = 0;
__u64 rb_failed = 0;	/* bpf_ringbuf_reserve() found the ring full */
__u64 pa_failed = 0;	/* bpf_perf_event_output() failed */

SEC("tp/syscalls/sys_enter_getppid")
int send_getppid(void *ctx)
{
	__u32 zero = 0, *tgid = bpf_map_lookup_elem(&target_tgid, &zero);
	struct event ev, *slot;

	if (!tgid || *tgid == 0 || *tgid != (__u32)(bpf_get_current_pid_tgid() >> 32))
		return 0;
	__builtin_memset(&ev, 0, sizeof(ev));	/* the padding after counter too */
	ev.counter = ++counter;
	ev.nsecs = bpf_ktime_get_ns();
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));

	slot = bpf_ringbuf_reserve(&rb, sizeof(*slot), 0);
	if (slot) {
		*slot = ev;
		bpf_ringbuf_submit(slot, 0);
	} else {
		rb_failed++;
	}
	if (bpf_perf_event_output(ctx, &pa, BPF_F_CURRENT_CPU, &ev, sizeof(ev)))
		pa_failed++;
	return 0;
}

char _license[] SEC("license") = "GPL";
