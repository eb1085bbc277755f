// SPDX-License-Identifier: BSD-2-Clause
/*
 * hello_buffer - "Hello World" from the kernel on every execve, with who
 * said it, through a perf buffer or a BPF ring buffer.
 *
 * The BPF programs (kern/hello_buffer.bpf.c) sit on tracepoint
 * syscalls/sys_enter_execve; we attach the one for the stream asked for
 * and print each event as "pid uid command message":
 *   2852613 1000 code Hello World
 * The command is the process's name before the exec.
 *
 * Exact losses (--stats): the program counts every event it tries to
 * send and every one the stream refused.  At the end we detach (no more
 * events), drain the stream, and only then read those counts, so that
 * received + lost == produced holds exactly (loader/perf_buffer.h).
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
#include <bpfload/perf_buffer.h>
#include <bpfload/ringbuf.h>

#include "embedded.h"
#include "event_counts_common.h"
#include "hello_buffer_common.h"
#include "tool_common.h"
#include "tool_main.h"

EMBEDDED_OBJECT(hello_buffer_bpf);

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	int ringbuf;		/* BPF ring buffer instead of perf buffer */
	long buffer_pages;	/* perf: pages per CPU */
	long ringbuf_size;	/* ring buffer: bytes */
	int stats;
};

/* ---- printing events ---------------------------------------------------- */

static int print_event(const void *data, uint32_t size)
{
	struct hello_event ev;

	if (size < sizeof(ev))
		return -EPROTO;		/* not our event: stop (see explain) */
	memcpy(&ev, data, sizeof(ev));	/* perf data is only 4-byte aligned */
	printf("%u %u %.*s %.*s\n", ev.pid, ev.uid, HELLO_COMM_LEN, ev.comm, HELLO_MESSAGE_LEN,
	       ev.message);
	return 0;
}

static int on_perf_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	(void)ctx;
	(void)cpu;
	return print_event(data, size);
}

static int on_ringbuf_record(void *ctx, const void *data, uint32_t size)
{
	(void)ctx;
	return print_event(data, size);
}

static const struct bl_perf_buffer_callbacks perf_callbacks = { on_perf_sample, NULL };

/* Either stream, behind one face. */
struct stream {
	struct bl_perf_buffer *pb;
	struct bl_ringbuf *rb;
};

/* The readers pass a callback's -EPROTO on without a message. */
static int explain(int ret, struct bl_err *err)
{
	if (ret == -EPROTO)
		return bl_fail(err, EPROTO, "an event shorter than struct hello_event (%zu bytes) arrived",
			       sizeof(struct hello_event));
	return ret;
}

static int stream_poll(struct stream *s, int timeout_ms, struct bl_err *err)
{
	return explain(s->pb ? bl_perf_buffer_poll(s->pb, timeout_ms, err)
			     : bl_ringbuf_poll(s->rb, timeout_ms, err), err);
}

static int stream_drain(struct stream *s, struct bl_err *err)
{
	return explain(s->pb ? bl_perf_buffer_consume(s->pb, err) : bl_ringbuf_consume(s->rb, err), err);
}

static uint64_t stream_received(const struct stream *s)
{
	struct bl_perf_buffer_stats ps;
	struct bl_ringbuf_stats rs;

	if (s->pb) {
		bl_perf_buffer_stats(s->pb, &ps);
		return ps.received;
	}
	bl_ringbuf_stats(s->rb, &rs);
	return rs.received;
}

/* Print events until Ctrl-C or the deadline. */
static int print_events(struct stream *s, int64_t end_ms, struct bl_err *err)
{
	int timeout, n;

	while ((timeout = tool_next_timeout(end_ms)) >= 0) {
		n = stream_poll(s, timeout, err);
		if (n < 0 && n != -EINTR)
			return n;
		fflush(stdout);
	}
	return 0;
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct stream s = { NULL, NULL };
	struct bl_object *obj;
	struct bl_program *prog;
	struct bl_map *output, *ringbuf, *counts;
	struct bl_attachment *att = NULL;
	uint64_t produced, lost;
	int ncpus;
	int ret = -1;

	/* 1. Open: parse the BPF object linked into this binary. */
	obj = bl_object_open_mem(hello_buffer_bpf, EMBEDDED_SIZE(hello_buffer_bpf),
				 "hello_buffer.bpf.o", NULL, err);
	if (!obj)
		return -1;
	prog = bl_object_program(obj, o->ringbuf ? "hello_ringbuf" : "hello_perf");
	output = bl_object_map(obj, "output");
	ringbuf = bl_object_map(obj, "ringbuf");
	counts = bl_object_map(obj, "counts");
	if (!prog || !output || !ringbuf || !counts) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks a program or map it should have");
		goto out;
	}
	/* The ring buffer is created either way; unused, one page will do. */
	bl_map_set_max_entries(ringbuf, (uint32_t)(o->ringbuf ? o->ringbuf_size : sysconf(_SC_PAGESIZE)), err);

	/* 2. Load: create the maps, let the verifier check both programs. */
	if (tool_load(obj, err))
		goto out;

	/* 3. Attach, the stream first: an event sent before its perf ring
	 * exists would be lost. */
	if (o->ringbuf)
		s.rb = bl_ringbuf_open(bl_map_fd(ringbuf), on_ringbuf_record, NULL, err);
	else
		s.pb = bl_perf_buffer_open(bl_map_fd(output), (size_t)o->buffer_pages, &perf_callbacks, NULL, err);
	if ((!s.rb && !s.pb) || !(att = bl_program_attach(prog, NULL, err)))
		goto out;
	fprintf(stderr, "Tracing execve (%s)... Hit Ctrl-C to end.\n",
		o->ringbuf ? "BPF ring buffer" : "perf buffer");

	/* 4. Read: one line per event. */
	if (print_events(&s, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, drain what is left, then read the program's counts:
	 * nothing can change them any more. */
	ret = bl_attachment_destroy(att, err);
	att = NULL;
	if (ret || stream_drain(&s, err) < 0) {
		ret = -1;
		goto out;
	}
	fflush(stdout);
	if (o->stats) {
		if ((ncpus = bl_possible_cpus(err)) < 0 ||
		    bl_percpu_sum_u64(bl_map_fd(counts), EVENT_PRODUCED, ncpus, &produced, err) ||
		    bl_percpu_sum_u64(bl_map_fd(counts), EVENT_LOST, ncpus, &lost, err)) {
			ret = -1;
			goto out;
		}
		fprintf(stderr, "received %" PRIu64 ", lost %" PRIu64 " (produced %" PRIu64 ")\n",
			stream_received(&s), lost, produced);
	}
	ret = 0;
out:
	/* 6. Close: detach if still attached, unmap the rings, free the rest. */
	bl_attachment_destroy(att, NULL);
	bl_perf_buffer_free(s.pb);
	bl_ringbuf_free(s.rb);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_FLAG('r', "ringbuf", "use a BPF ring buffer (Linux 5.8)", struct options, ringbuf),
	TOOL_POW2(0, "buffer-pages", "N", "perf buffer pages per CPU, a power of two (default 8)",
		  struct options, buffer_pages, 1, 1 << 16),
	TOOL_RINGBUF_SIZE(struct options, ringbuf_size),
	TOOL_STATS(struct options, stats),
	TOOL_DURATION(struct options, duration_ms),
	{ 0 }
};

static const struct tool hello_buffer = {
	.name = "hello_buffer",
	.summary = "Print \"pid uid command Hello World\" for every execve, sent by a BPF\n"
		   "program through a perf buffer (default) or a BPF ring buffer.",
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { .buffer_pages = 8, .ringbuf_size = 256 * 1024 };

	return tool_main(&hello_buffer, &o, argc, argv);
}
