/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_file.h - BTF from a file, in whichever form it comes:
 *   raw BTF   /sys/kernel/btf/vmlinux (Linux 5.4), /sys/kernel/btf/MODULE
 *             (5.11; split BTF on top of vmlinux's), or a blob saved
 *             from them: the file starts with the BTF magic 0xeb9f;
 *   ELF       the .BTF section of a BPF object (clang -g), of a vmlinux
 *             image built with CONFIG_DEBUG_INFO_BTF, or of a kernel
 *             module (.ko, split BTF again).
 *
 * Syscalls: open, fstat, read, close.
 */
#ifndef BL_BTF_FILE_H
#define BL_BTF_FILE_H

#include "btf/btf.h"
#include <bpfload/error.h>

/* Parse the BTF in path; base is NULL or the BTF a split blob continues
 * (vmlinux's for a module), and must outlive the result.  A kernel
 * module without a base is refused with a message saying why. */
struct bl_btf *bl_btf_parse_any_file(const char *path, const struct bl_btf *base,
				     struct bl_err *err);

#endif
