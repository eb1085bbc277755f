/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tool_trace.h - the tools' side of narration (<bpfload/trace.h>): the
 * library hands over lines, a tool decides where they go.  Ours write
 * them on stderr, "[phase] line", when BPFLOAD_TRACE=1 (every tool,
 * through tool_main()) or with bpfload --trace.
 */
#ifndef TOOL_TRACE_H
#define TOOL_TRACE_H

/* Narrate every kernel call of the loader on stderr from now on. */
void tool_trace_to_stderr(void);

/* tool_trace_to_stderr() when BPFLOAD_TRACE is set to anything but ""
 * or "0". */
void tool_trace_from_env(void);

#endif
