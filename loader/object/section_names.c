// SPDX-License-Identifier: BSD-2-Clause
/*
 * section_names.c - the table from section-name prefixes to program types.
 * No syscalls.
 */
#include "object/section_names.h"

#include <stdio.h>
#include <string.h>

#include "sys/bpf_link.h"

static const struct bl_section_kind kinds[] = {
	{ "kprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KPROBE },
	{ "kretprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KRETPROBE },
	/* ksyscall/NAME: a kprobe on the system call's entry, whatever this
	 * kernel calls it (__x64_sys_NAME, or sys_NAME without wrappers) */
	{ "ksyscall/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KSYSCALL },
	{ "kretsyscall/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KRETSYSCALL },
	/* kprobe.multi/GLOB: every traceable function the glob matches, in
	 * one fprobe link (5.18, CONFIG_FPROBE) */
	{ "kprobe.multi/", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, BL_ATTACH_KPROBE_MULTI },
	{ "kretprobe.multi/", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, BL_ATTACH_KRETPROBE_MULTI },
	{ "uprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_UPROBE },
	{ "uretprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_URETPROBE },
	/* ".s": sleepable (uprobes: 6.0), may fault user memory in with
	 * bpf_copy_from_user(); see bl_section_prog_flags() */
	{ "uprobe.s/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_UPROBE },
	{ "uretprobe.s/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_URETPROBE },
	{ "uprobe.multi/", BPF_PROG_TYPE_KPROBE, BL_BPF_TRACE_UPROBE_MULTI, BL_ATTACH_UPROBE_MULTI },
	{ "uretprobe.multi/", BPF_PROG_TYPE_KPROBE, BL_BPF_TRACE_UPROBE_MULTI, BL_ATTACH_URETPROBE_MULTI },
	{ "uprobe.multi.s/", BPF_PROG_TYPE_KPROBE, BL_BPF_TRACE_UPROBE_MULTI, BL_ATTACH_UPROBE_MULTI },
	{ "uretprobe.multi.s/", BPF_PROG_TYPE_KPROBE, BL_BPF_TRACE_UPROBE_MULTI, BL_ATTACH_URETPROBE_MULTI },
	{ "usdt/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_USDT },
	{ "usdt.s/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_USDT },
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT, 0, BL_ATTACH_TRACEPOINT },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT, 0, BL_ATTACH_TRACEPOINT },
	{ "raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, BL_ATTACH_RAW_TRACEPOINT },
	{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, BL_ATTACH_RAW_TRACEPOINT },
	{ "fentry/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BL_ATTACH_TRACING },
	{ "fexit/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BL_ATTACH_TRACING },
	{ "tp_btf/", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, BL_ATTACH_TRACING },
	{ "fentry.s/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, BL_ATTACH_TRACING },
	{ "fexit.s/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, BL_ATTACH_TRACING },
	/* fmod_ret: may replace the return value of a security_* function
	 * or of one the kernel marks ALLOW_ERROR_INJECTION (5.7) */
	{ "fmod_ret/", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BL_ATTACH_TRACING },
	{ "fmod_ret.s/", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, BL_ATTACH_TRACING },
	/* lsm/HOOK: the kernel function bpf_lsm_HOOK (5.7, CONFIG_BPF_LSM) */
	{ "lsm/", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BL_ATTACH_TRACING },
	{ "lsm.s/", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, BL_ATTACH_TRACING },
	/* iter/TYPE: a BPF iterator (5.8); the kernel function
	 * bpf_iter_TYPE names it in BTF */
	{ "iter/", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BL_ATTACH_ITER },
	{ "iter.s/", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, BL_ATTACH_ITER },
	/* perf_event: sampling; attached to a software CPU clock on every
	 * CPU unless its user names another event */
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, BL_ATTACH_PERF_EVENT },
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, BL_ATTACH_NONE },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, BL_ATTACH_NONE },
	/* run by BPF_PROG_TEST_RUN, never attached (5.14) */
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, BL_ATTACH_NONE },
};

#define KIND_COUNT (sizeof(kinds) / sizeof(kinds[0]))

/*
 * "kprobe/" matches "kprobe/FUNC" (target FUNC) and a bare "kprobe"
 * (target "": a program its user attaches by hand, as libbpf allows);
 * "socket" matches "socket" and "socket/anything".
 */
static int name_matches(const struct bl_section_kind *k, const char *name, const char **target)
{
	size_t len = strlen(k->prefix);
	int takes_target = k->prefix[len - 1] == '/';
	size_t word = takes_target ? len - 1 : len;	/* the prefix without '/' */

	if (strncmp(name, k->prefix, word) != 0)
		return 0;
	if (name[word] == '\0') {
		*target = name + word;
		return 1;
	}
	if (name[word] == '/') {
		*target = name + word + 1;
		return 1;
	}
	return 0;
}

const struct bl_section_kind *bl_section_kind(const char *section_name, const char **target)
{
	const char *unused;
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if (name_matches(&kinds[i], section_name, target ? target : &unused))
			return &kinds[i];
	return NULL;
}

enum bpf_prog_type bl_prog_type_by_name(const char *name)
{
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_RAW_TRACEPOINT,
		BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_XDP,
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(name, bl_prog_type_name(types[i])) == 0)
			return types[i];
	return BPF_PROG_TYPE_UNSPEC;
}

uint32_t bl_section_prog_flags(const struct bl_section_kind *kind)
{
	size_t len = strlen(kind->prefix);

	if (kind->prog_type == BPF_PROG_TYPE_SYSCALL)
		return BPF_F_SLEEPABLE;
	if (len >= 3 && strcmp(kind->prefix + len - 3, ".s/") == 0)
		return BPF_F_SLEEPABLE;
	return 0;
}

const char *bl_prog_type_name(enum bpf_prog_type type)
{
	switch (type) {
	case BPF_PROG_TYPE_KPROBE: return "kprobe";
	case BPF_PROG_TYPE_TRACEPOINT: return "tracepoint";
	case BPF_PROG_TYPE_RAW_TRACEPOINT: return "raw_tracepoint";
	case BPF_PROG_TYPE_PERF_EVENT: return "perf_event";
	case BPF_PROG_TYPE_SOCKET_FILTER: return "socket_filter";
	case BPF_PROG_TYPE_XDP: return "xdp";
	case BPF_PROG_TYPE_TRACING: return "tracing";
	case BPF_PROG_TYPE_LSM: return "lsm";
	case BPF_PROG_TYPE_SYSCALL: return "syscall";
	default: return "unknown";
	}
}

void bl_known_section_prefixes(char *buf, size_t size)
{
	size_t i, len = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < KIND_COUNT && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", kinds[i].prefix);
}
