// SPDX-License-Identifier: BSD-2-Clause
/*
 * execve_count - count execve calls in a BPF map, and say so each time.
 *
 * The BPF program (kern/execve_count.bpf.c) adds one to slot 0 of an
 * array map on every execve and reports the new count, "execve called N
 * times": by default with bpf_trace_printk(), whose lines we stream from
 * tracefs trace_pipe as they are, e.g.
 *   "  bash-2852 [001] d..31 151374.86: bpf_trace_printk: execve called 101 times"
 * or with --perf through a perf event array, printed as
 *   "execve called 101 times"
 * --start N writes N into the map from user space before attaching (a
 * map is shared by both sides), so the first execve reports N + 1.
 *
 * trace_pipe is shared by the whole system: lines of other BPF programs
 * appear too, and lines left there by an earlier run are dropped before
 * we attach, so that the first count shown is this run's.
 *
 * The count is an atomic fetch-and-add (BPF_ATOMIC | BPF_FETCH, Linux
 * 5.12).  Older kernels' verifiers refuse it; a count without it could
 * print one number twice, so on those kernels the tool says in one line
 * which kernel it needs rather than count differently.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/features.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/perf_buffer.h>
#include <bpfload/trace_pipe.h>

#include "embedded.h"
#include "tool_common.h"
#include "tool_main.h"

EMBEDDED_OBJECT(execve_count_bpf);

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	uint64_t start;		/* the counter's value before the first execve */
	int perf;		/* perf event array instead of trace_pipe */
};

/* ---- the two ways the count comes out ------------------------------------ */

/* The program's format ends in "\n", as kernels that print through
 * trace_printk() need; kernels with the bpf_trace_printk trace event end
 * each line themselves, and the empty line that makes is dropped. */
static void print_line(const char *line, void *ctx)
{
	(void)ctx;
	if (line[strspn(line, " \t\r")] != '\0')
		puts(line);
}

static void skip_line(const char *line, void *ctx)
{
	(void)line;
	(void)ctx;
}

static int on_count(void *ctx, int cpu, const void *data, uint32_t size)
{
	uint64_t n;

	(void)ctx;
	(void)cpu;
	if (size < sizeof(n))
		return -EPROTO;
	memcpy(&n, data, sizeof(n));	/* perf data is only 4-byte aligned */
	printf("execve called %" PRIu64 " times\n", n);
	return 0;
}

static const struct bl_perf_buffer_callbacks perf_callbacks = { on_count, NULL };

struct output {
	struct bl_trace_pipe tp;	/* fd -1 when unused */
	struct bl_perf_buffer *pb;
};

/* Empty trace_pipe of what is already there (at most a few MB, so that
 * a busy system cannot keep us here). */
static void trace_pipe_drain(struct bl_trace_pipe *tp, bl_trace_line_fn fn)
{
	int rounds;

	for (rounds = 0; rounds < 256; rounds++)
		if (bl_trace_pipe_read(tp, 0, fn, NULL) <= 0)
			break;
}

/* Open where the counts will come from; with trace_pipe, drop what
 * earlier runs left there. */
static int output_open(struct output *out, const struct options *o, struct bl_object *obj,
		       struct bl_err *err)
{
	if (o->perf) {
		out->pb = bl_perf_buffer_open(bl_map_fd(bl_object_map(obj, "output")), 8, &perf_callbacks, NULL, err);
		return out->pb ? 0 : -1;
	}
	if (bl_trace_pipe_open(&out->tp, err))
		return -1;
	trace_pipe_drain(&out->tp, skip_line);
	return 0;
}

/* After detaching: what was sent before is still waiting; print it. */
static void output_finish(struct output *out, struct bl_err *err)
{
	if (out->pb)
		bl_perf_buffer_consume(out->pb, err);
	else
		trace_pipe_drain(&out->tp, print_line);
}

static void output_close(struct output *out)
{
	bl_perf_buffer_free(out->pb);
	bl_trace_pipe_close(&out->tp);
}

/* Print counts until Ctrl-C or the deadline (end_ms, 0: none). */
static int print_counts(struct output *out, int64_t end_ms, struct bl_err *err)
{
	int timeout, n;

	if (!out->pb)
		return tool_stream_trace_pipe(&out->tp, end_ms, print_line, NULL, err);
	while ((timeout = tool_next_timeout(end_ms)) >= 0) {
		n = bl_perf_buffer_poll(out->pb, timeout, err);
		if (n == -EPROTO)
			return bl_fail(err, EPROTO, "a perf sample shorter than the u64 count arrived");
		if (n < 0 && n != -EINTR)
			return n;
		fflush(stdout);
	}
	return 0;
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct output out = { .tp = { .fd = -1 }, .pb = NULL };
	struct bl_object *obj;
	struct bl_program *prog;
	struct bl_map *counter;
	struct bl_attachment *att = NULL;
	uint32_t zero = 0;
	int ret = -1, e;

	/* 1. Open: parse the BPF object linked into this binary. */
	obj = bl_object_open_mem(execve_count_bpf, EMBEDDED_SIZE(execve_count_bpf),
				 "execve_count.bpf.o", NULL, err);
	if (!obj)
		return -1;
	prog = bl_object_program(obj, o->perf ? "execve_perf" : "execve_printk");
	counter = bl_object_map(obj, "counter");
	if (!prog || !counter || !bl_object_map(obj, "output")) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks a program or map it should have");
		goto out;
	}

	/* 2. Load: create the maps, let the verifier check both programs. */
	if (bl_object_load(obj, err)) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		if (err->code != EPERM && bl_kernel_has(BL_FEAT_ATOMIC_FETCH) == 0)
			bl_fail(err, ENOTSUP, "this kernel is too old: the count is an atomic fetch-and-add (%s), which the verifier takes since Linux %s (%s)",
				bl_feature_name(BL_FEAT_ATOMIC_FETCH), bl_feature_since(BL_FEAT_ATOMIC_FETCH), why);
		else
			tool_print_verifier_logs(obj);
		goto out;
	}

	/* 3. Set the counter from user space, open the output, attach. */
	e = bl_map_update(bl_map_fd(counter), &zero, &o->start, BPF_ANY);
	if (e) {
		bl_fail(err, -e, "writing %" PRIu64 " into the counter map failed: %s", o->start,
			bl_errno_name(-e));
		goto out;
	}
	if (output_open(&out, o, obj, err) || !(att = bl_program_attach(prog, NULL, err)))
		goto out;
	fprintf(stderr, "Tracing execve (counting from %" PRIu64 ", %s)... Hit Ctrl-C to end.\n",
		o->start, o->perf ? "perf buffer" : "trace_pipe");

	/* 4. Read: one line per execve. */
	if (print_counts(&out, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, then print what was sent before that. */
	e = bl_attachment_destroy(att, err);
	att = NULL;
	if (e)
		goto out;
	output_finish(&out, err);
	fflush(stdout);
	ret = 0;
out:
	/* 6. Close: detach if still attached, free the rest. */
	bl_attachment_destroy(att, NULL);
	output_close(&out);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_U64('s', "start", "N", "start counting from N (written into the map\n"
		 "before attaching; the first execve is N + 1)", struct options, start),
	TOOL_FLAG('p', "perf", "send the count through a perf buffer instead of\n"
		  "bpf_trace_printk() and trace_pipe", struct options, perf),
	TOOL_DURATION(struct options, duration_ms),
	{ 0 }
};

static const struct tool execve_count = {
	.name = "execve_count",
	.summary = "Count execve calls in a BPF map and print \"execve called N times\" on each.",
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { 0 };

	return tool_main(&execve_count, &o, argc, argv);
}
