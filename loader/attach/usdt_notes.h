/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt_notes.h - the USDT probes a file declares: SystemTap's SDT notes.
 *
 * Each STAP_PROBE() of <sys/sdt.h> compiles to a nop at the probe's
 * place and a note in section .note.stapsdt, named "stapsdt", type 3:
 *     u64 pc          the nop's link-time address
 *     u64 base        the link-time address of section .stapsdt.base
 *     u64 semaphore   the address of the probe's u16 semaphore, or 0
 *     char provider[], name[], args[]    three NUL-terminated strings
 * The note is not loaded into memory, so prelink(8), which moves a
 * library to another address, does not update it; it moves
 * .stapsdt.base's section header instead, and the difference between
 * that and the note's base is added to pc and semaphore.
 */
#ifndef BL_USDT_NOTES_H
#define BL_USDT_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "elf/elf_reader.h"

#define BL_USDT_NOTE_SECTION ".note.stapsdt"
#define BL_USDT_BASE_SECTION ".stapsdt.base"
#define BL_USDT_NOTE_NAME "stapsdt"
#define BL_USDT_NOTE_TYPE 3

struct bl_usdt_note {
	const char *provider;	/* NUL-terminated, inside the file */
	const char *name;
	const char *args;	/* "-4@%edi 8@(%rsi)", "" when none */
	uint64_t pc;		/* as recorded */
	uint64_t base;
	uint64_t semaphore;
};

struct bl_usdt_probe {
	struct bl_usdt_note note;
	uint64_t vaddr;		/* pc, corrected for prelink */
	uint64_t offset;	/* file offset of vaddr: where the uprobe goes */
	uint64_t sema_vaddr;	/* the semaphore's address, corrected, or 0 */
	uint64_t sema_offset;	/* its file offset (ref_ctr_offset), or 0 */
};

/* Decode one "stapsdt" note's description (desc, descsz bytes). */
int bl_usdt_decode_note(const unsigned char *desc, size_t descsz, struct bl_usdt_note *note,
			struct bl_err *err);

/* Every probe provider:name of the file (NULL for either: any) into a
 * malloc'd array *probes of *count (freed by the caller), with file
 * offsets.  -ENOENT with a message listing the probes the file has when
 * none matches.  path is for messages. */
int bl_usdt_find_probes(const struct bl_elf *elf, const char *path, const char *provider,
			const char *name, struct bl_usdt_probe **probes, size_t *count,
			struct bl_err *err);

#endif
