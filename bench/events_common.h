/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * events_common.h - the half of the event throughput benchmark that does
 * not depend on the loader: options, producer processes, the record
 * callback's bookkeeping and the result line.  Linked into our reader
 * (events_ours) and libbpf's (libbpf_events) alike, so that the two differ
 * only in the loader and the reader.
 *
 * A run: fork the producers (blocked), load events.bpf.o with their pids
 * in .rodata, attach one program, open the reader, let the producers
 * call getppid() in a loop for the given time, each pinned to its CPU,
 * stop them, drain the buffer, then read the programs' per-CPU counters.
 *
 * With --drain the reader does not read while the producers run: the
 * buffer fills (records that find it full are counted lost), and then the
 * reader empties it alone, timed.  That is the reader's own cost per
 * record, without the wake-ups and the scheduler that dominate a live
 * run (a reader that keeps up goes to sleep and is woken more often).
 */
#ifndef EVENTS_COMMON_H
#define EVENTS_COMMON_H

#include <linux/types.h>
#include <stdint.h>
#include <sys/types.h>

#include "kern/events_bench.h"

struct evb_opts {
	int perf;		/* 0: BPF ring buffer, 1: perf event array */
	int size;		/* EVB_SMALL or EVB_BIG */
	int producers;		/* 1 or 2 */
	double seconds;		/* how long the producers run */
	uint32_t ring_bytes;	/* BPF ring buffer size */
	int perf_pages;		/* perf ring pages per CPU */
	int drain;		/* do not read while the producers run; then
				 * time the reader emptying the buffer alone */
	const char *object;	/* path of events.bpf.o */
};

/* What the record callback saw. */
struct evb_seen {
	uint64_t received;
	uint64_t bad;		/* records of the wrong size or CPU */
	uint64_t checksum;	/* sum of sequence numbers: the data was read */
};

struct evb_producers {
	int count;
	pid_t pid[EVB_MAX_PRODUCERS];
	int go_fd;		/* closing it releases the producers */
	volatile int *stop;	/* shared with them */
};

/* Parse argv into opts; prints usage and returns -1 when wrong. */
int evb_parse(int argc, char **argv, const char *tool, struct evb_opts *opts);

/* Fork opts->producers processes, each pinned to its CPU, blocked until
 * evb_producers_go(). */
int evb_producers_start(struct evb_producers *p, const struct evb_opts *opts);

/* Where the reader should run while the producers do: pins the calling
 * process when one CPU is free of producers. */
void evb_place_consumer(const struct evb_opts *opts);

/* Release the producers; returns the monotonic start time in ns. */
uint64_t evb_producers_go(struct evb_producers *p);

/* Tell them to stop and wait until they have exited. */
void evb_producers_stop(struct evb_producers *p);

/* Kill and reap whatever is left (on errors). */
void evb_producers_kill(struct evb_producers *p);

/* The record callback's work, the same for every reader. */
static inline void evb_count(struct evb_seen *seen, const void *data, uint32_t size, int want)
{
	const struct evb_record *rec = data;

	seen->received++;
	if (size < (uint32_t)want || rec->size != (uint32_t)want)
		seen->bad++;
	else
		seen->checksum += rec->seq;
}

uint64_t evb_now_ns(void);

/* User plus system CPU time of this process, in ns. */
uint64_t evb_cpu_ns(void);

/* Until end_ns (monotonic): wait without reading, for --drain. */
void evb_idle_until(uint64_t end_ns);

/* The result line:
 *   events READER MODE SIZE PRODUCERS produced P received R lost L bad B
 *   seconds S events_per_s E consumer_cpu_ms C drain_ns_per_record D
 * D: the time the last drain took per record it read (with --drain,
 * every record; else the few left when the producers stopped). */
void evb_report(const char *reader, const struct evb_opts *opts, uint64_t produced,
		uint64_t lost, const struct evb_seen *seen, uint64_t elapsed_ns,
		uint64_t cpu_ns, uint64_t drain_ns, uint64_t drained);

#endif
