// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf_memcpy_stat - memcpy_stat written on libbpf, as the footprint
 * benchmark's peer: binary size (dynamic, static) and peak RSS against
 * ours.  It does what user/memcpy_stat.c does, without the niceties:
 * open the embedded object, load it, write the config, attach a kprobe
 * to memcpy or the first stand-in the kernel accepts, print the table
 * every interval, detach, print the last one.
 *
 *   libbpf_memcpy_stat [-i SECONDS] [-d SECONDS]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "embedded.h"
#include "memcpy_common.h"

EMBEDDED_OBJECT(memcpy_stat_libbpf_bpf);

static const struct {
	const char *func;
	__u32 arg, only_if_arg;
} routines[] = {
	{ "memcpy", 3, 0 },
	{ "__check_object_size", 2, 3 },
	{ "copy_from_kernel_nofault", 3, 0 },
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int read_totals(int fd, int ncpus, uint64_t totals[MEMCPY_SLOTS])
{
	uint64_t values[256];
	__u32 slot;
	int c;

	if (ncpus > 256)
		return -E2BIG;
	for (slot = 0; slot < MEMCPY_SLOTS; slot++) {
		if (bpf_map_lookup_elem(fd, &slot, values))
			return -errno;
		totals[slot] = 0;
		for (c = 0; c < ncpus; c++)
			totals[slot] += values[c];
	}
	return 0;
}

static void print_table(const uint64_t now[MEMCPY_SLOTS], const uint64_t before[MEMCPY_SLOTS])
{
	__u32 b;

	printf("\tSize\t\tCount\n");
	for (b = 0; b < MEMCPY_BUCKETS; b++) {
		unsigned int hi = b * MEMCPY_BUCKET_WIDTH;

		if (b == 0)
			printf("   0\t\t\t%" PRIu64 "\n", now[b] - before[b]);
		else
			printf("%4u - %4u%s\t\t%" PRIu64 "\n", hi - MEMCPY_BUCKET_WIDTH + 1, hi,
			       b == MEMCPY_BUCKETS - 1 ? "*" : "", now[b] - before[b]);
	}
	printf("* Size > %u have been counted in this interval\n", MEMCPY_BUCKET_MAX_SIZE);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint64_t before[MEMCPY_SLOTS] = { 0 }, now[MEMCPY_SLOTS];
	double interval = 2, duration = 0, elapsed = 0;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	int opt, ncpus, hist_fd, cfg_fd, ret = 1;
	size_t i;

	while ((opt = getopt(argc, argv, "i:d:")) != -1) {
		if (opt == 'i')
			interval = atof(optarg);
		else if (opt == 'd')
			duration = atof(optarg);
		else
			return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_mem(memcpy_stat_libbpf_bpf, EMBEDDED_SIZE(memcpy_stat_libbpf_bpf), NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "libbpf_memcpy_stat: cannot load the BPF object: %s\n", strerror(errno));
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, "memcpy_stat");
	hist_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "size_hist"));
	cfg_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "config"));
	ncpus = libbpf_num_possible_cpus();
	for (i = 0; !link && i < sizeof(routines) / sizeof(routines[0]); i++) {
		struct memcpy_config cfg = { .arg = routines[i].arg, .only_if_arg = routines[i].only_if_arg };
		__u32 zero = 0;

		snprintf(cfg.func, sizeof(cfg.func), "%s", routines[i].func);
		if (bpf_map_update_elem(cfg_fd, &zero, &cfg, BPF_ANY))
			break;
		link = bpf_program__attach_kprobe(prog, false, routines[i].func);
	}
	if (!link) {
		fprintf(stderr, "libbpf_memcpy_stat: no kprobe could be attached: %s\n", strerror(errno));
		goto out;
	}
	fprintf(stderr, "Tracing %s... Hit Ctrl-C to end.\n", routines[i - 1].func);
	while (!duration || elapsed < duration) {
		usleep((useconds_t)(interval * 1e6));
		elapsed += interval;
		if (read_totals(hist_fd, ncpus, now))
			goto out;
		print_table(now, before);
		memcpy(before, now, sizeof(now));
	}
	bpf_link__destroy(link);
	link = NULL;
	if (read_totals(hist_fd, ncpus, now) == 0)
		print_table(now, before);
	ret = 0;
out:
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return ret;
}
