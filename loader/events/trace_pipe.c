// SPDX-License-Identifier: BSD-2-Clause
/*
 * trace_pipe.c - a line reader over tracefs trace_pipe.
 *
 * Syscalls: open(2) with O_NONBLOCK, poll(2) (trace_pipe supports it),
 * read(2), close(2).  The open is narrated; opening and reading mark
 * the read phase (sys/trace.h).
 */
#include <bpfload/trace_pipe.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/trace.h"
#include "sys/tracefs.h"

int bl_trace_pipe_open(struct bl_trace_pipe *tp, struct bl_err *err)
{
	char dir[BL_PATH_MAX], path[BL_PATH_MAX + 16];
	int ret, e;

	bl_trace_enter(BL_TRACE_READ);
	ret = bl_tracefs_dir(dir, err);
	tp->fd = -1;
	tp->len = 0;
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	tp->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	e = tp->fd < 0 ? errno : 0;
	if (bl_tracing())
		bl_trace_file_open(path, "O_RDONLY|O_NONBLOCK", tp->fd < 0 ? -e : tp->fd,
				   "bpf_trace_printk() lines, read with poll(2) and read(2)");
	if (tp->fd < 0)
		return bl_fail(err, e, "cannot open %s: %s%s", path, strerror(e),
			       e == EBUSY ? "; another process is reading it, and the kernel allows one reader" :
			       bl_errno_hint(e));
	return 0;
}

/* Hand every complete line in buf to fn and keep the rest. */
static int split_lines(struct bl_trace_pipe *tp, bl_trace_line_fn fn, void *ctx)
{
	size_t start = 0;
	int lines = 0;
	char *nl;

	while ((nl = memchr(tp->buf + start, '\n', tp->len - start))) {
		*nl = '\0';
		fn(tp->buf + start, ctx);
		lines++;
		start = (size_t)(nl - tp->buf) + 1;
	}
	if (start == 0 && tp->len == sizeof(tp->buf) - 1) {
		/* a line longer than the buffer: pass it on in pieces */
		tp->buf[tp->len] = '\0';
		fn(tp->buf, ctx);
		tp->len = 0;
		return 1;
	}
	memmove(tp->buf, tp->buf + start, tp->len - start);
	tp->len -= start;
	return lines;
}

int bl_trace_pipe_read(struct bl_trace_pipe *tp, int timeout_ms, bl_trace_line_fn fn, void *ctx)
{
	struct pollfd pfd = { .fd = tp->fd, .events = POLLIN };
	int lines = 0, ret;

	bl_trace_enter(BL_TRACE_READ);
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	/* A bounded number of reads: under a flood of output trace_pipe is
	 * never empty, and the caller must get back to its clock and signals. */
	for (int reads = 0; reads < 16; reads++) {
		ssize_t n = read(tp->fd, tp->buf + tp->len, sizeof(tp->buf) - 1 - tp->len);

		if (n < 0 && errno == EINTR && lines == 0)
			return -EINTR;
		if (n <= 0)
			break;	/* EAGAIN: drained for now */
		tp->len += (size_t)n;
		lines += split_lines(tp, fn, ctx);
	}
	return lines;
}

void bl_trace_pipe_close(struct bl_trace_pipe *tp)
{
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = -1;
}
