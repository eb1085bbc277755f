/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object_btf.h - an object's BTF on its way into the kernel.
 *
 * clang -g leaves the object's C types in ".BTF" and facts about its
 * code in ".BTF.ext".  The loader reads both at open; at load it fills
 * in the section sizes and variable offsets clang could not know, loads
 * the BTF (BPF_BTF_LOAD, Linux 4.18), and passes its fd with each
 * program's func_info and line_info to BPF_PROG_LOAD (5.0), so that the
 * verifier names functions and quotes C source lines in its log.  A
 * kernel that refuses the BTF gets a sanitized copy, and if it refuses
 * that too the object loads without BTF and obj->notes says so.
 *
 * Programs of type tracing (fentry/, fexit/, tp_btf/) name a kernel
 * function or tracepoint that is found in the kernel's own BTF,
 * /sys/kernel/btf/vmlinux, read only when such a program is loaded.
 */
#ifndef BL_OBJECT_BTF_H
#define BL_OBJECT_BTF_H

#include <bpfload/error.h>

#include "btf/btf_ext.h"
#include "btf/kernel_btf.h"
#include "object/object.h"

/* At open: parse .BTF and .BTF.ext when present.  A broken one is noted
 * and dropped; only what needs it (BTF-defined maps) then fails. */
void bl_object_read_btf(struct bl_object *obj);

/* Fill in the DATASEC sizes and variable offsets from the ELF file
 * (btf/btf_fixup.h), without loading anything: for readers of the
 * layout, such as the skeleton generator.  Load does it too; running it
 * twice changes nothing.  0 when the object has no BTF. */
int bl_object_complete_btf(struct bl_object *obj, struct bl_err *err);

/* At load, before maps: fix up and load the BTF (obj->btf_fd). */
void bl_object_load_btf(struct bl_object *obj);

/* A program's func_info and line_info, in the order its functions were
 * linked; both stay empty when the object has no usable .BTF.ext. */
int bl_program_btf_info(struct bl_object *obj, const struct bl_program *prog,
			struct bl_btf_ext_info *func_info, struct bl_btf_ext_info *line_info,
			struct bl_err *err);

/* The kernel BTF id a tracing program (fentry/, fexit/, tp_btf/)
 * attaches to, in vmlinux or a module; *btf_obj_fd is 0 for vmlinux,
 * else the module BTF's fd (held by the object) for attach_btf_obj_fd. */
int bl_program_attach_btf_id(struct bl_object *obj, const struct bl_program *prog,
			     uint32_t *btf_id, int *btf_obj_fd, struct bl_err *err);

#endif
