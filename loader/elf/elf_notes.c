// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf_notes.c - walking the records of an SHT_NOTE section.  No syscalls.
 */
#include "elf/elf_notes.h"

#include <errno.h>
#include <string.h>

#include "sys/bounds.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int bl_elf_next_note(const struct bl_elf_section *sec, size_t *pos, struct bl_elf_note *note,
		     struct bl_err *err)
{
	/* 8-byte alignment only where the section asks for it, as readelf does */
	uint64_t align = sec->addralign == 8 ? 8 : 4;
	uint64_t at = *pos, name_at, desc_at, end;
	uint32_t hdr[3];	/* namesz, descsz, type */

	if (sec->type != SHT_NOTE)
		return bl_fail(err, EINVAL, "section %s is not a note section (type %u)", sec->name, sec->type);
	if (!sec->data || at >= sec->size)
		return 0;
	if (sec->size - at < sizeof(hdr))
		return bl_fail(err, ENOEXEC, "%s: the note at offset %llu is cut off (%llu bytes left, a note header has 12)",
			       sec->name, (unsigned long long)at, (unsigned long long)(sec->size - at));
	memcpy(hdr, sec->data + at, sizeof(hdr));
	name_at = at + sizeof(hdr);
	/* both sizes are 32 bits: these sums cannot overflow 64 */
	desc_at = align_up(name_at + hdr[0], align);
	end = align_up(desc_at + hdr[1], align);
	if (!bl_range_ok(desc_at, hdr[1], sec->size))
		return bl_fail(err, ENOEXEC, "%s: the note at offset %llu claims a %u-byte name and %u bytes of data, beyond the section's %llu bytes",
			       sec->name, (unsigned long long)at, hdr[0], hdr[1],
			       (unsigned long long)sec->size);
	if (hdr[0] && sec->data[name_at + hdr[0] - 1] != '\0')
		return bl_fail(err, ENOEXEC, "%s: the note at offset %llu has a name that does not end in NUL",
			       sec->name, (unsigned long long)at);
	memset(note, 0, sizeof(*note));
	note->offset = (size_t)at;
	note->type = hdr[2];
	note->name = hdr[0] ? (const char *)sec->data + name_at : "";
	note->descsz = hdr[1];
	note->desc = hdr[1] ? sec->data + desc_at : NULL;
	/* the padding after the last note may be missing */
	*pos = (size_t)(end < sec->size ? end : sec->size);
	return 1;
}
