/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/perf_buffer.h - reading what BPF programs send with bpf_perf_event_output().
 *
 * A BPF_MAP_TYPE_PERF_EVENT_ARRAY (Linux 4.3) holds one perf event per
 * CPU.  bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, data, size)
 * appends a PERF_RECORD_SAMPLE carrying the data to the ring buffer of the
 * event stored at the index of the CPU the program runs on.  User space
 * creates those events: for every online CPU it opens the software event
 * PERF_COUNT_SW_BPF_OUTPUT (Linux 4.4) with sample_type PERF_SAMPLE_RAW
 * (perf_event_open(2)), maps one metadata page (struct perf_event_mmap_page)
 * and 2^n data pages (mmap(2)), enables the event
 * (ioctl PERF_EVENT_IOC_ENABLE) and stores its fd in the map at key cpu
 * (bpf(BPF_MAP_UPDATE_ELEM)).  One epoll(7) instance waits on all rings.
 *
 * The records of a ring lie between data_tail, which we advance, and
 * data_head, which the kernel advances.  A record may run past the end of
 * the data pages and continue at their start; such a record is copied so
 * that a callback always sees it in one piece.
 *
 * Exact accounting.  When a CPU's ring is full, bpf_perf_event_output()
 * fails with -ENOSPC and the kernel counts the sample as lost.  That count
 * reaches user space as a PERF_RECORD_LOST only in front of the next sample
 * that fits in the same ring, so losses at the very end of a run are never
 * reported here.  A tool that must show "received + lost == produced"
 * exactly has its program count, in a BPF_MAP_TYPE_PERCPU_ARRAY, each call
 * of bpf_perf_event_output() and each call that failed.  At exit it
 *   1. stops the producers (destroys the link: no program runs any more),
 *   2. drains the rings with bl_perf_buffer_consume(),
 *   3. reads the counters: produced = sum of calls, lost = sum of failures;
 *      then received (bl_perf_buffer_stats) == produced - lost.
 * Only -ENOSPC means "ring full" and becomes a LOST record; other errors
 * (-ENOENT: no event stored for that CPU, e.g. one that was offline at
 * open) are worth counting apart.
 * The LOST records agree with the failure counts for every loss that was
 * followed by a successful sample on the same CPU; the rest are the tail.
 * (To see the tail as LOST records too, drain the rings, then make the
 * program send one sample on each CPU: the kernel writes the pending LOST
 * record in front of it.  tests/kernel/ktest_events.c does this.)
 */
#ifndef BPFLOAD_PERF_BUFFER_H
#define BPFLOAD_PERF_BUFFER_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* perf_event_header.size is a u16: no record is longer than this. */
#define BL_PERF_RECORD_MAX 65536

struct bl_perf_buffer_callbacks {
	/* One sample's raw data, valid until the callback returns.  size is
	 * what the kernel stored: the program's size rounded up so that the
	 * u32 size field plus the data fill a multiple of 8 bytes; the
	 * padding bytes are not cleared.  data follows that u32, so it is
	 * only 4-byte aligned: memcpy it rather than cast it to a struct with
	 * u64 fields.  Return < 0 to stop reading: poll and consume then
	 * return that value (the sample counts as read). */
	int (*sample)(void *ctx, int cpu, const void *data, uint32_t size);
	/* count samples of this CPU that did not fit in its ring; may be NULL. */
	void (*lost)(void *ctx, int cpu, uint64_t count);
};

struct bl_perf_buffer_stats {
	uint64_t received;	/* samples passed to the sample callback */
	uint64_t lost;		/* the counts of all PERF_RECORD_LOST records */
	uint64_t wrapped;	/* records copied because they wrapped around */
	uint64_t skipped;	/* records of other types, ignored */
};

struct bl_perf_buffer;

/* Open a perf event and its ring of pages_per_cpu pages (a power of two)
 * for every online CPU and store them in the perf event array map_fd.
 * callbacks and ctx are used by poll and consume. */
struct bl_perf_buffer *bl_perf_buffer_open(int map_fd, size_t pages_per_cpu,
					   const struct bl_perf_buffer_callbacks *callbacks,
					   void *ctx, struct bl_err *err);

/* Wait up to timeout_ms (-1: forever) for records, then read the rings
 * that have some.  Returns the number of records handled (samples and
 * LOST records; 0 on timeout), -EINTR when a signal arrived, or another
 * negative errno. */
int bl_perf_buffer_poll(struct bl_perf_buffer *pb, int timeout_ms, struct bl_err *err);

/* Read every ring without waiting; returns records handled or -errno. */
int bl_perf_buffer_consume(struct bl_perf_buffer *pb, struct bl_err *err);

/* The epoll instance, to wait on it with other fds (poll(2), another
 * epoll).  When it is readable, call bl_perf_buffer_consume(), not poll:
 * the outer wait already took the wake-up, as perf_poll() reports one
 * only once, so an epoll_wait() on this instance may find nothing ready. */
int bl_perf_buffer_epoll_fd(const struct bl_perf_buffer *pb);

/* Totals over all rings since open. */
void bl_perf_buffer_stats(const struct bl_perf_buffer *pb, struct bl_perf_buffer_stats *stats);

/* Remove the events from the map, unmap the rings, close the events and
 * the epoll instance (NULL is fine). */
void bl_perf_buffer_free(struct bl_perf_buffer *pb);

#endif
