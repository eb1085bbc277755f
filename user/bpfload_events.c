// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpfload_events.c - what a generic object's programs send: every
 * BPF_MAP_TYPE_RINGBUF and BPF_MAP_TYPE_PERF_EVENT_ARRAY map of it read
 * while they run, each record a line on stdout,
 *   events: {counter=1, nsecs=5230046384671, comm="getppid_loop"}
 * decoded by the BTF type --event MAP=TYPE names (btf_format.c, as the
 * map dump shows values), or else as its bytes in hex,
 *   events: 32 bytes: 01 00 00 00 ...
 * and at exit, on stderr, what each stream received (and, from a perf
 * buffer, lost).
 *
 * Syscalls, all through the loader's readers (loader/events/): for a ring
 * buffer mmap(2) of the map and epoll; for a perf event array
 * perf_event_open(2), mmap(2) and ioctl(PERF_EVENT_IOC_ENABLE) per online
 * CPU and bpf(BPF_MAP_UPDATE_ELEM) of each event into the map; here
 * poll(2) on trace_pipe and on every reader's epoll fd together, so that
 * no source waits behind another.
 */
#include "bpfload_events.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/perf_buffer.h>
#include <bpfload/ringbuf.h>

#include "btf/btf.h"
#include "btf_format.h"
#include "object_print.h"
#include "tool_common.h"

/* Per CPU: 256 KiB with 4 KiB pages, room for some thousand small
 * records between two reads; the kernel wants a power of two. */
#define PERF_PAGES_PER_CPU 64

struct event_stream {
	const struct bl_map *map;
	const struct bl_btf *btf;
	uint32_t type_id;		/* 0: print records as hex */
	uint32_t type_size;
	const char *type_name;		/* as --event spelled it */
	struct bl_ringbuf *rb;		/* one of the two, by map type */
	struct bl_perf_buffer *pb;
};

struct bpfload_events {
	struct event_stream *streams;
	size_t count;
};

static int is_event_map(const struct bl_map *m)
{
	return m->spec.type == BPF_MAP_TYPE_RINGBUF || m->spec.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

/* ---- which maps, decoded by which types -------------------------------------- */

/* "rb (ringbuf), events (perf_event_array)", or "none", for error lines. */
static void list_event_maps(const struct bl_object *obj, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < obj->map_cnt && len < size; i++)
		if (is_event_map(&obj->maps[i]))
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%s)", len ? ", " : "",
						obj->maps[i].name, map_type_name(obj->maps[i].spec.type));
	if (!buf[0])
		snprintf(buf, size, "none");
}

/* TYPE as C spells it: "struct NAME", "union NAME", "enum NAME", or a bare
 * name, which is a typedef or a base type ("__u64", "int") and else a
 * struct, union or enum of that name.  Returns the id or -ENOENT. */
static int64_t find_type(const struct bl_btf *btf, const char *spelling)
{
	static const struct { const char *tag; unsigned int kinds[2]; } tagged[] = {
		{ "struct", { BTF_KIND_STRUCT, BTF_KIND_STRUCT } },
		{ "union", { BTF_KIND_UNION, BTF_KIND_UNION } },
		{ "enum", { BTF_KIND_ENUM, BTF_KIND_ENUM64 } },
	};
	static const unsigned int bare[] = { BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_FLOAT,
					     BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_ENUM,
					     BTF_KIND_ENUM64 };
	int64_t id = -ENOENT;
	size_t i, len;

	for (i = 0; i < sizeof(tagged) / sizeof(tagged[0]); i++) {
		len = strlen(tagged[i].tag);
		if (strncmp(spelling, tagged[i].tag, len) == 0 && spelling[len] == ' ') {
			spelling += len + strspn(spelling + len, " ");
			id = bl_btf_find(btf, spelling, tagged[i].kinds[0]);
			return id >= 0 ? id : bl_btf_find(btf, spelling, tagged[i].kinds[1]);
		}
	}
	for (i = 0; id < 0 && i < sizeof(bare) / sizeof(bare[0]); i++)
		id = bl_btf_find(btf, spelling, bare[i]);
	return id;
}

/* One --event MAP=TYPE: the map's stream gets the type. */
static int take_spec(struct bpfload_events *ev, const struct bl_object *obj, const char *spec,
		     struct bl_err *err)
{
	const char *eq = strchr(spec, '=');
	struct event_stream *s = NULL;
	char maps[256];
	int64_t id;
	size_t i;

	list_event_maps(obj, maps, sizeof(maps));
	if (!eq || eq == spec || !eq[1])
		return bl_fail(err, EINVAL, "--event '%s': expected MAP=TYPE, e.g. events='struct event'",
			       spec);
	for (i = 0; i < ev->count; i++)
		if (strlen(ev->streams[i].map->name) == (size_t)(eq - spec) &&
		    strncmp(ev->streams[i].map->name, spec, (size_t)(eq - spec)) == 0)
			s = &ev->streams[i];
	if (!s)
		return bl_fail(err, ENOENT, "--event '%s': %s has no ring buffer or perf event array map '%.*s'; its maps of those types: %s",
			       spec, obj->name, (int)(eq - spec), spec, maps);
	if (s->type_id)
		return bl_fail(err, EINVAL, "--event '%s': map %s has a type already (--event %s=%s)",
			       spec, s->map->name, s->map->name, s->type_name);
	if (!obj->btf)
		return bl_fail(err, ENOENT, "--event '%s': %s has no BTF to find type '%s' in (build it with clang -g)",
			       spec, obj->name, eq + 1);
	id = find_type(obj->btf, eq + 1);
	if (id <= 0)
		return bl_fail(err, ENOENT, "--event '%s': no type '%s' in the BTF of %s (a type only local variables use is left out by clang; a global such as 'const struct event *unused;' keeps it)",
			       spec, eq + 1, obj->name);
	if (bl_btf_resolve_size(obj->btf, (uint32_t)id, &s->type_size, NULL) || s->type_size == 0)
		return bl_fail(err, EINVAL, "--event '%s': type '%s' has no size to decode records by",
			       spec, eq + 1);
	s->btf = obj->btf;
	s->type_id = (uint32_t)id;
	s->type_name = eq + 1;
	return 0;
}

struct bpfload_events *bpfload_events_new(const struct bl_object *obj,
					  const struct tool_strings *specs, struct bl_err *err)
{
	struct bpfload_events *ev = calloc(1, sizeof(*ev));
	size_t i;
	int j;

	if (ev)
		ev->streams = calloc(obj->map_cnt ? obj->map_cnt : 1, sizeof(*ev->streams));
	if (!ev || !ev->streams) {
		free(ev);
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < obj->map_cnt; i++)
		if (is_event_map(&obj->maps[i]))
			ev->streams[ev->count++].map = &obj->maps[i];
	for (j = 0; specs && j < specs->count; j++) {
		if (take_spec(ev, obj, specs->items[j], err)) {
			bpfload_events_free(ev);
			return NULL;
		}
	}
	return ev;
}

/* ---- printing records ------------------------------------------------------ */

/* One line: "MAP: {field=value, ...}" when the record holds the whole
 * type (a perf sample may carry up to 7 padding bytes more; they are not
 * shown), else "MAP: N bytes: xx xx ...". */
static void print_record(const struct event_stream *s, const void *data, uint32_t size)
{
	fprintf(stdout, "%s: ", s->map->name);
	if (s->type_id && size >= s->type_size) {
		btf_print_value(stdout, s->btf, s->type_id, data, s->type_size);
	} else {
		fprintf(stdout, "%" PRIu32 " bytes", size);
		if (s->type_id)
			fprintf(stdout, " (shorter than %s, %" PRIu32 " bytes)", s->type_name,
				s->type_size);
		fputs(size ? ": " : "", stdout);
		print_bytes(stdout, data, size);
	}
	fputc('\n', stdout);
}

static int on_ringbuf_record(void *ctx, const void *data, uint32_t size)
{
	print_record(ctx, data, size);
	return 0;
}

static int on_perf_sample(void *ctx, int cpu, const void *data, uint32_t size)
{
	(void)cpu;
	print_record(ctx, data, size);
	return 0;
}

static const struct bl_perf_buffer_callbacks perf_callbacks = { on_perf_sample, NULL };

/* ---- reading ----------------------------------------------------------------- */

int bpfload_events_open(struct bpfload_events *ev, struct bl_err *err)
{
	size_t i;

	for (i = 0; i < ev->count; i++) {
		struct event_stream *s = &ev->streams[i];

		if (s->map->spec.type == BPF_MAP_TYPE_RINGBUF)
			s->rb = bl_ringbuf_open(s->map->fd, on_ringbuf_record, s, err);
		else
			s->pb = bl_perf_buffer_open(s->map->fd, PERF_PAGES_PER_CPU, &perf_callbacks, s, err);
		if (!s->rb && !s->pb)
			return bl_err_context(err, "map %s", s->map->name);
	}
	return 0;
}

/* Read what the stream holds now, without waiting. */
static int consume(struct event_stream *s, struct bl_err *err)
{
	int ret = s->rb ? bl_ringbuf_consume(s->rb, err) : bl_perf_buffer_consume(s->pb, err);

	return ret < 0 ? bl_err_context(err, "map %s", s->map->name) : 0;
}

static int stream_fd(const struct event_stream *s)
{
	return s->rb ? bl_ringbuf_epoll_fd(s->rb) : bl_perf_buffer_epoll_fd(s->pb);
}

int bpfload_events_stream(struct bpfload_events *ev, struct bl_trace_pipe *tp, int64_t end_ms,
			  struct bl_err *err)
{
	struct pollfd *fds = calloc(ev->count + 1, sizeof(*fds));
	int timeout, n, ret = 0;
	size_t i;

	if (!fds)
		return bl_fail(err, ENOMEM, "out of memory");
	/* fds[0] trace_pipe, fds[1 + i] stream i's epoll instance, which is
	 * readable while one of its rings has records (a perf ring: since
	 * its last wake-up), so one poll(2) waits for all of them. */
	fds[0] = (struct pollfd){ .fd = tp->fd, .events = POLLIN };
	for (i = 0; i < ev->count; i++)
		fds[i + 1] = (struct pollfd){ .fd = stream_fd(&ev->streams[i]), .events = POLLIN };
	while (ret == 0 && (timeout = tool_next_timeout(end_ms)) >= 0) {
		n = poll(fds, ev->count + 1, timeout);
		if (n < 0 && errno != EINTR)
			ret = bl_fail(err, errno, "poll on trace_pipe and the event streams failed: %s",
				      bl_errno_name(errno));
		if (n <= 0)
			continue;
		if (fds[0].revents) {
			n = bl_trace_pipe_read(tp, 0, tool_print_trace_line, NULL);
			if (n < 0 && n != -EINTR)
				ret = bl_fail(err, -n, "reading trace_pipe failed: %s", bl_errno_name(-n));
		}
		for (i = 0; ret == 0 && i < ev->count; i++)
			if (fds[i + 1].revents)
				ret = consume(&ev->streams[i], err);
		fflush(stdout);
	}
	free(fds);
	if (ret == 0)
		tool_drain_trace_pipe(tp, NULL, NULL);
	return ret;
}

int bpfload_events_finish(struct bpfload_events *ev, struct bl_err *err)
{
	struct bl_perf_buffer_stats ps;
	struct bl_ringbuf_stats rs;
	size_t i;
	int ret = 0;

	/* The producers are gone: one read empties every ring for good. */
	for (i = 0; ret == 0 && i < ev->count; i++)
		if (ev->streams[i].rb || ev->streams[i].pb)
			ret = consume(&ev->streams[i], err);
	fflush(stdout);
	for (i = 0; i < ev->count; i++) {
		const struct event_stream *s = &ev->streams[i];

		if (s->pb) {
			/* the kernel's own count: each sample that found the ring
			 * full, told in a PERF_RECORD_LOST before the next one */
			bl_perf_buffer_stats(s->pb, &ps);
			fprintf(stderr, "bpfload: events %s (perf_event_array): %" PRIu64 " received, %" PRIu64 " lost\n",
				s->map->name, ps.received, ps.lost);
		} else if (s->rb) {
			/* a reserve or output that found the ring full leaves no
			 * trace a reader could count */
			bl_ringbuf_stats(s->rb, &rs);
			fprintf(stderr, "bpfload: events %s (ringbuf): %" PRIu64 " received", s->map->name,
				rs.received);
			if (rs.discarded)
				fprintf(stderr, ", %" PRIu64 " discarded by the program", rs.discarded);
			fprintf(stderr, " (a ring buffer does not tell its reader what it refused)\n");
		}
	}
	return ret;
}

void bpfload_events_free(struct bpfload_events *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < ev->count; i++) {
		bl_ringbuf_free(ev->streams[i].rb);
		bl_perf_buffer_free(ev->streams[i].pb);
	}
	free(ev->streams);
	free(ev);
}
