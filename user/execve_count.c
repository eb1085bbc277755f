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
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "bpf_syscall.h"
#include "embedded.h"
#include "object.h"
#include "perf_buffer.h"
#include "tool_common.h"
#include "trace_pipe.h"

EMBEDDED_OBJECT(execve_count_bpf);

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	uint64_t start;		/* the counter's value before the first execve */
	int perf;		/* perf event array instead of trace_pipe */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: execve_count [options]\n"
		"Count execve calls in a BPF map and print \"execve called N times\" on each.\n"
		"\n"
		"  -s, --start N            start counting from N (written into the map\n"
		"                           before attaching; the first execve is N + 1)\n"
		"  -p, --perf               send the count through a perf buffer instead of\n"
		"                           bpf_trace_printk() and trace_pipe\n"
		"  -d, --duration SECONDS   stop after this long (default: until Ctrl-C)\n"
		"  -h, --help               show this help\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "start", required_argument, NULL, 's' },
		{ "perf", no_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "s:pd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			o->start = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-')
				goto bad_value;
			break;
		case 'p':
			o->perf = 1;
			break;
		case 'd':
			o->duration_ms = tool_parse_seconds(optarg);
			if (o->duration_ms < 0)
				goto bad_value;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "execve_count: unexpected argument '%s'; see --help\n", argv[optind]);
		return -1;
	}
	return 0;
bad_value:
	fprintf(stderr, "execve_count: bad value '%s' for --%s; see --help\n", optarg,
		c == 's' ? "start" : "duration");
	return -1;
}

/* ---- the kernel it needs ------------------------------------------------- */

/* Whether the verifier takes r1 = atomic_fetch_add((u64 *)(r10 - 8), r1),
 * the instruction the count is made with.  Kernels before 5.12 refuse a
 * BPF_ATOMIC whose imm is not plain BPF_ADD ("uses reserved fields"). */
static int kernel_has_atomic_fetch(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_DW | BPF_ATOMIC, .dst_reg = BPF_REG_10, .src_reg = BPF_REG_1,
		  .off = -8, .imm = BPF_ADD | BPF_FETCH },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bl_prog_spec spec = { .name = "fetch_probe", .type = BPF_PROG_TYPE_TRACEPOINT,
				     .insns = insns, .insn_cnt = 5, .license = "GPL" };
	struct bl_err err;
	int fd = bl_prog_load(&spec, NULL, &err);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

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
		out->pb = bl_perf_buffer_open(bl_object_map(obj, "output")->fd, 8, &perf_callbacks, NULL, err);
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

static int run(const struct options *o, struct bl_err *err)
{
	struct output out = { .tp = { .fd = -1 }, .pb = NULL };
	struct bl_object *obj;
	struct bl_program *prog;
	struct bl_map *counter;
	struct bl_link *link = NULL;
	uint32_t zero = 0;
	int ret = -1, e;

	/* 1. Open: parse the BPF object linked into this binary. */
	obj = bl_object_open_mem(execve_count_bpf, EMBEDDED_SIZE(execve_count_bpf),
				 "execve_count.bpf.o", err);
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
		if (err->code != EPERM && !kernel_has_atomic_fetch())
			bl_fail(err, ENOTSUP, "this kernel is too old: the count is an atomic fetch-and-add (BPF_ATOMIC with BPF_FETCH), which the verifier takes since Linux 5.12 (%s)",
				why);
		else if (prog->verifier_log)
			fprintf(stderr, "%s\n", prog->verifier_log);
		goto out;
	}

	/* 3. Set the counter from user space, open the output, attach. */
	e = bl_map_update(counter->fd, &zero, &o->start, BPF_ANY);
	if (e) {
		bl_fail(err, -e, "writing %" PRIu64 " into the counter map failed: %s", o->start,
			bl_errno_name(-e));
		goto out;
	}
	if (output_open(&out, o, obj, err) || !(link = bl_program_attach(prog, NULL, err)))
		goto out;
	fprintf(stderr, "Tracing execve (counting from %" PRIu64 ", %s)... Hit Ctrl-C to end.\n",
		o->start, o->perf ? "perf buffer" : "trace_pipe");

	/* 4. Read: one line per execve. */
	if (print_counts(&out, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, then print what was sent before that. */
	e = bl_link_destroy(link, err);
	link = NULL;
	if (e)
		goto out;
	output_finish(&out, err);
	fflush(stdout);
	ret = 0;
out:
	/* 6. Close: detach if still attached, free the rest. */
	bl_link_destroy(link, NULL);
	output_close(&out);
	bl_object_close(obj);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	struct bl_err err = { 0, "" };

	if (parse_options(argc, argv, &o))
		return 2;
	tool_catch_stop_signals();
	if (run(&o, &err)) {
		fprintf(stderr, "execve_count: %s\n", err.msg[0] ? err.msg : "failed");
		return 1;
	}
	return 0;
}
