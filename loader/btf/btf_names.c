// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_names.c - a by-name index of a BTF, filled only for the names that
 * are wanted.  No syscalls.
 *
 * Wanted names live in an open-addressing hash table (a power of two of
 * slots, at most half full).  A scan walks every type once: a bitmap of
 * first two characters and the wanted lengths reject almost every name before
 * it is hashed, so scanning vmlinux costs about as much as reading its
 * type headers.  A kernel name can only match a wanted name of length L
 * if it is L long, or has "___" at L (a flavor).
 */
#include "btf/btf_names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct wanted {
	char *name;		/* essential name, NUL-terminated copy */
	size_t len;
	uint32_t hash;
	int scanned;		/* ids hold every match */
	uint32_t *ids;
	uint32_t count, cap;
};

struct bl_btf_names {
	const struct bl_btf *btf;
	uint32_t kinds;		/* mask of 1 << BTF_KIND_* indexed */
	struct wanted *names;
	size_t count, cap;
	uint32_t *slots;	/* index into names + 1; 0 is empty */
	size_t nslots;
	uint64_t prefix[65536 / 64];	/* bit: some wanted name starts with these 2 bytes */
	uint32_t lens[64];	/* the distinct lengths of wanted names */
	size_t nlens;
	unsigned int scans;
};

/* FNV-1a: short names, no need for more. */
static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static unsigned int prefix_key(const char *s)
{
	return (unsigned char)s[0] | (s[0] ? (unsigned int)(unsigned char)s[1] << 8 : 0);
}

static int prefix_wanted(const struct bl_btf_names *names, const char *s)
{
	unsigned int k = prefix_key(s);

	return (names->prefix[k / 64] >> (k % 64)) & 1;
}

/* Could name (n bytes) have an essential name of a wanted length? */
static int length_may_match(const struct bl_btf_names *names, const char *name, size_t n)
{
	size_t i;

	if (names->nlens == sizeof(names->lens) / sizeof(names->lens[0]))
		return 1;	/* too many lengths to keep: no filter */
	for (i = 0; i < names->nlens; i++) {
		size_t l = names->lens[i];

		if (n == l || (n > l + 3 && name[l] == '_' && name[l + 1] == '_' && name[l + 2] == '_'))
			return 1;
	}
	return 0;
}

static void add_length(struct bl_btf_names *names, size_t len)
{
	size_t i;

	for (i = 0; i < names->nlens; i++)
		if (names->lens[i] == len)
			return;
	if (names->nlens < sizeof(names->lens) / sizeof(names->lens[0]))
		names->lens[names->nlens++] = (uint32_t)len;
}

/* libbpf's rule: "X___Y" where X and Y are not '_'. */
static size_t essential_len(const char *name, size_t n)
{
	size_t i;

	if (n < 5 || !strstr(name, "___"))
		return n;
	for (i = n - 4; i-- > 0;)
		if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' &&
		    name[i + 4] != '_')
			return i + 1;
	return n;
}

size_t bl_btf_essential_name_len(const char *name)
{
	return essential_len(name, strlen(name));
}

struct bl_btf_names *bl_btf_names_new(const struct bl_btf *btf, uint32_t kinds, struct bl_err *err)
{
	struct bl_btf_names *names = calloc(1, sizeof(*names));

	if (!names) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	names->btf = btf;
	names->kinds = kinds ? kinds : ~0u;
	return names;
}

void bl_btf_names_free(struct bl_btf_names *names)
{
	size_t i;

	if (!names)
		return;
	for (i = 0; i < names->count; i++) {
		free(names->names[i].name);
		free(names->names[i].ids);
	}
	free(names->names);
	free(names->slots);
	free(names);
}

/* The slot where name is, or the empty slot where it would go. */
static size_t probe(const struct bl_btf_names *names, const char *s, size_t len, uint32_t hash)
{
	size_t mask = names->nslots - 1, i = hash & mask;

	while (names->slots[i]) {
		const struct wanted *w = &names->names[names->slots[i] - 1];

		if (w->hash == hash && w->len == len && memcmp(w->name, s, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int grow_slots(struct bl_btf_names *names, struct bl_err *err)
{
	size_t n = names->nslots ? names->nslots * 2 : 64, i;
	uint32_t *old = names->slots;

	names->slots = calloc(n, sizeof(*names->slots));
	if (!names->slots) {
		names->slots = old;
		return bl_fail(err, ENOMEM, "out of memory");
	}
	names->nslots = n;
	for (i = 0; i < names->count; i++) {
		const struct wanted *w = &names->names[i];

		names->slots[probe(names, w->name, w->len, w->hash)] = (uint32_t)i + 1;
	}
	free(old);
	return 0;
}

/* The entry of essential name s[0..len), added when absent. */
static struct wanted *lookup(struct bl_btf_names *names, const char *s, size_t len, int add,
			     struct bl_err *err)
{
	uint32_t hash = hash_name(s, len);
	struct wanted *w;
	size_t slot;

	if (names->nslots && names->slots[slot = probe(names, s, len, hash)])
		return &names->names[names->slots[slot] - 1];
	if (!add)
		return NULL;
	if ((names->count + 1) * 2 > names->nslots && grow_slots(names, err))
		return NULL;
	if (names->count == names->cap) {
		size_t cap = names->cap ? names->cap * 2 : 16;
		struct wanted *more = realloc(names->names, cap * sizeof(*more));

		if (!more) {
			bl_fail(err, ENOMEM, "out of memory");
			return NULL;
		}
		names->names = more;
		names->cap = cap;
	}
	w = &names->names[names->count];
	memset(w, 0, sizeof(*w));
	w->name = strndup(s, len);
	if (!w->name) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	w->len = len;
	w->hash = hash;
	names->slots[probe(names, s, len, hash)] = (uint32_t)++names->count;
	names->prefix[prefix_key(w->name) / 64] |= 1ull << (prefix_key(w->name) % 64);
	add_length(names, len);
	return w;
}

int bl_btf_names_want(struct bl_btf_names *names, const char *name, struct bl_err *err)
{
	size_t len = bl_btf_essential_name_len(name);

	if (len == 0)
		return 0;	/* anonymous types are never looked up by name */
	return lookup(names, name, len, 1, err) ? 0 : -err->code;
}

static int add_id(struct wanted *w, uint32_t id, struct bl_err *err)
{
	if (w->count == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 4;
		uint32_t *more = realloc(w->ids, cap * sizeof(*more));

		if (!more)
			return bl_fail(err, ENOMEM, "out of memory");
		w->ids = more;
		w->cap = cap;
	}
	w->ids[w->count++] = id;
	return 0;
}

/* One pass over the types for every name not scanned for yet. */
static int scan(struct bl_btf_names *names, struct bl_err *err)
{
	uint32_t id, count = bl_btf_type_count(names->btf);
	size_t i;

	names->scans++;
	for (id = bl_btf_start_id(names->btf); id < count; id++) {
		const struct btf_type *t = bl_btf_type(names->btf, id);
		/* the kind first: it shares a cache line with name_off, the name
		 * (a read at random into the strings) is skipped for most types */
		const char *name = t && t->name_off && (names->kinds >> bl_btf_kind(t) & 1) ?
				   bl_btf_name(names->btf, t->name_off) : NULL;
		struct wanted *w;
		size_t len;

		if (!name || !prefix_wanted(names, name))
			continue;
		len = strlen(name);
		if (!length_may_match(names, name, len))
			continue;
		w = lookup(names, name, essential_len(name, len), 0, err);
		if (w && !w->scanned && add_id(w, id, err))
			return -err->code;
	}
	for (i = 0; i < names->count; i++)
		names->names[i].scanned = 1;
	return 0;
}

int bl_btf_names_find(struct bl_btf_names *names, const char *name, const uint32_t **ids,
		      uint32_t *count, struct bl_err *err)
{
	size_t len = bl_btf_essential_name_len(name);
	struct wanted *w;

	*ids = NULL;
	*count = 0;
	if (len == 0)
		return 0;
	w = lookup(names, name, len, 1, err);
	if (!w)
		return -err->code;
	if (!w->scanned && scan(names, err))
		return -err->code;
	*ids = w->ids;
	*count = w->count;
	return 0;
}

unsigned int bl_btf_names_scans(const struct bl_btf_names *names)
{
	return names->scans;
}
