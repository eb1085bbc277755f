/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * event_counts_common.h - what a program that sends events to user space
 * counts, so that the tool can say exactly how many it lost.
 *
 * Neither stream tells user space everything: a full BPF ring buffer
 * tells it nothing, and a full perf ring reports its losses only in front
 * of the next sample that fits.  So the program counts, in a
 * BPF_MAP_TYPE_PERCPU_ARRAY of EVENT_SLOTS u64 values, every event it
 * tries to send and every one that did not go out.  After detaching and
 * draining (loader/perf_buffer.h, loader/ringbuf.h), user space sums the
 * slots over the CPUs: received + lost == produced, exactly.
 */
#ifndef EVENT_COUNTS_COMMON_H
#define EVENT_COUNTS_COMMON_H

enum event_slot {
	EVENT_PRODUCED,		/* events the program tried to send */
	EVENT_LOST,		/* of those, the ones the output helper refused */
	EVENT_SLOTS,
};

#endif
