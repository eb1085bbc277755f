// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy_stat - a live histogram of the sizes the kernel copies.
 *
 * The BPF program (kern/memcpy_stat.bpf.c) counts each call of memcpy, or
 * of the copy routine that stands in for it, in a per-CPU array of size
 * buckets.  Every interval we sum the buckets over all CPUs and print how
 * much each grew since the last table, in learn-bpf's table format.
 * Counts are never reset in the kernel (a reset would race with the
 * program and lose counts); the tables are differences of totals.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/trace.h>

#include "embedded.h"
#include "memcpy_probe.h"
#include "tool_common.h"
#include "tool_main.h"

EMBEDDED_OBJECT(memcpy_stat_bpf);

/* Sum each slot (the buckets, then the calls not counted) over all CPUs. */
static int read_totals(int map_fd, int ncpus, uint64_t totals[MEMCPY_SLOTS], struct bl_err *err)
{
	uint32_t slot;

	for (slot = 0; slot < MEMCPY_SLOTS; slot++)
		if (bl_percpu_sum_u64(map_fd, slot, ncpus, &totals[slot], err))
			return bl_err_context(err, "size_hist");
	return 0;
}

/* learn-bpf's table: bucket k covers sizes 64k-63 .. 64k, the last one
 * everything above as well. */
static void print_table(const uint64_t now[MEMCPY_SLOTS], const uint64_t before[MEMCPY_SLOTS])
{
	uint32_t b;

	printf("\tSize\t\tCount\n");
	for (b = 0; b < MEMCPY_BUCKETS; b++) {
		uint64_t count = now[b] - before[b];
		unsigned int hi = b * MEMCPY_BUCKET_WIDTH;

		if (b == 0)
			printf("   0\t\t\t%" PRIu64 "\n", count);
		else
			printf("%4u - %4u%s\t\t%" PRIu64 "\n", hi - MEMCPY_BUCKET_WIDTH + 1, hi,
			       b == MEMCPY_BUCKETS - 1 ? "*" : "", count);
	}
	printf("* Size > %u have been counted in this interval\n", MEMCPY_BUCKET_MAX_SIZE);
	fflush(stdout);
}

/* Sleep until the next table is due; returns 1 when it is time to stop. */
static int wait_for_next_table(int64_t next_ms, int64_t end_ms)
{
	int64_t now = tool_now_ms(), until = next_ms;

	if (end_ms && end_ms < until)
		until = end_ms;
	if (until > now)
		poll(NULL, 0, (int)(until - now));	/* EINTR on Ctrl-C */
	now = tool_now_ms();
	return tool_stop_requested() || (end_ms && now >= end_ms);
}

static int run(void *opts, struct bl_err *err)
{
	const struct memcpy_options *o = opts;
	struct memcpy_probe_request req = {
		.tool = "memcpy_stat", .func = o->func, .arg = (int)o->arg,
		.force_legacy = getenv("BPFLOAD_LEGACY_KPROBES") != NULL,
	};
	uint64_t before[MEMCPY_SLOTS] = { 0 }, now[MEMCPY_SLOTS];
	struct bl_object *obj;
	struct bl_program *prog;
	struct bl_map *hist;
	struct bl_attachment *att = NULL;
	struct memcpy_config traced;
	int ncpus, ret = -1, stop = 0;
	int64_t start, end_ms, next;

	/* 1. Open: parse the BPF object linked into this binary. */
	obj = bl_object_open_mem(memcpy_stat_bpf, EMBEDDED_SIZE(memcpy_stat_bpf),
				 "memcpy_stat.bpf.o", NULL, err);
	if (!obj)
		return -1;
	prog = bl_object_program(obj, "memcpy_stat");
	hist = bl_object_map(obj, "size_hist");
	if (!prog || !hist) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks program memcpy_stat or map size_hist");
		goto out;
	}
	ncpus = bl_possible_cpus(err);
	if (ncpus < 0)
		goto out;

	/* 2. Load: create the maps, let the verifier check the program. */
	if (tool_load(obj, err))
		goto out;

	/* 3. Attach: a kprobe on memcpy, or on the routine standing in. */
	att = memcpy_probe_attach(obj, prog, &req, &traced, err);
	if (!att)
		goto out;
	fprintf(stderr, "Tracing %s (size: argument %u)... Hit Ctrl-C to end.\n",
		traced.func, traced.arg);

	/* 4. Read: print the growth of every bucket once per interval. */
	bl_trace_phase(BL_TRACE_READ);	/* for BPFLOAD_TRACE=1 */
	start = tool_now_ms();
	end_ms = o->duration_ms ? start + o->duration_ms : 0;
	for (next = start + o->interval_ms; !stop; next += o->interval_ms) {
		stop = wait_for_next_table(next, end_ms);
		if (stop)
			break;
		if (read_totals(bl_map_fd(hist), ncpus, now, err))
			goto out;
		print_table(now, before);
		memcpy(before, now, sizeof(now));
	}

	/* 5. Detach first, so the last table holds every call that was counted. */
	if (bl_attachment_destroy(att, err))
		fprintf(stderr, "memcpy_stat: %s\n", err->msg);
	att = NULL;
	bl_trace_phase(BL_TRACE_READ);
	if (read_totals(bl_map_fd(hist), ncpus, now, err))
		goto out;
	print_table(now, before);
	if (traced.only_if_arg)
		fprintf(stderr, "memcpy_stat: %" PRIu64 " calls of %s not counted (argument %u was 0)\n",
			now[MEMCPY_SLOT_NOT_COUNTED], traced.func, traced.only_if_arg);
	ret = 0;
out:
	bl_attachment_destroy(att, NULL);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_SECONDS('i', "interval", "SECONDS", "time between tables (default 2)",
		     struct memcpy_options, interval_ms),
	TOOL_DURATION(struct memcpy_options, duration_ms),
	MEMCPY_FUNC_OPTIONS("the size is argument N (1-6) of the function"),
	{ 0 }
};

static const struct tool memcpy_stat = {
	.name = "memcpy_stat",
	.summary = "Print a histogram of the kernel's memcpy sizes every interval.",
	.epilog = MEMCPY_EPILOG,
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct memcpy_options o = { .interval_ms = 2000 };

	return tool_main(&memcpy_stat, &o, argc, argv);
}
