// SPDX-License-Identifier: BSD-2-Clause
/*
 * tool_common.c - signals, clocks and option values for the tools.
 */
#include "tool_common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

void tool_catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	/*
	 * SA_RESTART: a write(2) to a full stdout pipe that Ctrl-C
	 * interrupts is restarted; without it the write fails with EINTR
	 * and stdio drops the lines it held.  poll(2), epoll_wait(2) and
	 * the sleeps still return EINTR at once: signal(7) lists them as
	 * never restarted, whatever the flags.
	 */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int tool_stop_requested(void)
{
	return stop_signal != 0;
}

int64_t tool_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t tool_parse_seconds(const char *text)
{
	char *end;
	double s = strtod(text, &end);

	if (end == text || *end != '\0' || !(s > 0) || s > 1e7)
		return -1;
	return (int64_t)(s * 1000 + 0.5);
}

long tool_parse_int(const char *text, long min, long max)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (end == text || *end != '\0' || v < min || v > max)
		return -1;
	return v;
}

long tool_parse_ring_size(const char *text)
{
	long page = sysconf(_SC_PAGESIZE), v = tool_parse_int(text, 1, 1L << 30);

	return v > 0 && (v & (v - 1)) == 0 && v % page == 0 ? v : -1;
}

/* Empty lines come from programs that end their bpf_trace_printk()
 * format with "\n", which kernels since 5.10 add themselves. */
void tool_print_trace_line(const char *line, void *ctx)
{
	(void)ctx;
	if (line[0])
		puts(line);
}

int tool_next_timeout(int64_t end_ms)
{
	int64_t now = tool_now_ms();

	if (tool_stop_requested() || (end_ms && now >= end_ms))
		return -1;
	return end_ms && end_ms - now < 1000 ? (int)(end_ms - now) : 1000;
}

int tool_stream_trace_pipe(struct bl_trace_pipe *tp, int64_t end_ms, bl_trace_line_fn fn,
			   void *ctx, struct bl_err *err)
{
	int timeout, n;

	while ((timeout = tool_next_timeout(end_ms)) >= 0) {
		n = bl_trace_pipe_read(tp, timeout, fn ? fn : tool_print_trace_line, ctx);
		if (n < 0 && n != -EINTR)
			return bl_fail(err, -n, "reading trace_pipe failed: %s", bl_errno_name(-n));
		fflush(stdout);
	}
	tool_drain_trace_pipe(tp, fn, ctx);
	return 0;
}

void tool_drain_trace_pipe(struct bl_trace_pipe *tp, bl_trace_line_fn fn, void *ctx)
{
	/* What the programs printed just before the stop waits in the buffer:
	 * show it.  A bounded number of reads, as the programs still run. */
	for (int i = 0; i < 8 && bl_trace_pipe_read(tp, 0, fn ? fn : tool_print_trace_line, ctx) > 0; i++)
		;
	fflush(stdout);
}

void tool_print_verifier_logs(const struct bl_object *obj)
{
	const struct bl_program *prog = NULL;

	while ((prog = bl_object_next_program(obj, prog)))
		if (bl_program_verifier_log(prog))
			fprintf(stderr, "%s\n", bl_program_verifier_log(prog));
}

int tool_load(struct bl_object *obj, struct bl_err *err)
{
	if (bl_object_load(obj, err) == 0)
		return 0;
	tool_print_verifier_logs(obj);
	return -err->code;
}
