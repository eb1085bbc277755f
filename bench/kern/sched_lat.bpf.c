// SPDX-License-Identifier: GPL-2.0
/*
 * sched_lat.bpf.c - a benchmark object shaped like the run-queue latency
 * histograms people write against libbpf: raw tracepoints on
 * sched_wakeup, sched_wakeup_new and sched_switch (BPF_PROG), task fields
 * through CO-RE, including the task_struct::state -> __state rename of
 * Linux 5.14 handled with two "flavors" of the struct and
 * bpf_core_field_exists(), a per-process histogram in a hash, filters in
 * .rodata, and subprograms.  Only the loading benchmark uses it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 26
#define COMM_LEN 16
#define RUNNING 0

struct hist {
	__u32 slots[MAX_SLOTS];
	char comm[COMM_LEN];
};

/* The two spellings of a task's state, before and after Linux 5.14. */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

const volatile bool per_process = true;
const volatile __u32 target_tgid = 0;	/* 0: every process */
const volatile bool in_usecs = true;

static struct hist zero_hist;		/* .bss */
__u64 missed_hists = 0;			/* .bss */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

static __always_inline long task_state(struct task_struct *task)
{
	struct task_struct___new *t = (void *)task;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___old *)task, state);
}

static __noinline int enqueue(__u32 tgid, __u32 pid)
{
	__u64 ts;

	if (!pid || (target_tgid && tgid != target_tgid))
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
	return 0;
}

static __noinline __u32 log2_slot(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < MAX_SLOTS - 1) {
		v >>= 1;
		r++;
	}
	return r;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	return enqueue(BPF_CORE_READ(p, tgid), BPF_CORE_READ(p, pid));
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p)
{
	return enqueue(BPF_CORE_READ(p, tgid), BPF_CORE_READ(p, pid));
}

SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 pid = BPF_CORE_READ(next, pid), key, slot;
	__u64 *tsp, delta;
	struct hist *h;

	if (task_state(prev) == RUNNING)
		enqueue(BPF_CORE_READ(prev, tgid), BPF_CORE_READ(prev, pid));
	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	key = per_process ? BPF_CORE_READ(next, tgid) : (__u32)-1;
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h) {
			__sync_fetch_and_add(&missed_hists, 1);
			goto out;
		}
		BPF_CORE_READ_STR_INTO(&h->comm, next, comm);
	}
	slot = log2_slot(in_usecs ? delta / 1000 : delta);
	if (slot < MAX_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], 1);
out:
	bpf_map_delete_elem(&start, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
