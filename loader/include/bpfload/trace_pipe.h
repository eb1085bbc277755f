/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/trace_pipe.h - reading bpf_trace_printk() output.
 *
 * bpf_trace_printk() writes into the kernel's one global trace buffer;
 * tracefs's trace_pipe hands out each line once, to whichever reader
 * takes it first.  Lines look like
 *   "  memcpy_kprobe-24908 [005] d... 151374.866218: bpf_trace_printk: memcpy size 2"
 * (older kernels print ": :" instead of "bpf_trace_printk:").
 */
#ifndef BPFLOAD_TRACE_PIPE_H
#define BPFLOAD_TRACE_PIPE_H

#include <stddef.h>

#include <bpfload/error.h>

struct bl_trace_pipe {
	int fd;
	size_t len;		/* bytes of an incomplete line kept in buf */
	char buf[8192];
};

typedef void (*bl_trace_line_fn)(const char *line, void *ctx);

/* Open trace_pipe (mounting tracefs if needed), non-blocking. */
int bl_trace_pipe_open(struct bl_trace_pipe *tp, struct bl_err *err);

/* Wait up to timeout_ms (-1: forever) for output and call fn for every
 * complete line, without its newline.  Returns the number of lines,
 * 0 on timeout, -EINTR when a signal arrived, other -errno on error. */
int bl_trace_pipe_read(struct bl_trace_pipe *tp, int timeout_ms, bl_trace_line_fn fn, void *ctx);

void bl_trace_pipe_close(struct bl_trace_pipe *tp);

#endif
