/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_builder.h - writing small BTF blobs by hand for tests: types the
 * compiler would not emit (ENUM64 with clang 14), kernels that do not
 * exist (two candidates of one name), split BTF of a pretend module, and
 * access strings no compiler writes.
 *
 * Types are appended in order (the first is id start_id); strings are
 * interned.  bb_blob() gives header + types + strings.
 */
#ifndef BTF_BUILDER_H
#define BTF_BUILDER_H

#include <linux/btf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bb {
	uint32_t words[8192];
	size_t nwords;
	char strs[16384];
	size_t nstrs;
	uint32_t next_id;	/* id of the next type */
	uint32_t str_base;	/* split BTF: the base's string bytes */
};

/* base_types: 0 for a base BTF, else the base's type count (split BTF). */
static inline void bb_init(struct bb *b, uint32_t base_types, uint32_t base_strs)
{
	memset(b, 0, sizeof(*b));
	b->next_id = base_types ? base_types : 1;
	b->str_base = base_strs;
	b->nstrs = base_types ? 0 : 1;	/* a base starts with "" */
}

static inline uint32_t bb_str(struct bb *b, const char *s)
{
	size_t len = strlen(s) + 1, off;

	if (!*s)
		return 0;
	for (off = 0; off + len <= b->nstrs; off++)
		if (memcmp(b->strs + off, s, len) == 0 && (off == 0 || b->strs[off - 1] == '\0'))
			return (uint32_t)(b->str_base + off);
	memcpy(b->strs + b->nstrs, s, len);
	b->nstrs += len;
	return (uint32_t)(b->str_base + b->nstrs - len);
}

static inline void bb_word(struct bb *b, uint32_t w)
{
	b->words[b->nwords++] = w;
}

static inline uint32_t bb_type(struct bb *b, const char *name, unsigned int kind, uint32_t vlen,
			       int kflag, uint32_t size_or_type)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, ((uint32_t)kflag << 31) | ((uint32_t)kind << 24) | vlen);
	bb_word(b, size_or_type);
	return b->next_id++;
}

static inline uint32_t bb_int(struct bb *b, const char *name, uint32_t bytes, int is_signed)
{
	uint32_t id = bb_type(b, name, BTF_KIND_INT, 0, 0, bytes);

	bb_word(b, (is_signed ? BTF_INT_SIGNED << 24 : 0) | bytes * 8);
	return id;
}

/* A struct or union: then bb_member() vlen times. */
static inline uint32_t bb_struct(struct bb *b, const char *name, int is_union, uint32_t vlen,
				 uint32_t size, int kflag)
{
	return bb_type(b, name, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT, vlen, kflag, size);
}

static inline void bb_member(struct bb *b, const char *name, uint32_t type, uint32_t bit_off,
			     uint32_t bitfield_size)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, type);
	bb_word(b, bitfield_size << 24 | bit_off);
}

static inline uint32_t bb_array(struct bb *b, uint32_t elem, uint32_t index_type, uint32_t nelems)
{
	uint32_t id = bb_type(b, "", BTF_KIND_ARRAY, 0, 0, 0);

	bb_word(b, elem);
	bb_word(b, index_type);
	bb_word(b, nelems);
	return id;
}

static inline uint32_t bb_ptr(struct bb *b, uint32_t to)
{
	return bb_type(b, "", BTF_KIND_PTR, 0, 0, to);
}

/* An ENUM (then bb_enumval() vlen times) or ENUM64 (bb_enum64val()). */
static inline uint32_t bb_enum(struct bb *b, const char *name, int is64, uint32_t vlen, uint32_t size,
			       int is_signed)
{
	return bb_type(b, name, is64 ? 19 : BTF_KIND_ENUM, vlen, is_signed, size);
}

static inline void bb_enumval(struct bb *b, const char *name, int32_t val)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, (uint32_t)val);
}

static inline void bb_enum64val(struct bb *b, const char *name, uint64_t val)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, (uint32_t)val);
	bb_word(b, (uint32_t)(val >> 32));
}

/* Header, types, strings, malloc'd. */
static inline unsigned char *bb_blob(const struct bb *b, size_t *size)
{
	uint32_t hdr[6] = { 0, 24, 0, (uint32_t)(b->nwords * 4), (uint32_t)(b->nwords * 4),
			    (uint32_t)b->nstrs };
	uint16_t magic = BTF_MAGIC;
	unsigned char *blob;

	*size = 24 + b->nwords * 4 + b->nstrs;
	blob = malloc(*size);
	if (!blob)
		return NULL;
	memcpy(hdr, &magic, 2);
	((unsigned char *)hdr)[2] = BTF_VERSION;
	memcpy(blob, hdr, 24);
	memcpy(blob + 24, b->words, b->nwords * 4);
	memcpy(blob + 24 + b->nwords * 4, b->strs, b->nstrs);
	return blob;
}

#endif
