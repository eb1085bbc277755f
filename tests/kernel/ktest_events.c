// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_events.c - kernel tests of loader/perf_buffer.c and
 * loader/ringbuf.c: a tracepoint program on getppid() sends numbered
 * records (tests/kern/events_perf.bpf.c, events_ringbuf.bpf.c) and
 * counts per CPU what it tried and what failed; we check that every
 * record arrives once, in order, intact, and that under a flood
 * "received + lost == produced" holds exactly.
 *
 * The programs number their records with an atomic fetch-and-add
 * (BPF_FETCH, Linux 5.12); on older kernels the verifier refuses them,
 * and every test that runs them is skipped saying so (after checking
 * that the verifier does refuse them).  The readers still run on those
 * kernels, under the tools: ktest_event_tools.
 *
 * Runs as root on the host and in the qemu kernels (statically linked).
 * Usage: ktest_events [--bindir DIR] [--objdir DIR] [--expect-kprobes]
 * (the options are accepted for the common runner and not used).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "../testlib.h"
#include "attach/attach.h"
#include "embedded.h"
#include "events/perf_buffer.h"
#include "events/ringbuf.h"
#include "kernel_features.h"
#include "ktest_options.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"

EMBEDDED_OBJECT(events_perf_bpf);
EMBEDDED_OBJECT(events_ringbuf_bpf);

/* The record layout of tests/kern/events_*.bpf.c. */
#define EV_HEADER 24
#define EV_BIG 6000
struct event_header {
	uint64_t seq;		/* global order of attempts */
	uint64_t cpu_seq;	/* attempts on this CPU before this one */
	uint32_t cpu;
	uint32_t size;		/* bytes the program sent */
};

/* Slots of the programs' per-CPU "counts" maps. */
enum { PERF_ATTEMPTS, PERF_SENT, PERF_NOSPC, PERF_OTHER, PERF_SLOTS };
enum { RB_ATTEMPTS, RB_SUBMITTED, RB_DISCARDED, RB_FULL, RB_OTHER, RB_SLOTS };

static int ncpus;

/* ---- loading and counting -------------------------------------------- */

struct setup {
	struct bl_object *obj;
	struct bl_attachment *att;
};

/* Open, size the ring buffer (ringbuf_size != 0), load, configure for
 * this process and mode, attach.  On failure *why says what failed. */
static int setup_start(struct setup *s, int perf, uint32_t mode, uint32_t ringbuf_size,
		       char *why, size_t why_size)
{
	struct { uint32_t tgid, mode; } cfg = { (uint32_t)getpid(), mode };
	struct bl_err err = { 0, "" };
	uint32_t zero = 0;

	memset(s, 0, sizeof(*s));
	s->obj = perf ? bl_object_open_mem(events_perf_bpf, EMBEDDED_SIZE(events_perf_bpf),
					   "events_perf.bpf.o", NULL, &err)
		      : bl_object_open_mem(events_ringbuf_bpf, EMBEDDED_SIZE(events_ringbuf_bpf),
					   "events_ringbuf.bpf.o", NULL, &err);
	if (s->obj && ringbuf_size)
		bl_object_map(s->obj, "rb")->spec.max_entries = ringbuf_size;
	if (!s->obj || bl_object_load(s->obj, &err) ||
	    bl_map_update(bl_object_map(s->obj, "config")->fd, &zero, &cfg, BPF_ANY) ||
	    !(s->att = bl_program_attach(bl_object_program(s->obj, perf ? "perf_output" : "ringbuf_output"),
					  NULL, &err))) {
		snprintf(why, why_size, "%s", err.msg[0] ? err.msg : "cannot configure the program");
		return -1;
	}
	return 0;
}

/* Detach first: after that no program runs and the counts are final. */
static void setup_stop(struct setup *s)
{
	bl_attachment_destroy(s->att, NULL);
	s->att = NULL;
}

static void setup_end(struct setup *s)
{
	setup_stop(s);
	bl_object_close(s->obj);
	s->obj = NULL;
}

/* counts[slot * ncpus + cpu] from the per-CPU "counts" map. */
static uint64_t *read_counts(struct setup *s, int slots)
{
	uint64_t *counts = calloc((size_t)(slots * ncpus), sizeof(uint64_t));
	uint32_t key;

	for (key = 0; counts && key < (uint32_t)slots; key++)
		if (bl_map_lookup(bl_object_map(s->obj, "counts")->fd, &key, counts + key * ncpus)) {
			free(counts);
			return NULL;
		}
	return counts;
}

static uint64_t sum(const uint64_t *v, int n)
{
	uint64_t total = 0;

	while (n-- > 0)
		total += v[n];
	return total;
}

static void call_getppid(int times)
{
	while (times-- > 0)
		syscall(SYS_getppid);	/* glibc does not cache getppid */
}

/* ---- checking records ------------------------------------------------ */

/* What a reader saw; the first problem found is kept in why. */
struct reader {
	int bad;
	char why[512];
	uint64_t received;
	uint64_t *received_by_cpu;
	uint64_t *next_cpu_seq;		/* per CPU: the cpu_seq expected next */
	uint64_t *lost_since;		/* perf: LOST counts since the last sample */
	uint64_t *lost_by_cpu;		/* perf: all LOST counts */
	int check_gaps;			/* cpu_seq gaps must equal the LOST counts */
	int in_order;			/* ringbuf: seq must be the next one expected */
	uint64_t next_seq;
	unsigned char *seen;		/* one byte per seq */
	uint64_t seen_cap;
	uint64_t ring_pos;		/* ringbuf: where the next record starts */
	uint64_t ring_size;
	uint32_t discard_size;		/* ringbuf: size the program reserves to discard */
	uint64_t straddled;		/* ringbuf records that ran past the end */
	int slow_every, slow_us;	/* sleep slow_us every slow_every records */
};

static __attribute__((format(printf, 2, 3))) void reader_fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static int reader_init(struct reader *r)
{
	memset(r, 0, sizeof(*r));
	r->received_by_cpu = calloc((size_t)ncpus, sizeof(uint64_t));
	r->next_cpu_seq = calloc((size_t)ncpus, sizeof(uint64_t));
	r->lost_since = calloc((size_t)ncpus, sizeof(uint64_t));
	r->lost_by_cpu = calloc((size_t)ncpus, sizeof(uint64_t));
	return r->received_by_cpu && r->next_cpu_seq && r->lost_since && r->lost_by_cpu ? 0 : -1;
}

static void reader_free(struct reader *r)
{
	free(r->received_by_cpu);
	free(r->next_cpu_seq);
	free(r->lost_since);
	free(r->lost_by_cpu);
	free(r->seen);
}

/* The payload words: word[k] = seq * 2654435761 + k. */
static int payload_intact(const unsigned char *data, const struct event_header *ev)
{
	uint32_t k, word;

	for (k = 0; k < (ev->size - EV_HEADER) / 4; k++) {
		memcpy(&word, data + EV_HEADER + 4 * k, sizeof(word));
		if (word != (uint32_t)ev->seq * 2654435761u + k)
			return 0;
	}
	return 1;
}

/* Mark seq as seen; 0 when it was seen before. */
static int first_sighting(struct reader *r, uint64_t seq)
{
	if (seq >= r->seen_cap) {
		uint64_t cap = r->seen_cap ? r->seen_cap : 1 << 16;
		unsigned char *seen;

		while (cap <= seq)
			cap *= 2;
		seen = realloc(r->seen, cap);
		if (!seen)
			return 0;
		memset(seen + r->seen_cap, 0, cap - r->seen_cap);
		r->seen = seen;
		r->seen_cap = cap;
	}
	if (r->seen[seq])
		return 0;
	r->seen[seq] = 1;
	return 1;
}

/* Checks common to both buffers; returns the header or NULL. */
static int check_event(struct reader *r, const void *data, uint32_t size, uint32_t expect_size,
		       int cpu, struct event_header *ev)
{
	if (size < EV_HEADER) {
		reader_fail(r, "a record of %u bytes", size);
		return -1;
	}
	memcpy(ev, data, sizeof(*ev));
	if (ev->size != expect_size || ev->size < EV_HEADER) {
		reader_fail(r, "seq %" PRIu64 ": %u bytes delivered for a record of %u", ev->seq, size,
			    ev->size);
		return -1;
	}
	if (ev->cpu != (uint32_t)cpu || cpu >= ncpus) {
		reader_fail(r, "seq %" PRIu64 " was sent on CPU %u and arrived as CPU %d's", ev->seq,
			    ev->cpu, cpu);
		return -1;
	}
	if (!payload_intact(data, ev)) {
		reader_fail(r, "seq %" PRIu64 " (%u bytes): payload damaged", ev->seq, ev->size);
		return -1;
	}
	if (!first_sighting(r, ev->seq)) {
		reader_fail(r, "seq %" PRIu64 " arrived twice", ev->seq);
		return -1;
	}
	if (ev->cpu_seq < r->next_cpu_seq[cpu]) {
		reader_fail(r, "CPU %d: cpu_seq %" PRIu64 " after %" PRIu64 ": out of order", cpu,
			    ev->cpu_seq, r->next_cpu_seq[cpu] - 1);
		return -1;
	}
	r->received++;
	r->received_by_cpu[cpu]++;
	return 0;
}

static void slow_down(struct reader *r)
{
	if (r->slow_every && r->received % (uint64_t)r->slow_every == 0)
		usleep((useconds_t)r->slow_us);
}

static int perf_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	struct reader *r = ctx;
	struct event_header ev;

	if (size >= EV_HEADER)
		memcpy(&ev, data, sizeof(ev));
	/* The kernel pads so that the u32 size field and the data fill a
	 * multiple of 8 bytes. */
	if (size < EV_HEADER || ((ev.size + 4 + 7) & ~7u) - 4 != size) {
		reader_fail(r, "a sample of %u bytes does not match its record's size", size);
		return 0;
	}
	if (check_event(r, data, size, ev.size, cpu, &ev) == 0) {
		/* Failed attempts on this CPU leave gaps in cpu_seq; the kernel
		 * reports them in a LOST record just before this sample. */
		uint64_t gap = ev.cpu_seq - r->next_cpu_seq[cpu];

		if (r->check_gaps && gap != r->lost_since[cpu])
			reader_fail(r, "CPU %d: cpu_seq jumped by %" PRIu64 " but the LOST records said %" PRIu64,
				    cpu, gap, r->lost_since[cpu]);
		r->lost_since[cpu] = 0;
		r->next_cpu_seq[cpu] = ev.cpu_seq + 1;
	}
	slow_down(r);
	return 0;
}

static void perf_lost(void *ctx, int cpu, uint64_t count)
{
	struct reader *r = ctx;

	if (cpu >= 0 && cpu < ncpus) {
		r->lost_since[cpu] += count;
		r->lost_by_cpu[cpu] += count;
	}
}

static const struct bl_perf_buffer_callbacks perf_callbacks = { perf_sample, perf_lost };

/* Bytes a ring buffer record takes: 8-byte header, data, 8-alignment. */
static uint64_t rb_span(uint64_t size)
{
	return (size + 8 + 7) & ~(uint64_t)7;
}

/* The discarded records between next_seq and seq, which the reader never
 * sees, still took room in the ring; the test knows their sizes. */
static void rb_skip_discarded(struct reader *r, uint64_t seq)
{
	for (; r->next_seq < seq; r->next_seq++)
		if (r->next_seq % 7 == 3)
			r->ring_pos += rb_span(r->discard_size);
}

static int rb_sample(void *ctx, const void *data, uint32_t size)
{
	struct reader *r = ctx;
	struct event_header ev;

	if (size < EV_HEADER) {
		reader_fail(r, "a record of %u bytes", size);
		return 0;
	}
	memcpy(&ev, data, sizeof(ev));
	if (check_event(r, data, size, size, ev.cpu < (uint32_t)ncpus ? (int)ev.cpu : 0, &ev) == 0) {
		r->next_cpu_seq[ev.cpu] = ev.cpu_seq + 1;
		if (r->in_order) {
			rb_skip_discarded(r, ev.seq);
			if (ev.seq != r->next_seq)
				reader_fail(r, "seq %" PRIu64 " arrived where %" PRIu64 " was due", ev.seq,
					    r->next_seq);
			if (r->ring_size && r->ring_pos % r->ring_size + rb_span(size) > r->ring_size)
				r->straddled++;
			r->ring_pos += rb_span(size);
			r->next_seq = ev.seq + 1;
		}
	}
	slow_down(r);
	return 0;
}

/* ---- open file descriptors ------------------------------------------- */

/* Open fds, and how many of them are perf events. */
static int count_fds(int *perf_events)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *d;
	int n = 0;

	*perf_events = 0;
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		char path[300], target[128];
		ssize_t len;

		if (d->d_name[0] == '.' || atoi(d->d_name) == dirfd(dir))
			continue;
		n++;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			if (strstr(target, "perf_event"))
				(*perf_events)++;
		}
	}
	closedir(dir);
	return n;
}

/* Mappings of perf events or BPF maps in /proc/self/maps. */
static int count_event_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "perf_event") || strstr(line, "bpf-map") || strstr(line, "bpf_ringbuf"))
			n++;
	fclose(f);
	return n;
}

/* ---- waiting for a batch --------------------------------------------- */

/* Poll until the reader has `want` records (or a poll times out: then the
 * wake-up never came).  Returns 0, or -1 with *why filled. */
static int perf_wait_for(struct bl_perf_buffer *pb, struct reader *r, uint64_t want, char *why, size_t n)
{
	struct bl_err err;

	while (r->received < want && !r->bad) {
		int ret = bl_perf_buffer_poll(pb, 2000, &err);

		if (ret < 0 || (ret == 0 && bl_perf_buffer_consume(pb, &err) == 0)) {
			snprintf(why, n, "%.300s after %" PRIu64 " of %" PRIu64 " records",
				 ret < 0 ? err.msg : "no wake-up within 2 s", r->received, want);
			return -1;
		}
	}
	return 0;
}

static int rb_wait_for(struct bl_ringbuf *rb, struct reader *r, uint64_t want, char *why, size_t n)
{
	struct bl_err err;

	while (r->received < want && !r->bad) {
		int ret = bl_ringbuf_poll(rb, 2000, &err);

		if (ret < 0 || (ret == 0 && bl_ringbuf_consume(rb, &err) == 0)) {
			snprintf(why, n, "%.300s after %" PRIu64 " of %" PRIu64 " records",
				 ret < 0 ? err.msg : "no wake-up within 2 s", r->received, want);
			return -1;
		}
	}
	return 0;
}

/* ---- perf buffer: every record once, in per-CPU order, intact -------- */

/* n getppid() calls in batches that fit the rings, each batch read
 * through poll(): every record must arrive, with no LOST record. */
static void test_perf_all_arrive(const char *name, uint32_t mode, size_t pages, int n, int batch,
				 int want_wrapped)
{
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_perf_buffer *pb = NULL;
	struct bl_perf_buffer_stats st;
	uint64_t *counts = NULL;
	char why[512] = "";
	int done;

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	r.check_gaps = 1;
	if (setup_start(&s, 1, mode, 0, why, sizeof(why)) ||
	    !(pb = bl_perf_buffer_open(bl_object_map(s.obj, "events")->fd, pages, &perf_callbacks, &r, &err))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	for (done = 0; done < n && !r.bad; done += batch) {
		call_getppid(batch);
		if (perf_wait_for(pb, &r, (uint64_t)done + (uint64_t)batch, why, sizeof(why)))
			break;
	}
	setup_stop(&s);
	bl_perf_buffer_consume(pb, &err);
	bl_perf_buffer_stats(pb, &st);
	counts = read_counts(&s, PERF_SLOTS);
	if (why[0] || r.bad)
		t_fail(name, "%s", why[0] ? why : r.why);
	else if (!counts || sum(counts + PERF_ATTEMPTS * ncpus, ncpus) != (uint64_t)n ||
		 sum(counts + PERF_SENT * ncpus, ncpus) != (uint64_t)n)
		t_fail(name, "the program did not send all %d records", n);
	else if (r.received != (uint64_t)n || st.received != (uint64_t)n || st.lost)
		t_fail(name, "%d sent, %" PRIu64 " received (stats %" PRIu64 "), %" PRIu64 " lost",
		       n, r.received, st.received, st.lost);
	else if (want_wrapped && !st.wrapped)
		t_fail(name, "no record straddled a ring's end; the test did not test that");
	else {
		printf("# %s: %d records, %" PRIu64 " straddled a ring's end and were copied\n",
		       name, n, st.wrapped);
		t_pass(name);
	}
out:
	free(counts);
	bl_perf_buffer_free(pb);
	setup_end(&s);
	reader_free(&r);
}

/* ---- ring buffer: every record once, in order, intact ---------------- */

static void test_rb_all_arrive(const char *name, uint32_t mode, uint32_t ring_size, int n, int batch)
{
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_ringbuf *rb = NULL;
	struct bl_ringbuf_stats st;
	uint64_t *counts = NULL, discards = 0, want = 0;
	char why[512] = "";
	int done, i;

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	r.in_order = 1;
	r.ring_size = ring_size;
	r.discard_size = mode == 1 ? EV_BIG : 44;
	if (setup_start(&s, 0, mode, ring_size, why, sizeof(why)) ||
	    !(rb = bl_ringbuf_open(bl_object_map(s.obj, "rb")->fd, rb_sample, &r, &err))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	for (done = 0; done < n && !r.bad; done += batch) {
		call_getppid(batch);
		for (i = done; i < done + batch; i++)
			if (i % 7 == 3)
				discards++;
			else
				want++;
		if (rb_wait_for(rb, &r, want, why, sizeof(why)))
			break;
	}
	setup_stop(&s);
	bl_ringbuf_consume(rb, &err);
	bl_ringbuf_stats(rb, &st);
	counts = read_counts(&s, RB_SLOTS);
	if (why[0] || r.bad)
		t_fail(name, "%s", why[0] ? why : r.why);
	else if (!counts || sum(counts + RB_ATTEMPTS * ncpus, ncpus) != (uint64_t)n ||
		 sum(counts + RB_SUBMITTED * ncpus, ncpus) != want ||
		 sum(counts + RB_DISCARDED * ncpus, ncpus) != discards)
		t_fail(name, "the program did not send all %d records", n);
	else if (r.received != want || st.received != want || st.discarded != discards)
		t_fail(name, "%" PRIu64 " submitted and %" PRIu64 " discarded; received %" PRIu64
		       " (stats %" PRIu64 "), skipped %" PRIu64 " discarded",
		       want, discards, r.received, st.received, st.discarded);
	else if (mode == 1 && !r.straddled)
		t_fail(name, "no record ran past the ring's end; the test did not test that");
	else {
		printf("# %s: %" PRIu64 " records in order, %" PRIu64 " discarded skipped, %" PRIu64
		       " ran past the ring's end\n", name, want, discards, r.straddled);
		t_pass(name);
	}
out:
	free(counts);
	bl_ringbuf_free(rb);
	setup_end(&s);
	reader_free(&r);
}

/* Two ring buffers (two loads of the object) read through one epoll. */
static void test_rb_two_rings(void)
{
	const char *name = "ringbuf/two-rings-one-epoll";
	const int n = 1000;
	struct setup s1, s2;
	struct reader r1, r2;
	struct bl_err err;
	struct bl_ringbuf *rb = NULL;
	struct bl_ringbuf_stats st;
	uint64_t want = 0;
	char why[512] = "";
	int i;

	T_EXPECT(name, reader_init(&r1) == 0 && reader_init(&r2) == 0, "out of memory");
	r1.in_order = r2.in_order = 1;
	s2.obj = NULL;
	s2.att = NULL;
	if (setup_start(&s1, 0, 0, 0, why, sizeof(why)) || setup_start(&s2, 0, 0, 0, why, sizeof(why)) ||
	    !(rb = bl_ringbuf_open(bl_object_map(s1.obj, "rb")->fd, rb_sample, &r1, &err)) ||
	    bl_ringbuf_add(rb, bl_object_map(s2.obj, "rb")->fd, rb_sample, &r2, &err) != 1) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	for (i = 0; i < n; i++)
		want += i % 7 != 3;
	call_getppid(n);
	for (i = 0; i < 50 && (r1.received < want || r2.received < want); i++)
		if (bl_ringbuf_poll(rb, 100, &err) < 0)
			break;
	bl_ringbuf_stats(rb, &st);
	if (r1.bad || r2.bad)
		t_fail(name, "%s", r1.bad ? r1.why : r2.why);
	else if (r1.received != want || r2.received != want || st.received != 2 * want)
		t_fail(name, "%" PRIu64 " records per ring expected, got %" PRIu64 " and %" PRIu64,
		       want, r1.received, r2.received);
	else
		t_pass(name);
out:
	bl_ringbuf_free(rb);
	setup_end(&s1);
	setup_end(&s2);
	reader_free(&r1);
	reader_free(&r2);
}

/* ---- floods ---------------------------------------------------------- */

struct flood {
	volatile int stop;
	pthread_t threads[2];
};

static void *flood_thread(void *arg)
{
	struct flood *f = arg;

	while (!f->stop)
		call_getppid(64);
	return NULL;
}

static int flood_start(struct flood *f)
{
	f->stop = 0;
	if (pthread_create(&f->threads[0], NULL, flood_thread, f))
		return -1;
	if (pthread_create(&f->threads[1], NULL, flood_thread, f)) {
		f->stop = 1;
		pthread_join(f->threads[0], NULL);
		return -1;
	}
	return 0;
}

static void flood_stop(struct flood *f)
{
	f->stop = 1;
	pthread_join(f->threads[0], NULL);
	pthread_join(f->threads[1], NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One getppid() on each CPU we can run on: a sample that fits in each
 * ring, in front of which the kernel writes any losses not yet reported. */
static void one_event_per_cpu(void)
{
	cpu_set_t old, one;
	int cpu;

	if (sched_getaffinity(0, sizeof(old), &old))
		return;
	for (cpu = 0; cpu < ncpus && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) == 0)
			call_getppid(1);
	}
	sched_setaffinity(0, sizeof(old), &old);
}

static const double flood_seconds = 1.0;

/* Poll for flood_seconds while two threads call getppid() as fast as they
 * can; returns how long the flood really lasted.  The reader starts late
 * and reads slowly (slow_every/slow_us), so that even a slow emulated
 * machine overflows the ring. */
static double run_flood(struct bl_perf_buffer *pb, struct bl_ringbuf *rb, struct reader *r)
{
	struct bl_err err;
	struct flood f;
	double start = now();

	if (flood_start(&f)) {
		reader_fail(r, "cannot start the flood threads");
		return 0;
	}
	usleep(200000);
	while (now() - start < flood_seconds) {
		int ret = pb ? bl_perf_buffer_poll(pb, 100, &err) : bl_ringbuf_poll(rb, 100, &err);

		if (ret < 0 && ret != -EINTR) {
			reader_fail(r, "%s", err.msg);
			break;
		}
	}
	flood_stop(&f);
	return now() - start;
}

static void test_perf_flood(void)
{
	const char *name = "perf/flood-exact-accounting";
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_perf_buffer *pb = NULL;
	struct bl_perf_buffer_stats st;
	uint64_t *counts = NULL, attempts, nospc, other, lost_before_flush;
	char why[512] = "";
	double seconds;
	int cpu;

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	r.check_gaps = 1;
	r.slow_every = 16;
	r.slow_us = 200;
	if (setup_start(&s, 1, 0, 0, why, sizeof(why)) ||
	    !(pb = bl_perf_buffer_open(bl_object_map(s.obj, "events")->fd, 1, &perf_callbacks, &r, &err))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	seconds = run_flood(pb, NULL, &r);
	bl_perf_buffer_consume(pb, &err);
	/* Losses since a CPU's last sample are still unreported; one more
	 * sample per CPU brings them out. */
	bl_perf_buffer_stats(pb, &st);
	lost_before_flush = st.lost;
	one_event_per_cpu();
	setup_stop(&s);
	bl_perf_buffer_consume(pb, &err);
	bl_perf_buffer_stats(pb, &st);
	counts = read_counts(&s, PERF_SLOTS);
	T_EXPECT(name, counts, "cannot read the program's counts");
	attempts = sum(counts + PERF_ATTEMPTS * ncpus, ncpus);
	nospc = sum(counts + PERF_NOSPC * ncpus, ncpus);
	other = sum(counts + PERF_OTHER * ncpus, ncpus);
	for (cpu = 0; cpu < ncpus && !r.bad; cpu++) {
		uint64_t a = counts[PERF_ATTEMPTS * ncpus + cpu], l = counts[PERF_NOSPC * ncpus + cpu];

		if (r.received_by_cpu[cpu] + l != a)
			reader_fail(&r, "CPU %d: %" PRIu64 " received + %" PRIu64 " lost != %" PRIu64 " produced",
				    cpu, r.received_by_cpu[cpu], l, a);
		else if (r.lost_by_cpu[cpu] != l)
			reader_fail(&r, "CPU %d: LOST records say %" PRIu64 ", the program counted %" PRIu64,
				    cpu, r.lost_by_cpu[cpu], l);
	}
	printf("# %s: %.2f s, 1 page per CPU: produced %" PRIu64 ", received %" PRIu64 ", lost %" PRIu64
	       " (in LOST records: %" PRIu64 ", of which %" PRIu64 " reported only by the samples sent after the flood), other errors %" PRIu64 "\n",
	       name, seconds, attempts, r.received, nospc, st.lost, st.lost - lost_before_flush, other);
	if (r.bad)
		t_fail(name, "%s", r.why);
	else if (other)
		t_fail(name, "%" PRIu64 " outputs failed with something other than ENOSPC", other);
	else if (r.received + nospc != attempts || st.received != r.received)
		t_fail(name, "received %" PRIu64 " + lost %" PRIu64 " != produced %" PRIu64,
		       r.received, nospc, attempts);
	else if (!nospc)
		t_fail(name, "nothing was lost: the flood did not fill the ring");
	else
		t_pass(name);
out:
	free(counts);
	bl_perf_buffer_free(pb);
	setup_end(&s);
	reader_free(&r);
}

static void test_rb_flood(void)
{
	const char *name = "ringbuf/flood-exact-accounting";
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_ringbuf *rb = NULL;
	struct bl_ringbuf_stats st;
	uint64_t *counts = NULL, attempts, submitted, discarded, full, other;
	char why[512] = "";
	double seconds;
	int cpu;

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	r.slow_every = 16;
	r.slow_us = 200;
	if (setup_start(&s, 0, 0, 4096, why, sizeof(why)) ||
	    !(rb = bl_ringbuf_open(bl_object_map(s.obj, "rb")->fd, rb_sample, &r, &err))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	seconds = run_flood(NULL, rb, &r);
	setup_stop(&s);
	bl_ringbuf_consume(rb, &err);
	bl_ringbuf_stats(rb, &st);
	counts = read_counts(&s, RB_SLOTS);
	T_EXPECT(name, counts, "cannot read the program's counts");
	attempts = sum(counts + RB_ATTEMPTS * ncpus, ncpus);
	submitted = sum(counts + RB_SUBMITTED * ncpus, ncpus);
	discarded = sum(counts + RB_DISCARDED * ncpus, ncpus);
	full = sum(counts + RB_FULL * ncpus, ncpus);
	other = sum(counts + RB_OTHER * ncpus, ncpus);
	for (cpu = 0; cpu < ncpus && !r.bad; cpu++)
		if (r.received_by_cpu[cpu] != counts[RB_SUBMITTED * ncpus + cpu])
			reader_fail(&r, "CPU %d: %" PRIu64 " submitted, %" PRIu64 " received", cpu,
				    counts[RB_SUBMITTED * ncpus + cpu], r.received_by_cpu[cpu]);
	printf("# %s: %.2f s, 4 KiB ring: produced %" PRIu64 ", received %" PRIu64 ", discarded %" PRIu64
	       " (skipped %" PRIu64 "), lost %" PRIu64 ", other errors %" PRIu64 "\n",
	       name, seconds, attempts, r.received, discarded, st.discarded, full, other);
	if (r.bad)
		t_fail(name, "%s", r.why);
	else if (other)
		t_fail(name, "%" PRIu64 " writes failed with something other than a full ring", other);
	else if (submitted + discarded + full != attempts)
		t_fail(name, "the program's counts disagree: %" PRIu64 " + %" PRIu64 " + %" PRIu64 " != %" PRIu64,
		       submitted, discarded, full, attempts);
	else if (r.received != submitted || st.received != submitted || st.discarded != discarded)
		t_fail(name, "received %" PRIu64 " of %" PRIu64 " submitted, skipped %" PRIu64 " of %" PRIu64
		       " discarded", r.received, submitted, st.discarded, discarded);
	else if (!full)
		t_fail(name, "nothing was lost: the flood did not fill the ring");
	else
		t_pass(name);
out:
	free(counts);
	bl_ringbuf_free(rb);
	setup_end(&s);
	reader_free(&r);
}

/* ---- signals, errors, clean-up --------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal during poll: -EINTR, after about the timer's 100 ms. */
static void test_poll_eintr(const char *name, int perf)
{
	struct sigaction sa, old;
	struct itimerval timer = { { 0, 0 }, { 0, 100000 } };
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_perf_buffer *pb = NULL;
	struct bl_ringbuf *rb = NULL;
	char why[512] = "";
	double start;
	int ret;

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	if (setup_start(&s, perf, 0, 0, why, sizeof(why)) ||
	    (perf ? !(pb = bl_perf_buffer_open(bl_object_map(s.obj, "events")->fd, 1, &perf_callbacks, &r, &err))
		  : !(rb = bl_ringbuf_open(bl_object_map(s.obj, "rb")->fd, rb_sample, &r, &err)))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART; epoll_wait never restarts anyway */
	sigaction(SIGALRM, &sa, &old);
	start = now();
	setitimer(ITIMER_REAL, &timer, NULL);
	ret = perf ? bl_perf_buffer_poll(pb, 5000, &err) : bl_ringbuf_poll(rb, 5000, &err);
	sigaction(SIGALRM, &old, NULL);
	if (ret != -EINTR)
		t_fail(name, "poll returned %d, expected -EINTR", ret);
	else if (now() - start > 4)
		t_fail(name, "poll returned only after its timeout");
	else if (!strstr(err.msg, "signal"))
		t_fail(name, "message does not mention the signal: %s", err.msg);
	else
		t_pass(name);
out:
	bl_perf_buffer_free(pb);
	bl_ringbuf_free(rb);
	setup_end(&s);
	reader_free(&r);
}

static void test_bad_arguments(void)
{
	const char *name = "events/refusals-name-reason";
	struct setup s;
	struct reader r;
	struct bl_err e1 = { 0, "" }, e2 = { 0, "" }, e3 = { 0, "" };
	struct bl_perf_buffer *pb1, *pb2;
	struct bl_ringbuf *rb;

	/* the maps alone: this runs where the program cannot load, too */
	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	memset(&s, 0, sizeof(s));
	s.obj = bl_object_open_mem(events_perf_bpf, EMBEDDED_SIZE(events_perf_bpf), "events_perf.bpf.o", NULL, &e1);
	if (!s.obj || bl_object_create_maps(s.obj, &e1)) {
		t_fail(name, "%s", e1.msg);
		goto out;
	}
	pb1 = bl_perf_buffer_open(bl_object_map(s.obj, "events")->fd, 3, &perf_callbacks, &r, &e1);
	pb2 = bl_perf_buffer_open(bl_object_map(s.obj, "config")->fd, 1, &perf_callbacks, &r, &e2);
	rb = bl_ringbuf_open(bl_object_map(s.obj, "events")->fd, rb_sample, &r, &e3);
	if (pb1 || pb2 || rb)
		t_fail(name, "a bad argument was accepted");
	else if (e1.code != EINVAL || !strstr(e1.msg, "power of two"))
		t_fail(name, "3 pages per CPU: %s", e1.msg);
	else if (e2.code != EINVAL || !strstr(e2.msg, "not BPF_MAP_TYPE_PERF_EVENT_ARRAY"))
		t_fail(name, "an array map as perf buffer: %s", e2.msg);
	else if (e3.code != EINVAL || !strstr(e3.msg, "not BPF_MAP_TYPE_RINGBUF"))
		t_fail(name, "a perf event array as ring buffer: %s", e3.msg);
	else
		t_pass(name);
	bl_perf_buffer_free(pb1);
	bl_perf_buffer_free(pb2);
	bl_ringbuf_free(rb);
out:
	setup_end(&s);
	reader_free(&r);
}

/* After free, detach and close: the same fds as before, no perf event
 * fds, no ring mappings. */
static void test_no_leftovers(const char *name, int perf)
{
	struct setup s;
	struct reader r;
	struct bl_err err;
	struct bl_perf_buffer *pb = NULL;
	struct bl_ringbuf *rb = NULL;
	int fds_before, perf_before, maps_before, fds_during, perf_during, fds_after, perf_after;
	char why[512] = "";

	T_EXPECT(name, reader_init(&r) == 0, "out of memory");
	fds_before = count_fds(&perf_before);
	maps_before = count_event_mappings();
	if (setup_start(&s, perf, 0, 0, why, sizeof(why)) ||
	    (perf ? !(pb = bl_perf_buffer_open(bl_object_map(s.obj, "events")->fd, 2, &perf_callbacks, &r, &err))
		  : !(rb = bl_ringbuf_open(bl_object_map(s.obj, "rb")->fd, rb_sample, &r, &err)))) {
		t_fail(name, "%s", why[0] ? why : err.msg);
		setup_end(&s);
		reader_free(&r);
		return;
	}
	call_getppid(10);
	if (perf)
		perf_wait_for(pb, &r, 10, why, sizeof(why));
	else
		rb_wait_for(rb, &r, 9, why, sizeof(why));
	fds_during = count_fds(&perf_during);
	bl_perf_buffer_free(pb);
	bl_ringbuf_free(rb);
	setup_end(&s);
	fds_after = count_fds(&perf_after);
	if (r.received != (perf ? 10u : 9u))
		t_fail(name, "received %" PRIu64 " records before closing", r.received);
	else if (fds_during <= fds_before || (perf && perf_during <= perf_before))
		t_fail(name, "no new fds (or no perf event fds) seen while open; the test cannot see them");
	else if (fds_after != fds_before || perf_after != perf_before)
		t_fail(name, "%d fds (%d perf events) before, %d (%d) after", fds_before, perf_before,
		       fds_after, perf_after);
	else if (count_event_mappings() != maps_before)
		t_fail(name, "ring mappings left: %d before, %d after", maps_before, count_event_mappings());
	else
		t_pass(name);
	reader_free(&r);
}

/* Without BPF_FETCH: the verifier must refuse both programs, and the
 * tests that run them are skipped with the reason. */
static void skip_all_needing_fetch(void)
{
	static const char *const names[] = {
		"perf/every-event-once", "perf/straddling-records-intact", "perf/larger-than-page-intact",
		"perf/flood-exact-accounting", "perf/poll-eintr", "perf/free-leaves-no-fds",
		"ringbuf/every-event-once", "ringbuf/larger-than-page-intact", "ringbuf/two-rings-one-epoll",
		"ringbuf/flood-exact-accounting", "ringbuf/poll-eintr", "ringbuf/free-leaves-no-fds",
	};
	char why[512], perf_why[512], lacking[128];
	int perf_loaded, rb_loaded;
	struct setup s;
	size_t i;

	kfeature_lacking(KF_ATOMIC_FETCH, lacking, sizeof(lacking));
	perf_loaded = setup_start(&s, 1, 0, 0, perf_why, sizeof(perf_why)) == 0;
	setup_end(&s);
	rb_loaded = setup_start(&s, 0, 0, 0, why, sizeof(why)) == 0;
	setup_end(&s);
	if (perf_loaded || rb_loaded) {
		t_fail("events/setup", "%s, yet the verifier took a program that numbers records with it", lacking);
		return;
	}
	if (!strstr(perf_why, "verifier rejected") || !strstr(why, "verifier rejected")) {
		t_fail("events/setup", "the programs failed to load, but not at the verifier: %s; %s", perf_why, why);
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		t_skip(names[i], "%s, with which the test programs number their records (%s); the perf and ring buffer readers are tested on this kernel through hello_buffer and read_trace",
		       lacking, perf_why);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;
	struct bl_err err;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP events: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	ncpus = bl_possible_cpus(&err);
	if (ncpus <= 0) {
		printf("FAIL events/setup: %s\n", err.msg);
		return 1;
	}
	bl_raise_memlock_limit();
	test_bad_arguments();
	if (!kfeature_has(KF_ATOMIC_FETCH)) {
		skip_all_needing_fetch();
		return t_exit_code();
	}
	test_perf_all_arrive("perf/every-event-once", 0, 8, 10000, 100, 0);
	test_perf_all_arrive("perf/straddling-records-intact", 1, 2, 2000, 2, 1);
	test_perf_all_arrive("perf/larger-than-page-intact", 2, 4, 300, 2, 1);
	test_perf_flood();
	test_poll_eintr("perf/poll-eintr", 1);
	test_no_leftovers("perf/free-leaves-no-fds", 1);
	test_rb_all_arrive("ringbuf/every-event-once", 0, 64 * 1024, 10000, 100);
	test_rb_all_arrive("ringbuf/larger-than-page-intact", 1, 16 * 1024, 300, 1);
	test_rb_two_rings();
	test_rb_flood();
	test_poll_eintr("ringbuf/poll-eintr", 0);
	test_no_leftovers("ringbuf/free-leaves-no-fds", 0);
	return t_exit_code();
}
