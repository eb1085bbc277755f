// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_events.c - the record parsers of loader/perf_buffer.c and
 * loader/ringbuf.c on rings built in memory, under AddressSanitizer.
 *
 * A fake perf ring is a struct perf_event_mmap_page and a data area
 * malloc'd at exactly its size, so that reading one byte past the end is
 * an ASan error.  A fake BPF ring buffer maps one memfd twice in a row,
 * as the kernel maps the data pages.  The tests write records the way the
 * kernel does (and some it never would) and check what the callbacks see.
 *
 * Usage: test_events [ignored arguments]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../testlib.h"
#include "events/perf_buffer.h"
#include "events/ringbuf.h"

/* ---- a perf ring in memory -------------------------------------------- */

struct fake_perf {
	struct perf_event_mmap_page *meta;
	struct bl_perf_ring ring;
	uint64_t head;		/* where the next record goes */
};

static void fp_init(struct fake_perf *fp, uint64_t size, uint64_t start)
{
	fp->meta = calloc(1, sizeof(*fp->meta));
	fp->ring.cpu = 3;
	fp->ring.fd = -1;
	fp->ring.meta = fp->meta;
	fp->ring.data = malloc(size);
	memset(fp->ring.data, 0xee, size);
	fp->ring.size = size;
	fp->ring.scratch = malloc(BL_PERF_RECORD_MAX);
	memset(&fp->ring.stats, 0, sizeof(fp->ring.stats));
	fp->head = start;
	fp->meta->data_head = start;
	fp->meta->data_tail = start;
}

static void fp_free(struct fake_perf *fp)
{
	free(fp->meta);
	free(fp->ring.data);
	free(fp->ring.scratch);
}

/* Bytes at the producer's position, wrapping like the kernel's writes. */
static void fp_put(struct fake_perf *fp, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	size_t i;

	for (i = 0; i < len; i++)
		fp->ring.data[(fp->head + i) & (fp->ring.size - 1)] = p[i];
	fp->head += len;
}

static void fp_publish(struct fake_perf *fp)
{
	fp->meta->data_head = fp->head;
}

static void fp_header(struct fake_perf *fp, uint32_t type, uint16_t size)
{
	struct perf_event_header h = { .type = type, .misc = 0, .size = size };

	fp_put(fp, &h, sizeof(h));
}

/* Payload byte i of the record numbered n; never 0, which marks padding. */
static unsigned char pattern(uint32_t n, uint32_t i)
{
	return (unsigned char)((n * 131 + i * 7) % 255 + 1);
}

/* A PERF_RECORD_SAMPLE with raw_size bytes of pattern n, padded as the
 * kernel pads: u32 size plus data fill a multiple of 8, and the size
 * field counts the padding. */
static void fp_sample(struct fake_perf *fp, uint32_t n, uint32_t raw_size)
{
	uint32_t padded = ((raw_size + 4 + 7) & ~7u) - 4, i;
	unsigned char pad = 0;

	fp_header(fp, PERF_RECORD_SAMPLE, (uint16_t)(8 + 4 + padded));
	fp_put(fp, &padded, sizeof(padded));
	for (i = 0; i < raw_size; i++) {
		unsigned char b = pattern(n, i);

		fp_put(fp, &b, 1);
	}
	for (i = raw_size; i < padded; i++)
		fp_put(fp, &pad, 1);
}

static void fp_lost(struct fake_perf *fp, uint64_t count)
{
	uint64_t id = 42;

	fp_header(fp, PERF_RECORD_LOST, 24);
	fp_put(fp, &id, sizeof(id));
	fp_put(fp, &count, sizeof(count));
}

/* What the callbacks saw. */
struct seen {
	int samples;
	uint32_t sizes[64];
	int intact;		/* every sample matched pattern(index, ...) */
	uint32_t first_n;	/* pattern number of the first sample */
	uint64_t lost;
	int lost_calls;
	int stop_at;		/* return -ECANCELED at this sample (1-based), 0: never */
	int bad_cpu;
};

static void seen_init(struct seen *s, uint32_t first_n)
{
	memset(s, 0, sizeof(*s));
	s->intact = 1;
	s->first_n = first_n;
}

static int on_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	struct seen *s = ctx;
	const unsigned char *p = data;
	uint32_t i, n = s->first_n + (uint32_t)s->samples;

	if (cpu != 3)
		s->bad_cpu = 1;
	/* Pattern bytes, then at most 7 bytes of padding (zeros here); read
	 * every byte so that ASan checks them all. */
	for (i = 0; i < size; i++)
		if (p[i] != pattern(n, i) && !(p[i] == 0 && i + 8 > size))
			s->intact = 0;
	if (s->samples < 64)
		s->sizes[s->samples] = size;
	s->samples++;
	return s->stop_at && s->samples == s->stop_at ? -ECANCELED : 0;
}

static void on_lost(void *ctx, int cpu, uint64_t count)
{
	struct seen *s = ctx;

	if (cpu != 3)
		s->bad_cpu = 1;
	s->lost += count;
	s->lost_calls++;
}

static const struct bl_perf_buffer_callbacks callbacks = { on_sample, on_lost };

/* ---- perf ring cases --------------------------------------------------- */

static void test_perf_wrap_point(void)
{
	const char *name = "perf-parser/sample-across-the-end";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	int ret;

	fp_init(&fp, 4096, 4096 - 24);	/* header and 12 data bytes fit */
	fp_sample(&fp, 0, 100);
	fp_sample(&fp, 1, 20);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 2 || s.samples != 2 || !s.intact || s.sizes[0] != 100 || s.sizes[1] != 20 || s.bad_cpu)
		t_fail(name, "returned %d, %d samples, intact %d, sizes %u %u", ret, s.samples, s.intact,
		       s.sizes[0], s.sizes[1]);
	else if (fp.ring.stats.wrapped != 1 || fp.meta->data_tail != fp.meta->data_head)
		t_fail(name, "wrapped %" PRIu64 ", tail %llu head %llu", fp.ring.stats.wrapped,
		       (unsigned long long)fp.meta->data_tail, (unsigned long long)fp.meta->data_head);
	else
		t_pass(name);
	fp_free(&fp);
}

/* The kernel keeps records 8-byte aligned, so a header never wraps; the
 * parser must not depend on it. */
static void test_perf_header_across_end(void)
{
	const char *name = "perf-parser/header-across-the-end";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	int ret;

	fp_init(&fp, 4096, 4096 - 4);
	fp_sample(&fp, 0, 36);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 1 || !s.intact || s.sizes[0] != 36 || fp.meta->data_tail != fp.meta->data_head)
		t_fail(name, "returned %d (%s), intact %d, size %u", ret, ret < 0 ? err.msg : "", s.intact,
		       s.sizes[0]);
	else
		t_pass(name);
	fp_free(&fp);
}

static void test_perf_exactly_at_end(void)
{
	const char *name = "perf-parser/record-ending-at-the-end";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	int ret;

	fp_init(&fp, 4096, 3 * 4096 - 112);	/* positions only grow: third lap */
	fp_sample(&fp, 0, 100);		/* 8 + 4 + 100 = 112 bytes */
	fp_sample(&fp, 1, 4);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 2 || !s.intact || fp.ring.stats.wrapped != 0)
		t_fail(name, "returned %d, intact %d, wrapped %" PRIu64 " (expected 0)", ret, s.intact,
		       fp.ring.stats.wrapped);
	else
		t_pass(name);
	fp_free(&fp);
}

static void test_perf_zero_size(void)
{
	const char *name = "perf-parser/zero-size-samples";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	uint32_t zero = 0;
	int ret;

	fp_init(&fp, 4096, 4096 - 16);
	/* As the kernel writes it: 4 bytes of padding after the size. */
	fp_sample(&fp, 0, 0);
	/* As it never does: no padding, a 12-byte record. */
	fp_header(&fp, PERF_RECORD_SAMPLE, 12);
	fp_put(&fp, &zero, sizeof(zero));
	fp_sample(&fp, 2, 8);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 3 || s.sizes[0] != 4 || s.sizes[1] != 0 || s.sizes[2] != 12)
		t_fail(name, "returned %d, sizes %u %u %u (expected 4 0 12)", ret, s.sizes[0], s.sizes[1],
		       s.sizes[2]);
	else
		t_pass(name);
	fp_free(&fp);
}

static void test_perf_lost(void)
{
	const char *name = "perf-parser/lost-records";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	int ret;

	fp_init(&fp, 4096, 4096 - 8);
	fp_lost(&fp, 5);		/* straddles the end */
	fp_sample(&fp, 0, 20);
	fp_lost(&fp, 7);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 3 || s.samples != 1 || s.lost != 12 || s.lost_calls != 2 || fp.ring.stats.lost != 12 ||
	    fp.ring.stats.received != 1)
		t_fail(name, "returned %d: %d samples, lost %" PRIu64 " in %d calls", ret, s.samples, s.lost,
		       s.lost_calls);
	else
		t_pass(name);
	fp_free(&fp);
}

static void test_perf_unknown_types(void)
{
	const char *name = "perf-parser/unknown-types-skipped";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	uint64_t junk[3] = { 1, 2, 3 };
	int ret;

	fp_init(&fp, 4096, 0);
	fp_header(&fp, PERF_RECORD_THROTTLE, 32);
	fp_put(&fp, junk, sizeof(junk));
	fp_header(&fp, 0x7777, 8);	/* no body at all */
	fp_sample(&fp, 0, 20);
	fp_publish(&fp);
	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != 1 || s.samples != 1 || !s.intact || fp.ring.stats.skipped != 2 ||
	    fp.meta->data_tail != fp.head)
		t_fail(name, "returned %d, %d samples, skipped %" PRIu64, ret, s.samples,
		       fp.ring.stats.skipped);
	else
		t_pass(name);
	fp_free(&fp);
}

static void test_perf_callback_stops(void)
{
	const char *name = "perf-parser/callback-stops";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	uint64_t after_second;
	int ret, ret2;

	fp_init(&fp, 4096, 0);
	fp_sample(&fp, 0, 20);
	fp_sample(&fp, 1, 20);
	after_second = fp.head;
	fp_sample(&fp, 2, 20);
	fp_publish(&fp);
	seen_init(&s, 0);
	s.stop_at = 2;
	ret = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
	if (ret != -ECANCELED || fp.meta->data_tail != after_second || !strstr(err.msg, "callback")) {
		t_fail(name, "returned %d, tail %llu (expected %" PRIu64 "): %s", ret,
		       (unsigned long long)fp.meta->data_tail, after_second, err.msg);
	} else {
		s.stop_at = 0;
		ret2 = bl_perf_ring_read(&fp.ring, &callbacks, &s, &err);
		if (ret2 != 1 || s.samples != 3 || !s.intact)
			t_fail(name, "the next read returned %d, %d samples in all", ret2, s.samples);
		else
			t_pass(name);
	}
	fp_free(&fp);
}

/* A corrupt ring: the read must stop with -EBADMSG, leave data_tail where
 * it was and read nothing out of bounds (ASan watches). */
static void expect_corrupt(const char *name, struct fake_perf *fp, int samples_before)
{
	struct seen s;
	struct bl_err err = { 0, "" };
	uint64_t tail = fp->meta->data_tail;
	int ret;

	seen_init(&s, 0);
	ret = bl_perf_ring_read(&fp->ring, &callbacks, &s, &err);
	if (ret != -EBADMSG || s.samples != samples_before)
		t_fail(name, "returned %d after %d samples, expected -EBADMSG after %d", ret, s.samples,
		       samples_before);
	else if (samples_before == 0 && fp->meta->data_tail != tail)
		t_fail(name, "data_tail moved from %llu to %llu", (unsigned long long)tail,
		       (unsigned long long)fp->meta->data_tail);
	else if (!strstr(err.msg, "corrupt") || !strstr(err.msg, "CPU 3"))
		t_fail(name, "message does not say which ring is corrupt: %s", err.msg);
	else if (bl_perf_ring_read(&fp->ring, &callbacks, &s, &err) != -EBADMSG)
		t_fail(name, "a second read did not stop at the same record");
	else
		t_pass(name);
}

static void test_perf_corrupt(void)
{
	struct fake_perf fp;
	uint32_t raw = 5000;

	fp_init(&fp, 4096, 4096 - 8);
	fp_header(&fp, PERF_RECORD_SAMPLE, 0);	/* would never advance */
	fp_put(&fp, &raw, sizeof(raw));
	fp_publish(&fp);
	expect_corrupt("perf-parser/corrupt-size-zero", &fp, 0);
	fp_free(&fp);

	fp_init(&fp, 4096, 100 * 4096);
	fp_header(&fp, PERF_RECORD_SAMPLE, 4000);	/* only 16 bytes written */
	fp_put(&fp, &raw, sizeof(raw));
	fp_put(&fp, &raw, sizeof(raw));
	fp_publish(&fp);
	expect_corrupt("perf-parser/corrupt-size-beyond-head", &fp, 0);
	fp_free(&fp);

	fp_init(&fp, 4096, 4096 - 16);
	fp_sample(&fp, 0, 20);
	fp_header(&fp, PERF_RECORD_SAMPLE, 32);	/* raw size 5000 in 32 bytes */
	fp_put(&fp, &raw, sizeof(raw));
	fp_put(&fp, &raw, sizeof(raw));
	fp.head += 16;
	fp_publish(&fp);
	expect_corrupt("perf-parser/corrupt-raw-size", &fp, 1);
	fp_free(&fp);

	fp_init(&fp, 4096, 0);
	fp_header(&fp, PERF_RECORD_LOST, 16);	/* no room for the count */
	fp_put(&fp, &raw, sizeof(raw));
	fp_put(&fp, &raw, sizeof(raw));
	fp_publish(&fp);
	expect_corrupt("perf-parser/corrupt-short-lost", &fp, 0);
	fp_free(&fp);

	fp_init(&fp, 4096, 0);
	fp_sample(&fp, 0, 20);
	fp.meta->data_head = 4096 + 8;		/* more than a ring ahead */
	expect_corrupt("perf-parser/corrupt-head", &fp, 0);
	fp_free(&fp);

	fp_init(&fp, 4096, 0);
	fp_sample(&fp, 0, 20);
	fp.meta->data_head = fp.head + 4;	/* a partial header */
	expect_corrupt("perf-parser/corrupt-partial-header", &fp, 1);
	fp_free(&fp);
}

/* A long stream of random sizes with LOST records between, written as
 * a producer would (never over unread data), read in between. */
static void test_perf_stream(void)
{
	const char *name = "perf-parser/random-stream-20000";
	struct fake_perf fp;
	struct seen s;
	struct bl_err err;
	uint32_t n = 0, rng = 12345;
	uint64_t lost = 0;
	int reads = 0;

	fp_init(&fp, 4096, 0);
	seen_init(&s, 0);
	while (n < 20000 && s.intact) {
		/* fill until the next record might not fit */
		while (n < 20000 && fp.head - fp.meta->data_tail + 8 + 4 + 704 + 24 <= fp.ring.size) {
			rng = rng * 1103515245 + 12345;
			if ((rng >> 16) % 10 == 0) {
				fp_lost(&fp, (rng >> 8) % 100 + 1);
				lost += (rng >> 8) % 100 + 1;
			}
			fp_sample(&fp, n++, (rng >> 4) % 701);
		}
		fp_publish(&fp);
		if (bl_perf_ring_read(&fp.ring, &callbacks, &s, &err) < 0) {
			t_fail(name, "%s", err.msg);
			fp_free(&fp);
			return;
		}
		reads++;
	}
	if (!s.intact || (uint32_t)s.samples != n || s.lost != lost || s.bad_cpu)
		t_fail(name, "%d of %u samples, intact %d, lost %" PRIu64 " of %" PRIu64, s.samples, n,
		       s.intact, s.lost, lost);
	else if (!fp.ring.stats.wrapped)
		t_fail(name, "no record wrapped");
	else {
		printf("# %s: %u samples in %d reads, %" PRIu64 " wrapped, %" PRIu64 " lost\n", name, n,
		       reads, fp.ring.stats.wrapped, lost);
		t_pass(name);
	}
	fp_free(&fp);
}

/* ---- a BPF ring buffer in memory -------------------------------------- */

struct fake_rb {
	struct bl_ringbuf_ring ring;
	unsigned long cons, prod;	/* stand-ins for the two pages */
	unsigned char *area;		/* 2 * size bytes: one memfd mapped twice */
	size_t size;
	unsigned long head;		/* where the next record goes */
};

static int frb_init(struct fake_rb *f, size_t size, unsigned long start, bl_ringbuf_sample_fn fn,
		    void *ctx)
{
	int fd = memfd_create("fake_ringbuf", MFD_CLOEXEC);
	unsigned char *area;

	memset(f, 0, sizeof(*f));
	if (fd < 0 || ftruncate(fd, (off_t)size))
		return -1;
	area = mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED ||
	    mmap(area, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(area + size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	f->area = area;
	f->size = size;
	f->cons = f->prod = f->head = start;
	f->ring.map_fd = -1;
	f->ring.consumer_pos = &f->cons;
	f->ring.producer_pos = &f->prod;
	f->ring.data = area;
	f->ring.mask = size - 1;
	f->ring.sample = fn;
	f->ring.ctx = ctx;
	return 0;
}

static void frb_free(struct fake_rb *f)
{
	if (f->area)
		munmap(f->area, 2 * f->size);
}

/* A record of len bytes of pattern n, with extra header bits; returns
 * where its header is.  Data may run into the second mapping. */
static unsigned char *frb_put(struct fake_rb *f, uint32_t n, uint32_t len, uint32_t bits)
{
	unsigned char *hdr = f->area + (f->head & (f->size - 1));
	uint32_t word = len | bits, pg_off = 0, i;

	memcpy(hdr, &word, sizeof(word));
	memcpy(hdr + 4, &pg_off, sizeof(pg_off));
	for (i = 0; i < len; i++)
		hdr[8 + i] = pattern(n, i);
	f->head += (len + 8 + 7) & ~7u;
	f->prod = f->head;
	return hdr;
}

struct rb_seen {
	int samples;
	uint32_t numbers[64];	/* which pattern each sample matched */
	uint32_t sizes[64];
	int intact;
	int stop_at;
};

/* Records carry pattern n; find n from the first byte's value. */
static int rb_on_sample(void *ctx, const void *data, uint32_t size)
{
	struct rb_seen *s = ctx;
	const unsigned char *p = data;
	uint32_t n = s->samples < 64 ? s->numbers[s->samples] : 0, i;

	for (i = 0; i < size; i++)
		if (p[i] != pattern(n, i))
			s->intact = 0;
	if (s->samples < 64)
		s->sizes[s->samples] = size;
	s->samples++;
	return s->stop_at && s->samples == s->stop_at ? -ECANCELED : 0;
}

static void rb_seen_init(struct rb_seen *s, const uint32_t *numbers, int count)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->numbers, numbers, (size_t)count * sizeof(*numbers));
	s->intact = 1;
}

static void test_rb_wrap_and_alignment(void)
{
	const char *name = "ringbuf-parser/odd-sizes-across-the-end";
	static const uint32_t sizes[] = { 1, 7, 8, 13, 44, 60, 0, 3, 200 };
	uint32_t numbers[9], i;
	struct fake_rb f;
	struct rb_seen s;
	struct bl_err err;
	int ret;

	for (i = 0; i < 9; i++)
		numbers[i] = i;
	rb_seen_init(&s, numbers, 9);
	T_EXPECT(name, frb_init(&f, 4096, 5 * 4096 - 64, rb_on_sample, &s) == 0, "cannot map a memfd twice");
	for (i = 0; i < 9; i++)
		frb_put(&f, i, sizes[i], 0);
	ret = bl_ringbuf_ring_read(&f.ring, &err);
	for (i = 0; i < 9 && s.sizes[i] == sizes[i]; i++)
		;
	if (ret != 9 || s.samples != 9 || !s.intact || i != 9)
		t_fail(name, "returned %d, %d samples, intact %d, size %u wrong", ret, s.samples, s.intact,
		       i < 9 ? i : 0);
	else if (f.cons != f.prod)
		t_fail(name, "consumer_pos %lu, producer_pos %lu", f.cons, f.prod);
	else
		t_pass(name);
	frb_free(&f);
}

static void test_rb_discard_and_busy(void)
{
	const char *name = "ringbuf-parser/discard-skipped-busy-waits";
	static const uint32_t numbers[] = { 0, 2, 3 };
	struct fake_rb f;
	struct rb_seen s;
	struct bl_err err;
	unsigned char *busy;
	uint32_t len;
	unsigned long at_busy;
	int ret, ret2;

	rb_seen_init(&s, numbers, 3);
	T_EXPECT(name, frb_init(&f, 4096, 0, rb_on_sample, &s) == 0, "cannot map a memfd twice");
	frb_put(&f, 0, 20, 0);
	frb_put(&f, 1, 20, BPF_RINGBUF_DISCARD_BIT);
	at_busy = f.head;
	busy = frb_put(&f, 2, 30, BPF_RINGBUF_BUSY_BIT);
	frb_put(&f, 3, 40, 0);		/* submitted, but after a busy one */
	ret = bl_ringbuf_ring_read(&f.ring, &err);
	if (ret != 1 || f.cons != at_busy || f.ring.stats.discarded != 1) {
		t_fail(name, "returned %d, consumer_pos %lu (busy record at %lu), discarded %" PRIu64, ret,
		       f.cons, at_busy, f.ring.stats.discarded);
		frb_free(&f);
		return;
	}
	len = 30;			/* the program submits */
	memcpy(busy, &len, sizeof(len));
	ret2 = bl_ringbuf_ring_read(&f.ring, &err);
	if (ret2 != 2 || s.samples != 3 || !s.intact || f.cons != f.prod || f.ring.stats.received != 3)
		t_fail(name, "after submit: returned %d, %d samples, intact %d", ret2, s.samples, s.intact);
	else
		t_pass(name);
	frb_free(&f);
}

static void test_rb_callback_stops(void)
{
	const char *name = "ringbuf-parser/callback-stops";
	static const uint32_t numbers[] = { 0, 1, 2 };
	struct fake_rb f;
	struct rb_seen s;
	struct bl_err err;
	unsigned long after_second;
	int ret;

	rb_seen_init(&s, numbers, 3);
	s.stop_at = 2;
	T_EXPECT(name, frb_init(&f, 4096, 0, rb_on_sample, &s) == 0, "cannot map a memfd twice");
	frb_put(&f, 0, 16, 0);
	frb_put(&f, 1, 16, 0);
	after_second = f.head;
	frb_put(&f, 2, 16, 0);
	ret = bl_ringbuf_ring_read(&f.ring, &err);
	if (ret != -ECANCELED || f.cons != after_second)
		t_fail(name, "returned %d, consumer_pos %lu (expected %lu)", ret, f.cons, after_second);
	else if (bl_ringbuf_ring_read(&f.ring, &err) != 1 || s.samples != 3 || !s.intact)
		t_fail(name, "the next read did not deliver the third record");
	else
		t_pass(name);
	frb_free(&f);
}

static void rb_expect_corrupt(const char *name, struct fake_rb *f, int samples_before)
{
	struct rb_seen *s = f->ring.ctx;
	struct bl_err err = { 0, "" };
	unsigned long cons = f->cons;
	int ret = bl_ringbuf_ring_read(&f->ring, &err);

	if (ret != -EBADMSG || s->samples != samples_before)
		t_fail(name, "returned %d after %d records, expected -EBADMSG after %d", ret, s->samples,
		       samples_before);
	else if (samples_before == 0 && f->cons != cons)
		t_fail(name, "consumer_pos moved from %lu to %lu", cons, f->cons);
	else if (!strstr(err.msg, "corrupt"))
		t_fail(name, "message does not say the ring is corrupt: %s", err.msg);
	else
		t_pass(name);
}

static void test_rb_corrupt(void)
{
	static const uint32_t numbers[] = { 0, 1 };
	struct fake_rb f;
	struct rb_seen s;
	unsigned char *hdr;
	uint32_t len;

	rb_seen_init(&s, numbers, 2);
	if (frb_init(&f, 4096, 0, rb_on_sample, &s)) {
		t_fail("ringbuf-parser/corrupt", "cannot map a memfd twice");
		return;
	}
	hdr = frb_put(&f, 0, 16, 0);
	len = 0x3fffffff;	/* as long as the length bits allow */
	memcpy(hdr, &len, sizeof(len));
	rb_expect_corrupt("ringbuf-parser/corrupt-length", &f, 0);
	frb_free(&f);

	rb_seen_init(&s, numbers, 2);
	if (frb_init(&f, 4096, 4096 - 16, rb_on_sample, &s)) {
		t_fail("ringbuf-parser/corrupt", "cannot map a memfd twice");
		return;
	}
	frb_put(&f, 0, 8, 0);
	hdr = frb_put(&f, 1, 8, 0);
	len = 100;		/* past producer_pos */
	memcpy(hdr, &len, sizeof(len));
	rb_expect_corrupt("ringbuf-parser/corrupt-length-past-producer", &f, 1);
	frb_free(&f);

	rb_seen_init(&s, numbers, 2);
	if (frb_init(&f, 4096, 0, rb_on_sample, &s)) {
		t_fail("ringbuf-parser/corrupt", "cannot map a memfd twice");
		return;
	}
	frb_put(&f, 0, 8, 0);
	f.prod = f.cons + 4096 + 8;
	rb_expect_corrupt("ringbuf-parser/corrupt-producer-pos", &f, 0);
	frb_free(&f);
}

int main(void)
{
	test_perf_wrap_point();
	test_perf_header_across_end();
	test_perf_exactly_at_end();
	test_perf_zero_size();
	test_perf_lost();
	test_perf_unknown_types();
	test_perf_callback_stops();
	test_perf_corrupt();
	test_perf_stream();
	test_rb_wrap_and_alignment();
	test_rb_discard_and_busy();
	test_rb_callback_stops();
	test_rb_corrupt();
	return t_exit_code();
}
