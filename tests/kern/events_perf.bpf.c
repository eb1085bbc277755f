// SPDX-License-Identifier: GPL-2.0
/*
 * events_perf.bpf.c - kernel-test program for loader/perf_buffer.c: on
 * every getppid() of the process in config.tgid, send one record with
 * sequence numbers and a checkable payload through a perf event array,
 * and count attempts and failures per CPU so that the test can account
 * for every record exactly.
 *
 * config.mode picks the record size:
 *   0  EV_SMALL bytes, always
 *   1  32, 532, 1032, 1532, 2032 bytes in turn, so that records end
 *      anywhere and some straddle the end of a small ring; 4 + size is
 *      not a multiple of 8, so the kernel pads these samples
 *   2  EV_BIG bytes, more than a page
 * Record layout (tests/kernel/ktest_events.c reads it):
 *   u64 seq      global order of attempts, from 0
 *   u64 cpu_seq  this CPU's attempts before this one
 *   u32 cpu, u32 size (bytes sent, this header included)
 *   u32 word[k] = seq * 2654435761 + k for the rest of the record
 */
#include "bpf_kern.h"

#define EV_HEADER 24
#define EV_SMALL 44
#define EV_BIG 6000
#define EV_MAX_WORDS ((EV_BIG - EV_HEADER) / 4)

struct config {
	__u32 tgid;
	__u32 mode;
};

struct event {
	__u64 seq;
	__u64 cpu_seq;
	__u32 cpu;
	__u32 size;
	__u32 word[EV_MAX_WORDS];
};


struct bpf_map_def SEC("maps") config = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct config),
	.max_entries = 1,
};

/* max_entries 0: the loader makes one slot per possible CPU. */
struct bpf_map_def SEC("maps") events = {
	.type = BPF_MAP_TYPE_PERF_EVENT_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 0,
};

/* Slot 0: the global sequence counter. */
struct bpf_map_def SEC("maps") seq = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

/* Per CPU: 0 attempts, 1 sent, 2 failed with -ENOSPC (ring full),
 * 3 failed otherwise. */
struct bpf_map_def SEC("maps") counts = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

/* The record is built here: it is too big for the 512-byte stack. */
struct bpf_map_def SEC("maps") scratch = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct event),
	.max_entries = 1,
};

static inline __attribute__((always_inline)) __u64 *slot(void *map, __u32 key)
{
	return bpf_map_lookup_elem(map, &key);
}

/* Arithmetic rather than a table, which clang would put in .rodata. */
static inline __attribute__((always_inline)) __u32 pick_size(__u32 mode, __u64 seq)
{
	if (mode == 2)
		return EV_BIG;
	if (mode == 0)
		return EV_SMALL;
	return 32 + (__u32)(seq % 5) * 500;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int perf_output(void *ctx)
{
	__u32 zero = 0, k;
	__u64 size;		/* 64 bits: no 32-bit copy for the verifier to lose */
	struct config *cfg = bpf_map_lookup_elem(&config, &zero);
	struct event *ev = bpf_map_lookup_elem(&scratch, &zero);
	__u64 *global = slot(&seq, 0), *attempts = slot(&counts, 0), *result;
	long ret;

	if (!cfg || !ev || !global || !attempts ||
	    cfg->tgid != (__u32)(bpf_get_current_pid_tgid() >> 32))
		return 0;
	ev->seq = __sync_fetch_and_add(global, 1);
	ev->cpu_seq = *attempts;	/* per-CPU: no other writer meanwhile */
	*attempts += 1;
	ev->cpu = bpf_get_smp_processor_id();
	size = pick_size(cfg->mode, ev->seq);
	ev->size = (__u32)size;
	for (k = 0; k < EV_MAX_WORDS; k++) {
		if (k >= (size - EV_HEADER) / 4)
			break;
		ev->word[k] = (__u32)ev->seq * 2654435761u + k;
	}
	/* The verifier cannot follow the modulo in pick_size(), so bound the
	 * size on the register the call uses; the empty asm keeps clang from
	 * dropping a check it knows to be true. */
	asm volatile("" : "+r"(size));
	if (size <= EV_BIG)
		ret = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, ev, size);
	else
		ret = -1;
	result = slot(&counts, ret == 0 ? 1 : ret == -28 /* ENOSPC */ ? 2 : 3);
	if (result)
		*result += 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
