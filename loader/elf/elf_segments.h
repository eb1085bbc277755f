/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elf_segments.h - the program headers of an executable or shared
 * library, and how an address in it becomes an offset in its file.
 *
 * A uprobe is placed at a *file offset* (the kernel finds the page of the
 * file, whichever address each process mapped it at), but symbols and
 * USDT notes give *virtual addresses*, the ones the linker chose.  The
 * PT_LOAD program headers say which byte range of the file the dynamic
 * loader maps at which address: inside a segment,
 *     offset = vaddr - p_vaddr + p_offset.
 * For a non-PIE executable (ET_EXEC) the addresses are the run-time ones;
 * for PIE executables and shared libraries (ET_DYN) each process adds its
 * own load bias.
 */
#ifndef BL_ELF_SEGMENTS_H
#define BL_ELF_SEGMENTS_H

#include <stdint.h>

#include "elf/elf_reader.h"

struct bl_elf_segment {
	uint32_t type;		/* PT_LOAD, PT_NOTE, ... */
	uint32_t flags;		/* PF_X, PF_W, PF_R */
	uint64_t offset;	/* in the file */
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* The file's ELF header fields a uprobe needs: e_type (ET_EXEC, ET_DYN)
 * and e_machine (EM_X86_64, EM_AARCH64).  Never fails after bl_elf_open*. */
uint16_t bl_elf_file_type(const struct bl_elf *elf);
uint16_t bl_elf_machine(const struct bl_elf *elf);

/* Number of program headers (0 when the file has none). */
size_t bl_elf_segment_count(const struct bl_elf *elf);

/* Program header i; fails when the table lies outside the file, or the
 * segment's file bytes do. */
int bl_elf_segment(const struct bl_elf *elf, size_t i, struct bl_elf_segment *seg,
		   struct bl_err *err);

/* The file offset of vaddr, found in the PT_LOAD segment whose file bytes
 * hold it.  want_exec: 1 the segment must be executable (code), 0 it must
 * not be (data such as a USDT semaphore), -1 either.  *seg_out (may be
 * NULL) receives the segment. */
int bl_elf_vaddr_to_offset(const struct bl_elf *elf, uint64_t vaddr, int want_exec,
			   uint64_t *offset, struct bl_elf_segment *seg_out, struct bl_err *err);

#endif
