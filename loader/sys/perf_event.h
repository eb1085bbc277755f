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
#include <sys/types.h>

#include <bpfload/error.h>

/* perf_event_open(2) itself: the fd or -errno, no message.  pmu names the
 * dynamic PMU whose type attr->type is ("kprobe", "uprobe"), or NULL for
 * a fixed PERF_TYPE_*; only narration uses it, to read config1. */
int bl_sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
			   unsigned long flags, const char *pmu);

/* ioctl(2) on a perf event fd (PERF_EVENT_IOC_*): 0 or -errno. */
int bl_sys_perf_ioctl(int perf_fd, unsigned long request, unsigned long arg);

/* As bl_perf_event_open_tracing(), for an event of the dynamic PMU pmu. */
int bl_perf_event_open_pmu(struct perf_event_attr *attr, const char *pmu, const char *what,
			   struct bl_err *err);

/* perf_event_open(attr, pid -1, cpu 0): a system-wide event handle for a
 * tracepoint-like event.  what names the event for the message. */
int bl_perf_event_open_tracing(struct perf_event_attr *attr, const char *what, struct bl_err *err);

/* The same for one process only (pid > 0; else as above): uprobes
 * filtered by process; pmu as for bl_perf_event_open_pmu(), or NULL. */
int bl_perf_event_open_pid(struct perf_event_attr *attr, int pid, const char *pmu,
			   const char *what, struct bl_err *err);

/* ioctl PERF_EVENT_IOC_ENABLE. */
int bl_perf_event_enable(int perf_fd, const char *what, struct bl_err *err);

/* ioctl PERF_EVENT_IOC_SET_BPF then PERF_EVENT_IOC_ENABLE. */
int bl_perf_event_set_bpf(int perf_fd, int prog_fd, const char *what, struct bl_err *err);

#endif
