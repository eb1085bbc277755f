/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elf_file.h - an executable or shared library on disk, mapped into
 * memory read-only and opened with bl_elf_open_binary().
 *
 * Uprobe targets can be large (a browser is hundreds of megabytes), so
 * the file is mapped rather than read: only the pages holding the
 * headers, symbol tables and notes we look at are ever read from disk.
 */
#ifndef BL_ELF_FILE_H
#define BL_ELF_FILE_H

#include <stddef.h>

#include "elf/elf_reader.h"

struct bl_elf_file {
	void *map;		/* the whole file, PROT_READ */
	size_t size;
	struct bl_elf elf;
};

/* Map path and check it as an executable or library. */
int bl_elf_file_open(struct bl_elf_file *file, const char *path, struct bl_err *err);

/* Unmap (a zeroed or failed file is fine). */
void bl_elf_file_close(struct bl_elf_file *file);

#endif
