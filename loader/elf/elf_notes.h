/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elf_notes.h - the records of an ELF note section (SHT_NOTE).
 *
 * A note section is a sequence of records, each
 *     u32 namesz, u32 descsz, u32 type, name[namesz], desc[descsz]
 * with name and desc each padded to 4 bytes (8 in sections aligned to 8,
 * such as .note.gnu.property).  The name says whose note it is
 * ("GNU", "stapsdt"), the type what it holds for that owner.  USDT probes
 * are notes named "stapsdt" of type 3 in .note.stapsdt (usdt_notes.h).
 */
#ifndef BL_ELF_NOTES_H
#define BL_ELF_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "elf/elf_reader.h"

struct bl_elf_note {
	size_t offset;			/* of the record inside the section */
	uint32_t type;
	const char *name;		/* NUL-terminated, inside the file; "" when namesz is 0 */
	const unsigned char *desc;	/* descsz bytes inside the file (NULL when 0) */
	uint32_t descsz;
};

/* The note at *pos (start with 0) of section sec, which must be SHT_NOTE;
 * *pos moves to the next one.  Returns 1 with a note, 0 at the end, or a
 * negative errno when the record does not fit or its name is not a
 * NUL-terminated string. */
int bl_elf_next_note(const struct bl_elf_section *sec, size_t *pos, struct bl_elf_note *note,
		     struct bl_err *err);

#endif
