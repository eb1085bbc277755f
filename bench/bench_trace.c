// SPDX-License-Identifier: BSD-2-Clause
/*
 * bench_trace.c - what narration costs when it is off.  Every bpf(2)
 * call goes through bl_sys_bpf(), which after the system call tests one
 * pointer (the hook).  This times BPF_MAP_LOOKUP_ELEM on an array map,
 * in rounds that alternate so that drift hits all alike:
 *
 *   raw         syscall(__NR_bpf, ...) with the same attr, no wrapper
 *   off         bl_map_lookup(), no hook set: what every tool pays
 *   on, silent  bl_map_lookup() with a hook that discards the line: the
 *               cost of decoding and formatting, paid only when asked
 *
 * and prints the fastest and the median round, in nanoseconds per call.
 * On a shared machine the median moves by more than the branch could
 * ever cost; the fastest rounds are the steadier comparison.  Needs root
 * (a map).  Usage: bench_trace [--calls N] [--rounds N]
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpfload/maps.h>
#include <bpfload/trace.h>

#include "sys/bpf_syscall.h"

#define MAX_ROUNDS 99

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

static double lowest(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[0];
}

static void discard(const struct bl_trace_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
}

static double time_raw(int fd, long calls)
{
	uint32_t key = 0;
	uint64_t value;
	union bpf_attr attr;
	double t0 = now_ns();
	long i;

	for (i = 0; i < calls; i++) {
		memset(&attr, 0, sizeof(attr));	/* as the wrapper does */
		attr.map_fd = (uint32_t)fd;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		if (syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) < 0)
			return -1;
	}
	return (now_ns() - t0) / (double)calls;
}

static double time_wrapped(int fd, long calls)
{
	uint32_t key = 0;
	uint64_t value;
	double t0 = now_ns();
	long i;

	for (i = 0; i < calls; i++)
		if (bl_map_lookup(fd, &key, &value))
			return -1;
	return (now_ns() - t0) / (double)calls;
}

int main(int argc, char **argv)
{
	struct bl_map_spec spec = { .name = "bench_trace", .type = BPF_MAP_TYPE_ARRAY,
				    .key_size = 4, .value_size = 8, .max_entries = 1 };
	double raw[MAX_ROUNDS], off[MAX_ROUNDS], on[MAX_ROUNDS];
	long calls = 20000, rounds = 61;
	int i, fd;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--calls") == 0)
			calls = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = atol(argv[i + 1]);
	}
	if (calls < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: bench_trace [--calls N] [--rounds 1..%d]\n", MAX_ROUNDS);
		return 2;
	}
	fd = bl_map_create(&spec);
	if (fd < 0) {
		fprintf(stderr, "bench_trace: BPF_MAP_CREATE failed (%s); run as root\n", strerror(-fd));
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		raw[i] = time_raw(fd, calls);
		bl_trace_set(NULL, NULL);
		off[i] = time_wrapped(fd, calls);
		bl_trace_set(discard, NULL);
		on[i] = time_wrapped(fd, calls);
		bl_trace_set(NULL, NULL);
		if (raw[i] < 0 || off[i] < 0 || on[i] < 0) {
			fprintf(stderr, "bench_trace: a lookup failed\n");
			return 1;
		}
	}
	printf("BPF_MAP_LOOKUP_ELEM on an array map, %ld calls x %ld rounds, ns per call:\n",
	       calls, rounds);
	printf("                                 fastest  median\n");
	printf("  raw syscall(__NR_bpf)          %7.1f %7.1f\n", lowest(raw, (int)rounds),
	       median(raw, (int)rounds));
	printf("  bl_map_lookup, narration off   %7.1f %7.1f\n", lowest(off, (int)rounds),
	       median(off, (int)rounds));
	printf("  bl_map_lookup, hook set        %7.1f %7.1f  (decoded and formatted, then discarded)\n",
	       lowest(on, (int)rounds), median(on, (int)rounds));
	close(fd);
	return 0;
}
