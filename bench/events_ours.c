// SPDX-License-Identifier: BSD-2-Clause
/*
 * events_ours - the event throughput benchmark read by our loader:
 * <bpfload/ringbuf.h> or <bpfload/perf_buffer.h>.  Its peer is
 * bench/peer/libbpf_events.c; both share events_common.c and read the
 * records of the same bench/kern/events.bpf.o.
 *
 *   events_ours [--ringbuf | --perf] [--size 16|1024] [--producers 1|2]
 *               [--seconds S] [--ring-bytes N] [--perf-pages N] [--drain] events.bpf.o
 *
 * Prints one "events ours ..." line (events_common.h); exit 1 when the
 * counts do not add up (received + lost != produced) or a record was bad.
 */
#include <stdio.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/perf_buffer.h>
#include <bpfload/ringbuf.h>

#include "events_common.h"

struct reader {
	struct evb_seen seen;
	int want;
};

static int on_record(void *ctx, const void *data, uint32_t size)
{
	struct reader *r = ctx;

	evb_count(&r->seen, data, size, r->want);
	return 0;
}

static int on_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	(void)cpu;
	return on_record(ctx, data, size);
}

int main(int argc, char **argv)
{
	struct evb_opts o;
	struct evb_producers producers = { .count = 0, .go_fd = -1 };
	struct evb_config cfg;
	struct reader reader = { .want = 0 };
	struct bl_perf_buffer_callbacks cb = { .sample = on_sample };
	struct bl_object *obj = NULL;
	struct bl_program *prog;
	struct bl_attachment *att = NULL;
	struct bl_ringbuf *rb = NULL;
	struct bl_perf_buffer *pb = NULL;
	struct bl_err err;
	uint64_t start, end, cpu0, drain, before, produced = 0, lost = 0;
	int k, ncpus, ret = 1, r;

	if (evb_parse(argc, argv, "events_ours", &o))
		return 2;
	reader.want = o.size;
	if (evb_producers_start(&producers, &o))
		return 1;

	/* Open, then tell the programs who the producers are and how big a
	 * record is; size the ring buffer. */
	obj = bl_object_open_file(o.object, NULL, &err);
	if (!obj)
		goto fail;
	memset(&cfg, 0, sizeof(cfg));
	for (k = 0; k < producers.count; k++)
		cfg.producer_tgid[k] = (__u32)producers.pid[k];
	cfg.record_size = (__u32)o.size;
	if (bl_object_var_write(obj, "evb_config", &cfg, sizeof(cfg), &err) ||
	    bl_map_set_max_entries(bl_object_map(obj, "rb"), o.ring_bytes, &err) ||
	    bl_object_load(obj, &err))
		goto fail;
	ncpus = bl_possible_cpus(&err);
	if (ncpus < 0)
		goto fail;

	/* The reader, then the program that feeds it. */
	if (o.perf)
		pb = bl_perf_buffer_open(bl_map_fd(bl_object_map(obj, "pb")), (size_t)o.perf_pages,
					 &cb, &reader, &err);
	else
		rb = bl_ringbuf_open(bl_map_fd(bl_object_map(obj, "rb")), on_record, &reader, &err);
	if (!pb && !rb)
		goto fail;
	prog = bl_object_program(obj, o.perf ? "to_perf" : "to_ringbuf");
	att = prog ? bl_program_attach(prog, NULL, &err) : NULL;
	if (!att)
		goto fail;

	/* Read while the producers run, then drain what they left. */
	evb_place_consumer(&o);
	cpu0 = evb_cpu_ns();
	start = evb_producers_go(&producers);
	end = start + (uint64_t)(o.seconds * 1e9);
	while (evb_now_ns() < end) {
		if (o.drain) {
			evb_idle_until(end);
			break;
		}
		r = o.perf ? bl_perf_buffer_poll(pb, 100, &err) : bl_ringbuf_poll(rb, 100, &err);
		if (r < 0)
			goto fail;
	}
	evb_producers_stop(&producers);
	before = reader.seen.received;
	drain = evb_now_ns();
	r = o.perf ? bl_perf_buffer_consume(pb, &err) : bl_ringbuf_consume(rb, &err);
	if (r < 0)
		goto fail;
	end = evb_now_ns();
	drain = end - drain;
	cpu0 = evb_cpu_ns() - cpu0;

	if (bl_percpu_sum_u64(bl_map_fd(bl_object_map(obj, "counts")), EVB_PRODUCED, ncpus,
			      &produced, &err) ||
	    bl_percpu_sum_u64(bl_map_fd(bl_object_map(obj, "counts")), EVB_LOST, ncpus,
			      &lost, &err))
		goto fail;
	evb_report("ours", &o, produced, lost, &reader.seen, end - start, cpu0, drain,
		   reader.seen.received - before);
	ret = reader.seen.received + lost == produced && reader.seen.bad == 0 ? 0 : 1;
	if (ret)
		fprintf(stderr, "events_ours: received %llu + lost %llu != produced %llu, or %llu bad records\n",
			(unsigned long long)reader.seen.received, (unsigned long long)lost,
			(unsigned long long)produced, (unsigned long long)reader.seen.bad);
	goto out;
fail:
	fprintf(stderr, "events_ours: %s\n", err.msg);
out:
	evb_producers_kill(&producers);
	bl_attachment_destroy(att, NULL);
	bl_ringbuf_free(rb);
	bl_perf_buffer_free(pb);
	bl_object_close(obj);
	return ret;
}
