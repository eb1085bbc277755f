// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf.c - reading BPF ring buffers in place.
 *
 * Syscalls: bpf(BPF_OBJ_GET_INFO_BY_FD), mmap(2)/munmap(2) of the map
 * (sys/kernel_fd.c), epoll_create1/epoll_ctl/epoll_wait on the map fd,
 * fcntl(F_DUPFD_CLOEXEC).  Opening, polling and consuming mark the
 * narration's read phase, freeing its detach (sys/trace.h).
 *
 * Positions (consumer_pos, producer_pos) are byte counts that only grow;
 * position p lives at data[p & mask].  The kernel side is
 * kernel/bpf/ringbuf.c: __bpf_ringbuf_reserve() writes the header with
 * BPF_RINGBUF_BUSY_BIT set and then publishes producer_pos;
 * bpf_ringbuf_commit() clears the bit with xchg() and wakes the reader if
 * consumer_pos was exactly at this record, i.e. the reader had caught up.
 */
#define _GNU_SOURCE
#include "events/ringbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"

struct bl_ringbuf {
	int epoll_fd;
	struct bl_ringbuf_ring *rings;
	int ring_cnt;
	struct epoll_event *events;	/* ring_cnt of them, for epoll_wait */
};

/* ---- reading a ring ---------------------------------------------------- */

static __attribute__((format(printf, 4, 5)))
int corrupt(const struct bl_ringbuf_ring *ring, unsigned long pos, struct bl_err *err,
	    const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return bl_fail(err, EBADMSG, "BPF ring buffer of %llu bytes is corrupt at position %lu: %s; stop reading it",
		       (unsigned long long)ring->mask + 1, pos, what);
}

/* The len word of the record header at pos. */
static uint32_t header_len(const struct bl_ringbuf_ring *ring, unsigned long pos)
{
	/* Acquire pairs with the xchg() that clears BPF_RINGBUF_BUSY_BIT in
	 * bpf_ringbuf_commit(): once we see the bit clear, the program's
	 * writes to the record before its submit are visible to us. */
	return __atomic_load_n((const uint32_t *)(ring->data + (pos & ring->mask)), __ATOMIC_ACQUIRE);
}

/* Bytes a record with len bytes of data takes: header and data, rounded
 * up to 8 because the kernel keeps every header 8-byte aligned. */
static uint64_t record_span(uint32_t len)
{
	return ((uint64_t)len + BPF_RINGBUF_HDR_SZ + 7) & ~(uint64_t)7;
}

/* Read records from *cons up to the producer_pos read at the start, or
 * up to the first busy one.  Returns records passed to the callback. */
static int read_available(struct bl_ringbuf_ring *ring, unsigned long *cons, struct bl_err *err)
{
	/* Acquire pairs with the smp_store_release() of producer_pos in
	 * __bpf_ringbuf_reserve(): the headers below it are visible. */
	unsigned long prod = __atomic_load_n(ring->producer_pos, __ATOMIC_ACQUIRE);
	int handled = 0;

	while (*cons != prod) {
		unsigned long avail = prod - *cons;
		const unsigned char *data;
		uint32_t len, size;
		int ret = 0;

		if (avail > ring->mask + 1)
			return corrupt(ring, *cons, err, "producer_pos %lu is more than a ring ahead", prod);
		len = header_len(ring, *cons);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;	/* its submit will wake us: consumer_pos is at it */
		size = len & ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (record_span(size) > avail)
			return corrupt(ring, *cons, err, "a record of %u bytes, %lu are unread", size, avail);
		/* In place even across the end: the data area is mapped twice
		 * and (*cons & mask) + span <= 2 * (mask + 1). */
		data = ring->data + (*cons & ring->mask) + BPF_RINGBUF_HDR_SZ;
		*cons += record_span(size);
		if (len & BPF_RINGBUF_DISCARD_BIT) {
			ring->stats.discarded++;
		} else {
			ring->stats.received++;
			ret = ring->sample(ring->ctx, data, size);
		}
		/* Release: our reads of the record happen before the kernel
		 * can see its space as free and reserve it again.  Published
		 * per record, so that producers get room as early as possible. */
		__atomic_store_n(ring->consumer_pos, *cons, __ATOMIC_RELEASE);
		if (ret < 0)
			return bl_fail(err, -ret, "the ring buffer callback stopped reading (%s)",
				       bl_errno_name(-ret));
		if (!(len & BPF_RINGBUF_DISCARD_BIT))
			handled++;
	}
	return handled;
}

/* Whether a submitted or discarded record waits at cons. */
static int record_ready(const struct bl_ringbuf_ring *ring, unsigned long cons)
{
	unsigned long prod = __atomic_load_n(ring->producer_pos, __ATOMIC_ACQUIRE);

	return prod != cons && !(header_len(ring, cons) & BPF_RINGBUF_BUSY_BIT);
}

int bl_ringbuf_ring_read(struct bl_ringbuf_ring *ring, struct bl_err *err)
{
	/* Only we write consumer_pos; the kernel only reads it. */
	unsigned long cons = __atomic_load_n(ring->consumer_pos, __ATOMIC_RELAXED), start = cons;
	int handled = 0;

	for (;;) {
		int ret = read_available(ring, &cons, err);

		if (ret < 0)
			return ret;
		handled += ret;
		/* A ring's worth per call, so that producers faster than the
		 * callback cannot keep us here forever.  Leaving records behind
		 * is safe: epoll reports the map fd for as long as it holds
		 * data (ringbuf_map_poll() is level-triggered). */
		if (cons - start > ring->mask)
			return handled;
		/*
		 * We are about to report "empty" and let the caller sleep.  The
		 * kernel wakes us only for a record submitted while our
		 * consumer_pos equals its position, so it and we each store
		 * then load: we store consumer_pos and load producer_pos and
		 * the header, a program stores the header (xchg) and loads
		 * consumer_pos.  Release and acquire do not order a store
		 * before a later load; without a full fence on both sides
		 * (the kernel's is the xchg) both could read the old values,
		 * and the record would wait unseen with no wake-up to come.
		 */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!record_ready(ring, cons))
			return handled;
	}
}

/* ---- opening ------------------------------------------------------------ */

/* The map must be a ring buffer; returns its data size (max_entries). */
static int64_t check_map(int map_fd, struct bl_err *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int ret;

	memset(&info, 0, sizeof(info));
	ret = bl_obj_get_info(map_fd, &info, &len);
	if (ret)
		return bl_fail(err, -ret, "ring buffer: fd %d is not a BPF map: %s", map_fd,
			       bl_errno_name(-ret));
	if (info.type != BPF_MAP_TYPE_RINGBUF)
		return bl_fail(err, EINVAL, "ring buffer: map %s has type %u, not BPF_MAP_TYPE_RINGBUF (Linux 5.8)",
			       info.name, info.type);
	return info.max_entries;
}

static int map_ring(struct bl_ringbuf_ring *ring, int map_fd, struct bl_err *err)
{
	size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
	int64_t size = check_map(map_fd, err);
	void *cons;

	if (size < 0)
		return (int)size;
	if ((uint64_t)size > (SIZE_MAX - page_size) / 2)
		return bl_fail(err, E2BIG, "ring buffer of %lld bytes is too large to map twice here",
			       (long long)size);
	/* Our own reference, so the mappings and the epoll entry stay valid
	 * whatever the caller does with its fd. */
	ring->map_fd = bl_sys_dup(map_fd, "the ring buffer reader's own fd of the map");
	if (ring->map_fd < 0)
		return bl_fail(err, -ring->map_fd, "ring buffer: cannot dup fd %d: %s", map_fd,
			       bl_errno_name(-ring->map_fd));
	/* The kernel allows a writable mapping of the consumer page only. */
	cons = bl_sys_mmap(page_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring->map_fd, 0,
			   "the ring buffer's consumer page: consumer_pos, which we advance");
	if (cons == MAP_FAILED)
		return bl_fail(err, errno, "mmap of the ring buffer's consumer page failed: %s",
			       bl_errno_name(errno));
	ring->consumer_pos = cons;
	ring->producer_map_size = page_size + 2 * (size_t)size;
	ring->producer_map = bl_sys_mmap(ring->producer_map_size, PROT_READ, MAP_SHARED,
					 ring->map_fd, (off_t)page_size,
					 "the producer page (producer_pos), then the data twice in a row");
	if (ring->producer_map == MAP_FAILED) {
		ring->producer_map = NULL;
		return bl_fail(err, errno, "mmap of the ring buffer's producer page and %lld data bytes (twice) failed: %s",
			       (long long)size, bl_errno_name(errno));
	}
	ring->producer_pos = ring->producer_map;
	ring->data = (const unsigned char *)ring->producer_map + page_size;
	ring->mask = (uint64_t)size - 1;
	return 0;
}

static void unmap_ring(struct bl_ringbuf_ring *ring)
{
	if (ring->producer_map)
		bl_sys_munmap(ring->producer_map, ring->producer_map_size, "the ring buffer's data");
	if (ring->consumer_pos)
		bl_sys_munmap((void *)ring->consumer_pos, (size_t)sysconf(_SC_PAGESIZE),
			      "the ring buffer's consumer page");
	if (ring->map_fd >= 0)
		bl_sys_close(ring->map_fd, "the ring buffer reader's fd of the map");
}

int bl_ringbuf_add(struct bl_ringbuf *rb, int map_fd, bl_ringbuf_sample_fn sample, void *ctx,
		   struct bl_err *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)rb->ring_cnt };
	struct bl_ringbuf_ring *rings, *ring;
	struct epoll_event *events;
	int ret;

	bl_trace_enter(BL_TRACE_READ);
	if (!sample)
		return bl_fail(err, EINVAL, "ring buffer: no sample callback given");
	rings = realloc(rb->rings, (size_t)(rb->ring_cnt + 1) * sizeof(*rings));
	if (rings)
		rb->rings = rings;
	events = realloc(rb->events, (size_t)(rb->ring_cnt + 1) * sizeof(*events));
	if (events)
		rb->events = events;
	if (!rings || !events)
		return bl_fail(err, ENOMEM, "out of memory");
	ring = &rb->rings[rb->ring_cnt];
	memset(ring, 0, sizeof(*ring));
	ring->map_fd = -1;
	ring->sample = sample;
	ring->ctx = ctx;
	ret = map_ring(ring, map_fd, err);
	if (ret == 0 && epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, ring->map_fd, &ev) < 0)
		ret = bl_fail(err, errno, "epoll_ctl adding the ring buffer failed: %s%s",
			      bl_errno_name(errno),
			      errno == EPERM ? "; this kernel cannot poll BPF maps" : "");
	if (ret) {
		unmap_ring(ring);
		return ret;
	}
	return rb->ring_cnt++;
}

struct bl_ringbuf *bl_ringbuf_open(int map_fd, bl_ringbuf_sample_fn sample, void *ctx,
				   struct bl_err *err)
{
	struct bl_ringbuf *rb = calloc(1, sizeof(*rb));

	bl_trace_enter(BL_TRACE_READ);
	if (!rb) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0) {
		bl_fail(err, errno, "epoll_create1 failed: %s", bl_errno_name(errno));
		free(rb);
		return NULL;
	}
	if (bl_ringbuf_add(rb, map_fd, sample, ctx, err) < 0) {
		bl_ringbuf_free(rb);
		return NULL;
	}
	return rb;
}

/* ---- waiting and reading ------------------------------------------------ */

int bl_ringbuf_poll(struct bl_ringbuf *rb, int timeout_ms, struct bl_err *err)
{
	int n, i, handled = 0;

	bl_trace_enter(BL_TRACE_READ);
	n = epoll_wait(rb->epoll_fd, rb->events, rb->ring_cnt, timeout_ms);

	if (n < 0 && errno == EINTR)
		return bl_fail(err, EINTR, "waiting for the ring buffer was interrupted by a signal");
	if (n < 0)
		return bl_fail(err, errno, "epoll_wait on the ring buffers failed: %s", bl_errno_name(errno));
	/* The map's poll reports a ring as long as it holds data, so a ring
	 * left unread after a callback stopped us is reported again. */
	for (i = 0; i < n; i++) {
		int ret = bl_ringbuf_ring_read(&rb->rings[rb->events[i].data.u32], err);

		if (ret < 0)
			return ret;
		handled += ret;
	}
	return handled;
}

int bl_ringbuf_consume(struct bl_ringbuf *rb, struct bl_err *err)
{
	int i, handled = 0;

	bl_trace_enter(BL_TRACE_READ);
	for (i = 0; i < rb->ring_cnt; i++) {
		int ret = bl_ringbuf_ring_read(&rb->rings[i], err);

		if (ret < 0)
			return ret;
		handled += ret;
	}
	return handled;
}

int bl_ringbuf_epoll_fd(const struct bl_ringbuf *rb)
{
	return rb->epoll_fd;
}

void bl_ringbuf_stats(const struct bl_ringbuf *rb, struct bl_ringbuf_stats *stats)
{
	int i;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < rb->ring_cnt; i++) {
		stats->received += rb->rings[i].stats.received;
		stats->discarded += rb->rings[i].stats.discarded;
	}
}

void bl_ringbuf_free(struct bl_ringbuf *rb)
{
	int i;

	if (!rb)
		return;
	bl_trace_enter(BL_TRACE_DETACH);
	for (i = 0; i < rb->ring_cnt; i++)
		unmap_ring(&rb->rings[i]);
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	free(rb->rings);
	free(rb->events);
	free(rb);
}
