// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_event.c - opening trace events as perf events and giving them a
 * BPF program.
 *
 * Syscalls: perf_event_open(2), ioctl(PERF_EVENT_IOC_SET_BPF),
 * ioctl(PERF_EVENT_IOC_ENABLE).
 *
 * bl_sys_perf_event_open() and bl_sys_perf_ioctl() are the only places
 * the loader makes these calls (attach/ and events/perf_buffer.c come
 * here), so that narration (sys/trace.h) sees every one.
 */
#include "sys/perf_event.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"
#include "sys/trace.h"

int bl_sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
			   unsigned long flags, const char *pmu)
{
	long fd = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);

	if (fd < 0)
		fd = -errno;
	if (bl_tracing())
		bl_trace_perf_event_open(attr, pid, cpu, group_fd, flags, pmu, fd);
	return (int)fd;
}

int bl_sys_perf_ioctl(int perf_fd, unsigned long request, unsigned long arg)
{
	int ret = ioctl(perf_fd, request, arg) < 0 ? -errno : 0;

	if (bl_tracing())
		bl_trace_perf_ioctl(perf_fd, request, arg, ret);
	return ret;
}

int bl_perf_event_open_pid(struct perf_event_attr *attr, int pid, const char *pmu,
			   const char *what, struct bl_err *err)
{
	int fd;

	attr->size = sizeof(*attr);
	attr->sample_period = 1;
	attr->wakeup_events = 1;
	/* (pid -1, cpu 0) is every process, and for trace events every CPU;
	 * (pid, cpu -1) is one process wherever it runs. */
	fd = bl_sys_perf_event_open(attr, pid > 0 ? pid : -1, pid > 0 ? -1 : 0, -1 /* no group */,
				    PERF_FLAG_FD_CLOEXEC, pmu);
	if (fd < 0)
		return bl_fail(err, -fd, "perf_event_open for %s failed: %s%s", what,
			       bl_errno_name(-fd), bl_errno_hint(-fd));
	return fd;
}

int bl_perf_event_open_pmu(struct perf_event_attr *attr, const char *pmu, const char *what,
			   struct bl_err *err)
{
	return bl_perf_event_open_pid(attr, -1, pmu, what, err);
}

int bl_perf_event_open_tracing(struct perf_event_attr *attr, const char *what, struct bl_err *err)
{
	return bl_perf_event_open_pid(attr, -1, NULL, what, err);
}

int bl_perf_event_set_bpf(int perf_fd, int prog_fd, const char *what, struct bl_err *err)
{
	int ret = bl_sys_perf_ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, (unsigned long)prog_fd);

	if (ret < 0) {
		int e = -ret;

		return bl_fail(err, e, "attaching the program to %s failed (PERF_EVENT_IOC_SET_BPF): %s%s",
			       what, bl_errno_name(e),
			       e == EINVAL ? "; is the program's type right for this event?" :
			       e == EEXIST ? "; another program is attached and this kernel allows only one" : "");
	}
	return bl_perf_event_enable(perf_fd, what, err);
}

int bl_perf_event_enable(int perf_fd, const char *what, struct bl_err *err)
{
	int ret = bl_sys_perf_ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);

	if (ret < 0)
		return bl_fail(err, -ret, "enabling %s failed (PERF_EVENT_IOC_ENABLE): %s", what,
			       bl_errno_name(-ret));
	return 0;
}
