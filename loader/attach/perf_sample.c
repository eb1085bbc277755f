// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_sample.c - perf_event programs: a program run on each sample of a
 * perf event (a CPU clock tick, a hardware counter overflowing), the way
 * profilers take stack traces.
 *
 * Unlike a tracepoint or kprobe event, which fires on whatever CPU the
 * traced code runs on, a sampling event counts on one CPU: profiling the
 * whole machine takes one perf event per CPU, each carrying the program.
 * A "perf_event" section gets that, with a software CPU clock
 * (PERF_COUNT_SW_CPU_CLOCK, which every machine and virtual machine has)
 * ticking opts->perf_freq times a second.
 *
 * Syscalls: perf_event_open(2) per CPU, bpf(BPF_LINK_CREATE) or
 * ioctl(PERF_EVENT_IOC_SET_BPF), ioctl(PERF_EVENT_IOC_ENABLE); reads of
 * /sys/devices/system/cpu/{possible,online}, and of
 * /proc/sys/kernel/perf_event_max_sample_rate to explain a refused rate.
 */
#include "attach/attach.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/maps.h>

#include "sys/file.h"
#include "sys/perf_event.h"
#include "sys/trace.h"

static const char *event_name(const struct perf_event_attr *attr, char *buf, size_t size)
{
	if (attr->type == PERF_TYPE_SOFTWARE && attr->config == PERF_COUNT_SW_CPU_CLOCK)
		snprintf(buf, size, "the CPU clock");
	else if (attr->type == PERF_TYPE_SOFTWARE && attr->config == PERF_COUNT_SW_TASK_CLOCK)
		snprintf(buf, size, "the task clock");
	else if (attr->type == PERF_TYPE_HARDWARE)
		snprintf(buf, size, "hardware event %llu", (unsigned long long)attr->config);
	else
		snprintf(buf, size, "perf event type %u config %llu", attr->type,
			 (unsigned long long)attr->config);
	return buf;
}

/* Why perf_event_open(2) refused a sampling event. */
static void explain_open(const struct perf_event_attr *attr, int e, char *why, size_t size)
{
	char max[32] = "";

	if ((e == ENOENT || e == ENODEV) && attr->type == PERF_TYPE_HARDWARE)
		snprintf(why, size, "; this machine exposes no such hardware counter (most virtual machines "
			 "have none): sample the CPU clock, a software event, instead");
	else if (e == ENOENT || e == ENODEV)
		snprintf(why, size, "; this kernel has no such event");
	else if (e == EINVAL && attr->freq &&
		 bl_read_text("/proc/sys/kernel/perf_event_max_sample_rate", max, sizeof(max), 1) > 0)
		snprintf(why, size, "; is %llu Hz above kernel.perf_event_max_sample_rate (%.*s)?",
			 (unsigned long long)attr->sample_freq, (int)strcspn(max, "\n"), max);
	else if (e == EOPNOTSUPP)
		snprintf(why, size, "; this event cannot sample (no overflow interrupt on this machine)");
	else
		snprintf(why, size, "%s", bl_errno_hint(e));
}

struct bl_attachment *bl_attach_perf_event(const struct bl_program *prog,
				     const struct perf_event_attr *attr, int pid, int cpu,
				     struct bl_err *err)
{
	struct perf_event_attr a = *attr;
	struct bl_attachment *att;
	char name[64], where[32], why[160];

	bl_trace_enter(BL_TRACE_ATTACH);
	event_name(attr, name, sizeof(name));
	if (cpu >= 0)
		snprintf(where, sizeof(where), "on CPU %d", cpu);
	else
		snprintf(where, sizeof(where), "for process %d", pid);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_PERF_EVENT, name, err))
		return NULL;
	att = bl_attachment_new("%s %s", name, where);
	if (!att) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	a.size = sizeof(a);
	att->perf_fd = bl_sys_perf_event_open(&a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC, NULL);
	if (att->perf_fd < 0) {
		int e = -att->perf_fd;

		free(att);
		explain_open(attr, e, why, sizeof(why));
		bl_fail(err, e, "perf_event_open for %s %s failed: %s%s", name, where, bl_errno_name(e), why);
		return NULL;
	}
	return bl_attachment_give_prog(att, prog, err);
}

struct bl_attachment *bl_attach_perf_event_cpus(const struct bl_program *prog,
					  const struct perf_event_attr *attr, struct bl_err *err)
{
	struct bl_attachment *first = NULL, **tail = &first;
	unsigned char *online = NULL;
	int ncpus, cpu, events = 0;
	char name[64];

	ncpus = bl_possible_cpus(err);
	if (ncpus < 0)
		return NULL;
	online = calloc((size_t)ncpus, 1);
	if (!online) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (bl_online_cpus(online, ncpus, err))
		goto fail;
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (!online[cpu])
			continue;
		if (!(*tail = bl_attach_perf_event(prog, attr, -1, cpu, err)))
			goto fail;
		tail = &(*tail)->next;
		events++;
	}
	free(online);
	if (!first) {
		bl_fail(err, ENODEV, "no CPU is online (/sys/devices/system/cpu/online) to sample on");
		return NULL;
	}
	/* the first names the set, for messages about all of it */
	snprintf(first->target, sizeof(first->target), "%s on %d CPU%s",
		 event_name(attr, name, sizeof(name)), events, events == 1 ? "" : "s");
	return first;
fail:
	bl_attachment_destroy(first, NULL);
	free(online);
	return NULL;
}

struct bl_attachment *bl_attach_perf_event_section(const struct bl_program *prog,
						   const struct bl_attach_opts *opts, struct bl_err *err)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;		/* sample_freq is a rate, not a period */
	attr.sample_freq = opts && opts->perf_freq ? opts->perf_freq : BL_PERF_DEFAULT_FREQ;
	return bl_attach_perf_event_cpus(prog, &attr, err);
}
