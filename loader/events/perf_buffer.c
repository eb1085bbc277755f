// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_buffer.c - per-CPU perf rings behind a BPF perf event array.
 *
 * Syscalls: perf_event_open(2) and ioctl(PERF_EVENT_IOC_ENABLE) through
 * sys/perf_event.c, mmap(2)/munmap(2) of the rings and close(2) through
 * sys/kernel_fd.c, bpf(BPF_MAP_UPDATE_ELEM/DELETE_ELEM,
 * BPF_OBJ_GET_INFO_BY_FD), epoll_create1/epoll_ctl/epoll_wait, open/read
 * of /sys/devices/system/cpu/online.  Opening, polling and consuming mark
 * the narration's read phase, freeing its detach (sys/trace.h).
 *
 * The layout of a mapped ring (see struct perf_event_mmap_page in
 * <linux/perf_event.h> and kernel/events/ring_buffer.c):
 *
 *   page 0      metadata: data_head (kernel writes), data_tail (we write)
 *   page 1..n   data, n a power of two; positions are byte counts that
 *               only grow, and position p lives at data[p & (size - 1)]
 *
 * Each record starts with struct perf_event_header {u32 type; u16 misc;
 * u16 size}, size counting the header.  The kernel writes a record only
 * where it will not overwrite unread data, because we map the ring
 * writable: that is what tells it we advance data_tail (a read-only
 * mapping makes it an overwriting ring).
 */
#define _GNU_SOURCE
#include "events/perf_buffer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "sys/bpf_syscall.h"
#include "sys/kernel_fd.h"
#include "sys/perf_event.h"
#include "sys/trace.h"

struct bl_perf_buffer {
	struct bl_perf_buffer_callbacks callbacks;
	void *ctx;
	int map_fd;			/* our dup of the caller's map fd */
	int epoll_fd;
	size_t mmap_size;		/* one metadata page + the data pages */
	struct bl_perf_ring *rings;
	int ring_cnt;			/* rings opened, at least in part */
	int stored_cnt;			/* rings[0..stored_cnt) are in the map */
	struct epoll_event *events;	/* ring_cnt of them, for epoll_wait */
	unsigned char *scratch;		/* shared: we read one ring at a time */
};

/* ---- reading a ring ---------------------------------------------------- */

/* Copy len bytes at ring position pos, which may wrap around the end. */
static void ring_copy(const struct bl_perf_ring *ring, uint64_t pos, void *dst, size_t len)
{
	uint64_t off = pos & (ring->size - 1);
	size_t first = len;

	if (off + len > ring->size)
		first = (size_t)(ring->size - off);
	memcpy(dst, ring->data + off, first);
	memcpy((unsigned char *)dst + first, ring->data, len - first);
}

/* Our copy of the record header at pos.  Records are 8-byte aligned, so
 * the 8-byte header lies in one piece in practice and is read in place
 * with a fixed-size copy, which the compiler turns into one load into a
 * register; a header that wraps (it cannot, but nothing here relies on
 * that) is pieced together by ring_copy() in a copy of its own, so that
 * the caller's stays out of memory. */
static struct perf_event_header read_header(const struct bl_perf_ring *ring, uint64_t pos)
{
	uint64_t off = pos & (ring->size - 1);
	struct perf_event_header hdr;

	if (off + sizeof(hdr) <= ring->size) {
		memcpy(&hdr, ring->data + off, sizeof(hdr));
	} else {
		struct perf_event_header wrapped;

		ring_copy(ring, pos, &wrapped, sizeof(wrapped));
		hdr = wrapped;
	}
	return hdr;
}

/* The record of len bytes at pos, in one piece: in place when it does not
 * wrap, else copied to scratch.  len <= ring->size was checked, and
 * BL_PERF_RECORD_MAX bounds it for the scratch buffer. */
static const unsigned char *record_at(struct bl_perf_ring *ring, uint64_t pos, size_t len)
{
	uint64_t off = pos & (ring->size - 1);

	if (off + len <= ring->size)
		return ring->data + off;
	ring_copy(ring, pos, ring->scratch, len);
	ring->stats.wrapped++;
	return ring->scratch;
}

static __attribute__((format(printf, 4, 5)))
int corrupt(const struct bl_perf_ring *ring, uint64_t pos, struct bl_err *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return bl_fail(err, EBADMSG, "perf ring of CPU %d is corrupt at position %llu: %s; stop reading it and reopen the perf buffer",
		       ring->cpu, (unsigned long long)pos, what);
}

/*
 * The records we know, after their header:
 *   PERF_RECORD_SAMPLE  u32 size, then size bytes (we asked for PERF_SAMPLE_RAW only)
 *   PERF_RECORD_LOST    u64 id, u64 lost
 * Returns 0 when the record can hold what it claims, else -EBADMSG.
 */
static int check_record(const struct bl_perf_ring *ring, uint64_t pos,
			const struct perf_event_header *hdr, const unsigned char *rec,
			struct bl_err *err)
{
	uint32_t raw_size;

	if (hdr->type == PERF_RECORD_SAMPLE) {
		if (hdr->size < sizeof(*hdr) + sizeof(raw_size))
			return corrupt(ring, pos, err, "a sample of %u bytes cannot hold its size field",
				       hdr->size);
		memcpy(&raw_size, rec + sizeof(*hdr), sizeof(raw_size));
		if (raw_size > hdr->size - sizeof(*hdr) - sizeof(raw_size))
			return corrupt(ring, pos, err, "a sample of %u bytes claims %u bytes of data",
				       hdr->size, raw_size);
	} else if (hdr->type == PERF_RECORD_LOST) {
		if (hdr->size < sizeof(*hdr) + 2 * sizeof(uint64_t))
			return corrupt(ring, pos, err, "a LOST record of %u bytes is too short", hdr->size);
	}
	return 0;
}

/* Hand a checked record to its callback.  Returns 1 when handled, 0 when
 * skipped, or the sample callback's negative value. */
static int dispatch_record(struct bl_perf_ring *ring, const struct perf_event_header *hdr,
			   const unsigned char *rec, const struct bl_perf_buffer_callbacks *cb,
			   void *ctx)
{
	uint32_t raw_size;
	uint64_t lost;
	int ret;

	switch (hdr->type) {
	case PERF_RECORD_SAMPLE:
		memcpy(&raw_size, rec + sizeof(*hdr), sizeof(raw_size));
		ring->stats.received++;
		ret = cb->sample(ctx, ring->cpu, rec + sizeof(*hdr) + sizeof(raw_size), raw_size);
		return ret < 0 ? ret : 1;
	case PERF_RECORD_LOST:
		memcpy(&lost, rec + sizeof(*hdr) + sizeof(uint64_t), sizeof(lost));
		ring->stats.lost += lost;
		if (cb->lost)
			cb->lost(ctx, ring->cpu, lost);
		return 1;
	default:
		ring->stats.skipped++;
		return 0;
	}
}

int bl_perf_ring_read(struct bl_perf_ring *ring, const struct bl_perf_buffer_callbacks *cb,
		      void *ctx, struct bl_err *err)
{
	/* Acquire pairs with the kernel's smp_wmb() before it publishes
	 * data_head (perf_output_put_handle): once we see the new head, the
	 * records below it are visible too.  This is the smp_rmb() that
	 * <linux/perf_event.h> asks of readers, folded into the load. */
	uint64_t head = __atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE);
	/* Only we write data_tail; the kernel only reads it. */
	uint64_t tail = __atomic_load_n(&ring->meta->data_tail, __ATOMIC_RELAXED);
	int handled = 0, ret = 0;

	if (head - tail > ring->size)
		return corrupt(ring, tail, err, "data_head %llu is more than %llu bytes ahead",
			       (unsigned long long)head, (unsigned long long)ring->size);
	while (tail != head) {
		struct perf_event_header hdr;
		const unsigned char *rec;

		/* Our own copy of the header: we check it once and use it, so a
		 * value changing underneath cannot pass the checks and then
		 * mislead us. */
		if (head - tail < sizeof(hdr)) {
			ret = corrupt(ring, tail, err, "%llu unread bytes are too few for a header",
				      (unsigned long long)(head - tail));
			break;
		}
		hdr = read_header(ring, tail);
		if (hdr.size < sizeof(hdr) || hdr.size > head - tail) {
			ret = corrupt(ring, tail, err, "a record claims %u bytes, %llu are unread",
				      hdr.size, (unsigned long long)(head - tail));
			break;
		}
		rec = record_at(ring, tail, hdr.size);
		ret = check_record(ring, tail, &hdr, rec, err);
		if (ret < 0)
			break;		/* leave the bad record where it is */
		ret = dispatch_record(ring, &hdr, rec, cb, ctx);
		tail += hdr.size;
		if (ret < 0) {
			/* the callback stopped us; it had its record */
			bl_fail(err, -ret, "the sample callback stopped reading CPU %d's ring (%s)",
				ring->cpu, bl_errno_name(-ret));
			break;
		}
		handled += ret;
	}
	/* Release: every read of the records above (and of the scratch copies'
	 * sources) happens before the kernel can see the space as free and
	 * write over it.  This is the barrier (D) of perf_output_put_handle()'s
	 * comment, which must order loads before the store, as a release does. */
	__atomic_store_n(&ring->meta->data_tail, tail, __ATOMIC_RELEASE);
	return ret < 0 ? ret : handled;
}

/* ---- opening ------------------------------------------------------------ */

static int open_bpf_output_event(int cpu, struct bl_err *err)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;	/* a sample is: u32 size, data */
	attr.sample_period = 1;
	attr.wakeup_events = 1;			/* wake epoll for every sample */
	attr.disabled = 1;			/* enabled once its ring exists */
	fd = bl_sys_perf_event_open(&attr, -1 /* any process */, cpu, -1 /* no group */,
				    PERF_FLAG_FD_CLOEXEC, NULL);
	if (fd < 0) {
		int e = -fd;

		return bl_fail(err, e, "perf_event_open of a BPF output event on CPU %d failed: %s%s", cpu,
			       bl_errno_name(e),
			       e == EACCES || e == EPERM ?
			       "; run as root (or with CAP_PERFMON) or lower kernel.perf_event_paranoid" :
			       e == ENOENT || e == EINVAL ?
			       "; this kernel may lack PERF_COUNT_SW_BPF_OUTPUT (Linux 4.4)" :
			       e == EMFILE ? "; too many open files (ulimit -n)" : "");
	}
	return fd;
}

static int add_to_epoll(struct bl_perf_buffer *pb, const struct bl_perf_ring *ring, int index,
			struct bl_err *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)index };

	if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, ring->fd, &ev) < 0)
		return bl_fail(err, errno, "epoll_ctl adding CPU %d's perf event failed: %s",
			       ring->cpu, bl_errno_name(errno));
	return 0;
}

/* Open, map and enable one CPU's event, then make it the map's entry. */
static int open_ring(struct bl_perf_buffer *pb, struct bl_perf_ring *ring, int cpu,
		     size_t page_size, struct bl_err *err)
{
	uint32_t key = (uint32_t)cpu, value;
	char what[64];
	void *map;
	int ret;

	ring->cpu = cpu;
	ring->fd = open_bpf_output_event(cpu, err);
	if (ring->fd < 0)
		return ring->fd;
	/* PROT_WRITE makes the ring non-overwriting: the kernel respects the
	 * data_tail we write instead of overwriting what we have not read. */
	if (bl_tracing())
		snprintf(what, sizeof(what), "the perf ring of CPU %d: 1 metadata page, %zu data pages",
			 cpu, pb->mmap_size / page_size - 1);
	map = bl_sys_mmap(pb->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring->fd, 0, what);
	if (map == MAP_FAILED) {
		int e = errno;

		return bl_fail(err, e, "mmap of %zu bytes of CPU %d's perf ring failed: %s%s",
			       pb->mmap_size, cpu, bl_errno_name(e),
			       e == EPERM || e == ENOMEM ?
			       "; use fewer pages per CPU or raise kernel.perf_event_mlock_kb" : "");
	}
	ring->meta = map;
	ring->data = (unsigned char *)map + page_size;
	ring->size = pb->mmap_size - page_size;
	ring->scratch = pb->scratch;
	ret = bl_sys_perf_ioctl(ring->fd, PERF_EVENT_IOC_ENABLE, 0);
	if (ret < 0)
		return bl_fail(err, -ret, "enabling CPU %d's BPF output event failed: %s", cpu,
			       bl_errno_name(-ret));
	ret = add_to_epoll(pb, ring, (int)(ring - pb->rings), err);
	if (ret)
		return ret;
	/* Last, so that a program never finds an event without its ring. */
	value = (uint32_t)ring->fd;
	ret = bl_map_update(pb->map_fd, &key, &value, BPF_ANY);
	if (ret)
		return bl_fail(err, -ret, "storing CPU %d's perf event in the perf event array failed: %s",
			       cpu, bl_errno_name(-ret));
	pb->stored_cnt++;
	return 0;
}

/* The map must be a perf event array; returns its max_entries. */
static int check_map(int map_fd, struct bl_err *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int ret;

	memset(&info, 0, sizeof(info));
	ret = bl_obj_get_info(map_fd, &info, &len);
	if (ret)
		return bl_fail(err, -ret, "perf buffer: fd %d is not a BPF map: %s", map_fd,
			       bl_errno_name(-ret));
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return bl_fail(err, EINVAL, "perf buffer: map %s has type %u, not BPF_MAP_TYPE_PERF_EVENT_ARRAY",
			       info.name, info.type);
	return (int)info.max_entries;
}

static int open_rings(struct bl_perf_buffer *pb, int ncpus, size_t page_size, struct bl_err *err)
{
	unsigned char *online = calloc((size_t)ncpus, 1);
	int cpu, ret;

	if (!online)
		return bl_fail(err, ENOMEM, "out of memory");
	/* CPUs that are possible but offline get no ring: perf_event_open()
	 * cannot bind an event to them. */
	ret = bl_online_cpus(online, ncpus, err);
	for (cpu = 0; ret == 0 && cpu < ncpus; cpu++) {
		struct bl_perf_ring *ring = &pb->rings[pb->ring_cnt];

		if (!online[cpu])
			continue;
		ring->fd = -1;
		pb->ring_cnt++;		/* counted now so that free undoes a half-open ring */
		ret = open_ring(pb, ring, cpu, page_size, err);
	}
	free(online);
	if (ret == 0 && pb->ring_cnt == 0)
		ret = bl_fail(err, ENODEV, "perf buffer: no online CPU has a slot in the perf event array");
	return ret;
}

struct bl_perf_buffer *bl_perf_buffer_open(int map_fd, size_t pages_per_cpu,
					   const struct bl_perf_buffer_callbacks *callbacks,
					   void *ctx, struct bl_err *err)
{
	size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
	struct bl_perf_buffer *pb;
	int entries, ncpus;

	bl_trace_enter(BL_TRACE_READ);
	if (pages_per_cpu == 0 || (pages_per_cpu & (pages_per_cpu - 1))) {
		bl_fail(err, EINVAL, "perf buffer: %zu pages per CPU is not a power of two; the kernel maps 2^n data pages",
			pages_per_cpu);
		return NULL;
	}
	if (pages_per_cpu > ((size_t)1 << 30) / page_size) {
		bl_fail(err, E2BIG, "perf buffer: %zu pages per CPU is more than 1 GiB; use fewer", pages_per_cpu);
		return NULL;
	}
	if (!callbacks || !callbacks->sample) {
		bl_fail(err, EINVAL, "perf buffer: no sample callback given");
		return NULL;
	}
	entries = check_map(map_fd, err);
	if (entries < 0)
		return NULL;
	ncpus = bl_possible_cpus(err);
	if (ncpus < 0)
		return NULL;
	if (entries < ncpus)	/* CPUs beyond the map cannot output anyway */
		ncpus = entries;

	pb = calloc(1, sizeof(*pb));
	if (!pb) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	pb->callbacks = *callbacks;
	pb->ctx = ctx;
	pb->epoll_fd = -1;
	pb->mmap_size = (pages_per_cpu + 1) * page_size;
	/* Our own reference to the map, so that free can take our events out
	 * of it even when the caller has closed its fd by then. */
	pb->map_fd = bl_sys_dup(map_fd, "the perf buffer's own fd of the perf event array");
	pb->rings = calloc((size_t)(ncpus ? ncpus : 1), sizeof(*pb->rings));
	pb->events = calloc((size_t)(ncpus ? ncpus : 1), sizeof(*pb->events));
	pb->scratch = malloc(BL_PERF_RECORD_MAX);
	if (pb->map_fd < 0 || !pb->rings || !pb->events || !pb->scratch) {
		bl_fail(err, pb->map_fd < 0 ? -pb->map_fd : ENOMEM, "perf buffer: out of memory or file descriptors");
		goto fail;
	}
	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (pb->epoll_fd < 0) {
		bl_fail(err, errno, "epoll_create1 failed: %s", bl_errno_name(errno));
		goto fail;
	}
	if (open_rings(pb, ncpus, page_size, err))
		goto fail;
	return pb;
fail:
	bl_perf_buffer_free(pb);
	return NULL;
}

/* ---- waiting and reading ------------------------------------------------ */

int bl_perf_buffer_poll(struct bl_perf_buffer *pb, int timeout_ms, struct bl_err *err)
{
	int n, i, handled = 0;

	bl_trace_enter(BL_TRACE_READ);
	n = epoll_wait(pb->epoll_fd, pb->events, pb->ring_cnt, timeout_ms);

	if (n < 0 && errno == EINTR)
		return bl_fail(err, EINTR, "waiting for perf events was interrupted by a signal");
	if (n < 0)
		return bl_fail(err, errno, "epoll_wait on the perf rings failed: %s", bl_errno_name(errno));
	/* perf_poll() reports a ring once per wake-up, so a ring must be read
	 * when reported; a callback that stops us leaves the rest to consume. */
	for (i = 0; i < n; i++) {
		int ret = bl_perf_ring_read(&pb->rings[pb->events[i].data.u32], &pb->callbacks,
					    pb->ctx, err);

		if (ret < 0)
			return ret;
		handled += ret;
	}
	return handled;
}

int bl_perf_buffer_consume(struct bl_perf_buffer *pb, struct bl_err *err)
{
	int i, handled = 0;

	bl_trace_enter(BL_TRACE_READ);
	for (i = 0; i < pb->ring_cnt; i++) {
		int ret = bl_perf_ring_read(&pb->rings[i], &pb->callbacks, pb->ctx, err);

		if (ret < 0)
			return ret;
		handled += ret;
	}
	return handled;
}

int bl_perf_buffer_epoll_fd(const struct bl_perf_buffer *pb)
{
	return pb->epoll_fd;
}

void bl_perf_buffer_stats(const struct bl_perf_buffer *pb, struct bl_perf_buffer_stats *stats)
{
	int i;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < pb->ring_cnt; i++) {
		stats->received += pb->rings[i].stats.received;
		stats->lost += pb->rings[i].stats.lost;
		stats->wrapped += pb->rings[i].stats.wrapped;
		stats->skipped += pb->rings[i].stats.skipped;
	}
}

void bl_perf_buffer_free(struct bl_perf_buffer *pb)
{
	int i;

	if (!pb)
		return;
	bl_trace_enter(BL_TRACE_DETACH);
	for (i = 0; i < pb->ring_cnt; i++) {
		struct bl_perf_ring *ring = &pb->rings[i];
		uint32_t key = (uint32_t)ring->cpu;

		/* The map holds a reference to the event; deleting the entry
		 * lets the kernel free event and ring now, not with the map. */
		if (i < pb->stored_cnt)
			bl_map_delete(pb->map_fd, &key);
		if (ring->meta)
			bl_sys_munmap(ring->meta, pb->mmap_size, "a perf ring");
		if (ring->fd >= 0)
			bl_sys_close(ring->fd, "a perf event of the perf buffer");
	}
	if (pb->epoll_fd >= 0)
		close(pb->epoll_fd);
	if (pb->map_fd >= 0)
		bl_sys_close(pb->map_fd, "the perf buffer's fd of the perf event array");
	free(pb->rings);
	free(pb->events);
	free(pb->scratch);
	free(pb);
}
