/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * relocate.h - map references inside program code.
 *
 * When C code uses a map, clang emits "r1 = 0 ll" (an ld_imm64, two
 * instruction slots) and an R_BPF_64_64 relocation naming the map's
 * symbol.  Before BPF_PROG_LOAD the loader writes the map's fd into the
 * immediate and sets src_reg to BPF_PSEUDO_MAP_FD; the verifier then
 * swaps the fd for the map's kernel address.
 */
#ifndef BL_RELOCATE_H
#define BL_RELOCATE_H

#include "error.h"
#include "object.h"

/* Read every SHT_REL section that applies to program code and record, per
 * program, which instruction refers to which map.  Anything else (calls,
 * global data, unknown relocation types) is rejected with a message. */
int bl_collect_relocations(struct bl_object *obj, struct bl_err *err);

/* Write the map fds into a program's instructions (maps must be created). */
int bl_apply_relocations(struct bl_object *obj, struct bl_program *prog, struct bl_err *err);

#endif
