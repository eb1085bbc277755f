// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_match.c - does a kernel type have what the object's type has?
 * No syscalls.
 *
 * Three questions, each libbpf's (relo_core.c) answered the same way:
 *   field relocations   can the spec's path of member names and array
 *                       indexes be walked in the kernel's type, with
 *                       compatible types at the end (fields_compat)?
 *   TYPE_EXISTS, _SIZE, are the types compatible: same kinds all the way
 *   TYPE_ID_TARGET      down through pointers, arrays and function
 *                       prototypes, names ignored below the root?
 *   TYPE_MATCHES        do they match: every local member exists in the
 *                       kernel's type with a matching type, integers of
 *                       the same size and sign, enums with the same
 *                       enumerator names, arrays of the same length?
 * Enum value relocations look for an enumerator of the same essential
 * name.  The kernel's BTF may be a user's file: every id is checked, and
 * recursion is bounded.
 */
#include "btf/core.h"

#include <errno.h>
#include <string.h>

#include "btf/btf_names.h"

/* libbpf's bound on nesting through pointers, arrays and prototypes. */
#define MAX_LEVEL 32

static int is_composite(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_STRUCT || bl_btf_kind(t) == BTF_KIND_UNION;
}

static int is_any_enum(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_ENUM || bl_btf_kind(t) == BTF_KIND_ENUM64;
}

int bl_core_kinds_compat(const struct btf_type *l, const struct btf_type *t)
{
	return bl_btf_kind(l) == bl_btf_kind(t) || (is_any_enum(l) && is_any_enum(t));
}

/* Skip modifiers and typedefs; NULL for a bad id. */
static const struct btf_type *skip(const struct bl_btf *btf, uint32_t id, uint32_t *out)
{
	*out = bl_btf_skip_modifiers(btf, id);
	return bl_btf_type(btf, *out);
}

static const char *name_of(const struct bl_btf *btf, uint32_t name_off)
{
	const char *s = bl_btf_name(btf, name_off);

	return s ? s : "";
}

/* Same essential names; libbpf also lets an anonymous one match anything
 * (for_fields) or only another anonymous one (otherwise). */
static int names_match(const char *a, const char *b)
{
	size_t la = bl_btf_essential_name_len(a), lb = bl_btf_essential_name_len(b);

	return la == lb && strncmp(a, b, la) == 0;
}

static int int_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(bl_btf_int_info(t));
}

/* ---- type compatibility (TYPE_EXISTS, TYPE_SIZE, TYPE_ID_TARGET) ---------- */

static int types_compat(const struct bl_btf *lb, uint32_t lid, const struct bl_btf *tb,
			uint32_t tid, int level)
{
	const struct btf_type *l = bl_btf_type(lb, lid), *t = bl_btf_type(tb, tid);
	int depth, ret;
	uint32_t i;

	if (!l || !t)
		return -EINVAL;
	if (!bl_core_kinds_compat(l, t))
		return 0;
	for (depth = 0; depth < MAX_LEVEL; depth++) {
		l = skip(lb, lid, &lid);
		t = skip(tb, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!bl_core_kinds_compat(l, t))
			return 0;
		switch (bl_btf_kind(l)) {
		case BTF_KIND_UNKN: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_ENUM: case BTF_KIND_FWD: case BTF_KIND_ENUM64:
			return 1;
		case BTF_KIND_INT:
			/* bitfield-like integers are deprecated: refused */
			return int_offset(l) == 0 && int_offset(t) == 0;
		case BTF_KIND_PTR:
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = bl_btf_array(l)->type;
			tid = bl_btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (bl_btf_vlen(l) != bl_btf_vlen(t))
				return 0;
			for (i = 0; i < bl_btf_vlen(l); i++) {
				if (level <= 0)
					return -EINVAL;
				ret = types_compat(lb, bl_btf_skip_modifiers(lb, bl_btf_params(l)[i].type), tb,
						   bl_btf_skip_modifiers(tb, bl_btf_params(t)[i].type), level - 1);
				if (ret <= 0)
					return ret;
			}
			lid = l->type;
			tid = t->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bl_core_types_compat(const struct bl_btf *local, uint32_t local_id, const struct bl_btf *targ,
			 uint32_t targ_id)
{
	return types_compat(local, local_id, targ, targ_id, MAX_LEVEL);
}

/* ---- type matching (TYPE_MATCHES) -------------------------------------------- */

static int types_match(const struct bl_btf *lb, uint32_t lid, const struct bl_btf *tb, uint32_t tid,
		       int behind_ptr, int level);

/* A name matches when both are anonymous or both have the same essential name. */
static int member_names_match(const struct bl_btf *lb, uint32_t loff, const struct bl_btf *tb,
			      uint32_t toff)
{
	const char *l = name_of(lb, loff), *t = name_of(tb, toff);

	if (!*t)
		return !*l;
	return names_match(l, t);
}

static int enums_match(const struct bl_btf *lb, const struct btf_type *l, const struct bl_btf *tb,
		       const struct btf_type *t)
{
	uint32_t i, j;

	if (l->size != t->size || bl_btf_vlen(l) > bl_btf_vlen(t))
		return 0;
	for (i = 0; i < bl_btf_vlen(l); i++) {
		for (j = 0; j < bl_btf_vlen(t); j++)
			if (member_names_match(lb, bl_btf_enum_name_off(l, i), tb, bl_btf_enum_name_off(t, j)))
				break;
		if (j == bl_btf_vlen(t))
			return 0;
	}
	return 1;
}

static int composites_match(const struct bl_btf *lb, const struct btf_type *l, const struct bl_btf *tb,
			    const struct btf_type *t, int behind_ptr, int level)
{
	uint32_t i, j;
	int ret;

	if (bl_btf_vlen(l) > bl_btf_vlen(t))
		return 0;
	for (i = 0; i < bl_btf_vlen(l); i++) {
		const struct btf_member *lm = &bl_btf_members(l)[i];

		for (j = 0; j < bl_btf_vlen(t); j++) {
			const struct btf_member *tm = &bl_btf_members(t)[j];

			if (!member_names_match(lb, lm->name_off, tb, tm->name_off))
				continue;
			ret = types_match(lb, lm->type, tb, tm->type, behind_ptr, level - 1);
			if (ret < 0)
				return ret;
			if (ret > 0)
				break;
		}
		if (j == bl_btf_vlen(t))
			return 0;
	}
	return 1;
}

/* FWD against STRUCT/UNION: a FWD's kind_flag says union (1) or struct (0). */
static int fwd_match(const struct btf_type *l, const struct btf_type *t, int behind_ptr)
{
	unsigned int tk = bl_btf_kind(t);

	if (tk == BTF_KIND_FWD)
		return bl_btf_kflag(l) == bl_btf_kflag(t);
	if (!behind_ptr)
		return 0;
	return (tk == BTF_KIND_STRUCT && !bl_btf_kflag(l)) || (tk == BTF_KIND_UNION && bl_btf_kflag(l));
}

static int composite_kind_match(const struct bl_btf *lb, const struct btf_type *l, const struct bl_btf *tb,
				const struct btf_type *t, int behind_ptr, int level)
{
	unsigned int lk = bl_btf_kind(l), tk = bl_btf_kind(t);

	if (behind_ptr) {
		if (lk == tk)
			return 1;
		return tk == BTF_KIND_FWD && (lk == BTF_KIND_UNION) == bl_btf_kflag(t);
	}
	return lk == tk ? composites_match(lb, l, tb, t, 0, level) : 0;
}

static int types_match(const struct bl_btf *lb, uint32_t lid, const struct bl_btf *tb, uint32_t tid,
		       int behind_ptr, int level)
{
	const struct btf_type *l, *t;
	uint32_t i;
	int depth, ret;

	if (level <= 0)
		return -EINVAL;
	for (depth = 0; depth < MAX_LEVEL; depth++) {
		l = skip(lb, lid, &lid);
		t = skip(tb, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!member_names_match(lb, l->name_off, tb, t->name_off))
			return 0;
		switch (bl_btf_kind(l)) {
		case BTF_KIND_UNKN:
			return bl_btf_kind(t) == BTF_KIND_UNKN;
		case BTF_KIND_FWD:
			return fwd_match(l, t, behind_ptr);
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			return is_any_enum(t) && enums_match(lb, l, tb, t);
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			return composite_kind_match(lb, l, tb, t, behind_ptr, level);
		case BTF_KIND_INT:
			return bl_btf_kind(t) == BTF_KIND_INT && l->size == t->size &&
			       (BTF_INT_ENCODING(bl_btf_int_info(l)) & BTF_INT_SIGNED) ==
				       (BTF_INT_ENCODING(bl_btf_int_info(t)) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (bl_btf_kind(t) != BTF_KIND_PTR)
				return 0;
			behind_ptr = 1;
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (bl_btf_kind(t) != BTF_KIND_ARRAY ||
			    bl_btf_array(l)->nelems != bl_btf_array(t)->nelems)
				return 0;
			lid = bl_btf_array(l)->type;
			tid = bl_btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (bl_btf_kind(t) != BTF_KIND_FUNC_PROTO || bl_btf_vlen(l) != bl_btf_vlen(t))
				return 0;
			for (i = 0; i < bl_btf_vlen(l); i++) {
				ret = types_match(lb, bl_btf_params(l)[i].type, tb, bl_btf_params(t)[i].type,
						  behind_ptr, level - 1);
				if (ret <= 0)
					return ret;
			}
			lid = l->type;
			tid = t->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int bl_core_types_match(const struct bl_btf *local, uint32_t local_id, const struct bl_btf *targ,
			uint32_t targ_id)
{
	return types_match(local, local_id, targ, targ_id, 0, MAX_LEVEL);
}

/* ---- field paths -------------------------------------------------------------- */

/* Could a field of local type lid be read as one of kernel type tid?
 * Structs and unions mix freely, pointers and floats always fit, enums
 * and FWDs need the same essential name (or an anonymous side), integers
 * any size or sign (but not deprecated bitfield integers), arrays
 * compatible elements. */
static int fields_compat(const struct bl_btf *lb, uint32_t lid, const struct bl_btf *tb, uint32_t tid)
{
	int depth;

	for (depth = 0; depth < MAX_LEVEL; depth++) {
		const struct btf_type *l = skip(lb, lid, &lid), *t = skip(tb, tid, &tid);
		const char *ln, *tn;

		if (!l || !t)
			return -EINVAL;
		if (is_composite(l) && is_composite(t))
			return 1;
		if (!bl_core_kinds_compat(l, t))
			return 0;
		switch (bl_btf_kind(l)) {
		case BTF_KIND_PTR: case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			ln = name_of(lb, l->name_off);
			tn = name_of(tb, t->name_off);
			return !bl_btf_essential_name_len(ln) || !bl_btf_essential_name_len(tn) ||
			       names_match(ln, tn);
		case BTF_KIND_INT:
			return int_offset(l) == 0 && int_offset(t) == 0;
		case BTF_KIND_ARRAY:
			lid = bl_btf_array(l)->type;
			tid = bl_btf_array(t)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* Find the member the local accessor names inside kernel type tid,
 * looking through anonymous members (depth first, as libbpf does), and
 * extend out's steps and bit offset on the way.  1 found (and compatible),
 * 0 not, negative on error. */
static int match_member(const struct bl_core_spec *local, const struct bl_core_access *lacc,
			const struct bl_btf *tb, uint32_t tid, struct bl_core_spec *out,
			uint32_t *next, int level)
{
	const struct btf_type *lt = bl_btf_type(local->btf, lacc->type_id), *t = skip(tb, tid, &tid);
	const struct btf_member *lm;
	uint32_t i;
	int found;

	if (!t || !lt || level <= 0)
		return -EINVAL;
	if (!is_composite(t))
		return 0;
	lm = &bl_btf_members(lt)[lacc->idx];
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];
		uint32_t bit_off = bl_btf_member_bit_offset(t, i);
		const char *name = name_of(tb, m->name_off);

		if (out->raw_len == BL_CORE_SPEC_MAX)
			return -E2BIG;
		/* speculate that this member is the one */
		out->bit_offset += bit_off;
		out->raw[out->raw_len++] = i;
		if (!*name) {
			found = match_member(local, lacc, tb, m->type, out, next, level - 1);
			if (found)
				return found;
		} else if (strcmp(lacc->name, name) == 0) {
			out->acc[out->len++] = (struct bl_core_access){ tid, i, name };
			*next = m->type;
			found = fields_compat(local->btf, lm->type, tb, m->type);
			if (found <= 0)
				out->len--;
			return found;
		}
		out->bit_offset -= bit_off;
		out->raw_len--;
	}
	return 0;
}

static int match_enumval(const struct bl_core_spec *local, const struct bl_btf *tb, uint32_t tid,
			 struct bl_core_spec *out)
{
	const struct btf_type *t = skip(tb, tid, &tid);
	const char *want = local->acc[0].name;
	size_t len = bl_btf_essential_name_len(want);
	uint32_t i;

	if (!t)
		return -EINVAL;
	if (!is_any_enum(t))
		return 0;
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const char *name = name_of(tb, bl_btf_enum_name_off(t, i));

		if (bl_btf_essential_name_len(name) == len && strncmp(want, name, len) == 0) {
			out->acc[0] = (struct bl_core_access){ tid, i, name };
			out->len = 1;
			out->raw[0] = i;
			out->raw_len = 1;
			return 1;
		}
	}
	return 0;
}

/* A flexible array (no elements) is the last member of the struct the
 * previous accessor named; any index fits it. */
static int is_flex_array(const struct bl_btf *tb, const struct bl_core_spec *out,
			 const struct btf_array *a)
{
	const struct bl_core_access *prev = out->len ? &out->acc[out->len - 1] : NULL;
	const struct btf_type *t;

	if (!prev || !prev->name || a->nelems > 0)
		return 0;
	t = bl_btf_type(tb, prev->type_id);
	return t && prev->idx + 1 == bl_btf_vlen(t);
}

/* An array index step in the kernel's type; the root step (first) is an
 * index into the pointer, not into an array. */
static int match_index(const struct bl_btf *tb, const struct bl_core_access *lacc, uint32_t *tid,
		       const struct btf_type *t, int first, struct bl_core_spec *out)
{
	uint32_t size;

	if (!first) {
		if (bl_btf_kind(t) != BTF_KIND_ARRAY)
			return 0;
		if (!is_flex_array(tb, out, bl_btf_array(t)) && lacc->idx >= bl_btf_array(t)->nelems)
			return 0;
		*tid = bl_btf_skip_modifiers(tb, bl_btf_array(t)->type);
		if (!bl_btf_type(tb, *tid))
			return -EINVAL;
	}
	if (out->raw_len == BL_CORE_SPEC_MAX)
		return -E2BIG;
	out->acc[out->len++] = (struct bl_core_access){ *tid, lacc->idx, NULL };
	out->raw[out->raw_len++] = lacc->idx;
	if (bl_btf_resolve_size(tb, *tid, &size, NULL))
		return -EINVAL;
	out->bit_offset += (uint64_t)lacc->idx * size * 8;
	return 1;
}

static int match_field(const struct bl_core_spec *local, const struct bl_btf *tb, uint32_t tid,
		       struct bl_core_spec *out)
{
	uint32_t i;
	int ret;

	for (i = 0; i < local->len; i++) {
		const struct bl_core_access *lacc = &local->acc[i];
		const struct btf_type *t = skip(tb, tid, &tid);

		if (!t)
			return -EINVAL;
		if (lacc->name)
			ret = match_member(local, lacc, tb, tid, out, &tid, MAX_LEVEL * 8);
		else
			ret = match_index(tb, lacc, &tid, t, i == 0, out);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

int bl_core_spec_match(const struct bl_core_spec *local, const struct bl_btf *targ,
		       uint32_t targ_id, struct bl_core_spec *out, struct bl_err *err)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->btf = targ;
	out->root_id = targ_id;
	out->kind = local->kind;
	if (local->kind == BPF_CORE_TYPE_MATCHES)
		ret = bl_core_types_match(local->btf, local->root_id, targ, targ_id);
	else if (bl_core_kind_is_type(local->kind))
		ret = bl_core_types_compat(local->btf, local->root_id, targ, targ_id);
	else if (bl_core_kind_is_enumval(local->kind))
		ret = match_enumval(local, targ, targ_id, out);
	else
		ret = match_field(local, targ, targ_id, out);
	if (ret < 0)
		return bl_fail(err, -ret, "matching %s [%u] %s failed: %s", bl_core_kind_str(local->kind),
			       targ_id, bl_btf_type_name(targ, targ_id),
			       ret == -E2BIG ? "the path is too long" : "its types are malformed or nest too deep");
	return ret;
}
