/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/ringbuf.h - reading a BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8).
 *
 * One ring shared by all CPUs.  A program either copies a record in with
 * bpf_ringbuf_output(), or reserves room with bpf_ringbuf_reserve(), fills
 * it and then bpf_ringbuf_submit()s or bpf_ringbuf_discard()s it.  Records
 * come out in the order they were reserved.  User space maps the map fd
 * (mmap(2)) in two parts:
 *
 *   offset 0          the consumer page, read-write: consumer_pos, how far
 *                     we have read
 *   offset page size  the producer page, read-only: producer_pos, how far
 *                     programs have reserved; then the data area,
 *                     max_entries bytes (a power of two, a multiple of the
 *                     page size), which the kernel maps twice in a row so
 *                     that a record running past the end continues in the
 *                     second copy and can be read in place
 *
 * Each record is an 8-byte header {u32 len; u32 pg_off} and len bytes of
 * data; the next record starts at the next multiple of 8.  Two bits of len
 * say BPF_RINGBUF_BUSY_BIT (reserved, not yet submitted: stop and wait) or
 * BPF_RINGBUF_DISCARD_BIT (discarded: skip).  Waiting is epoll(7) on the
 * map fd itself (epoll_create1, epoll_ctl, epoll_wait); several rings can
 * share one epoll instance (bl_ringbuf_add).
 *
 * Exact accounting.  When the ring is full, bpf_ringbuf_reserve() returns
 * NULL and bpf_ringbuf_output() returns -EAGAIN; nothing is written and
 * nothing tells user space, so the reader cannot count losses at all.  A
 * tool that must show "received + lost == produced" exactly has its
 * program count, in a BPF_MAP_TYPE_PERCPU_ARRAY, the records it tried to
 * write, those that failed and those it discarded on purpose.  At exit it
 *   1. stops the producers (destroys the link),
 *   2. drains the ring with bl_ringbuf_consume(),
 *   3. reads the counters: then received == tried - failed - discarded,
 *      and the discarded count here equals the program's.
 */
#ifndef BPFLOAD_RINGBUF_H
#define BPFLOAD_RINGBUF_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* One record's data, valid until the callback returns; size is exactly
 * what the program wrote.  Return < 0 to stop: poll and consume then
 * return that value (the record counts as read). */
typedef int (*bl_ringbuf_sample_fn)(void *ctx, const void *data, uint32_t size);

struct bl_ringbuf_stats {
	uint64_t received;	/* records passed to the callback */
	uint64_t discarded;	/* records the program discarded, skipped */
};

struct bl_ringbuf;

/* Map the ring buffer map_fd and start an epoll instance for it. */
struct bl_ringbuf *bl_ringbuf_open(int map_fd, bl_ringbuf_sample_fn sample, void *ctx,
				   struct bl_err *err);

/* Add another ring buffer map to the same reader and epoll instance. */
int bl_ringbuf_add(struct bl_ringbuf *rb, int map_fd, bl_ringbuf_sample_fn sample, void *ctx,
		   struct bl_err *err);

/* Wait up to timeout_ms (-1: forever) for records, then read the rings
 * that have some, each until it is empty or a ring's worth of bytes has
 * been read (so that a flood cannot keep us here; the rest is reported
 * again).  Returns records passed to the callbacks (0 on timeout), -EINTR
 * when a signal arrived, a callback's negative value, or another negative
 * errno. */
int bl_ringbuf_poll(struct bl_ringbuf *rb, int timeout_ms, struct bl_err *err);

/* Read every ring as poll does, without waiting.  Once the producers have
 * stopped, one call empties every ring. */
int bl_ringbuf_consume(struct bl_ringbuf *rb, struct bl_err *err);

/* The epoll instance, to wait on it with other fds (poll(2), another
 * epoll): when it is readable, call bl_ringbuf_consume(). */
int bl_ringbuf_epoll_fd(const struct bl_ringbuf *rb);

/* Totals over all rings since open. */
void bl_ringbuf_stats(const struct bl_ringbuf *rb, struct bl_ringbuf_stats *stats);

/* Unmap every ring and close the fds we opened (NULL is fine). */
void bl_ringbuf_free(struct bl_ringbuf *rb);

#endif
