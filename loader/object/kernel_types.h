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
 * This is the one place extern resolution asks the kernel's BTF, so the
 * lookup can move to a faster index without its callers changing.
 *
 * Syscalls: readdir of /sys/kernel/btf, open/read of the files in it;
 * bpf(BPF_BTF_GET_NEXT_ID, BPF_BTF_GET_FD_BY_ID, BPF_OBJ_GET_INFO_BY_FD).
 */
#ifndef BL_KERNEL_TYPES_H
#define BL_KERNEL_TYPES_H

#include <stdint.h>

#include "sys/error.h"
#include "object/object.h"

#define BL_KERNEL_BTF_DIR "/sys/kernel/btf"

struct bl_kernel_type {
	const struct bl_btf *btf;	/* the BTF it is in (vmlinux's or a module's) */
	uint32_t id;
	const char *module;		/* NULL for vmlinux */
	int btf_fd;			/* the module BTF's fd, held by the object; 0 for vmlinux */
};

/* The first type of this kind (BTF_KIND_VAR, BTF_KIND_FUNC, ...) and
 * name, in vmlinux, else in the modules.  -ENOENT (with a message) when
 * none has it; other errors when the kernel's BTF cannot be read. */
int bl_kernel_type_find(struct bl_object *obj, const char *name, unsigned int kind,
			struct bl_kernel_type *found, struct bl_err *err);

/* The fd of the kernel's BTF object named name ("vmlinux", a module);
 * the caller closes it.  -ENOENT when there is none. */
int bl_kernel_btf_fd(const char *name, struct bl_err *err);

struct bl_kernel_modules;
void bl_kernel_modules_free(struct bl_kernel_modules *m);	/* NULL is fine */

#endif
