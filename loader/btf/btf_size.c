// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf_size.c - following a type through typedefs and qualifiers, and
 * the size and alignment C gives it.
 *
 * Syscalls: none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

static int is_modifier(unsigned int kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

uint32_t bl_btf_skip_modifiers(const struct bl_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		t = bl_btf_type(btf, id);
		if (!t || !is_modifier(bl_btf_kind(t)))
			break;
		id = t->type;
	}
	return id;
}

/* " name" for messages, or nothing for anonymous types: two arguments. */
#define SP_NAME(btf, id) (*bl_btf_type_name(btf, id) ? " " : ""), bl_btf_type_name(btf, id)

static int no_such_type(uint32_t id, struct bl_err *err)
{
	return bl_fail(err, EINVAL, "BTF type %u does not exist", id);
}

static int too_deep(const struct bl_btf *btf, uint32_t id, struct bl_err *err)
{
	return bl_fail(err, ELOOP, "BTF type [%u]%s%s: more than %d typedefs, qualifiers or arrays in a row (a loop?)",
		       id, SP_NAME(btf, id), MAX_DEPTH);
}

int bl_btf_resolve_size(const struct bl_btf *btf, uint32_t id, uint32_t *size,
			struct bl_err *err)
{
	uint64_t nelems = 1, total;
	uint32_t start = id;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		if (!t)
			return no_such_type(id, err);
		switch (bl_btf_kind(t)) {
		case BTF_KIND_INT: case BTF_KIND_ENUM: case KIND_ENUM64: case BTF_KIND_FLOAT:
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC:
			total = nelems * t->size;
			goto done;
		case BTF_KIND_PTR:
			total = nelems * 8;	/* BPF pointers are 64 bits */
			goto done;
		case BTF_KIND_ARRAY:
			nelems *= bl_btf_array(t)->nelems;
			if (nelems > UINT32_MAX)
				goto overflow;
			id = bl_btf_array(t)->type;
			break;
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
			id = t->type;
			break;
		default:
			return bl_fail(err, EINVAL, "BTF type [%u]%s%s: it is %s, which has no size",
				       start, SP_NAME(btf, start),
				       id ? bl_btf_kind_str(bl_btf_kind(t)) : "void");
		}
	}
	return too_deep(btf, start, err);
done:
	if (total > UINT32_MAX)
		goto overflow;
	*size = (uint32_t)total;
	return 0;
overflow:
	return bl_fail(err, E2BIG, "BTF type [%u]%s%s: its size does not fit in 32 bits",
		       start, SP_NAME(btf, start));
}

/* Alignment walks nested structs; a budget of steps keeps a hostile BTF
 * (each struct holding two of the next) from taking forever. */
struct align_walk {
	uint32_t steps_left;
};

static int align_of(const struct bl_btf *btf, uint32_t id, uint32_t *align, int depth,
		    struct align_walk *w, struct bl_err *err);

/* The largest member alignment; 1 when a member sits where its alignment
 * says it cannot (a packed struct). */
static int struct_align(const struct bl_btf *btf, const struct btf_type *t, uint32_t *align,
			int depth, struct align_walk *w, struct bl_err *err)
{
	uint32_t i, a, max = 1;
	int ret;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		ret = align_of(btf, bl_btf_members(t)[i].type, &a, depth + 1, w, err);
		if (ret)
			return ret;
		if (!bl_btf_member_bitfield_size(t, i) && bl_btf_member_bit_offset(t, i) % (a * 8)) {
			*align = 1;
			return 0;
		}
		if (a > max)
			max = a;
	}
	*align = t->size % max ? 1 : max;
	return 0;
}

static int align_of(const struct bl_btf *btf, uint32_t id, uint32_t *align, int depth,
		    struct align_walk *w, struct bl_err *err)
{
	const struct btf_type *t;
	uint32_t size;
	int ret;

	for (; depth < MAX_NESTING; depth++) {
		t = bl_btf_type(btf, id);
		if (!t)
			return no_such_type(id, err);
		if (w->steps_left-- == 0)
			return bl_fail(err, E2BIG, "BTF type [%u]: too many nested members to find its alignment", id);
		switch (bl_btf_kind(t)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			return struct_align(btf, t, align, depth, w, err);
		case BTF_KIND_ARRAY:
			id = bl_btf_array(t)->type;
			continue;
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
			id = t->type;
			continue;
		}
		if ((ret = bl_btf_resolve_size(btf, id, &size, err)))
			return ret;
		/* scalars align to their size, up to 8 on BPF */
		for (*align = 1; *align < size && *align < 8; *align *= 2)
			;
		return 0;
	}
	return bl_fail(err, ELOOP, "BTF type [%u]%s%s: members nest more than %d deep (a loop?)",
		       id, SP_NAME(btf, id), MAX_NESTING);
}

int bl_btf_resolve_align(const struct bl_btf *btf, uint32_t id, uint32_t *align,
			 struct bl_err *err)
{
	struct align_walk w = { 1u << 20 };

	return align_of(btf, id, align, 0, &w, err);
}
