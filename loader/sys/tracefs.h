/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracefs.h - the ftrace file system: event ids, kprobe_events, trace_pipe.
 *
 * tracefs (Linux 4.1; before that, debugfs's tracing/ directory) is how
 * tracepoint ids, legacy kprobe events and bpf_trace_printk output reach
 * user space.  Many systems do not mount it at boot, so we mount it at
 * /sys/kernel/tracing when we find it missing, as bpftrace does.
 */
#ifndef BL_TRACEFS_H
#define BL_TRACEFS_H

#include <stddef.h>

#include <bpfload/error.h>

#define BL_PATH_MAX 256

/* Whether tracefs is mounted at one of its usual places (no mounting). */
int bl_tracefs_mounted(void);

/* The tracefs directory (mounting it if needed) into dir[BL_PATH_MAX]. */
int bl_tracefs_dir(char *dir, struct bl_err *err);

/* Read tracefs file rel (e.g. "events/sched/sched_switch/id") into buf,
 * NUL-terminated; returns the length or -errno (no message: callers know
 * what a missing file means for them). */
int bl_tracefs_read(const char *rel, char *buf, size_t size);

/* Append one line to a tracefs control file such as kprobe_events. */
int bl_tracefs_append(const char *rel, const char *line, struct bl_err *err);

/* The perf event id of tracepoint "category/name". */
int bl_tracepoint_id(const char *category, const char *name, struct bl_err *err);

/* Whether the file rel exists in tracefs. */
int bl_tracefs_has(const char *rel);

#endif
