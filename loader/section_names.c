// SPDX-License-Identifier: BSD-2-Clause
/*
 * section_names.c - the table from section-name prefixes to program types.
 * No syscalls.
 */
#include "section_names.h"

#include <string.h>

static const struct bl_section_kind kinds[] = {
	{ "kprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KPROBE },
	{ "kretprobe/", BPF_PROG_TYPE_KPROBE, 0, BL_ATTACH_KRETPROBE },
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT, 0, BL_ATTACH_TRACEPOINT },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT, 0, BL_ATTACH_TRACEPOINT },
};

const struct bl_section_kind *bl_section_kind(const char *section_name, const char **target)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t len = strlen(kinds[i].prefix);

		if (strncmp(section_name, kinds[i].prefix, len) == 0) {
			if (target)
				*target = section_name + len;
			return &kinds[i];
		}
	}
	return NULL;
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
	default: return "unknown";
	}
}

const char *bl_known_section_prefixes(void)
{
	return "kprobe/, kretprobe/, tracepoint/, tp/";
}
