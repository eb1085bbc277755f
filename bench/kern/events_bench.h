/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * events_bench.h - what events.bpf.c and the throughput benchmark's
 * readers (bench/events_ours.c, bench/peer/libbpf_events.c) share.
 * Included after vmlinux.h in BPF code, after <linux/types.h> in user space.
 */
#ifndef EVENTS_BENCH_H
#define EVENTS_BENCH_H

#define EVB_MAX_PRODUCERS 2
#define EVB_SMALL 16		/* bytes of a small record */
#define EVB_BIG 1024		/* bytes of a large record */

/* Per-CPU counters of the programs. */
#define EVB_PRODUCED 0		/* records the program tried to send */
#define EVB_LOST 1		/* of those, refused by a full buffer */
#define EVB_COUNTERS 2

/* The one variable in events.bpf.c's .rodata. */
struct evb_config {
	__u32 producer_tgid[EVB_MAX_PRODUCERS];	/* 0: unused slot */
	__u32 record_size;			/* EVB_SMALL or EVB_BIG */
};

struct evb_record {
	__u64 seq;		/* this CPU's count of records before this one */
	__u32 cpu;
	__u32 size;		/* bytes sent, this header included */
	unsigned char payload[EVB_BIG - 16];
};

#endif
