/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach/attach.h - what an attachment holds; the public calls are in
 * <bpfload/attach.h>.
 */
#ifndef BL_ATTACH_H
#define BL_ATTACH_H

#include <bpfload/attach.h>

#include "attach/kprobe.h"
#include "object/object.h"

struct bl_attachment {
	int perf_fd;			/* the perf event carrying the program, or -1 */
	int bpf_fd;			/* BPF link or raw tracepoint fd, or -1 */
	char legacy_event[BL_KPROBE_EVENT_MAX];	/* tracefs kprobe to remove, or "" */
	char target[128];		/* what we attached to, for messages */
};

#endif
