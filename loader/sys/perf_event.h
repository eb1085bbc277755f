/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * perf_event.h - perf_event_open(2), the door to tracepoints and kprobes.
 *
 * Before BPF links (5.7), and still for kprobes and tracepoints, a BPF
 * program is attached to a kernel event by opening that event as a perf
 * event and handing the program to it with ioctl(PERF_EVENT_IOC_SET_BPF).
 * The program then runs on every CPU, whatever CPU the event was opened
 * on; closing the perf event fd detaches it.
 */
#ifndef BL_PERF_EVENT_H
#define BL_PERF_EVENT_H

#include <linux/perf_event.h>

#include <bpfload/error.h>

/* perf_event_open(attr, pid -1, cpu 0): a system-wide event handle for a
 * tracepoint-like event.  what names the event for the message. */
int bl_perf_event_open_tracing(struct perf_event_attr *attr, const char *what, struct bl_err *err);

/* The same for one process only (pid > 0; else as above): uprobes
 * filtered by process. */
int bl_perf_event_open_pid(struct perf_event_attr *attr, int pid, const char *what,
			   struct bl_err *err);

/* ioctl PERF_EVENT_IOC_ENABLE. */
int bl_perf_event_enable(int perf_fd, const char *what, struct bl_err *err);

/* ioctl PERF_EVENT_IOC_SET_BPF then PERF_EVENT_IOC_ENABLE. */
int bl_perf_event_set_bpf(int perf_fd, int prog_fd, const char *what, struct bl_err *err);

#endif
