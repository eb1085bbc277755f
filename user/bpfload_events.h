/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload_events.h - bpfload's event streams: every BPF ring buffer and
 * perf event array of the object read while the programs run, each
 * record printed on a line of its own (by a BTF type, --event MAP=TYPE,
 * or as hex bytes), and the counts of each stream at exit.
 */
#ifndef BPFLOAD_EVENTS_H
#define BPFLOAD_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>
#include <bpfload/trace_pipe.h>

#include "object/object.h"
#include "tool_main.h"

struct bpfload_events;

/* The object's ring buffer and perf event array maps, each with the type
 * its "MAP=TYPE" in specs names (looked up in the object's BTF), or none:
 * hex.  No syscalls; NULL with err on a spec that names no such map or
 * type.  An object without such maps gives an empty set. */
struct bpfload_events *bpfload_events_new(const struct bl_object *obj,
					  const struct tool_strings *specs, struct bl_err *err);

/* A reader for each map, once the maps exist and before the programs are
 * attached: a perf sample sent before its CPU's ring is in the map is
 * dropped without even counting as lost. */
int bpfload_events_open(struct bpfload_events *ev, struct bl_err *err);

/* Print the records of every stream and trace_pipe's lines as they come,
 * waiting on all of them at once (on trace_pipe alone for an object with
 * no streams; on nothing but the clock when tp->fd is -1), until Ctrl-C,
 * SIGTERM or the monotonic time end_ms (0: no end). */
int bpfload_events_stream(struct bpfload_events *ev, struct bl_trace_pipe *tp, int64_t end_ms,
			  struct bl_err *err);

/* Once the programs are detached: print what the streams still hold, then
 * one line of counts per map on stderr. */
int bpfload_events_finish(struct bpfload_events *ev, struct bl_err *err);

/* Close the readers (NULL is fine). */
void bpfload_events_free(struct bpfload_events *ev);

#endif
