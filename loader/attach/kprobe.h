/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach/kprobe.h - creating kprobe events, and saying why the kernel refused one.
 *
 * Two ways exist to make a kprobe a perf event:
 *  - the kprobe PMU (Linux 4.17): perf_event_open() with the dynamic PMU
 *    type from /sys/bus/event_source/devices/kprobe/type and the function
 *    name in config1.  The probe vanishes when the fd is closed.
 *  - legacy tracefs: write "p:kprobes/NAME FUNC" to kprobe_events, open
 *    the resulting tracepoint by id, and later write "-:kprobes/NAME" to
 *    remove it, or it stays in the kernel after we exit.
 */
#ifndef BL_KPROBE_H
#define BL_KPROBE_H

#include <stddef.h>

#include <bpfload/attach.h>
#include <bpfload/error.h>

#define BL_KPROBE_EVENT_MAX 64

/* Open a kprobe (or kretprobe) on func as a perf event.  Uses the kprobe
 * PMU when present unless force_legacy; with tracefs it writes the name of
 * the event it created to legacy_event (else leaves it ""), which the
 * caller must pass to bl_kprobe_remove_legacy() after closing the fd. */
int bl_kprobe_open(const char *func, int retprobe, int force_legacy,
		   char legacy_event[BL_KPROBE_EVENT_MAX], struct bl_err *err);

/* Remove a kprobe event made by bl_kprobe_open() (its fd closed first). */
int bl_kprobe_remove_legacy(const char *legacy_event, struct bl_err *err);

#endif
