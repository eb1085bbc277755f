// SPDX-License-Identifier: BSD-2-Clause
/*
 * read_trace - every read() system call: who, which fd, how many bytes
 * asked for, how many read.
 *
 * Two BPF programs (kern/read_trace.bpf.c) on tracepoints
 * syscalls/sys_enter_read and sys_exit_read join each call's arguments
 * with its result and send one event per call through a BPF ring buffer;
 * we print "comm pid fd count ret":
 *   cat 4242 3 131072 1024
 *
 * Before loading we read the two tracepoints' format files from tracefs
 * (loader/tracepoint_format.h) and write where fd, count and ret lie into
 * the programs' .rodata, with --pid's process id; .rodata is frozen at
 * load, so the verifier sees all of them as constants.
 *
 * Exact losses (--stats) as in hello_buffer: the exit program counts
 * what it sends and what the full ring refuses; we detach, drain, then
 * read those counts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/ringbuf.h>
#include <bpfload/tracepoint_format.h>

#include "embedded.h"
#include "event_counts_common.h"
#include "read_trace_common.h"
#include "tool_common.h"
#include "tool_main.h"

EMBEDDED_OBJECT(read_trace_bpf);

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	long pid;		/* 0: every process */
	long ringbuf_size;	/* bytes */
	int stats;
};

/* ---- where the fields are ------------------------------------------------ */

/* Look field up in the tracepoint's format and write its place into the
 * program's .rodata variable var. */
static int place_field(struct bl_object *obj, const struct bl_tp_format *fmt, const char *field,
		       const char *var, struct bl_err *err)
{
	const struct bl_tp_field *f;
	struct tp_field_loc loc;

	if (bl_tp_format_scalar(fmt, field, &f, err))
		return -1;
	memset(&loc, 0, sizeof(loc));
	loc.offset = f->offset;
	loc.size = f->size;
	loc.is_signed = f->is_signed == 1;
	return bl_object_var_write(obj, var, &loc, sizeof(loc), err) ? -1 : 0;
}

/* The fields the programs read, from tracefs; and --pid. */
static int configure(struct bl_object *obj, const struct options *o, struct bl_err *err)
{
	struct bl_tp_format *fmt = malloc(sizeof(*fmt));
	uint32_t pid = (uint32_t)o->pid;	/* the program's target_pid is a u32 */
	int ret = -1;

	if (!fmt)
		return bl_fail(err, ENOMEM, "out of memory");
	if (bl_tp_format_read("syscalls", "sys_enter_read", fmt, err) == 0 &&
	    place_field(obj, fmt, "fd", "fd_field", err) == 0 &&
	    place_field(obj, fmt, "count", "count_field", err) == 0 &&
	    bl_tp_format_read("syscalls", "sys_exit_read", fmt, err) == 0 &&
	    place_field(obj, fmt, "ret", "ret_field", err) == 0 &&
	    bl_object_var_write(obj, "target_pid", &pid, sizeof(pid), err) == 0)
		ret = 0;
	free(fmt);
	return ret;
}

/* ---- printing events ----------------------------------------------------- */

static int print_event(void *ctx, const void *data, uint32_t size)
{
	struct read_event ev;

	(void)ctx;
	if (size < sizeof(ev))
		return -EPROTO;		/* not our event: stop */
	memcpy(&ev, data, sizeof(ev));
	printf("%.*s %u %u %" PRIu64 " %" PRId64 "\n", READ_COMM_LEN, ev.comm, ev.pid, ev.fd,
	       (uint64_t)ev.count, (int64_t)ev.ret);
	return 0;
}

static int explain(int ret, struct bl_err *err)
{
	if (ret == -EPROTO)
		return bl_fail(err, EPROTO, "an event shorter than struct read_event (%zu bytes) arrived",
			       sizeof(struct read_event));
	return ret;
}

/* Print events until Ctrl-C or the deadline. */
static int print_events(struct bl_ringbuf *rb, int64_t end_ms, struct bl_err *err)
{
	int timeout, n;

	while ((timeout = tool_next_timeout(end_ms)) >= 0) {
		n = explain(bl_ringbuf_poll(rb, timeout, err), err);
		if (n < 0 && n != -EINTR)
			return n;
		fflush(stdout);
	}
	return 0;
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct bl_object *obj;
	struct bl_program *enter, *exit_prog;
	struct bl_map *events, *counts;
	struct bl_attachment *enter_link = NULL, *exit_link = NULL;
	struct bl_ringbuf *rb = NULL;
	struct bl_ringbuf_stats st;
	uint64_t produced, lost;
	int ncpus;
	int ret = -1, e1, e2;

	/* 1. Open: parse the BPF object linked into this binary, and fill
	 * in its .rodata: field places from tracefs, the --pid filter. */
	obj = bl_object_open_mem(read_trace_bpf, EMBEDDED_SIZE(read_trace_bpf), "read_trace.bpf.o", NULL, err);
	if (!obj)
		return -1;
	enter = bl_object_program(obj, "read_enter");
	exit_prog = bl_object_program(obj, "read_exit");
	events = bl_object_map(obj, "events");
	counts = bl_object_map(obj, "counts");
	if (!enter || !exit_prog || !events || !counts) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks a program or map it should have");
		goto out;
	}
	bl_map_set_max_entries(events, (uint32_t)o->ringbuf_size, err);
	if (configure(obj, o, err))
		goto out;

	/* 2. Load: create the maps, let the verifier check the programs. */
	if (tool_load(obj, err))
		goto out;

	/* 3. Attach: the ring first, then entry and exit.  (A read already
	 * under way when the entry program arrives has no entry and is
	 * skipped at exit.) */
	rb = bl_ringbuf_open(bl_map_fd(events), print_event, NULL, err);
	if (!rb || !(enter_link = bl_program_attach(enter, NULL, err)) ||
	    !(exit_link = bl_program_attach(exit_prog, NULL, err)))
		goto out;
	if (o->pid)
		fprintf(stderr, "Tracing read() of process %ld... Hit Ctrl-C to end.\n", o->pid);
	else
		fprintf(stderr, "Tracing read()... Hit Ctrl-C to end.\n");

	/* 4. Read: one line per completed read(). */
	if (print_events(rb, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, drain what is left, then read the program's counts. */
	e1 = bl_attachment_destroy(enter_link, err);
	e2 = bl_attachment_destroy(exit_link, e1 ? NULL : err);
	enter_link = exit_link = NULL;
	if (e1 || e2 || explain(bl_ringbuf_consume(rb, err), err) < 0)
		goto out;
	fflush(stdout);
	if (o->stats) {
		if ((ncpus = bl_possible_cpus(err)) < 0 ||
		    bl_percpu_sum_u64(bl_map_fd(counts), EVENT_PRODUCED, ncpus, &produced, err) ||
		    bl_percpu_sum_u64(bl_map_fd(counts), EVENT_LOST, ncpus, &lost, err))
			goto out;
		bl_ringbuf_stats(rb, &st);
		fprintf(stderr, "received %" PRIu64 ", lost %" PRIu64 " (produced %" PRIu64 ")\n",
			st.received, lost, produced);
	}
	ret = 0;
out:
	/* 6. Close: detach if still attached, unmap the ring, free the rest. */
	bl_attachment_destroy(exit_link, NULL);
	bl_attachment_destroy(enter_link, NULL);
	bl_ringbuf_free(rb);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_LONG('p', "pid", "PID", "only this process (filtered in the kernel)",
		  struct options, pid, 1, 0x7fffffff),
	TOOL_RINGBUF_SIZE(struct options, ringbuf_size),
	TOOL_STATS(struct options, stats),
	TOOL_DURATION(struct options, duration_ms),
	{ 0 }
};

static const struct tool read_trace = {
	.name = "read_trace",
	.summary = "Print \"comm pid fd count ret\" for every read() system call.",
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { .ringbuf_size = 256 * 1024 };

	return tool_main(&read_trace, &o, argc, argv);
}
