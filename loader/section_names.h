/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * section_names.h - what a program section's name tells the loader.
 *
 * A BPF object carries no program type: by convention (samples/bpf, then
 * libbpf) the ELF section name says it, "kprobe/do_sys_open" meaning a
 * BPF_PROG_TYPE_KPROBE program to attach to do_sys_open.
 */
#ifndef BL_SECTION_NAMES_H
#define BL_SECTION_NAMES_H

#include <linux/bpf.h>

enum bl_attach_kind {
	BL_ATTACH_NONE,		/* loads, but has no automatic attach point */
	BL_ATTACH_KPROBE,	/* target: kernel function */
	BL_ATTACH_KRETPROBE,	/* target: kernel function */
	BL_ATTACH_TRACEPOINT,	/* target: "category/name" */
};

struct bl_section_kind {
	const char *prefix;		/* "kprobe/" */
	enum bpf_prog_type prog_type;
	enum bpf_attach_type expected_attach_type;
	enum bl_attach_kind attach;
};

/* The kind of program a section name announces, or NULL when unknown.
 * *target receives the text after the prefix ("do_sys_open"). */
const struct bl_section_kind *bl_section_kind(const char *section_name, const char **target);

/* Human name of a program type ("kprobe"), for messages. */
const char *bl_prog_type_name(enum bpf_prog_type type);

/* The prefixes the loader understands, comma separated, for messages. */
const char *bl_known_section_prefixes(void);

#endif
