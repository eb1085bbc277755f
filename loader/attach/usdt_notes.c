// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt_notes.c - reading .note.stapsdt and placing each probe in the
 * file.  No syscalls.
 */
#include "attach/usdt_notes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf_notes.h"
#include "elf/elf_segments.h"

int bl_usdt_decode_note(const unsigned char *desc, size_t descsz, struct bl_usdt_note *note,
			struct bl_err *err)
{
	const char *strs[3];
	size_t at = 3 * sizeof(uint64_t), i;

	if (!desc || descsz < at + 3)
		return bl_fail(err, ENOEXEC, "USDT note of %zu bytes is too short for three addresses and three strings",
			       descsz);
	memcpy(&note->pc, desc, 8);
	memcpy(&note->base, desc + 8, 8);
	memcpy(&note->semaphore, desc + 16, 8);
	for (i = 0; i < 3; i++) {
		const unsigned char *nul = at < descsz ? memchr(desc + at, '\0', descsz - at) : NULL;

		if (!nul)
			return bl_fail(err, ENOEXEC, "USDT note: its %s string does not end inside the note",
				       i == 0 ? "provider" : i == 1 ? "name" : "arguments");
		strs[i] = (const char *)desc + at;
		at = (size_t)(nul - desc) + 1;
	}
	if (!strs[0][0] || !strs[1][0])
		return bl_fail(err, ENOEXEC, "USDT note with an empty %s", strs[0][0] ? "name" : "provider");
	note->provider = strs[0];
	note->name = strs[1];
	note->args = strs[2];
	return 0;
}

/* The probe's addresses corrected for prelink, and their file offsets. */
static int place_probe(const struct bl_elf *elf, const char *path, uint64_t base_addr,
		       struct bl_usdt_probe *p, struct bl_err *err)
{
	uint64_t shift = base_addr && p->note.base ? base_addr - p->note.base : 0;
	int ret;

	p->vaddr = p->note.pc + shift;
	ret = bl_elf_vaddr_to_offset(elf, p->vaddr, 1, &p->offset, NULL, err);
	if (ret)
		return bl_err_context(err, "%s: USDT probe %s:%s", path, p->note.provider, p->note.name);
	if (!p->note.semaphore)
		return 0;
	p->sema_vaddr = p->note.semaphore + shift;
	ret = bl_elf_vaddr_to_offset(elf, p->sema_vaddr, 0, &p->sema_offset, NULL, err);
	if (ret)
		return bl_err_context(err, "%s: the semaphore of USDT probe %s:%s", path,
				      p->note.provider, p->note.name);
	return 0;
}

static int push(struct bl_usdt_probe **probes, size_t *count, size_t *cap,
		const struct bl_usdt_note *note, struct bl_err *err)
{
	if (*count == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		struct bl_usdt_probe *bigger = realloc(*probes, n * sizeof(**probes));

		if (!bigger)
			return bl_fail(err, ENOMEM, "out of memory for %zu USDT probes", n);
		*probes = bigger;
		*cap = n;
	}
	memset(&(*probes)[*count], 0, sizeof(**probes));
	(*probes)[(*count)++].note = *note;
	return 0;
}

/* "provider:name" of up to a few probes, without repeats. */
static void list_probes(const struct bl_elf_section *sec, char *out, size_t size)
{
	struct bl_elf_note n;
	struct bl_usdt_note u, seen[8];
	size_t pos = 0, len = 0, nseen = 0, i, total = 0;

	out[0] = '\0';
	while (bl_elf_next_note(sec, &pos, &n, NULL) == 1) {
		if (n.type != BL_USDT_NOTE_TYPE || strcmp(n.name, BL_USDT_NOTE_NAME) ||
		    bl_usdt_decode_note(n.desc, n.descsz, &u, NULL))
			continue;
		for (i = 0; i < nseen; i++)
			if (!strcmp(seen[i].provider, u.provider) && !strcmp(seen[i].name, u.name))
				break;
		if (i < nseen)
			continue;
		total++;
		if (nseen < sizeof(seen) / sizeof(seen[0])) {
			seen[nseen++] = u;
			if (len < size)
				len += (size_t)snprintf(out + len, size - len, "%s%s:%s", nseen > 1 ? ", " : "",
							u.provider, u.name);
		}
	}
	if (total > nseen && len < size)
		snprintf(out + len, size - len, " and %zu more", total - nseen);
}

int bl_usdt_find_probes(const struct bl_elf *elf, const char *path, const char *provider,
			const char *name, struct bl_usdt_probe **probes, size_t *count,
			struct bl_err *err)
{
	struct bl_elf_section notes, base;
	struct bl_elf_note n;
	struct bl_usdt_note u;
	size_t index = bl_elf_find_section(elf, BL_USDT_NOTE_SECTION), base_index, pos = 0, cap = 0, i;
	uint64_t base_addr = 0;
	char have[256];
	int ret;

	*probes = NULL;
	*count = 0;
	if (!index)
		return bl_fail(err, ENOENT, "%s has no USDT probes (no %s section)", path, BL_USDT_NOTE_SECTION);
	bl_elf_section(elf, index, &notes);
	base_index = bl_elf_find_section(elf, BL_USDT_BASE_SECTION);
	if (base_index) {
		bl_elf_section(elf, base_index, &base);
		base_addr = base.addr;
	}
	while ((ret = bl_elf_next_note(&notes, &pos, &n, err)) == 1) {
		if (n.type != BL_USDT_NOTE_TYPE || strcmp(n.name, BL_USDT_NOTE_NAME) != 0)
			continue;	/* other owners' notes may share the section */
		ret = bl_usdt_decode_note(n.desc, n.descsz, &u, err);
		if (ret)
			break;
		if ((provider && strcmp(u.provider, provider)) || (name && strcmp(u.name, name)))
			continue;
		ret = push(probes, count, &cap, &u, err);
		if (ret)
			break;
	}
	if (ret < 0)
		bl_err_context(err, "%s", path);
	for (i = 0; ret == 0 && i < *count; i++)
		ret = place_probe(elf, path, base_addr, &(*probes)[i], err);
	if (ret < 0) {
		free(*probes);
		*probes = NULL;
		*count = 0;
		return ret;
	}
	if (*count == 0) {
		list_probes(&notes, have, sizeof(have));
		return bl_fail(err, ENOENT, "no USDT probe %s:%s in %s%s%s", provider ? provider : "*",
			       name ? name : "*", path, have[0] ? "; it has " : "", have);
	}
	return 0;
}
