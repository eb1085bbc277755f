// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf_sanitize.c - a copy of a blob that a kernel lacking some BTF
 * kinds accepts (what each kind becomes: bl_btf_sanitize in
 * btf/btf_load.h).
 *
 * Syscalls: none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"
#include "btf/btf_load.h"

/* Rewrite a record of 12 + 4 bytes (VAR, DECL_TAG) as a 1-byte INT. */
static void make_byte_int(struct btf_type *t)
{
	t->info = bl_btf_info_word(BTF_KIND_INT, 0, 0);
	t->size = 1;
	*(uint32_t *)(t + 1) = 8;	/* 8 bits, no encoding */
}

/* DATASEC -> anonymous STRUCT whose members name the (now INT) VARs. */
static void datasec_to_struct(struct btf_type *t, const struct bl_btf *btf)
{
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(t + 1);
	struct btf_member *m = (struct btf_member *)(t + 1);
	uint32_t i;

	t->name_off = 0;	/* ".data" is no C name */
	t->info = bl_btf_info_word(BTF_KIND_STRUCT, bl_btf_vlen(t), 0);
	for (i = 0; i < bl_btf_vlen(t); i++) {
		struct btf_var_secinfo x = v[i];	/* same place, same size */

		m[i].name_off = bl_btf_type(btf, x.type)->name_off;
		m[i].type = x.type;
		m[i].offset = x.offset * 8;
	}
}

/* ENUM64 -> UNION of placeholder INTs (the values are lost). */
static void enum64_to_union(struct btf_type *t, uint32_t int_id)
{
	struct btf_member *m = (struct btf_member *)(t + 1);	/* same 12 bytes */
	uint32_t i;

	t->info = bl_btf_info_word(BTF_KIND_UNION, bl_btf_vlen(t), 0);
	for (i = 0; i < bl_btf_vlen(t); i++) {
		m[i].type = int_id;
		m[i].offset = 0;
	}
}

/* A DECL_TAG goes when the kernel knows no tags, or when its target is a
 * VAR that is about to become an INT, which the kernel does not let be
 * tagged. */
static void sanitize_decl_tag(struct bl_btf *btf, uint32_t id, unsigned int missing)
{
	struct btf_type *t = bl_btf_type_mut(btf, id);
	const struct btf_type *target = bl_btf_type(btf, t->type);

	if ((missing & BL_BTF_FEAT_DECL_TAG) ||
	    ((missing & BL_BTF_FEAT_DATASEC) && bl_btf_kind(target) == BTF_KIND_VAR))
		make_byte_int(t);
}

/* Rewrite type id as a kernel without `missing` accepts it. */
static void sanitize_type(struct bl_btf *btf, uint32_t id, unsigned int missing, uint32_t int_id)
{
	struct btf_type *t = bl_btf_type_mut(btf, id);

	switch (bl_btf_kind(t)) {
	case BTF_KIND_VAR:
		if (missing & BL_BTF_FEAT_DATASEC)
			make_byte_int(t);
		break;
	case BTF_KIND_DATASEC:
		if (missing & BL_BTF_FEAT_DATASEC)
			datasec_to_struct(t, btf);
		break;
	case BTF_KIND_FUNC_PROTO:
		if (missing & BL_BTF_FEAT_FUNC) {
			/* params {name, type} read as enum values {name, value} */
			t->info = bl_btf_info_word(BTF_KIND_ENUM, bl_btf_vlen(t), 0);
			t->size = 4;
		}
		break;
	case BTF_KIND_FUNC:
		if (missing & BL_BTF_FEAT_FUNC)
			t->info = bl_btf_info_word(BTF_KIND_TYPEDEF, 0, 0);
		else if ((missing & BL_BTF_FEAT_GLOBAL_FUNC) && bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL)
			t->info = bl_btf_info_word(BTF_KIND_FUNC, BTF_FUNC_STATIC, 0);
		break;
	case BTF_KIND_FLOAT:
		if (missing & BL_BTF_FEAT_FLOAT) {
			t->name_off = 0;	/* "float" is no struct name */
			t->info = bl_btf_info_word(BTF_KIND_STRUCT, 0, 0);
		}
		break;
	case BTF_KIND_TYPE_TAG:
		if (missing & BL_BTF_FEAT_TYPE_TAG) {
			t->name_off = 0;
			t->info = bl_btf_info_word(BTF_KIND_CONST, 0, 0);
		}
		break;
	case BTF_KIND_ENUM:
		if (missing & BL_BTF_FEAT_ENUM64)	/* signedness came with ENUM64 */
			t->info = bl_btf_info_word(BTF_KIND_ENUM, bl_btf_vlen(t), 0);
		break;
	case KIND_ENUM64:
		if (missing & BL_BTF_FEAT_ENUM64)
			enum64_to_union(t, int_id);
		break;
	}
}

struct bl_btf *bl_btf_sanitize(const struct bl_btf *btf, unsigned int missing,
			       struct bl_err *err)
{
	struct bl_btf *copy = bl_btf_parse(btf->data, btf->size, btf->base, err);
	uint32_t id, count, int_id = 0;

	if (!copy)
		return NULL;
	count = bl_btf_type_count(copy);
	if ((missing & BL_BTF_FEAT_ENUM64) && (bl_btf_features_used(copy) & BL_BTF_FEAT_ENUM64) &&
	    bl_btf_add_int(copy, "bl_enum64", 1, &int_id, err)) {
		bl_btf_free(copy);
		return NULL;
	}
	/* tags first: whether one survives depends on its target's kind
	 * before that is rewritten */
	for (id = copy->start_id; id < count; id++)
		if (bl_btf_kind(bl_btf_type(copy, id)) == BTF_KIND_DECL_TAG)
			sanitize_decl_tag(copy, id, missing);
	for (id = copy->start_id; id < count; id++)
		sanitize_type(copy, id, missing, int_id);
	return copy;
}

