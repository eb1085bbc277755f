/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach.h - hooking a loaded program to a kernel event, and unhooking it.
 *
 * A struct bl_link is one attachment.  bl_link_destroy() undoes it
 * completely: the BPF link and the perf event are closed (which detaches
 * the program) and a kprobe event created through tracefs is removed.
 *
 * Perf-event attachments (kprobes, tracepoints) use a BPF link
 * (BPF_LINK_CREATE, Linux 5.15) where the kernel has it, so that
 * bpftool shows them; older kernels get PERF_EVENT_IOC_SET_BPF.
 */
#ifndef BL_ATTACH_H
#define BL_ATTACH_H

#include "sys/error.h"
#include "attach/kprobe.h"
#include "object/object.h"

struct bl_usdt_attachment;

struct bl_link {
	int perf_fd;			/* the perf event carrying the program, or -1 */
	int bpf_fd;			/* BPF link or raw tracepoint fd, or -1 */
	struct bl_usdt_attachment *usdt;	/* USDT: a uprobe per place, map entries (usdt.h) */
	char legacy_event[BL_KPROBE_EVENT_MAX];	/* tracefs kprobe or uprobe to remove, or "" */
	char target[128];		/* what we attached to, for messages */
};

struct bl_attach_opts {
	int force_legacy_kprobe;	/* use tracefs kprobe_events even with the PMU */
};

/* Attach a kprobe program to func (retprobe: on return). */
struct bl_link *bl_attach_kprobe(const struct bl_program *prog, const char *func,
				 int retprobe, const struct bl_attach_opts *opts,
				 struct bl_err *err);

/* Attach a tracepoint program to category/name. */
struct bl_link *bl_attach_tracepoint(const struct bl_program *prog, const char *category,
				     const char *name, struct bl_err *err);

/* Attach a raw tracepoint program to tracepoint name ("sys_enter"). */
struct bl_link *bl_attach_raw_tracepoint(const struct bl_program *prog, const char *name,
					 struct bl_err *err);

/* Attach where the program's section name says ("kprobe/FUNC",
 * "tracepoint/CAT/NAME", "uprobe/PATH:FUNC", ...).  opts may be NULL.
 * Uprobes with a process filter or a cookie: uprobe.h, uprobe_multi.h. */
struct bl_link *bl_program_attach(const struct bl_program *prog,
				  const struct bl_attach_opts *opts, struct bl_err *err);

/* Detach and free (NULL is fine); returns 0 or the error removing a
 * tracefs kprobe event, which is then left in the kernel. */
int bl_link_destroy(struct bl_link *link, struct bl_err *err);

#endif
