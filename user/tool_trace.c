// SPDX-License-Identifier: BSD-2-Clause
/*
 * tool_trace.c - narration lines on stderr.  Syscalls: write(2) of each
 * line, on stderr.
 *
 * The line is formatted whole and written with one fwrite on unbuffered
 * stderr, so it stays in one piece next to the tool's own output on
 * stdout, and arrives before the kernel call that follows it.
 */
#include "tool_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/trace.h>

static void write_line(const struct bl_trace_event *ev, void *ctx)
{
	char line[1200];
	int n = snprintf(line, sizeof(line), "[%s] %s\n", bl_trace_phase_name(ev->phase), ev->text);

	(void)ctx;
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {	/* cut, but still a line */
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	fwrite(line, 1, (size_t)n, stderr);
}

void tool_trace_to_stderr(void)
{
	bl_trace_set(write_line, NULL);
}

void tool_trace_from_env(void)
{
	const char *v = getenv("BPFLOAD_TRACE");

	if (v && v[0] && strcmp(v, "0") != 0)
		tool_trace_to_stderr();
}
