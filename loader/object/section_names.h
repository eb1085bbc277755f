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
#include <stddef.h>
#include <stdint.h>

enum bl_attach_kind {
	BL_ATTACH_NONE,		/* loads, but has no automatic attach point */
	BL_ATTACH_KPROBE,	/* target: kernel function */
	BL_ATTACH_KRETPROBE,	/* target: kernel function */
	BL_ATTACH_KPROBE_MULTI,	/* target: glob over available_filter_functions */
	BL_ATTACH_KRETPROBE_MULTI,
	BL_ATTACH_KSYSCALL,	/* target: system call name ("openat") */
	BL_ATTACH_KRETSYSCALL,
	BL_ATTACH_TRACEPOINT,	/* target: "category/name" */
	BL_ATTACH_RAW_TRACEPOINT, /* target: tracepoint name */
	BL_ATTACH_UPROBE,	/* target: "binary:function[+offset]" */
	BL_ATTACH_URETPROBE,
	BL_ATTACH_UPROBE_MULTI,	/* target: "binary:glob", one uprobe_multi link (6.6) */
	BL_ATTACH_URETPROBE_MULTI,
	BL_ATTACH_USDT,		/* target: "binary:provider:name" */
	BL_ATTACH_TRACING,	/* fentry/fexit/fmod_ret/tp_btf/lsm: target found in the kernel's BTF */
	BL_ATTACH_ITER,		/* target: iterator ("task", "bpf_map"), bpf_iter_<target> in BTF */
	BL_ATTACH_PERF_EVENT,	/* no target: a sampling event on every CPU */
};

/* A section name with a trailing '/' is a prefix followed by a target
 * ("kprobe/do_sys_open"); one without matches exactly, or followed by
 * '/' and anything ("socket", "socket/filter"), as libbpf allows. */
struct bl_section_kind {
	const char *prefix;		/* "kprobe/" or "socket" */
	enum bpf_prog_type prog_type;
	enum bpf_attach_type expected_attach_type;
	enum bl_attach_kind attach;
};

/* The kind of program a section name announces, or NULL when unknown.
 * *target receives the text after the prefix ("do_sys_open"). */
const struct bl_section_kind *bl_section_kind(const char *section_name, const char **target);

/* Program type by its name ("kprobe", "xdp", ...), for --type options;
 * 0 (BPF_PROG_TYPE_UNSPEC) when unknown. */
enum bpf_prog_type bl_prog_type_by_name(const char *name);

/* BPF_PROG_LOAD flags programs of this kind need: BPF_F_SLEEPABLE
 * (5.10) for "syscall", which the kernel takes only sleepable, and for
 * the kinds whose name ends in ".s" ("uprobe.s/": sleepable uprobes,
 * 6.0), as libbpf spells sleepable ones. */
uint32_t bl_section_prog_flags(const struct bl_section_kind *kind);

/* Human name of a program type ("kprobe"), for messages. */
const char *bl_prog_type_name(enum bpf_prog_type type);

/* The prefixes the loader understands, from the table itself, comma
 * separated into buf, for messages. */
void bl_known_section_prefixes(char *buf, size_t size);

#endif
