/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object/assemble.h - assembling a program's final instructions.
 *
 * BPF_PROG_LOAD takes one array of instructions.  A program that calls
 * subprograms (bpf-to-bpf calls, Linux 4.16) therefore carries copies of
 * them after its own code: we append each subprogram it reaches, once,
 * and point every call at the copy (the call's immediate is the distance
 * in instructions, minus one).  Every reference to a map or a global
 * variable is then filled in with the map's fd.
 */
#ifndef BL_OBJECT_ASSEMBLE_H
#define BL_OBJECT_ASSEMBLE_H

#include <bpfload/error.h>

#include "object/object.h"

/* Fill prog->insns and prog->layout; the maps must already exist. */
int bl_program_assemble(struct bl_object *obj, struct bl_program *prog, struct bl_err *err);

#endif
