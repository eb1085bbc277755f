/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tool_common.h - what every tool's main() needs around the loader:
 * stopping cleanly on Ctrl-C, SIGTERM or --duration.
 */
#ifndef TOOL_COMMON_H
#define TOOL_COMMON_H

#include <stdint.h>

#include <bpfload/error.h>
#include <bpfload/object.h>
#include <bpfload/trace_pipe.h>

/* bl_object_load(), and when the verifier rejected a program, its log
 * on stderr (the error line in err names the program and the reason). */
int tool_load(struct bl_object *obj, struct bl_err *err);

/* The verifier's log of every program it rejected, on stderr: after a
 * failed load through a skeleton (NAME__load). */
void tool_print_verifier_logs(const struct bl_object *obj);

/* Catch SIGINT and SIGTERM so that the main loop can detach and clean
 * up; the handler only sets a flag and interrupts blocking calls. */
void tool_catch_stop_signals(void);

/* Whether SIGINT or SIGTERM arrived. */
int tool_stop_requested(void);

/* Monotonic milliseconds, for --duration and --interval. */
int64_t tool_now_ms(void);

/* Parse a positive number of seconds (fractions allowed) into ms;
 * returns -1 on a bad value. */
int64_t tool_parse_seconds(const char *text);

/* How long the next wait of a read loop may be: at most 1000 ms, and no
 * further than end_ms (monotonic ms, 0: no end); -1 once Ctrl-C or SIGTERM
 * arrived or end_ms has passed, when the loop should stop. */
int tool_next_timeout(int64_t end_ms);

/* Pass trace_pipe's lines to fn (NULL: print them on stdout) until
 * Ctrl-C, SIGTERM or the monotonic time end_ms (0: no end). */
int tool_stream_trace_pipe(struct bl_trace_pipe *tp, int64_t end_ms, bl_trace_line_fn fn,
			   void *ctx, struct bl_err *err);

/* After the stop: what trace_pipe still holds, to fn (NULL: stdout),
 * in a bounded number of reads. */
void tool_drain_trace_pipe(struct bl_trace_pipe *tp, bl_trace_line_fn fn, void *ctx);

/* A trace_pipe line on stdout (empty lines left out): the default fn. */
void tool_print_trace_line(const char *line, void *ctx);

/* Parse a BPF ring buffer size: a power of two, a multiple of the page
 * size, at most 1 GiB; returns -1 when bad. */
long tool_parse_ring_size(const char *text);

/* Parse an integer in [min, max]; returns -1 when bad. */
long tool_parse_int(const char *text, long min, long max);

#endif
