/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe.h - uprobes and uretprobes: a BPF program run when a process
 * executes an instruction of a file (uprobe) or returns from a function
 * (uretprobe).
 *
 * The kernel puts a breakpoint on a file offset of an inode, in every
 * process that maps that page of the file, now and later.  A uprobe
 * becomes a perf event in one of two ways:
 *   - the uprobe PMU (Linux 4.17): perf_event_open() with the dynamic
 *     type from /sys/bus/event_source/devices/uprobe/type, the path in
 *     config1 and the offset in config2; it vanishes with its fd;
 *   - tracefs: write "p:uprobes/NAME PATH:0xOFFSET" to uprobe_events,
 *     open the tracepoint it makes, and write "-:uprobes/NAME" when done,
 *     or it outlives us.
 * Either takes a reference counter ("semaphore", Linux 4.20): the offset
 * of a u16 in the file that the kernel increments in each process while
 * the probe exists, which USDT probes use to skip argument set-up nobody
 * watches (PMU: config bits 32-63; tracefs: "PATH:0xOFFSET(0xREFCTR)").
 *
 * The program is given to the perf event through a BPF link with a BPF
 * cookie (5.15), or PERF_EVENT_IOC_SET_BPF on older kernels.
 */
#ifndef BL_UPROBE_H
#define BL_UPROBE_H

#include <stdint.h>

#include <bpfload/uprobe.h>

#include "attach/kprobe.h"

/* bl_attach_uprobe() and its options are in <bpfload/uprobe.h>. */

/* Attach as a section name's target says: "PATH:FUNC", "PATH:FUNC+OFF"
 * or "PATH:+OFF" (a file offset), as libbpf spells them. */
struct bl_attachment *bl_attach_uprobe_spec(const struct bl_program *prog, const char *spec,
					    int retprobe, struct bl_err *err);

/* The lower half, used by USDT too: open a uprobe on (path, offset) as a
 * perf event.  With tracefs the event's name goes to legacy_event (else
 * "") and must be removed with bl_uprobe_remove_legacy() after the fd is
 * closed.  Returns the perf event fd. */
int bl_uprobe_open(const char *path, uint64_t offset, int retprobe,
		   const struct bl_uprobe_opts *opts, char legacy_event[BL_KPROBE_EVENT_MAX],
		   struct bl_err *err);

/* Remove a tracefs uprobe event ("uprobes/NAME"). */
int bl_uprobe_remove_legacy(const char *legacy_event, struct bl_err *err);

/* Give perf event perf_fd program prog_fd: a BPF link carrying cookie,
 * else (force_ioctl, or a kernel before 5.15) PERF_EVENT_IOC_SET_BPF.
 * *link_fd gets the link (-1 with the ioctl); *has_cookie whether the
 * cookie reached the kernel.  what names the event for messages. */
int bl_perf_event_attach_bpf(int perf_fd, int prog_fd, uint64_t cookie, int force_ioctl,
			     int *link_fd, int *has_cookie, const char *what, struct bl_err *err);

#endif
