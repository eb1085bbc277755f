/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel_types.h - finding a named type, variable or function in the
 * running kernel's BTF: vmlinux's (/sys/kernel/btf/vmlinux, Linux 5.4),
 * then each loaded module's (/sys/kernel/btf/<module>, split BTF that
 * continues vmlinux's ids, 5.11).
 *
 * What the kernel is told about a module's type is its id in the module
 * BTF plus an fd of that BTF object: the fd comes from walking the
 * kernel's BTF objects (BPF_BTF_GET_NEXT_ID, BPF_BTF_GET_FD_BY_ID) and
 * matching the name BPF_OBJ_GET_INFO_BY_FD reports.
 *
 * The BTF itself is the object's one copy of the running kernel's
 * (bl_object_kernel_btf(), btf/kernel_btf.h: mmap'd, modules read only
 * when vmlinux lacks a name), shared with tracing programs' attach
 * targets; this file adds the module BTF fds, which take bpf(2).
 *
 * Syscalls: bpf(BPF_BTF_GET_NEXT_ID, BPF_BTF_GET_FD_BY_ID,
 * BPF_OBJ_GET_INFO_BY_FD); those of btf/kernel_btf.c.
 */
#ifndef BL_KERNEL_TYPES_H
#define BL_KERNEL_TYPES_H

#include <stdint.h>

#include <bpfload/error.h>
#include "btf/kernel_btf.h"
#include "object/object.h"

struct bl_kernel_type {
	const struct bl_btf *btf;	/* the BTF it is in (vmlinux's or a module's) */
	uint32_t id;
	const char *module;		/* NULL for vmlinux */
	int btf_fd;			/* the module BTF's fd, held by the object; 0 for vmlinux */
};

/* The object's view of the running kernel's BTF, opened on first use
 * and shared by CO-RE, externs and tracing programs; with for_core and a
 * btf_path (--btf), that file instead (CO-RE only: externs and attach
 * targets need the ids of the kernel that runs the program). */
struct bl_kernel_btf *bl_object_kernel_btf(struct bl_object *obj, int for_core, struct bl_err *err);

/* The first type of this kind (BTF_KIND_VAR, BTF_KIND_FUNC, ...) and
 * name, in vmlinux, else in the modules.  -ENOENT (with a message) when
 * none has it; other errors when the kernel's BTF cannot be read. */
int bl_kernel_type_find(struct bl_object *obj, const char *name, unsigned int kind,
			struct bl_kernel_type *found, struct bl_err *err);

/* The fd of the kernel's BTF object named name ("vmlinux", a module);
 * the caller closes it.  -ENOENT when there is none. */
int bl_kernel_btf_fd(const char *name, struct bl_err *err);


#endif
