/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object/relocs.h - relocation records: what each instruction of BPF code refers to.
 *
 * clang leaves every reference to something outside an instruction as an
 * ELF relocation (SHT_REL section ".relSECTION" whose sh_info is the code
 * section) naming a symbol:
 *   - a map: "r1 = 0 ll" (ld_imm64, two slots), R_BPF_64_64 on the map's
 *     symbol; the loader writes the map's fd (BPF_PSEUDO_MAP_FD);
 *   - a global variable: an ld_imm64, R_BPF_64_64 on the variable or on
 *     its section's symbol with the offset in the immediate; the loader
 *     writes fd + offset (BPF_PSEUDO_MAP_VALUE, Linux 5.2);
 *   - a bpf-to-bpf call (Linux 4.16): "call" with src_reg
 *     BPF_PSEUDO_CALL, R_BPF_64_32 on the callee or its section; the
 *     target is symbol value / 8 + imm + 1 instructions into that section;
 *   - a function's address (callbacks such as bpf_loop's, Linux 5.13): an
 *     ld_imm64 on code, with the byte offset in the immediate, which the
 *     loader turns into BPF_PSEUDO_FUNC.
 * This file records those references per function at open; assemble.c
 * resolves them at load.
 */
#ifndef BL_OBJECT_RELOCS_H
#define BL_OBJECT_RELOCS_H

#include <bpfload/error.h>

#include "object/object.h"

/* Record every relocation of every function; anything the loader cannot
 * honour (externs, unknown relocation types) is rejected with a message. */
int bl_collect_relocs(struct bl_object *obj, struct bl_err *err);

/* The function of section section_index that contains byte offset off,
 * or -1. */
int bl_function_at(const struct bl_object *obj, size_t section_index, uint64_t off);

#endif
