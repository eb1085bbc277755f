/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach/attach.h - what an attachment holds (attach/attachment.h); the
 * public calls are in <bpfload/attach.h>.
 */
#ifndef BL_ATTACH_H
#define BL_ATTACH_H

#include <bpfload/attach.h>

#include "attach/attachment.h"
#include "attach/kprobe.h"
#include "object/object.h"

/* For the files that make attachments (attach.c, kprobe_multi.c,
 * perf_sample.c): a new attachment with both fds -1, its target for
 * messages printed from fmt_target with a and b; NULL when out of memory. */
struct bl_attachment *bl_attachment_new(const char *fmt_target, const char *a, const char *b);

/* 0 when prog is loaded and of the given type, else the message. */
int bl_attachment_check_prog(const struct bl_program *prog, enum bpf_prog_type type,
			     const char *target, struct bl_err *err);

/* Hand prog to the perf event att->perf_fd: a BPF link where the kernel
 * has them (5.15), else PERF_EVENT_IOC_SET_BPF; then enable the event.
 * Returns att, or NULL after destroying it. */
struct bl_attachment *bl_attachment_give_prog(struct bl_attachment *att, const struct bl_program *prog,
					      struct bl_err *err);

/* kprobe_multi.c, perf_sample.c: what bl_program_attach() calls for
 * kprobe.multi/ and perf_event sections. */
struct bl_attachment *bl_attach_perf_event_section(const struct bl_program *prog,
						   const struct bl_attach_opts *opts, struct bl_err *err);

#endif
