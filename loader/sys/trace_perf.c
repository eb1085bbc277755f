// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/trace_perf.c - narration lines for perf_event_open(2), the
 * PERF_EVENT_IOC_* ioctls on its fd, and mmap(2) of kernel objects
 * (perf rings, BPF ring buffers, global data, the kernel's BTF).
 * No syscalls.
 *
 * perf_event_open's attr chooses the event by (type, config): a fixed
 * type (PERF_TYPE_TRACEPOINT with a tracepoint id as config, or
 * PERF_TYPE_SOFTWARE with PERF_COUNT_SW_BPF_OUTPUT for perf buffers), or
 * a dynamic PMU whose type number the kernel gives out at boot and
 * publishes in /sys/bus/event_source/devices/NAME/type.  For the kprobe
 * and uprobe PMUs config1 is a pointer to a string (the function, or
 * the binary's path), config2 an offset, and bit 0 of config asks for a
 * return probe (their format/retprobe says "config:0").  A number says
 * nothing about which PMU it is, so the caller names it (pmu).
 */
#include <linux/limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "sys/trace_format.h"

/* The kernel copies at most this much of a kprobe's function name
 * (KSYM_NAME_LEN, 512 since Linux 6.1, 128 before). */
#define KSYM_NAME_MAX 512

static const char *fixed_type(uint32_t type)
{
	switch (type) {
	case PERF_TYPE_HARDWARE: return "hardware";
	case PERF_TYPE_SOFTWARE: return "software";
	case PERF_TYPE_TRACEPOINT: return "tracepoint";
	case PERF_TYPE_HW_CACHE: return "hw_cache";
	case PERF_TYPE_RAW: return "raw";
	case PERF_TYPE_BREAKPOINT: return "breakpoint";
	default: return NULL;
	}
}

static int is_probe_pmu(const char *pmu)
{
	return pmu && (strcmp(pmu, "kprobe") == 0 || strcmp(pmu, "uprobe") == 0);
}

static void add_type(struct bl_line *l, const struct perf_event_attr *a, const char *pmu)
{
	const char *name = fixed_type(a->type);

	if (!name)
		name = pmu;
	if (name)
		bl_line_add(l, "type=%s(%u)", name, a->type);
	else
		bl_line_add(l, "type=%u", a->type);
}

static void add_config(struct bl_line *l, const struct perf_event_attr *a, const char *pmu)
{
	if (a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_BPF_OUTPUT) {
		bl_line_add(l, " config=bpf_output(%u)", PERF_COUNT_SW_BPF_OUTPUT);
		return;
	}
	if (!is_probe_pmu(pmu) || fixed_type(a->type)) {
		bl_line_add(l, " config=%llu", (unsigned long long)a->config);
		return;
	}
	/* kprobe or uprobe PMU */
	bl_line_add(l, " retprobe=%u", (unsigned int)(a->config & 1));
	if (a->config & ~1ull)
		bl_line_add(l, " config=%#llx", (unsigned long long)a->config);
	if (a->config1) {
		bl_line_add(l, " config1=");
		bl_line_str(l, (const char *)(uintptr_t)a->config1,
			    pmu[0] == 'k' ? KSYM_NAME_MAX : PATH_MAX);
	} else {
		bl_line_add(l, " config1=0");	/* a kprobe at the address in config2 */
	}
	if (a->config2 || !a->config1)
		bl_line_add(l, " config2=%#llx", (unsigned long long)a->config2);
}

void bl_trace_format_perf_event_open(struct bl_line *l, const struct perf_event_attr *a,
				     pid_t pid, int cpu, int group_fd, unsigned long flags,
				     const char *pmu, long ret)
{
	static const struct bl_flag_name open_flags[] = {
		{ PERF_FLAG_FD_NO_GROUP, "FD_NO_GROUP" },
		{ PERF_FLAG_FD_OUTPUT, "FD_OUTPUT" },
		{ PERF_FLAG_PID_CGROUP, "PID_CGROUP" },
		{ PERF_FLAG_FD_CLOEXEC, "CLOEXEC" },
	};

	bl_line_add(l, "perf_event_open(");
	add_type(l, a, pmu);
	add_config(l, a, pmu);
	if (a->sample_type == PERF_SAMPLE_RAW)
		bl_line_add(l, " sample_type=RAW");
	else if (a->sample_type)
		bl_line_add(l, " sample_type=%#llx", (unsigned long long)a->sample_type);
	if (a->sample_period && !a->freq)
		bl_line_add(l, " sample_period=%llu", (unsigned long long)a->sample_period);
	if (a->wakeup_events && !a->watermark)
		bl_line_add(l, " wakeup_events=%u", a->wakeup_events);
	if (a->disabled)
		bl_line_add(l, " disabled=1");
	bl_line_add(l, " pid=%d cpu=%d", (int)pid, cpu);
	if (group_fd != -1)
		bl_line_add(l, " group_fd=%d", group_fd);
	bl_line_add(l, " flags=");
	bl_line_flags(l, flags, open_flags, sizeof(open_flags) / sizeof(open_flags[0]));
	bl_line_add(l, ")");
	bl_line_result(l, BL_CALL_PERF_OPEN, 0, ret);
}

void bl_trace_format_perf_ioctl(struct bl_line *l, int fd, unsigned long request,
				unsigned long arg, long ret)
{
	const char *name = request == PERF_EVENT_IOC_SET_BPF ? "PERF_EVENT_IOC_SET_BPF" :
			   request == PERF_EVENT_IOC_ENABLE ? "PERF_EVENT_IOC_ENABLE" :
			   request == PERF_EVENT_IOC_DISABLE ? "PERF_EVENT_IOC_DISABLE" : NULL;

	if (name)
		bl_line_add(l, "ioctl(%d, %s, %lu)", fd, name, arg);
	else
		bl_line_add(l, "ioctl(%d, %#lx, %lu)", fd, request, arg);
	bl_line_result(l, BL_CALL_PERF_IOCTL, (int)request, ret);
}

void bl_trace_format_mmap(struct bl_line *l, size_t len, int prot, int flags, int fd,
			  long long offset, const void *addr, int code, const char *what)
{
	static const struct bl_flag_name prots[] = {
		{ PROT_READ, "PROT_READ" },
		{ PROT_WRITE, "PROT_WRITE" },
		{ PROT_EXEC, "PROT_EXEC" },
	};
	static const struct bl_flag_name map_flags[] = {
		{ MAP_SHARED, "MAP_SHARED" },
		{ MAP_PRIVATE, "MAP_PRIVATE" },
		{ MAP_FIXED, "MAP_FIXED" },
		{ MAP_ANONYMOUS, "MAP_ANONYMOUS" },
		{ MAP_POPULATE, "MAP_POPULATE" },
	};

	bl_line_add(l, "mmap(NULL, %zu, ", len);
	if (prot == PROT_NONE)
		bl_line_add(l, "PROT_NONE");
	else
		bl_line_flags(l, (unsigned int)prot, prots, sizeof(prots) / sizeof(prots[0]));
	bl_line_add(l, ", ");
	bl_line_flags(l, (unsigned int)flags, map_flags, sizeof(map_flags) / sizeof(map_flags[0]));
	bl_line_add(l, ", %d, %lld)", fd, offset);
	if (addr)
		bl_line_add(l, " = %p", addr);
	else
		bl_line_result(l, BL_CALL_MMAP, 0, -(long)code);
	if (what && addr)
		bl_line_add(l, "  # %s", what);
}
