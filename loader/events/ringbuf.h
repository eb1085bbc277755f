/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * events/ringbuf.h - one mapped BPF ring buffer and the record parser, for
 * the reader and its unit tests (tests/unit/test_events.c reads rings
 * laid out in memory).  The public calls are in <bpfload/ringbuf.h>.
 */
#ifndef BL_RINGBUF_H
#define BL_RINGBUF_H

#include <bpfload/ringbuf.h>

/* One mapped ring. */
struct bl_ringbuf_ring {
	int map_fd;			/* our dup of the map; -1 for a ring in memory */
	unsigned long *consumer_pos;	/* in the read-write consumer page */
	const unsigned long *producer_pos;	/* in the read-only producer page */
	const unsigned char *data;	/* the data area, 2 * (mask + 1) bytes */
	uint64_t mask;			/* data size - 1 */
	bl_ringbuf_sample_fn sample;
	void *ctx;
	struct bl_ringbuf_stats stats;
	void *producer_map;		/* producer page and data, for munmap */
	size_t producer_map_size;
};

/* Read one ring until it is empty, its next record is still busy, or a
 * ring's worth of bytes has been read.  Returns records passed to the
 * callback, a callback's negative value, or
 * -EBADMSG when a record's length is impossible (the ring is then left as
 * it is: close it). */
int bl_ringbuf_ring_read(struct bl_ringbuf_ring *ring, struct bl_err *err);

#endif
