/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach/attachment.h - what one attachment holds, for the files that
 * make attachments (attach.c, iter.c, kprobe_multi.c, perf_sample.c,
 * tracing.c, uprobe.c, uprobe_multi.c, usdt.c).
 * bl_attachment_destroy() in attach.c undoes any of them.  A header of
 * its own, without functions, so that the uprobe files need not include
 * attach.h, which dispatches to them.
 */
#ifndef BL_ATTACHMENT_H
#define BL_ATTACHMENT_H

#include "attach/kprobe.h"

struct bl_usdt_attachment;

struct bl_attachment {
	int perf_fd;			/* the perf event carrying the program, or -1 */
	int bpf_fd;			/* BPF link or raw tracepoint fd, or -1 */
	int iterator;			/* bpf_fd is an iterator's link (iter.c) */
	struct bl_usdt_attachment *usdt;	/* USDT: a uprobe per place, map entries (usdt.h) */
	char legacy_event[BL_KPROBE_EVENT_MAX];	/* tracefs kprobe or uprobe to remove, or "" */
	char target[128];		/* what we attached to, for messages */
	struct bl_attachment *next;	/* the next of a set made together (a perf event per CPU) */
};

#endif
