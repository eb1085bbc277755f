/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/attach.h - hooking a loaded program to a kernel event, and
 * unhooking it.
 *
 * A struct bl_attachment is one attachment.  bl_attachment_destroy()
 * undoes it completely: the BPF link and the perf event are closed (which detaches
 * the program) and a kprobe event created through tracefs is removed.
 *
 * Perf-event attachments (kprobes, tracepoints) use a BPF link
 * (BPF_LINK_CREATE, Linux 5.15) where the kernel has it, so that
 * bpftool shows them; older kernels get PERF_EVENT_IOC_SET_BPF.
 */
#ifndef BPFLOAD_ATTACH_H
#define BPFLOAD_ATTACH_H

#include <stddef.h>

#include <bpfload/error.h>
#include <bpfload/object.h>

struct bl_attachment;

struct bl_attach_opts {
	int force_legacy_kprobe;	/* use tracefs kprobe_events even with the PMU */
};

/* Attach a kprobe program to func (retprobe: on return). */
struct bl_attachment *bl_attach_kprobe(const struct bl_program *prog, const char *func,
				 int retprobe, const struct bl_attach_opts *opts,
				 struct bl_err *err);

/* Attach a tracepoint program to category/name. */
struct bl_attachment *bl_attach_tracepoint(const struct bl_program *prog, const char *category,
				     const char *name, struct bl_err *err);

/* Attach a raw tracepoint program to tracepoint name ("sys_enter"). */
struct bl_attachment *bl_attach_raw_tracepoint(const struct bl_program *prog, const char *name,
					 struct bl_err *err);

/* Attach where the program's section name says ("kprobe/FUNC",
 * "tracepoint/CAT/NAME", ...).  opts may be NULL. */
struct bl_attachment *bl_program_attach(const struct bl_program *prog,
				  const struct bl_attach_opts *opts, struct bl_err *err);

/* Detach and free (NULL is fine); returns 0 or the error removing a
 * tracefs kprobe event, which is then left in the kernel. */
int bl_attachment_destroy(struct bl_attachment *link, struct bl_err *err);

/* Whether this kernel has kprobes at all (CONFIG_KPROBES, KPROBE_EVENTS). */
int bl_kprobes_available(void);

/* Why the kernel refused a kprobe on func with errno code: not root, no
 * kprobes, not a kernel symbol, on the kprobe blacklist, notrace. */
void bl_kprobe_explain(const char *func, int code, char *why, size_t size);

#endif
