// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf_events - the peer of bench/events_ours.c: the same producers and
 * the same object, read with libbpf's ring_buffer__poll() or
 * perf_buffer__poll() (built for the benchmarks only).
 *
 *   libbpf_events [--ringbuf | --perf] [--size 16|1024] [--producers 1|2]
 *                 [--seconds S] [--ring-bytes N] [--perf-pages N] [--drain] events.bpf.o
 *
 * Prints one "events libbpf ..." line; exit 1 when the counts do not add up.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "events_common.h"

struct reader {
	struct evb_seen seen;
	int want;
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;

	evb_count(&r->seen, data, (uint32_t)size, r->want);
	return 0;
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	on_record(ctx, data, size);
}

/* Where variable name lies in the initial value of the .rodata map:
 * libbpf has no call for a variable by name without a skeleton, so read
 * the offset from the DATASEC's BTF. */
static void *rodata_var(struct bpf_object *obj, const char *name, size_t size)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t map_size;
	char *data;
	int id, i;

	if (!map || !btf)
		return NULL;
	data = (char *)bpf_map__initial_value(map, &map_size);
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (!data || id < 0)
		return NULL;
	sec = btf__type_by_id(btf, (__u32)id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, var->name_off), name) && vs->size == size &&
		    vs->offset + size <= map_size)
			return data + vs->offset;
	}
	return NULL;
}

/* Sum a per-CPU u64 slot over the possible CPUs. */
static int percpu_sum(int map_fd, __u32 key, int ncpus, uint64_t *sum)
{
	uint64_t *values = calloc((size_t)ncpus, sizeof(*values));
	int i, err;

	if (!values)
		return -ENOMEM;
	err = bpf_map_lookup_elem(map_fd, &key, values);
	*sum = 0;
	for (i = 0; !err && i < ncpus; i++)
		*sum += values[i];
	free(values);
	return err;
}

int main(int argc, char **argv)
{
	struct evb_opts o;
	struct evb_producers producers = { .count = 0, .go_fd = -1 };
	struct evb_config *cfg;
	struct reader reader = { .want = 0 };
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	uint64_t start, end, cpu0, drain, before, produced = 0, lost = 0;
	int k, ncpus, ret = 1, r, counts_fd;
	const char *what = "";

	if (evb_parse(argc, argv, "libbpf_events", &o))
		return 2;
	reader.want = o.size;
	libbpf_set_print(quiet);
	if (evb_producers_start(&producers, &o))
		return 1;

	what = "open";
	obj = bpf_object__open_file(o.object, NULL);
	if (!obj)
		goto fail;
	what = "set evb_config";
	cfg = rodata_var(obj, "evb_config", sizeof(*cfg));
	if (!cfg)
		goto fail;
	memset(cfg, 0, sizeof(*cfg));
	for (k = 0; k < producers.count; k++)
		cfg->producer_tgid[k] = (__u32)producers.pid[k];
	cfg->record_size = (__u32)o.size;
	what = "load";
	if (bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "rb"), o.ring_bytes) ||
	    bpf_object__load(obj))
		goto fail;
	ncpus = libbpf_num_possible_cpus();

	what = "open the reader";
	if (o.perf)
		pb = perf_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "pb")),
				      (size_t)o.perf_pages, on_sample, NULL, &reader, NULL);
	else
		rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "rb")),
				      on_record, &reader, NULL);
	if (!pb && !rb)
		goto fail;
	what = "attach";
	prog = bpf_object__find_program_by_name(obj, o.perf ? "to_perf" : "to_ringbuf");
	link = prog ? bpf_program__attach(prog) : NULL;
	if (!link)
		goto fail;

	evb_place_consumer(&o);
	cpu0 = evb_cpu_ns();
	start = evb_producers_go(&producers);
	end = start + (uint64_t)(o.seconds * 1e9);
	what = "poll";
	while (evb_now_ns() < end) {
		if (o.drain) {
			evb_idle_until(end);
			break;
		}
		r = o.perf ? perf_buffer__poll(pb, 100) : ring_buffer__poll(rb, 100);
		if (r < 0 && r != -EINTR)
			goto fail;
	}
	evb_producers_stop(&producers);
	before = reader.seen.received;
	drain = evb_now_ns();
	r = o.perf ? perf_buffer__consume(pb) : ring_buffer__consume(rb);
	if (r < 0)
		goto fail;
	end = evb_now_ns();
	drain = end - drain;
	cpu0 = evb_cpu_ns() - cpu0;

	what = "read the counters";
	counts_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "counts"));
	if (percpu_sum(counts_fd, EVB_PRODUCED, ncpus, &produced) ||
	    percpu_sum(counts_fd, EVB_LOST, ncpus, &lost))
		goto fail;
	evb_report("libbpf", &o, produced, lost, &reader.seen, end - start, cpu0, drain,
		   reader.seen.received - before);
	ret = reader.seen.received + lost == produced && reader.seen.bad == 0 ? 0 : 1;
	if (ret)
		fprintf(stderr, "libbpf_events: received %llu + lost %llu != produced %llu, or %llu bad records\n",
			(unsigned long long)reader.seen.received, (unsigned long long)lost,
			(unsigned long long)produced, (unsigned long long)reader.seen.bad);
	goto out;
fail:
	fprintf(stderr, "libbpf_events: %s failed: %s\n", what, strerror(errno));
out:
	evb_producers_kill(&producers);
	bpf_link__destroy(link);
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	bpf_object__close(obj);
	return ret;
}
