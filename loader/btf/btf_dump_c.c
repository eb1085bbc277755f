// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_c.c - BTF as C declarations: a vmlinux.h.  No syscalls.
 *
 * Types are taken in id order, as bpftool does.  For each,
 * btf_dump_order.c queues the definitions it needs and its own; then
 * each queued definition is written, and before it whatever it uses
 * that is not written yet: the definitions its members embed (already
 * queued earlier, so already written), forward declarations for the
 * named structs it reaches through pointers, typedefs on the way.  A
 * definition being written is EMIT_BUSY; meeting it again (a member
 * pointing back to its own struct) needs only a forward declaration.
 *
 * C declarations read inside out ("int (*handlers[4])(void *)": an
 * array of four pointers to functions returning int), while BTF chains
 * run outside in: ARRAY -> PTR -> FUNC_PROTO -> INT.  emit_decl()
 * collects the chain from the declared thing to its base type, writes
 * the base type first and then walks back out: pointers and their
 * qualifiers go on the left of the name, arrays and parameter lists on
 * its right, and an array or function met after a pointer puts what
 * came before in parentheses.
 *
 * A member lands where C's layout rules put it (System V, as clang
 * applies them to -target bpf): after the previous one, rounded up to
 * its alignment; a bitfield stays in the current unit of its type when
 * it fits.  Where BTF puts it elsewhere (a gap left by an aligned
 * member, trailing padding), unnamed bitfields fill the gap exactly.
 * Unnamed bitfields do not change a struct's alignment.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_dump.h"
#include "btf/btf_dump_priv.h"

static void emit_type(struct c_dump *d, uint32_t id, uint32_t cont_id, int depth);
static void emit_decl(struct c_dump *d, uint32_t id, const char *name, int lvl);

int dump_fail(struct c_dump *d, int code, const char *fmt, ...)
{
	char msg[BL_ERR_MAX];
	va_list ap;

	if (d->failed)
		return -d->err->code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->failed = 1;
	return bl_fail(d->err, code, "%s", msg);
}

static uint32_t size_of(struct c_dump *d, uint32_t id)
{
	struct bl_err ignored;
	uint32_t size;

	return bl_btf_resolve_size(d->btf, id, &size, &ignored) ? 0 : size;
}

static void __attribute__((format(printf, 2, 3))) out(struct c_dump *d, const char *fmt, ...)
{
	va_list ap;

	if (d->failed)
		return;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
}

/* A new line indented lvl tabs. */
static void newline(struct c_dump *d, int lvl)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	int n = lvl < (int)sizeof(tabs) - 1 ? lvl : (int)sizeof(tabs) - 1;

	out(d, "\n%.*s", n, tabs);
}

static const struct btf_type *type_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_type(d->btf, id);
}

static unsigned int kind_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_kind(type_of(d, id));
}

static int is_composite(unsigned int kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

static int is_qualifier(unsigned int kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT;
}

/* ---- declarators ------------------------------------------------------------ */

/* Qualifiers right outside the base type go before it: "const char". */
static void emit_qualifiers(struct c_dump *d, const uint32_t *ids, int *n)
{
	for (; *n > 0; (*n)--) {
		unsigned int kind = kind_of(d, ids[*n - 1]);

		if (!is_qualifier(kind))
			return;
		out(d, "%s ", kind == BTF_KIND_CONST ? "const" :
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
		out(d, "%s%s", after_ptr ? "" : " ", name);
}

static void emit_chain(struct c_dump *d, const uint32_t *ids, int n, const char *name, int lvl);

static void emit_array(struct c_dump *d, const struct btf_type *t, const uint32_t *ids, int n,
		       const char *name, int lvl, int after_ptr)
{
	int multidim;

	drop_qualifiers(d, ids, &n);
	if (n == 0) {
		emit_name(d, name, after_ptr);
		out(d, "[%u]", bl_btf_array(t)->nelems);
		return;
	}
	/* int (*p)[4], but int m[2][4] */
	multidim = kind_of(d, ids[n - 1]) == BTF_KIND_ARRAY;
	if (*name && !after_ptr)
		out(d, " ");
	out(d, "%s", multidim ? "" : "(");
	emit_chain(d, ids, n, name, lvl);
	out(d, "%s[%u]", multidim ? "" : ")", bl_btf_array(t)->nelems);
}

static void emit_params(struct c_dump *d, const struct btf_type *t, int lvl)
{
	const struct btf_param *p = bl_btf_params(t);
	uint32_t i, vlen = bl_btf_vlen(t);

	/* clang writes "f(void)" as one parameter of type void */
	if (vlen == 0 || (vlen == 1 && p[0].type == 0)) {
		out(d, "(void)");
		return;
	}
	out(d, "(");
	for (i = 0; i < vlen && !d->failed; i++) {
		if (i)
			out(d, ", ");
		if (i == vlen - 1 && p[i].type == 0) {
			out(d, "...");	/* a last parameter of type void: varargs */
			break;
		}
		emit_decl(d, p[i].type, bl_btf_name(d->btf, p[i].name_off), lvl);
	}
	out(d, ")");
}

static void emit_proto(struct c_dump *d, const struct btf_type *t, const uint32_t *ids, int n,
		       const char *name, int lvl, int after_ptr)
{
	drop_qualifiers(d, ids, &n);
	if (n) {
		out(d, " (");
		emit_chain(d, ids, n, name, lvl);
		out(d, ")");
	} else {
		emit_name(d, name, after_ptr);
	}
	emit_params(d, t, lvl);
}

static void emit_struct_def(struct c_dump *d, uint32_t id, int lvl);
static void emit_enum_def(struct c_dump *d, uint32_t id, int lvl);

static void emit_base(struct c_dump *d, uint32_t id, const struct btf_type *t, int lvl)
{
	unsigned int kind = bl_btf_kind(t);

	switch (kind) {
	case BTF_KIND_UNKN:
		out(d, "void");
		break;
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		out(d, "%s", bl_btf_type_name(d->btf, id));
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (!t->name_off)
			emit_struct_def(d, id, lvl);	/* anonymous: inline */
		else
			out(d, "%s %s", kind == BTF_KIND_STRUCT ? "struct" : "union",
			    dump_tag_name(d, id));
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (!t->name_off)
			emit_enum_def(d, id, lvl);
		else
			out(d, "enum %s", dump_tag_name(d, id));
		break;
	case BTF_KIND_FWD:
		out(d, "%s %s", bl_btf_kflag(t) ? "union" : "struct", dump_tag_name(d, id));
		break;
	case BTF_KIND_TYPEDEF:
		out(d, "%s", dump_ident_name(d, id));
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
			out(d, "%s", after_ptr ? "*" : " *");
			break;
		case BTF_KIND_CONST:
			out(d, " const");
			break;
		case BTF_KIND_VOLATILE:
			out(d, " volatile");
			break;
		case BTF_KIND_RESTRICT:
			out(d, " restrict");
			break;
		case BTF_KIND_TYPE_TAG:
			/* with kind_flag set, the tag is a plain attribute
			 * (Linux 6.? pahole writes __percpu that way) */
			emit_qualifiers(d, ids, &n);
			if (bl_btf_kflag(t))
				out(d, " __attribute__((%s))", bl_btf_type_name(d->btf, id));
			else
				out(d, " __attribute__((btf_type_tag(\"%s\")))", bl_btf_type_name(d->btf, id));
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
static void emit_decl(struct c_dump *d, uint32_t id, const char *name, int lvl)
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

/* ---- struct and union layout ----------------------------------------------- */

static uint32_t round_up(uint32_t v, uint32_t to)
{
	return (v + to - 1) / to * to;
}

/* Whether bitfield of `bits` at bit `off`, in a unit of its type (size
 * and alignment in bytes), would be moved to the next unit by C. */
static int bitfield_straddles(uint32_t off, uint32_t bits, uint32_t size, uint32_t align)
{
	return off % (align * 8) + bits > size * 8;
}

/*
 * A struct needs __attribute__((packed)) when C would not lay it out as
 * BTF says: a member off its natural alignment, a bitfield crossing a
 * unit of its type (GCC packs those), or a size that is not a multiple
 * of the largest member alignment.  (A struct declared packed but
 * naturally aligned anyway comes out without it, and is the same.)
 */
static uint32_t align_of(struct c_dump *d, uint32_t id, int depth);

static int needs_packed(struct c_dump *d, const struct btf_type *t, int depth)
{
	uint32_t i, a, max = 1;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		uint32_t type = bl_btf_members(t)[i].type;
		uint32_t off = bl_btf_member_bit_offset(t, i);
		uint32_t bits = bl_btf_member_bitfield_size(t, i);

		a = align_of(d, type, depth + 1);
		if (!bits && off % (a * 8))
			return 1;
		if (bits && bitfield_straddles(off, bits, size_of(d, type), a))
			return 1;
		if (a > max)
			max = a;
	}
	return t->size % max != 0;
}

/*
 * The alignment clang gives type id on -target bpf, which decides where
 * members land: scalars their size (a 16-byte __int128 too), pointers 8,
 * structs and unions their largest member's, or 1 when packed.  Each
 * type is worked out once; one that contains itself (bad BTF, which the
 * ordering reports) is taken as 1 while it is being worked out.
 */
static uint32_t align_of(struct c_dump *d, uint32_t id, int depth)
{
	struct dump_type *st = &d->types[id];
	const struct btf_type *t = type_of(d, id);
	uint32_t a = 1, m, i;

	if (st->align)
		return st->align;
	if (depth > DUMP_MAX_NESTING)
		return 1;
	st->align = 1;
	switch (bl_btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
		while (a < t->size && a < 16)
			a *= 2;
		break;
	case BTF_KIND_PTR:
		a = 8;
		break;
	case BTF_KIND_ARRAY:
		a = align_of(d, bl_btf_array(t)->type, depth + 1);
		break;
	case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		a = align_of(d, t->type, depth + 1);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < bl_btf_vlen(t); i++) {
			m = align_of(d, bl_btf_members(t)[i].type, depth + 1);
			a = m > a ? m : a;
		}
		if (needs_packed(d, t, depth))
			a = 1;
		break;
	}
	st->align = (uint8_t)a;
	return a;
}

static uint32_t dump_align(struct c_dump *d, uint32_t id)
{
	return align_of(d, id, 0);
}

/* Where C would put a member of type `type` (a bitfield when bits is
 * not 0) if the previous one ended at bit cur. */
static uint32_t natural_offset(struct c_dump *d, uint32_t cur, uint32_t type, uint32_t bits,
			       int packed)
{
	uint32_t a = dump_align(d, type);

	if (packed)
		return bits ? cur : round_up(cur, 8);
	if (!bits)
		return round_up(cur, a * 8);
	return bitfield_straddles(cur, bits, size_of(d, type), a) ? round_up(cur, a * 8) : cur;
}

static const struct pad_unit {
	const char *type;
	uint32_t bits;
} pad_units[] = { { "long", 64 }, { "int", 32 }, { "short", 16 }, { "char", 8 } };

static void emit_pad(struct c_dump *d, const struct pad_unit *u, uint32_t bits, int lvl)
{
	newline(d, lvl);
	out(d, "%s: %u;", u->type, bits);
}

/*
 * Fill bits [cur, next) with unnamed bitfields.  An unnamed bitfield
 * "T: n" takes the next n bits when they fit in the current unit of T
 * (a T-sized, T-aligned slot), so each line below is placed exactly
 * where the previous one ended.  With T the widest of long, int, short
 * and char whose next unit boundary is inside the gap: the rest of the
 * current unit ("long: 56;" after a bool), whole units ("long: 64;"),
 * then what is left, in the smallest type it fits ("short: 12;").
 */
static void emit_gap(struct c_dump *d, uint32_t cur, uint32_t next, int lvl)
{
	const size_t n_units = sizeof(pad_units) / sizeof(pad_units[0]);
	const struct pad_unit *u = pad_units;
	size_t i;

	while (u < pad_units + n_units - 1 && round_up(cur, u->bits) > next)
		u++;
	if (round_up(cur, u->bits) > next) {	/* inside one byte */
		emit_pad(d, u, next - cur, lvl);
		return;
	}
	if (cur % u->bits) {
		emit_pad(d, u, round_up(cur, u->bits) - cur, lvl);
		cur = round_up(cur, u->bits);
	}
	for (; next - cur >= u->bits; cur += u->bits)
		emit_pad(d, u, u->bits, lvl);
	for (i = n_units; cur < next && i-- > 0;) {
		if (pad_units[i].bits >= next - cur) {
			emit_pad(d, &pad_units[i], next - cur, lvl);
			cur = next;
		}
	}
}

/* A union larger than its members (one declared aligned, or whose
 * members BTF lost) gets an unnamed bitfield as wide, or for more than
 * 64 bits an anonymous struct of them (a GNU extension clang accepts). */
static void emit_union_pad(struct c_dump *d, uint32_t bits, int lvl)
{
	if (bits <= 64) {
		emit_gap(d, 0, bits, lvl);
		return;
	}
	newline(d, lvl);
	out(d, "struct {");
	emit_gap(d, 0, bits, lvl + 1);
	newline(d, lvl);
	out(d, "};");
}

static void emit_struct_def(struct c_dump *d, uint32_t id, int lvl)
{
	const struct btf_type *t = type_of(d, id);
	int is_struct = bl_btf_kind(t) == BTF_KIND_STRUCT;
	int packed = needs_packed(d, t, 0);
	const char *name = dump_tag_name(d, id);
	uint32_t i, cur = 0, vlen = bl_btf_vlen(t);

	out(d, "%s%s%s {", is_struct ? "struct" : "union", *name ? " " : "", name);
	for (i = 0; i < vlen && !d->failed; i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];
		uint32_t off = bl_btf_member_bit_offset(t, i);
		uint32_t bits = bl_btf_member_bitfield_size(t, i);

		if (is_struct && cur < off && natural_offset(d, cur, m->type, bits, packed) != off)
			emit_gap(d, cur, off, lvl + 1);
		newline(d, lvl + 1);
		emit_decl(d, m->type, bl_btf_name(d->btf, m->name_off), lvl + 1);
		if (bits)
			out(d, ": %u", bits);
		out(d, ";");
		if (off + (bits ? bits : size_of(d, m->type) * 8) > cur)
			cur = off + (bits ? bits : size_of(d, m->type) * 8);
	}
	/* trailing padding C would not add by itself */
	if (cur < t->size * 8 && round_up(cur, (packed ? 1 : dump_align(d, id)) * 8) != t->size * 8) {
		if (is_struct)
			emit_gap(d, cur, t->size * 8, lvl + 1);
		else
			emit_union_pad(d, t->size * 8, lvl + 1);
	}
	if (vlen || t->size)
		newline(d, lvl);
	out(d, "}%s", packed ? " __attribute__((packed))" : "");
}

/* ---- enums, forward declarations, typedefs ------------------------------- */

/* Whether C makes an enum of these values 64 bits wide by itself: a
 * value below INT_MIN or above UINT_MAX, or negative ones together with
 * ones above INT_MAX. */
static int enum_needs_64_bits(const struct btf_type *t)
{
	int64_t lo = 0, hi = 0;
	uint32_t i;

	if (bl_btf_kind(t) != BTF_KIND_ENUM64)
		return 0;
	for (i = 0; i < bl_btf_vlen(t); i++) {
		int64_t v = bl_btf_enum_value(t, i);

		if (!bl_btf_kflag(t) && (uint64_t)v > UINT32_MAX)
			return 1;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	return lo < INT32_MIN || hi > (int64_t)UINT32_MAX || (lo < 0 && hi > INT32_MAX);
}

/* C gives an enum the size of int unless its values need more; other
 * sizes (GCC's packed enums, 64-bit enums of small values) need a mode
 * attribute. */
static const char *enum_size_attr(const struct btf_type *t)
{
	if (t->size == 1)
		return " __attribute__((mode(byte)))";
	if (t->size == 8 && !enum_needs_64_bits(t))
		return " __attribute__((mode(word)))";
	return "";
}

static void emit_enum_value(struct c_dump *d, const struct btf_type *t, uint32_t i, int lvl)
{
	const char *name = bl_btf_name(d->btf, bl_btf_enum_name_off(t, i));
	int64_t v = bl_btf_enum_value(t, i);
	uint32_t n = dump_count_ident(d, name);	/* enumerators share typedefs' namespace */

	newline(d, lvl);
	out(d, "%s", name);
	if (n > 1)
		out(d, "___%u", n);
	if (bl_btf_kind(t) == BTF_KIND_ENUM64 && bl_btf_kflag(t))
		out(d, " = %lldLL,", (long long)v);
	else if (bl_btf_kind(t) == BTF_KIND_ENUM64)
		out(d, " = %lluULL,", (unsigned long long)v);
	else if (bl_btf_kflag(t))
		out(d, " = %d,", (int32_t)v);
	else
		out(d, " = %u,", (uint32_t)v);
}

static void emit_enum_def(struct c_dump *d, uint32_t id, int lvl)
{
	const struct btf_type *t = type_of(d, id);
	const char *name = dump_tag_name(d, id);
	uint32_t i;

	out(d, "enum%s%s", *name ? " " : "", name);
	if (!bl_btf_vlen(t))
		return;		/* "enum foo": declared, never defined */
	out(d, " {");
	for (i = 0; i < bl_btf_vlen(t) && !d->failed; i++)
		emit_enum_value(d, t, i, lvl + 1);
	newline(d, lvl);
	out(d, "}%s", enum_size_attr(t));
}

static void emit_fwd(struct c_dump *d, uint32_t id)
{
	const struct btf_type *t = type_of(d, id);
	int is_union = bl_btf_kind(t) == BTF_KIND_UNION ||
		       (bl_btf_kind(t) == BTF_KIND_FWD && bl_btf_kflag(t));

	out(d, "%s %s;\n\n", is_union ? "union" : "struct", dump_tag_name(d, id));
}

/* __builtin_va_list is the compiler's own: defining it breaks the
 * header (GCC built the kernel; clang reads the header). */
static int is_builtin(struct c_dump *d, uint32_t id)
{
	return strcmp(bl_btf_type_name(d->btf, id), "__builtin_va_list") == 0;
}

static void emit_typedef_def(struct c_dump *d, uint32_t id)
{
	const struct btf_type *t = type_of(d, id);
	const char *name = dump_ident_name(d, id);

	if (is_builtin(d, id))
		return;
	/* old GCCs describe __gnuc_va_list as a typedef of void */
	if (t->type == 0 && strcmp(name, "__gnuc_va_list") == 0) {
		out(d, "typedef __builtin_va_list __gnuc_va_list;\n\n");
		return;
	}
	out(d, "typedef ");
	emit_decl(d, t->type, name, 0);
	out(d, ";\n\n");
}

/* GCC's Arm SIMD code has integer types C compilers do not know. */
static void emit_int_alias(struct c_dump *d, uint32_t id)
{
	static const char *const aliases[][2] = {
		{ "__Poly8_t", "unsigned char" },
		{ "__Poly16_t", "unsigned short" },
		{ "__Poly64_t", "unsigned long long" },
		{ "__Poly128_t", "unsigned __int128" },
	};
	const char *name = bl_btf_type_name(d->btf, id);
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i][0]) == 0)
			out(d, "typedef %s %s;\n\n", aliases[i][1], name);
}

/* ---- writing definitions in order --------------------------------------- */

/* Met again while it is being written: a forward declaration, once. */
static void emit_busy(struct c_dump *d, uint32_t id, uint32_t cont_id)
{
	struct dump_type *st = &d->types[id];
	const struct btf_type *t = type_of(d, id);

	if (st->fwd_done)
		return;
	if (is_composite(bl_btf_kind(t))) {
		/* a member pointing to its own struct needs nothing; an
		 * anonymous loop has no name to declare (bad BTF) */
		if (id == cont_id || !t->name_off)
			return;
		emit_fwd(d, id);
		st->fwd_done = 1;
	} else if (bl_btf_kind(t) == BTF_KIND_TYPEDEF) {
		/* a typedef can be written before what it names is
		 * complete, as long as it is only used through pointers */
		emit_typedef_def(d, id);
		st->fwd_done = 1;
	}
}

static void emit_members_types(struct c_dump *d, const struct btf_type *t, uint32_t cont_id,
			       int depth)
{
	uint32_t i;

	for (i = 0; i < bl_btf_vlen(t) && !d->failed; i++)
		emit_type(d, bl_btf_members(t)[i].type, cont_id, depth + 1);
}

static void emit_composite(struct c_dump *d, uint32_t id, uint32_t cont_id, int depth)
{
	struct dump_type *st = &d->types[id];
	const struct btf_type *t = type_of(d, id);
	int top = cont_id == 0;

	st->emit = EMIT_BUSY;
	if (top || !t->name_off) {
		/* its members get written here: declare what they use; an
		 * anonymous one is part of the type that contains it */
		emit_members_types(d, t, t->name_off ? id : cont_id, depth);
	} else if (!st->fwd_done && id != cont_id) {
		emit_fwd(d, id);
		st->fwd_done = 1;
	}
	if (top) {
		emit_struct_def(d, id, 0);
		out(d, ";\n\n");
		st->emit = EMIT_DONE;
	} else {
		st->emit = EMIT_NONE;	/* its own definition comes later */
	}
}

/* Write what id needs and, at top level (cont_id 0), its definition;
 * cont_id is the named struct whose definition is being prepared. */
static void emit_type(struct c_dump *d, uint32_t id, uint32_t cont_id, int depth)
{
	struct dump_type *st = &d->types[id];
	const struct btf_type *t = type_of(d, id);
	uint32_t i;

	if (st->emit == EMIT_DONE || d->failed)
		return;
	if (depth > DUMP_MAX_NESTING) {
		dump_fail(d, ELOOP, "BTF type [%u]: types nest more than %d deep (a loop?)", id,
			  DUMP_MAX_NESTING);
		return;
	}
	if (st->emit == EMIT_BUSY) {
		emit_busy(d, id, cont_id);
		return;
	}
	switch (bl_btf_kind(t)) {
	case BTF_KIND_INT:
		emit_int_alias(d, id);
		st->emit = EMIT_DONE;
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (cont_id == 0) {
			emit_enum_def(d, id, 0);
			out(d, ";\n\n");
		}
		st->emit = EMIT_DONE;	/* anonymous ones go inline */
		break;
	case BTF_KIND_FWD:
		emit_fwd(d, id);
		st->emit = EMIT_DONE;
		break;
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		emit_type(d, t->type, cont_id, depth + 1);
		break;
	case BTF_KIND_ARRAY:
		emit_type(d, bl_btf_array(t)->type, cont_id, depth + 1);
		break;
	case BTF_KIND_TYPEDEF:
		st->emit = EMIT_BUSY;
		emit_type(d, t->type, id, depth + 1);
		if (!st->fwd_done)
			emit_typedef_def(d, id);
		st->emit = EMIT_DONE;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		emit_composite(d, id, cont_id, depth);
		break;
	case BTF_KIND_FUNC_PROTO:
		emit_type(d, t->type, cont_id, depth + 1);
		for (i = 0; i < bl_btf_vlen(t); i++)
			emit_type(d, bl_btf_params(t)[i].type, cont_id, depth + 1);
		break;
	}
}

/* ---- the header ------------------------------------------------------------ */

static const char header[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n"
	"\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n"
	"\n";

static const char footer[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute pop\n"
	"#endif\n"
	"\n"
	"#endif /* __VMLINUX_H__ */\n";

static int dump_init(struct c_dump *d, const struct bl_btf *btf, FILE *stream, struct bl_err *err)
{
	memset(d, 0, sizeof(*d));
	d->btf = btf;
	d->out = stream;
	d->err = err;
	d->count = bl_btf_type_count(btf);
	d->types = calloc(d->count, sizeof(*d->types));
	d->names = calloc(d->count, sizeof(*d->names));
	d->queue = calloc(d->count, sizeof(*d->queue));
	if (!d->types || !d->names || !d->queue)
		return dump_fail(d, ENOMEM, "out of memory for the state of %u BTF types", d->count);
	d->types[0].order = ORDER_DONE;	/* void */
	d->types[0].emit = EMIT_DONE;
	dump_mark_referenced(d);
	return 0;
}

int bl_btf_dump_c(const struct bl_btf *btf, FILE *stream, struct bl_err *err)
{
	struct bl_err local;
	struct c_dump d;
	uint32_t id, i;

	if (!err)
		err = &local;
	if (dump_init(&d, btf, stream, err) == 0) {
		out(&d, "%s", header);
		for (id = 1; id < d.count && !d.failed; id++) {
			d.queue_len = 0;
			if (dump_order(&d, id, 0, 0) < 0)
				break;
			for (i = 0; i < d.queue_len && !d.failed; i++)
				emit_type(&d, d.queue[i], 0, 0);
		}
		out(&d, "%s", footer);
		if (!d.failed && (fflush(stream) || ferror(stream)))
			dump_fail(&d, EIO, "writing the C declarations failed: %s", strerror(errno));
	}
	free(d.types);
	free(d.queue);
	dump_names_free(&d);
	return d.failed ? -err->code : 0;
}
