// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_event.c - opening trace events as perf events and giving them a
 * BPF program.
 *
 * Syscalls: perf_event_open(2), ioctl(PERF_EVENT_IOC_SET_BPF),
 * ioctl(PERF_EVENT_IOC_ENABLE).
 */
#include "sys/perf_event.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"

int bl_perf_event_open_tracing(struct perf_event_attr *attr, const char *what, struct bl_err *err)
{
	return bl_perf_event_open_pid(attr, -1, what, err);
}

int bl_perf_event_open_pid(struct perf_event_attr *attr, int pid, const char *what,
			   struct bl_err *err)
{
	long fd;

	attr->size = sizeof(*attr);
	attr->sample_period = 1;
	attr->wakeup_events = 1;
	/* (pid -1, cpu 0) is every process, and for trace events every CPU;
	 * (pid, cpu -1) is one process wherever it runs. */
	fd = syscall(__NR_perf_event_open, attr, pid > 0 ? pid : -1, pid > 0 ? -1 : 0,
		     -1 /* no group */, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return bl_fail(err, e, "perf_event_open for %s failed: %s%s", what,
			       bl_errno_name(e), bl_privilege_hint(e));
	}
	return (int)fd;
}

int bl_perf_event_set_bpf(int perf_fd, int prog_fd, const char *what, struct bl_err *err)
{
	if (ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0) {
		int e = errno;

		return bl_fail(err, e, "attaching the program to %s failed (PERF_EVENT_IOC_SET_BPF): %s%s",
			       what, bl_errno_name(e),
			       e == EINVAL ? "; is the program's type right for this event?" :
			       e == EEXIST ? "; another program is attached and this kernel allows only one" : "");
	}
	return bl_perf_event_enable(perf_fd, what, err);
}

int bl_perf_event_enable(int perf_fd, const char *what, struct bl_err *err)
{
	if (ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int e = errno;

		return bl_fail(err, e, "enabling %s failed (PERF_EVENT_IOC_ENABLE): %s", what,
			       bl_errno_name(e));
	}
	return 0;
}
