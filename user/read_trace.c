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
 * load, so the verifier sees all of them as constants.  The object comes
 * with its skeleton (build/gen/read_trace.skel.h, generated at build time
 * by `bpfload gen skeleton`), so those are typed writes:
 * skel->rodata->target_pid = pid.
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

#include "event_counts_common.h"
#include "read_trace_common.h"
/* read_trace_common.h defines struct tp_field_loc, shared with the BPF
 * code: the skeleton uses that definition instead of writing its own. */
#define BPFLOAD_SKEL_HAVE_struct_tp_field_loc
#include "read_trace.skel.h"
#include "tool_common.h"
#include "tool_main.h"

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	long pid;		/* 0: every process */
	long ringbuf_size;	/* bytes */
	int stats;
};

/* ---- where the fields are ------------------------------------------------ */

/* Look field up in the tracepoint's format and write its place into
 * loc, a variable in the programs' .rodata. */
static int place_field(const struct bl_tp_format *fmt, const char *field,
		       struct tp_field_loc *loc, struct bl_err *err)
{
	const struct bl_tp_field *f;

	if (bl_tp_format_scalar(fmt, field, &f, err))
		return -1;
	memset(loc, 0, sizeof(*loc));
	loc->offset = f->offset;
	loc->size = f->size;
	loc->is_signed = f->is_signed == 1;
	return 0;
}

/* Before load: the fields the programs read, from tracefs; and --pid. */
static int configure(struct read_trace *skel, const struct options *o, struct bl_err *err)
{
	struct bl_tp_format *fmt = malloc(sizeof(*fmt));
	int ret = -1;

	if (!fmt)
		return bl_fail(err, ENOMEM, "out of memory");
	if (bl_tp_format_read("syscalls", "sys_enter_read", fmt, err) == 0 &&
	    place_field(fmt, "fd", &skel->rodata->fd_field, err) == 0 &&
	    place_field(fmt, "count", &skel->rodata->count_field, err) == 0 &&
	    bl_tp_format_read("syscalls", "sys_exit_read", fmt, err) == 0 &&
	    place_field(fmt, "ret", &skel->rodata->ret_field, err) == 0)
		ret = 0;
	skel->rodata->target_pid = (uint32_t)o->pid;
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
	struct read_trace *skel;
	struct bl_ringbuf *rb = NULL;
	struct bl_ringbuf_stats st;
	uint64_t produced, lost;
	int ncpus;
	int ret = -1;

	/* 1. Open: parse the BPF object the skeleton embeds, and fill in
	 * its .rodata: field places from tracefs, the --pid filter. */
	skel = read_trace__open(err);
	if (!skel)
		return -1;
	if (bl_map_set_max_entries(skel->maps.events, (uint32_t)o->ringbuf_size, err) ||
	    configure(skel, o, err))
		goto out;

	/* 2. Load: create the maps, let the verifier check the programs. */
	if (read_trace__load(skel, err)) {
		tool_print_verifier_logs(skel->obj);
		goto out;
	}

	/* 3. Attach: the ring first, then both programs (entry and exit; a
	 * read already under way when the entry program arrives has no
	 * entry and is skipped at exit). */
	rb = bl_ringbuf_open(bl_map_fd(skel->maps.events), print_event, NULL, err);
	if (!rb || read_trace__attach(skel, err))
		goto out;
	if (o->pid)
		fprintf(stderr, "Tracing read() of process %ld... Hit Ctrl-C to end.\n", o->pid);
	else
		fprintf(stderr, "Tracing read()... Hit Ctrl-C to end.\n");

	/* 4. Read: one line per completed read(). */
	if (print_events(rb, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, drain what is left, then read the program's counts. */
	if (read_trace__detach(skel, err) || explain(bl_ringbuf_consume(rb, err), err) < 0)
		goto out;
	fflush(stdout);
	if (o->stats) {
		int counts = bl_map_fd(skel->maps.counts);

		if ((ncpus = bl_possible_cpus(err)) < 0 ||
		    bl_percpu_sum_u64(counts, EVENT_PRODUCED, ncpus, &produced, err) ||
		    bl_percpu_sum_u64(counts, EVENT_LOST, ncpus, &lost, err))
			goto out;
		bl_ringbuf_stats(rb, &st);
		fprintf(stderr, "received %" PRIu64 ", lost %" PRIu64 " (produced %" PRIu64 ")\n",
			st.received, lost, produced);
	}
	ret = 0;
out:
	/* 6. Close: unmap the ring; detach if still attached, free the rest. */
	bl_ringbuf_free(rb);
	read_trace__destroy(skel);
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
