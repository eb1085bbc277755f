/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * events/perf_buffer.h - one CPU's mapped perf ring and the record
 * parser, for the reader and its unit tests (tests/unit/test_events.c
 * reads rings laid out in memory).  The public calls are in <bpfload/perf_buffer.h>.
 */
#ifndef BL_PERF_BUFFER_H
#define BL_PERF_BUFFER_H

#include <bpfload/perf_buffer.h>

/* One CPU's ring, as mapped from its perf event. */
struct bl_perf_ring {
	int cpu;
	int fd;				/* the perf event; -1 for a ring in memory */
	struct perf_event_mmap_page *meta;	/* data_head, data_tail */
	unsigned char *data;		/* the data pages */
	uint64_t size;			/* bytes of data: pages * page size */
	unsigned char *scratch;		/* BL_PERF_RECORD_MAX bytes for wrapped records */
	struct bl_perf_buffer_stats stats;
};

/* Read the complete records of one ring, from data_tail to data_head, and
 * move data_tail past them.  Returns records handled, a callback's
 * negative value, or -EBADMSG when a record's size is impossible (the
 * ring is then left as it is: close it).  Poll and consume use this; the
 * unit tests call it on a ring built in memory. */
int bl_perf_ring_read(struct bl_perf_ring *ring, const struct bl_perf_buffer_callbacks *callbacks,
		      void *ctx, struct bl_err *err);

#endif
