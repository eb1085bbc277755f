/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core_relocate.h - an object's CO-RE relocations, applied to its programs.
 *
 * clang leaves one record per relocatable instruction in .BTF.ext's
 * core_relo part, grouped by ELF section, insn_off in bytes from the
 * section's start (btf/btf_ext.h).  The first time a program is loaded
 * (or bpfload --dry-run asks), every record is resolved against the
 * kernel's BTF, in .BTF.ext's order as libbpf does (btf/core.h), and the
 * results are kept in obj->core (struct bl_core_relos, object/object.h).  Each program, once assembled
 * (object/assemble.c: its entry function, then the subprograms it
 * calls), gets the records of every function it holds applied to that
 * function's copy of the code, before BPF_PROG_LOAD.
 *
 * The rule: an object with CO-RE records is relocated, or refused with
 * the reason; never loaded as it is.  Without the kernel's BTF (and no
 * bl_object_opts.btf_path) such an object is refused.
 *
 * Syscalls: those of btf/kernel_btf.c, when the records are resolved.
 */
#ifndef BL_CORE_RELOCATE_H
#define BL_CORE_RELOCATE_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "btf/core.h"
#include "btf/kernel_btf.h"
#include <bpfload/error.h>
#include "object/object.h"

/* How many CO-RE records the object has (0 without .BTF.ext). */
size_t bl_core_relo_count(const struct bl_object *obj);

/* Fill obj->core: the local side of every record (no syscalls), then
 * the kernel's side.  Fails when the kernel's BTF cannot be read; the
 * local side is kept even then. */
int bl_object_core_resolve(struct bl_object *obj, struct bl_err *err);

/* After assembly, before BPF_PROG_LOAD: patch prog->insns. */
int bl_core_relocate_program(struct bl_object *obj, struct bl_program *prog, struct bl_err *err);

/* After a rejection: when the verifier stopped at a poisoned instruction,
 * make err name the relocation, its reason and the C source line. */
void bl_core_explain_rejection(const struct bl_object *obj, const struct bl_program *prog,
			       struct bl_err *err);

/* The record placed at instruction insn of prog, or NULL. */
const struct bl_core_relo_info *bl_core_relo_at(const struct bl_object *obj,
						const struct bl_program *prog, size_t insn);

#endif
