/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe_target.h - from "libc.so.6" and "malloc" to what the kernel
 * takes: the path of a file and an offset in it.
 *
 * The function is looked up with our own ELF reader (.symtab, then
 * .dynsym; elf_symbols.h), and its address turned into a file offset
 * through the PT_LOAD program headers (elf_segments.h), which is right
 * for non-PIE executables, PIE executables and shared libraries alike.
 */
#ifndef BL_UPROBE_TARGET_H
#define BL_UPROBE_TARGET_H

#include <stdint.h>

#include "attach/binary_path.h"
#include "elf/elf_reader.h"
#include <bpfload/error.h>

struct bl_uprobe_target {
	char path[BL_BINARY_PATH_MAX];	/* the file the probe goes into */
	uint64_t offset;		/* file offset of the probed instruction */
	uint64_t vaddr;			/* its link-time address */
	uint16_t elf_type;		/* ET_EXEC, or ET_DYN (PIE, shared library) */
	uint16_t machine;		/* EM_X86_64, EM_AARCH64, ... */
};

/* binary: a path, a library or program name (binary_path.h), found with
 * the help of process pid's mappings when pid > 0.  func: a function
 * name, plus offset bytes into it; or NULL (or "") to give offset as a
 * file offset directly. */
int bl_uprobe_resolve(const char *binary, const char *func, uint64_t offset, int pid,
		      struct bl_uprobe_target *t, struct bl_err *err);

/* The same inside an opened file (path for messages): the file offset
 * and address of func + add. */
int bl_uprobe_func_offset(const struct bl_elf *elf, const char *path, const char *func,
			  uint64_t add, uint64_t *offset, uint64_t *vaddr, struct bl_err *err);

#endif
