/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_ext.h - ".BTF.ext": what clang says about the code of a BPF object,
 * in terms of its BTF.
 *
 * Three kinds of records, each grouped by the ELF section of the code
 * they describe, with insn_off in bytes from the start of that section:
 *   func_info  where each function starts and its BTF FUNC type
 *   line_info  source file, line and column of instructions
 *   core_relo  CO-RE relocations: instructions whose field offsets or
 *              type facts must be adapted to the running kernel
 * The layout (the kernel's Documentation/bpf/btf.rst, ".BTF.ext
 * section"; the records are struct bpf_func_info, bpf_line_info and
 * bpf_core_relo of <linux/bpf.h>) is a header, then per kind a record
 * size followed by {section name, record count, records} groups.  The record size may
 * exceed the struct we know: newer fields are kept, passed through, and
 * the kernel checks them.
 *
 * BPF_PROG_LOAD wants func_info and line_info of one program, with
 * insn_off counted in instructions from the program's first instruction:
 * bl_btf_ext_prog_info() cuts them out of a section and converts them.
 *
 * No syscalls.
 */
#ifndef BL_BTF_EXT_H
#define BL_BTF_EXT_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

#include "btf/btf.h"

struct bl_btf_ext;

enum bl_btf_ext_kind {
	BL_BTF_EXT_FUNC_INFO,
	BL_BTF_EXT_LINE_INFO,
	BL_BTF_EXT_CORE_RELO,
	BL_BTF_EXT_KINDS
};

/* Check and copy a .BTF.ext section.  btf is the object's .BTF: section
 * names, type ids and strings in records are checked against it; it
 * must outlive the result. */
struct bl_btf_ext *bl_btf_ext_parse(const void *data, size_t size, const struct bl_btf *btf,
				    struct bl_err *err);

void bl_btf_ext_free(struct bl_btf_ext *ext);	/* NULL is fine */

/* The records of one kind for one ELF section. */
struct bl_btf_ext_sec {
	const char *name;		/* the ELF section, e.g. "kprobe/do_sys_open" */
	uint32_t count;
	uint32_t rec_size;		/* bytes per record, at least the known struct */
	const unsigned char *recs;	/* count * rec_size bytes, 4-byte aligned */
};

/* How many sections have records of this kind; index them 0 .. n-1. */
size_t bl_btf_ext_sec_count(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind);
const struct bl_btf_ext_sec *bl_btf_ext_sec(const struct bl_btf_ext *ext,
					    enum bl_btf_ext_kind kind, size_t index);

/* The records of this kind for the section named name, or NULL. */
const struct bl_btf_ext_sec *bl_btf_ext_find(const struct bl_btf_ext *ext,
					     enum bl_btf_ext_kind kind, const char *name);

/* Record i (< sec->count) copied into out (struct bpf_func_info,
 * bpf_line_info or bpf_core_relo): the first out_size bytes, zero-filled
 * when the record is shorter. */
void bl_btf_ext_record(const struct bl_btf_ext_sec *sec, uint32_t i, void *out, size_t out_size);

/* func_info or line_info records ready for BPF_PROG_LOAD. */
struct bl_btf_ext_info {
	unsigned char *recs;		/* count * rec_size bytes, malloc'd */
	uint32_t count;
	uint32_t rec_size;		/* for attr.func_info_rec_size/line_info_rec_size */
};

/*
 * Append to info the func_info or line_info records of ELF section
 * sec_name whose insn_off lies in the byte range [start, end) - one
 * function - with insn_off rewritten to (insn_off - start) / 8 +
 * first_insn: instructions from the start of the program being loaded,
 * where this function's code begins at instruction first_insn.  A
 * program that calls subprograms appends each one's records after its
 * own, in the order their code is appended.  No records (or ext NULL,
 * for an object without .BTF.ext) is not an error.  info starts zeroed;
 * free it with bl_btf_ext_info_free().
 */
int bl_btf_ext_prog_info(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind,
			 const char *sec_name, uint64_t start, uint64_t end, uint32_t first_insn,
			 struct bl_btf_ext_info *info, struct bl_err *err);

void bl_btf_ext_info_free(struct bl_btf_ext_info *info);

#endif
