/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel_btf.h - the running kernel's BTF, found and read only when
 * something needs it.
 *
 *   /sys/kernel/btf/vmlinux    the kernel's own types (Linux 5.4, with
 *                              CONFIG_DEBUG_INFO_BTF): ~5 MB, ~130,000
 *                              types.  Since Linux 6.16 the file can be
 *                              mmap'd read-only; we map it (no copy, and
 *                              the pages are the kernel's, not counted in
 *                              our resident size) and read() it on older
 *                              kernels.
 *   /sys/kernel/btf/MODULE     a loaded module's types (5.11), split BTF
 *                              continuing vmlinux's ids and strings; read
 *                              only when asked for (bl_kernel_btf_read_modules).
 *   a file given by the user   instead of all of the above, for kernels
 *                              without BTF (BTFHub's files): raw BTF, or
 *                              an ELF file (a vmlinux) with a .BTF section.
 *                              It is untrusted input and checked as such.
 *
 * Each BTF comes with a by-name index (btf/btf_names.h) of the kinds
 * CO-RE relocates against, filled only for the names asked about.
 *
 * Syscalls: open, fstat, mmap/munmap or read, close; opendir/readdir of
 * the sysfs directory for modules.
 */
#ifndef BL_KERNEL_BTF_H
#define BL_KERNEL_BTF_H

#include <stddef.h>

#include "btf/btf.h"
#include "btf/btf_names.h"
#include <bpfload/error.h>

#define BL_KERNEL_BTF_DIR "/sys/kernel/btf"

struct bl_kernel_btf_opts {
	const char *btf_path;	/* use this file instead of the kernel's BTF; NULL: the kernel's */
	const char *sysfs_dir;	/* NULL: BL_KERNEL_BTF_DIR (tests use another) */
};

struct bl_kernel_btf;

/* Read vmlinux's BTF (or the file's); opts may be NULL. */
struct bl_kernel_btf *bl_kernel_btf_open(const struct bl_kernel_btf_opts *opts, struct bl_err *err);

void bl_kernel_btf_close(struct bl_kernel_btf *kb);	/* NULL is fine */

/* How many BTFs there are: 1 (vmlinux, or the file) plus the modules read. */
size_t bl_kernel_btf_count(const struct bl_kernel_btf *kb);

/* BTF i (0 is vmlinux), with its name ("vmlinux", the module's, or the
 * file's path) and its index; name and names may be NULL. */
const struct bl_btf *bl_kernel_btf_get(const struct bl_kernel_btf *kb, size_t i, const char **name,
				       struct bl_btf_names **names);

/* Read every module's BTF, once; returns how many there are (0 with a
 * user-given file, which stands for the whole kernel). */
int bl_kernel_btf_read_modules(struct bl_kernel_btf *kb, struct bl_err *err);

/* "mmap" or "read": how vmlinux's BTF was brought in. */
const char *bl_kernel_btf_how(const struct bl_kernel_btf *kb);

#endif
