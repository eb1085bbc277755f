// SPDX-License-Identifier: GPL-2.0
/*
 * events_ringbuf.bpf.c - kernel-test program for loader/ringbuf.c: on
 * every getppid() of the process in config.tgid, write one record into a
 * BPF ring buffer, by three routes chosen by the global sequence number:
 *   seq % 7 == 3       bpf_ringbuf_reserve() then bpf_ringbuf_discard()
 *   otherwise, even    bpf_ringbuf_output() of a record built elsewhere
 *   otherwise, odd     bpf_ringbuf_reserve(), fill in place, submit
 * and count per CPU what happened, so the test can account for every
 * record exactly.  config.mode 0 sends small records (60 bytes by output,
 * 44 by reserve: neither a multiple of 8), mode 1 sends EV_BIG bytes,
 * more than a page.  The record layout is that of events_perf.bpf.c:
 *   u64 seq, u64 cpu_seq, u32 cpu, u32 size,
 *   u32 word[k] = seq * 2654435761 + k for the rest of the record
 * The user side overrides the ring's size before loading.
 */
#include "bpf_kern.h"

#define EV_HEADER 24
#define EV_OUTPUT_SMALL 60
#define EV_RESERVE_SMALL 44
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

struct bpf_map_def SEC("maps") rb = {
	.type = BPF_MAP_TYPE_RINGBUF,
	.max_entries = 64 * 1024,	/* key and value size stay 0 */
};

struct bpf_map_def SEC("maps") seq = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

/* Per CPU: 0 attempts, 1 submitted, 2 discarded on purpose, 3 failed
 * because the ring was full, 4 failed otherwise. */
struct bpf_map_def SEC("maps") counts = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 5,
};

struct bpf_map_def SEC("maps") scratch = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct event),
	.max_entries = 1,
};

static inline __attribute__((always_inline)) void bump(__u32 key)
{
	__u64 *count = bpf_map_lookup_elem(&counts, &key);

	if (count)
		*count += 1;
}

/* The header and n payload words; n is a constant at every call, which
 * is what lets the verifier check each store against the record's size. */
static inline __attribute__((always_inline))
void fill(struct event *ev, __u64 seq, __u64 cpu_seq, __u32 size, __u32 n)
{
	__u32 k;

	ev->seq = seq;
	ev->cpu_seq = cpu_seq;
	ev->cpu = bpf_get_smp_processor_id();
	ev->size = size;
	for (k = 0; k < n; k++)
		ev->word[k] = (__u32)seq * 2654435761u + k;
}

static inline __attribute__((always_inline))
void by_output(struct event *ev, __u64 seq, __u64 cpu_seq, __u32 mode)
{
	long ret;

	if (mode == 1) {
		fill(ev, seq, cpu_seq, EV_BIG, (EV_BIG - EV_HEADER) / 4);
		ret = bpf_ringbuf_output(&rb, ev, EV_BIG, 0);
	} else {
		fill(ev, seq, cpu_seq, EV_OUTPUT_SMALL, (EV_OUTPUT_SMALL - EV_HEADER) / 4);
		ret = bpf_ringbuf_output(&rb, ev, EV_OUTPUT_SMALL, 0);
	}
	bump(ret == 0 ? 1 : ret == -11 /* EAGAIN: full */ ? 3 : 4);
}

static inline __attribute__((always_inline))
void by_reserve(__u64 seq, __u64 cpu_seq, __u32 mode, int discard)
{
	struct event *ev;

	if (mode == 1) {
		ev = bpf_ringbuf_reserve(&rb, EV_BIG, 0);
		if (ev)
			fill(ev, seq, cpu_seq, EV_BIG, (EV_BIG - EV_HEADER) / 4);
	} else {
		ev = bpf_ringbuf_reserve(&rb, EV_RESERVE_SMALL, 0);
		if (ev)
			fill(ev, seq, cpu_seq, EV_RESERVE_SMALL, (EV_RESERVE_SMALL - EV_HEADER) / 4);
	}
	if (!ev) {
		bump(3);
	} else if (discard) {
		bpf_ringbuf_discard(ev, 0);
		bump(2);
	} else {
		bpf_ringbuf_submit(ev, 0);
		bump(1);
	}
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int ringbuf_output(void *ctx)
{
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&config, &zero);
	struct event *ev = bpf_map_lookup_elem(&scratch, &zero);
	__u64 *global = bpf_map_lookup_elem(&seq, &zero);
	__u64 *attempts = bpf_map_lookup_elem(&counts, &zero);
	__u64 s, cpu_seq;

	if (!cfg || !ev || !global || !attempts ||
	    cfg->tgid != (__u32)(bpf_get_current_pid_tgid() >> 32))
		return 0;
	s = __sync_fetch_and_add(global, 1);
	cpu_seq = *attempts;
	*attempts += 1;
	if (s % 7 == 3)
		by_reserve(s, cpu_seq, cfg->mode, 1);
	else if (s % 2 == 0)
		by_output(ev, s, cpu_seq, cfg->mode);
	else
		by_reserve(s, cpu_seq, cfg->mode, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
