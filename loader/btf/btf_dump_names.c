// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_names.c - the names types are written with.  No syscalls.
 *
 * vmlinux BTF is one namespace for the whole kernel, but C units are
 * not: two files may each define their own "struct foo", and BTF keeps
 * both.  A header cannot, so the second one written becomes
 * "struct foo___2", the third "foo___3" (libbpf's convention, which CO-RE
 * also understands: it ignores a "___suffix" when it matches types).
 *
 * C has two namespaces to keep apart: tags (struct, union and enum
 * names) and ordinary identifiers (typedef names and enumerators share
 * one).  Each is a hash table counting how often a name has been used.
 * A type's name is decided the first time the writer needs it, so the
 * numbering follows the order of the output, as bpftool's does.  FWDs
 * and enums without values are declarations only, never definitions:
 * they keep their names and do not count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_dump_priv.h"

/* FNV-1a: short, and good enough for identifiers. */
static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct name_slot *find_slot(struct name_slot *slots, uint32_t cap, const char *name)
{
	uint32_t i = hash_name(name) & (cap - 1);

	/* linear probing; the table is never more than half full */
	while (slots[i].name && strcmp(slots[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct name_table *nt)
{
	uint32_t cap = nt->cap ? nt->cap * 2 : 1024, i;
	struct name_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < nt->cap; i++)
		if (nt->slots[i].name)
			*find_slot(slots, cap, nt->slots[i].name) = nt->slots[i];
	free(nt->slots);
	nt->slots = slots;
	nt->cap = cap;
	return 0;
}

/* Count one more use of name (a string that outlives the table);
 * returns the new count, or 0 when out of memory. */
static uint32_t count_use(struct c_dump *d, struct name_table *nt, const char *name)
{
	struct name_slot *s;

	if ((nt->used + 1) * 2 > nt->cap && grow(nt)) {
		dump_fail(d, ENOMEM, "out of memory for the names of %u BTF types", d->count);
		return 0;
	}
	s = find_slot(nt->slots, nt->cap, name);
	if (!s->name) {
		s->name = name;
		nt->used++;
	}
	return ++s->count;
}

uint32_t dump_count_ident(struct c_dump *d, const char *name)
{
	return count_use(d, &d->idents, name);
}

static const char *unique_name(struct c_dump *d, uint32_t id, struct name_table *nt)
{
	const struct btf_type *t = bl_btf_type(d->btf, id);
	const char *name = bl_btf_type_name(d->btf, id);
	struct dump_type *st = &d->types[id];
	uint32_t n;
	size_t len;

	if (!t->name_off)
		return "";
	if (st->name_done)
		return d->names[id] ? d->names[id] : name;
	st->name_done = 1;
	if (bl_btf_kind(t) == BTF_KIND_FWD ||
	    (bl_btf_kind(t) == BTF_KIND_ENUM && bl_btf_vlen(t) == 0))
		return name;
	n = count_use(d, nt, name);
	if (n <= 1)
		return name;
	len = strlen(name) + 16;
	d->names[id] = malloc(len);
	if (!d->names[id]) {
		dump_fail(d, ENOMEM, "out of memory for the name of BTF type [%u]", id);
		return name;
	}
	snprintf(d->names[id], len, "%s___%u", name, n);
	return d->names[id];
}

const char *dump_tag_name(struct c_dump *d, uint32_t id)
{
	return unique_name(d, id, &d->tags);
}

const char *dump_ident_name(struct c_dump *d, uint32_t id)
{
	return unique_name(d, id, &d->idents);
}

void dump_names_free(struct c_dump *d)
{
	uint32_t id;

	for (id = 0; d->names && id < d->count; id++)
		free(d->names[id]);
	free(d->names);
	free(d->tags.slots);
	free(d->idents.slots);
}
