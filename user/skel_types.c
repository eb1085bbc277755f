// SPDX-License-Identifier: BSD-2-Clause
/*
 * skel_types.c - C declarations of BTF types, for `bpfload gen skeleton`.
 *
 * A C declarator is written inside out: "char *names[4]" is an array of
 * four pointers to char, reached from the name by first the array, then
 * the pointer.  BTF chains types the same way (VAR -> ARRAY -> PTR -> INT),
 * so walking the chain from the variable builds the declarator around
 * its name: an ARRAY appends "[N]", a PTR prepends "*" (in parentheses
 * when an array or function follows, "(*p)[4]"), a qualifier goes in
 * front of the base type, or after the "*" it qualifies ("*const p").
 * The walk ends at a base type: a name (int, a typedef, struct point),
 * or, for an anonymous struct, union or enum, its body.
 *
 * Struct bodies are laid out from BTF's bit offsets: where C's natural
 * alignment would not put a member where BTF says, "char __padN[k]"
 * fills the gap (or an unnamed bitfield, between bitfields), and a
 * member below its alignment makes the struct packed.  Every definition
 * is followed by a _Static_assert of its size, so a layout this file
 * got wrong fails to compile instead of reading the wrong bytes.
 *
 * Syscalls: none; it writes to the streams it is given.
 */
#include "skel_types.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DECL_MAX 1024		/* characters of one declarator */
#define MAX_STEPS 64		/* qualifiers, pointers and arrays in one chain */
#define MAX_NEST 16		/* anonymous bodies inside each other */

enum type_state { T_NONE, T_DECLARED, T_DEFINING, T_DEFINED };

struct skel_types {
	const struct bl_btf *btf;
	FILE *defs;
	unsigned char *state;	/* enum type_state, per type id */
	uint32_t count;
};

/* Typedefs the generated header gets from <linux/types.h> and <stdint.h>. */
static const char *const header_typedefs[] = {
	"__u8", "__s8", "__u16", "__s16", "__u32", "__s32", "__u64", "__s64",
	"__be16", "__be32", "__be64", "__le16", "__le32", "__le64", "__sum16", "__wsum",
	"__poll_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
	"uint32_t", "uint64_t", "intptr_t", "uintptr_t", "size_t", "ptrdiff_t", NULL,
};

static int write_decl(struct skel_types *st, FILE *out, uint32_t id, const char *name,
		      int indent, int strip, int nest, struct bl_err *err);
static int require(struct skel_types *st, uint32_t id, int complete, int nest,
		   struct bl_err *err);

struct skel_types *skel_types_new(const struct bl_btf *btf, FILE *defs, struct bl_err *err)
{
	struct skel_types *st = calloc(1, sizeof(*st));

	if (st) {
		st->count = bl_btf_type_count(btf);
		st->state = calloc(st->count ? st->count : 1, 1);
	}
	if (!st || !st->state) {
		free(st);
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	st->btf = btf;
	st->defs = defs;
	return st;
}

void skel_types_free(struct skel_types *st)
{
	if (st)
		free(st->state);
	free(st);
}

/* ---- small helpers ------------------------------------------------------ */

static const struct btf_type *type_of(const struct skel_types *st, uint32_t id, unsigned int *kind,
				      struct bl_err *err)
{
	const struct btf_type *t = bl_btf_type(st->btf, id);

	if (!t) {
		bl_fail(err, EINVAL, "BTF type %u does not exist", id);
		return NULL;
	}
	*kind = id ? bl_btf_kind(t) : BTF_KIND_UNKN;
	return t;
}

static int is_qualifier(unsigned int kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

/* The kind after any qualifiers (typedefs are not looked through). */
static unsigned int kind_after_qualifiers(const struct skel_types *st, uint32_t id)
{
	int steps;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		const struct btf_type *t = bl_btf_type(st->btf, id);

		if (!t || !id)
			return BTF_KIND_UNKN;
		if (!is_qualifier(bl_btf_kind(t)))
			return bl_btf_kind(t);
		id = t->type;
	}
	return BTF_KIND_UNKN;
}

static int is_header_typedef(const char *name)
{
	size_t i;

	for (i = 0; header_typedefs[i]; i++)
		if (strcmp(header_typedefs[i], name) == 0)
			return 1;
	return 0;
}

static void tabs(FILE *out, int n)
{
	while (n-- > 0)
		fputc('\t', out);
}

static const char *composite_word(unsigned int kind, const struct btf_type *t)
{
	if (kind == BTF_KIND_FWD)
		return bl_btf_kflag(t) ? "union" : "struct";
	if (kind == BTF_KIND_ENUM || kind == BL_BTF_KIND_ENUM64)
		return "enum";
	return kind == BTF_KIND_UNION ? "union" : "struct";
}

/* ---- the declarator, built around the name ------------------------------- */

struct decl {
	char s[DECL_MAX];
	size_t len;
};

static int decl_add(struct decl *d, const char *text, int front, struct bl_err *err)
{
	size_t n = strlen(text);

	if (d->len + n >= sizeof(d->s))
		return bl_fail(err, E2BIG, "a C declaration longer than %d characters", DECL_MAX);
	if (front) {
		memmove(d->s + n, d->s, d->len + 1);
		memcpy(d->s, text, n);
	} else {
		memcpy(d->s + d->len, text, n + 1);
	}
	d->len += n;
	return 0;
}

/* "(int a, char *b)" after a function pointer's declarator. */
static int add_params(struct skel_types *st, struct decl *d, const struct btf_type *t, int nest,
		      struct bl_err *err)
{
	const struct btf_param *p = bl_btf_params(t);
	char *text = NULL;
	size_t len = 0;
	uint32_t i, n = bl_btf_vlen(t);
	FILE *out = open_memstream(&text, &len);
	int ret = 0;

	if (!out)
		return bl_fail(err, ENOMEM, "out of memory");
	fputc('(', out);
	for (i = 0; !ret && i < n; i++) {
		if (i)
			fputs(", ", out);
		if (i == n - 1 && p[i].type == 0)
			fputs("...", out);	/* variadic */
		else
			ret = write_decl(st, out, p[i].type, bl_btf_name(st->btf, p[i].name_off),
					 0, 0, nest + 1, err);
	}
	fputs(n ? ")" : "void)", out);
	fclose(out);
	if (!ret)
		ret = decl_add(d, text, 0, err);
	free(text);
	return ret;
}

/* ---- bodies ------------------------------------------------------------- */

static int size_of(const struct skel_types *st, uint32_t id, uint32_t *size, struct bl_err *err)
{
	return bl_btf_resolve_size(st->btf, id, size, err);
}

static uint32_t align_of(const struct skel_types *st, uint32_t id)
{
	uint32_t align = 1;

	if (bl_btf_resolve_align(st->btf, id, &align, NULL) || !align)
		return 1;
	return align;
}

/* A member's bitfield width: BTF's kind_flag encoding, or the older
 * one, an INT whose bits are fewer than its size. */
static uint32_t bitfield_bits(const struct skel_types *st, const struct btf_type *t, uint32_t i)
{
	const struct btf_type *m;
	uint32_t bits = bl_btf_member_bitfield_size(t, i), id;

	if (bits || bl_btf_kflag(t))
		return bits;
	id = bl_btf_skip_modifiers(st->btf, bl_btf_members(t)[i].type);
	m = bl_btf_type(st->btf, id);
	if (m && id && bl_btf_kind(m) == BTF_KIND_INT &&
	    BTF_INT_BITS(bl_btf_int_info(m)) != m->size * 8)
		return BTF_INT_BITS(bl_btf_int_info(m));
	return 0;
}

/* Whether C needs __attribute__((packed)) to place the members where
 * BTF says: one lies below its alignment, or the size is not a
 * multiple of the alignment. */
static int needs_packed(const struct skel_types *st, const struct btf_type *t, uint32_t *align)
{
	uint32_t i, a, max = 1;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		a = align_of(st, bl_btf_members(t)[i].type);
		if (a > max)
			max = a;
		if (!bitfield_bits(st, t, i) && (bl_btf_member_bit_offset(t, i) / 8) % a)
			return *align = 1, 1;
	}
	*align = max;
	return t->size % max != 0 ? (*align = 1, 1) : 0;
}

static void write_pad(FILE *out, int indent, unsigned int *pad, uint64_t bytes)
{
	tabs(out, indent);
	fprintf(out, "char __pad%u[%" PRIu64 "];\n", (*pad)++, bytes);
}

static uint64_t round_up(uint64_t n, uint32_t to)
{
	return (n + to - 1) / to * to;
}

/* The members of a struct or union, one per line at indent. */
static int write_members(struct skel_types *st, FILE *out, uint32_t id, const struct btf_type *t,
			 int indent, int nest, uint32_t align, struct bl_err *err)
{
	int is_union = bl_btf_kind(t) == BTF_KIND_UNION;
	const char *owner = bl_btf_type_name(st->btf, id);
	uint64_t cur = 0, largest = 0;	/* bits placed so far; the largest union member */
	unsigned int pad = 0;
	uint32_t i, size = 0;
	int ret;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];
		const char *name = bl_btf_name(st->btf, m->name_off);
		uint32_t off = bl_btf_member_bit_offset(t, i), bits = bitfield_bits(st, t, i);

		if (size_of(st, m->type, &size, err))
			return bl_err_context(err, "member %s of %s", name, *owner ? owner : "(anon)");
		if (is_union) {
			if (size > largest)
				largest = size;
		} else if (!bits) {
			/* where C would put it: after what is placed, aligned
			 * (packed: align 1) */
			uint64_t end = round_up(cur, 8) / 8;
			uint64_t here = round_up(end, align == 1 ? 1 : align_of(st, m->type));

			if (off % 8 || off / 8 < end)
				return bl_fail(err, ENOTSUP, "member %s of struct %s: at bit %u, where C cannot put it",
					       name, *owner ? owner : "(anon)", off);
			if (off / 8 > here)
				write_pad(out, indent, &pad, off / 8 - end);
			cur = (uint64_t)off + (uint64_t)size * 8;
		} else {
			if (off < cur)
				return bl_fail(err, ENOTSUP, "bitfield %s of struct %s overlaps the member before it",
					       name, *owner ? owner : "(anon)");
			/* The gap as unnamed bitfields of the member's type:
			 * none may be wider than the type, nor cross one of
			 * its units (where C would start a new unit). */
			if (!size)
				return bl_fail(err, ENOTSUP, "bitfield %s of struct %s has a type of no size",
					       name, *owner ? owner : "(anon)");
			while (off > cur) {
				uint64_t unit = (uint64_t)size * 8, w = unit - cur % unit;

				if (w > off - cur)
					w = off - cur;
				tabs(out, indent);
				if ((ret = write_decl(st, out, m->type, "", 0, 1, nest + 1, err)))
					return ret;
				fprintf(out, " : %" PRIu64 ";\n", w);
				cur += w;
			}
			cur = (uint64_t)off + bits;
		}
		ret = write_decl(st, out, m->type, name, indent, 0, nest + 1, err);
		if (ret)
			return ret;
		if (bits)
			fprintf(out, " : %u", bits);
		fputs(";\n", out);
	}
	if (is_union && t->size > largest)
		write_pad(out, indent, &pad, t->size);
	else if (!is_union && t->size > round_up(round_up(cur, 8) / 8, align))
		write_pad(out, indent, &pad, t->size - round_up(cur, 8) / 8);
	return 0;
}

/* Whether an enum's values are signed.  BTF says so with kind_flag
 * (since Linux 6.0; clang 15); before, values were kept as u32, so a
 * 1- or 2-byte enum with a value beyond its size held negative ones. */
static int enum_signed(const struct btf_type *t)
{
	uint32_t i;

	if (bl_btf_kflag(t))
		return 1;
	for (i = 0; bl_btf_kind(t) == BTF_KIND_ENUM && t->size < 4 && i < bl_btf_vlen(t); i++)
		if ((uint64_t)bl_btf_enum_value(t, i) >> (t->size * 8))
			return 1;
	return 0;
}

static int64_t enum_value(const struct btf_type *t, uint32_t i)
{
	int64_t v = bl_btf_enum_value(t, i);

	return enum_signed(t) && !bl_btf_kflag(t) ? (int32_t)(uint32_t)v : v;
}

/* The bytes C gives an enum with these values: at least an int, or, when
 * packed, the smallest size that holds them all. */
static uint32_t enum_c_size(const struct btf_type *t, int packed)
{
	uint32_t i, size = packed ? 1 : 4;
	int sign = enum_signed(t);

	for (i = 0; i < bl_btf_vlen(t); i++) {
		int64_t v = enum_value(t, i);

		while (size < 8 && (sign ? (v < -(1ll << (size * 8 - 1)) || v >= (1ll << (size * 8 - 1)))
					 : (uint64_t)v >> (size * 8)))
			size *= 2;
	}
	return size;
}

/* Whether ISO C would refuse the enum's values (they must fit an int):
 * GNU C takes them, after __extension__ in strict modes. */
static int enum_beyond_int(const struct btf_type *t)
{
	uint32_t i;

	if (enum_c_size(t, 0) > 4 || t->size > 4)
		return 1;
	for (i = 0; i < bl_btf_vlen(t); i++)
		if (enum_value(t, i) > INT_MAX || enum_value(t, i) < INT_MIN)
			return 1;
	return 0;
}

static int write_enum_body(struct skel_types *st, FILE *out, const struct btf_type *t, int indent)
{
	unsigned int bits = t->size * 8;
	uint32_t i;

	/* An enum larger than its values need (`enum e : __u64`, or an
	 * 8-byte ENUM whose values clang kept to 32 bits) gets one more
	 * value, the extreme of its size, so that C makes it as large.  It
	 * is named after the first value, which is unique where it is. */
	if (bl_btf_vlen(t) && t->size <= 8 && enum_c_size(t, t->size < 4) < t->size) {
		tabs(out, indent);
		fprintf(out, "BPFLOAD_SKEL_SIZE_%s = ", bl_btf_name(st->btf, bl_btf_enum_name_off(t, 0)));
		if (enum_signed(t) && bits == 64)
			fputs("(-9223372036854775807LL - 1),\n", out);
		else if (enum_signed(t))
			fprintf(out, "%lld,\n", -(1ll << (bits - 1)));
		else
			fprintf(out, "%" PRIu64 "%s,\n", bits == 64 ? UINT64_MAX : (uint64_t)(1ull << bits) - 1,
				bits == 64 ? "ULL" : bits == 32 ? "U" : "");
	}
	for (i = 0; i < bl_btf_vlen(t); i++) {
		int64_t v = enum_value(t, i);

		tabs(out, indent);
		fprintf(out, "%s = ", bl_btf_name(st->btf, bl_btf_enum_name_off(t, i)));
		if (enum_signed(t))
			fprintf(out, "%" PRId64 "%s,\n", v, v < INT_MIN || v > INT_MAX ? "LL" : "");
		else
			fprintf(out, "%" PRIu64 "%s,\n", (uint64_t)v,
				(uint64_t)v > UINT_MAX ? "ULL" : (uint64_t)v > INT_MAX ? "U" : "");
	}
	return 0;
}

/* "struct NAME {" ... "}" (no ';'); indent is the closing brace's. */
static int write_body(struct skel_types *st, FILE *out, uint32_t id, int indent, int nest,
		      struct bl_err *err)
{
	unsigned int kind;
	const struct btf_type *t = type_of(st, id, &kind, err);
	const char *name;
	uint32_t align = 1;
	int packed = 0, ret;

	if (!t)
		return -err->code;
	if (nest > MAX_NEST)
		return bl_fail(err, ELOOP, "BTF types nested more than %d deep", MAX_NEST);
	name = bl_btf_type_name(st->btf, id);
	if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
		packed = needs_packed(st, t, &align);
	else
		packed = t->size < 4;	/* an enum of 1 or 2 bytes */
	fprintf(out, "%s %s%s%s{\n", composite_word(kind, t), packed ? "__attribute__((packed)) " : "",
		name, *name ? " " : "");
	if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
		ret = write_members(st, out, id, t, indent + 1, nest, align, err);
	else
		ret = write_enum_body(st, out, t, indent + 1);
	tabs(out, indent);
	fputc('}', out);
	return ret;
}

/* The type a declarator ends in: a name, or an anonymous body. */
static int write_base(struct skel_types *st, FILE *out, uint32_t id, int indent, int nest,
		      struct bl_err *err)
{
	unsigned int kind;
	const struct btf_type *t = type_of(st, id, &kind, err);
	const char *name;

	if (!t)
		return -err->code;
	name = bl_btf_type_name(st->btf, id);
	switch (kind) {
	case BTF_KIND_UNKN:
		fputs("void", out);
		return 0;
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPEDEF:
		if (!*name)
			return bl_fail(err, EINVAL, "BTF type %u (%s) has no name", id, bl_btf_kind_str(kind));
		fputs(name, out);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BL_BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		if (!*name)
			return write_body(st, out, id, indent, nest, err);
		fprintf(out, "%s %s", composite_word(kind, t), name);
		return 0;
	default:
		return bl_fail(err, ENOTSUP, "BTF type %u is a %s, which no C declaration names", id,
			       bl_btf_kind_str(kind));
	}
}

static int write_decl(struct skel_types *st, FILE *out, uint32_t id, const char *name,
		      int indent, int strip, int nest, struct bl_err *err)
{
	static const char *const words[] = {
		[BTF_KIND_CONST] = "const ", [BTF_KIND_VOLATILE] = "volatile ",
		[BTF_KIND_RESTRICT] = "restrict ",
	};
	char quals[64] = "", dims[32];
	const struct btf_type *t;
	unsigned int kind, next;
	struct decl d = { "", 0 };
	int steps, ret;

	if (nest > MAX_NEST)
		return bl_fail(err, ELOOP, "BTF types nested more than %d deep", MAX_NEST);
	if (decl_add(&d, name, 0, err))
		return -err->code;
	for (steps = 0;; steps++) {
		if (steps > MAX_STEPS || !(t = type_of(st, id, &kind, err)))
			return steps > MAX_STEPS ? bl_fail(err, ELOOP, "BTF type %u: a loop of types", id)
						 : -err->code;
		ret = 0;
		if (kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT) {
			/* on a pointer: after its '*'; else in front of the base */
			if (!strip && kind_after_qualifiers(st, t->type) == BTF_KIND_PTR)
				ret = decl_add(&d, words[kind], 1, err);
			else if (!strip && strlen(quals) + strlen(words[kind]) < sizeof(quals))
				strcat(quals, words[kind]);
		} else if (kind == BTF_KIND_PTR) {
			strip = 0;	/* what a pointer points to keeps its qualifiers */
			ret = decl_add(&d, "*", 1, err);
			next = kind_after_qualifiers(st, t->type);
			if (!ret && (next == BTF_KIND_ARRAY || next == BTF_KIND_FUNC_PROTO) &&
			    !(ret = decl_add(&d, "(", 1, err)))
				ret = decl_add(&d, ")", 0, err);
		} else if (kind == BTF_KIND_ARRAY) {
			snprintf(dims, sizeof(dims), "[%u]", bl_btf_array(t)->nelems);
			ret = decl_add(&d, dims, 0, err);
			id = bl_btf_array(t)->type;
			if (ret)
				return ret;
			continue;
		} else if (kind == BTF_KIND_FUNC_PROTO) {
			strip = 0;
			ret = add_params(st, &d, t, nest, err);
		} else if (kind == BTF_KIND_TYPEDEF && strcmp(bl_btf_type_name(st->btf, id), "bool") == 0) {
			/* stdbool.h makes bool a macro: name the type itself */
		} else if (kind != BTF_KIND_TYPE_TAG) {
			break;
		}
		if (ret)
			return ret;
		id = t->type;
	}
	tabs(out, indent);
	fputs(quals, out);
	ret = write_base(st, out, id, indent, nest, err);
	if (!ret && d.len)
		fprintf(out, " %s", d.s);
	return ret;
}

int skel_types_decl(struct skel_types *st, FILE *out, uint32_t id, const char *name, int indent,
		    int strip, struct bl_err *err)
{
	return write_decl(st, out, id, name, indent, strip, 0, err);
}

/* ---- definitions, in the order C needs them ------------------------------- */

static void guard_open(FILE *out, const char *word, const char *name)
{
	fprintf(out, "#ifndef BPFLOAD_SKEL_HAVE_%s_%s\n#define BPFLOAD_SKEL_HAVE_%s_%s\n", word, name,
		word, name);
}

/* The size check after a definition, when the type has a size. */
static void size_assert(struct skel_types *st, FILE *out, uint32_t id, const char *c_name)
{
	uint32_t size;

	if (bl_btf_resolve_size(st->btf, id, &size, NULL) == 0)
		fprintf(out, "_Static_assert(sizeof(%s) == %u, \"%s: not the layout of the BPF object's BTF\");\n",
			c_name, size, c_name);
}

static int require_members(struct skel_types *st, const struct btf_type *t, int nest,
			   struct bl_err *err)
{
	uint32_t i;
	int ret;

	for (i = 0; i < bl_btf_vlen(t); i++)
		if ((ret = require(st, bl_btf_members(t)[i].type, 1, nest + 1, err)))
			return ret;
	return 0;
}

/* struct, union, enum or typedef NAME, defined once and guarded. */
static int define(struct skel_types *st, uint32_t id, unsigned int kind, int nest,
		  struct bl_err *err)
{
	const struct btf_type *t = bl_btf_type(st->btf, id);
	const char *name = bl_btf_type_name(st->btf, id);
	const char *word = kind == BTF_KIND_TYPEDEF ? "typedef" : composite_word(kind, t);
	char c_name[256];
	int ret = 0;

	if (st->state[id] >= T_DEFINING)
		return 0;
	st->state[id] = T_DEFINING;
	if (kind == BTF_KIND_TYPEDEF)
		ret = require(st, t->type, 1, nest + 1, err);
	else if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
		ret = require_members(st, t, nest, err);
	if (ret)
		return ret;
	guard_open(st->defs, word, name);
	if (kind == BTF_KIND_TYPEDEF) {
		fputs("typedef ", st->defs);
		ret = write_decl(st, st->defs, t->type, name, 0, 0, nest + 1, err);
		snprintf(c_name, sizeof(c_name), "%s", name);
	} else {
		if ((kind == BTF_KIND_ENUM || kind == BL_BTF_KIND_ENUM64) && enum_beyond_int(t))
			fputs("__extension__ ", st->defs);
		ret = write_body(st, st->defs, id, 0, nest, err);
		snprintf(c_name, sizeof(c_name), "%s %s", word, name);
	}
	fputs(";\n", st->defs);
	size_assert(st, st->defs, id, c_name);
	fputs("#endif\n\n", st->defs);
	st->state[id] = T_DEFINED;
	return ret;
}

/* "struct NAME;", enough for pointers to it. */
static void declare(struct skel_types *st, uint32_t id, unsigned int kind)
{
	if (st->state[id] != T_NONE)
		return;
	fprintf(st->defs, "%s %s;\n\n", composite_word(kind, bl_btf_type(st->btf, id)),
		bl_btf_type_name(st->btf, id));
	st->state[id] = T_DECLARED;
}

/* complete: the declaration holds the type by value (not through a
 * pointer), so a struct must be defined, not just declared. */
static int require(struct skel_types *st, uint32_t id, int complete, int nest,
		   struct bl_err *err)
{
	const struct btf_type *t;
	unsigned int kind;
	uint32_t i;
	int steps, ret;

	if (nest > MAX_NEST)
		return bl_fail(err, ELOOP, "BTF types nested more than %d deep", MAX_NEST);
	for (steps = 0; steps < MAX_STEPS; steps++) {
		if (!(t = type_of(st, id, &kind, err)))
			return -err->code;
		const char *name = bl_btf_type_name(st->btf, id);

		switch (kind) {
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			id = bl_btf_array(t)->type;
			continue;
		case BTF_KIND_PTR:
			complete = 0;
			id = t->type;
			continue;
		case BTF_KIND_TYPEDEF:
			if (strcmp(name, "bool") == 0) {
				id = t->type;
				continue;
			}
			return is_header_typedef(name) ? 0 : define(st, id, kind, nest, err);
		case BTF_KIND_FUNC_PROTO:
			if ((ret = require(st, t->type, 0, nest + 1, err)))
				return ret;
			for (i = 0; i < bl_btf_vlen(t); i++)
				if ((ret = require(st, bl_btf_params(t)[i].type, 0, nest + 1, err)))
					return ret;
			return 0;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (!*name)
				return require_members(st, t, nest, err);
			if (complete)
				return define(st, id, kind, nest, err);
			declare(st, id, kind);
			return 0;
		case BTF_KIND_ENUM:
		case BL_BTF_KIND_ENUM64:
			/* an enum without values is only declared: nothing to write */
			return *name && bl_btf_vlen(t) ? define(st, id, kind, nest, err) : 0;
		case BTF_KIND_FWD:
			declare(st, id, kind);
			return 0;
		default:
			return 0;
		}
	}
	return bl_fail(err, ELOOP, "BTF type %u: a loop of types", id);
}

int skel_types_require(struct skel_types *st, uint32_t id, struct bl_err *err)
{
	return require(st, id, 1, 0, err);
}
