// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_decl.c - C declarators from BTF type chains: "TYPE NAME" for
 * a member, a parameter or a typedef.  No syscalls.
 *
 * C declarations read inside out ("int (*handlers[4])(void *)": an
 * array of four pointers to functions returning int), while BTF chains
 * run outside in: ARRAY -> PTR -> FUNC_PROTO -> INT.  dump_emit_decl()
 * collects the chain from the declared thing to its base type, writes
 * the base type first and then walks back out: pointers and their
 * qualifiers go on the left of the name, arrays and parameter lists on
 * its right, and an array or function met after a pointer puts what
 * came before in parentheses.  Qualifiers right outside the base type
 * go in front of it ("const char *"), others after the pointer they
 * qualify ("char * const").  Anonymous structs, unions and enums are
 * written inline, as their whole definition.
 */
#include <errno.h>

#include "btf/btf_dump_priv.h"

static const struct btf_type *type_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_type(d->btf, id);
}

static unsigned int kind_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_kind(type_of(d, id));
}

static int is_qualifier(unsigned int kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT;
}

/* Qualifiers right outside the base type go before it: "const char". */
static void emit_qualifiers(struct c_dump *d, const uint32_t *ids, int *n)
{
	for (; *n > 0; (*n)--) {
		unsigned int kind = kind_of(d, ids[*n - 1]);

		if (!is_qualifier(kind))
			return;
		dump_printf(d, "%s ", kind == BTF_KIND_CONST ? "const" :
			      kind == BTF_KIND_VOLATILE ? "volatile" : "restrict");
	}
}

/* Qualifiers on an array or a function type mean nothing in C (GCC
 * writes them for arrays of const elements, and for noreturn function
 * pointers): leave them out. */
static void drop_qualifiers(struct c_dump *d, const uint32_t *ids, int *n)
{
	while (*n > 0 && (is_qualifier(kind_of(d, ids[*n - 1])) ||
			  kind_of(d, ids[*n - 1]) == BTF_KIND_TYPE_TAG))
		(*n)--;
}

static void emit_name(struct c_dump *d, const char *name, int after_ptr)
{
	if (*name)
		dump_printf(d, "%s%s", after_ptr ? "" : " ", name);
}

static void emit_chain(struct c_dump *d, const uint32_t *ids, int n, const char *name, int lvl);

static void emit_array(struct c_dump *d, const struct btf_type *t, const uint32_t *ids, int n,
		       const char *name, int lvl, int after_ptr)
{
	int multidim;

	drop_qualifiers(d, ids, &n);
	if (n == 0) {
		emit_name(d, name, after_ptr);
		dump_printf(d, "[%u]", bl_btf_array(t)->nelems);
		return;
	}
	/* int (*p)[4], but int m[2][4] */
	multidim = kind_of(d, ids[n - 1]) == BTF_KIND_ARRAY;
	if (*name && !after_ptr)
		dump_printf(d, " ");
	dump_printf(d, "%s", multidim ? "" : "(");
	emit_chain(d, ids, n, name, lvl);
	dump_printf(d, "%s[%u]", multidim ? "" : ")", bl_btf_array(t)->nelems);
}

static void emit_params(struct c_dump *d, const struct btf_type *t, int lvl)
{
	const struct btf_param *p = bl_btf_params(t);
	uint32_t i, vlen = bl_btf_vlen(t);

	/* clang writes "f(void)" as one parameter of type void */
	if (vlen == 0 || (vlen == 1 && p[0].type == 0)) {
		dump_printf(d, "(void)");
		return;
	}
	dump_printf(d, "(");
	for (i = 0; i < vlen && !d->failed; i++) {
		if (i)
			dump_printf(d, ", ");
		if (i == vlen - 1 && p[i].type == 0) {
			dump_printf(d, "...");	/* a last parameter of type void: varargs */
			break;
		}
		dump_emit_decl(d, p[i].type, bl_btf_name(d->btf, p[i].name_off), lvl);
	}
	dump_printf(d, ")");
}

static void emit_proto(struct c_dump *d, const struct btf_type *t, const uint32_t *ids, int n,
		       const char *name, int lvl, int after_ptr)
{
	drop_qualifiers(d, ids, &n);
	if (n) {
		dump_printf(d, " (");
		emit_chain(d, ids, n, name, lvl);
		dump_printf(d, ")");
	} else {
		emit_name(d, name, after_ptr);
	}
	emit_params(d, t, lvl);
}

static void emit_base(struct c_dump *d, uint32_t id, const struct btf_type *t, int lvl)
{
	unsigned int kind = bl_btf_kind(t);

	switch (kind) {
	case BTF_KIND_UNKN:
		dump_printf(d, "void");
		break;
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		dump_printf(d, "%s", bl_btf_type_name(d->btf, id));
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (!t->name_off)
			dump_emit_struct_def(d, id, lvl);	/* anonymous: inline */
		else
			dump_printf(d, "%s %s", kind == BTF_KIND_STRUCT ? "struct" : "union",
				    dump_tag_name(d, id));
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (!t->name_off)
			dump_emit_enum_def(d, id, lvl);
		else
			dump_printf(d, "enum %s", dump_tag_name(d, id));
		break;
	case BTF_KIND_FWD:
		dump_printf(d, "%s %s", bl_btf_kflag(t) ? "union" : "struct", dump_tag_name(d, id));
		break;
	case BTF_KIND_TYPEDEF:
		dump_printf(d, "%s", dump_ident_name(d, id));
		break;
	}
}

/* ids[0..n) runs from the declared thing to its base type, ids[n-1]. */
static void emit_chain(struct c_dump *d, const uint32_t *ids, int n, const char *name, int lvl)
{
	int after_ptr = 1;	/* "int **p", not "int * * p" */

	while (n > 0 && !d->failed) {
		uint32_t id = ids[--n];
		const struct btf_type *t = type_of(d, id);
		unsigned int kind = bl_btf_kind(t);

		switch (kind) {
		case BTF_KIND_PTR:
			dump_printf(d, "%s", after_ptr ? "*" : " *");
			break;
		case BTF_KIND_CONST:
			dump_printf(d, " const");
			break;
		case BTF_KIND_VOLATILE:
			dump_printf(d, " volatile");
			break;
		case BTF_KIND_RESTRICT:
			dump_printf(d, " restrict");
			break;
		case BTF_KIND_TYPE_TAG:
			/* with kind_flag set, the tag is the text of a plain
			 * attribute, as newer kernels mark some annotations
			 * ("address_space(1)"); otherwise a btf_type_tag */
			emit_qualifiers(d, ids, &n);
			if (bl_btf_kflag(t))
				dump_printf(d, " __attribute__((%s))", bl_btf_type_name(d->btf, id));
			else
				dump_printf(d, " __attribute__((btf_type_tag(\"%s\")))", bl_btf_type_name(d->btf, id));
			break;
		case BTF_KIND_ARRAY:
			emit_array(d, t, ids, n, name, lvl, after_ptr);
			return;
		case BTF_KIND_FUNC_PROTO:
			emit_proto(d, t, ids, n, name, lvl, after_ptr);
			return;
		default:	/* the base type */
			emit_qualifiers(d, ids, &n);
			emit_base(d, id, t, lvl);
			break;
		}
		after_ptr = kind == BTF_KIND_PTR;
	}
	emit_name(d, name, after_ptr);
}

/* Follow id to its base type; returns the chain's length, or 0 on a
 * loop or a type that has no place in a declaration (d->err filled). */
static int build_chain(struct c_dump *d, uint32_t id, uint32_t *ids)
{
	int n = 0;

	for (;;) {
		const struct btf_type *t = type_of(d, id);

		if (n == DUMP_MAX_CHAIN)
			return dump_fail(d, ELOOP, "BTF type [%u]: more than %d pointers, qualifiers or arrays in a row (a loop?)",
					 ids[0], DUMP_MAX_CHAIN), 0;
		ids[n++] = id;
		if (id == 0)
			return n;
		switch (bl_btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_FUNC_PROTO:
			id = t->type;
			break;
		case BTF_KIND_ARRAY:
			id = bl_btf_array(t)->type;
			break;
		case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		case BTF_KIND_FWD: case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_TYPEDEF:
			return n;
		default:
			return dump_fail(d, EINVAL, "BTF type [%u] is used as the type of a member, parameter or typedef, but it is %s",
					 id, bl_btf_kind_str(bl_btf_kind(t))), 0;
		}
	}
}

/* "TYPE NAME" for a member, parameter or typedef of type id. */
void dump_emit_decl(struct c_dump *d, uint32_t id, const char *name, int lvl)
{
	uint32_t ids[DUMP_MAX_CHAIN];
	int n;

	if (d->failed)
		return;
	if (d->depth >= DUMP_MAX_NESTING) {
		dump_fail(d, ELOOP, "BTF type [%u]: declarations nest more than %d deep (a loop through anonymous types?)",
			  id, DUMP_MAX_NESTING);
		return;
	}
	n = build_chain(d, id, ids);
	if (!n)
		return;
	d->depth++;
	emit_chain(d, ids, n, name ? name : "", lvl);
	d->depth--;
}
