// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_layout.c - struct and union definitions that C lays out as
 * BTF says.  No syscalls.
 *
 * BTF records where each member is, not why.  C puts a member where its
 * layout rules say (System V, as clang applies them to -target bpf):
 * after the previous one, rounded up to its alignment; a bitfield stays
 * in the current unit of its type when it fits.  Where BTF puts it
 * elsewhere (the gap before a ____cacheline_aligned member, trailing
 * padding of an aligned struct), unnamed bitfields fill the gap exactly;
 * they do not change the struct's alignment.  Where no padding can help
 * (a member off its natural alignment, a bitfield across a unit, a size
 * that is not a multiple of the alignment) the struct is packed.
 */
#include <errno.h>

#include "btf/btf_dump_priv.h"

static const struct btf_type *type_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_type(d->btf, id);
}

/* Bit positions are 64-bit: a struct may have 2^32 - 1 bytes. */
static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/* Whether bitfield of `bits` at bit `off`, in a unit of its type (size
 * and alignment in bytes), would be moved to the next unit by C. */
static int bitfield_straddles(uint64_t off, uint32_t bits, uint32_t size, uint32_t align)
{
	return off % (align * 8) + bits > size * 8;
}

static uint32_t align_of(struct c_dump *d, uint32_t id, int depth);

/*
 * A struct needs __attribute__((packed)) when C would not lay it out as
 * BTF says: a member off its natural alignment, a bitfield crossing a
 * unit of its type (GCC packs those), or a size that is not a multiple
 * of the largest member alignment.  (A struct declared packed but
 * naturally aligned anyway comes out without it, and is the same.)
 */
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
		if (bits && bitfield_straddles(off, bits, dump_size(d, type), a))
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
static uint64_t natural_offset(struct c_dump *d, uint64_t cur, uint32_t type, uint32_t bits,
			       int packed)
{
	uint32_t a = dump_align(d, type);

	if (packed)
		return bits ? cur : round_up(cur, 8);
	if (!bits)
		return round_up(cur, a * 8);
	return bitfield_straddles(cur, bits, dump_size(d, type), a) ? round_up(cur, a * 8) : cur;
}

static const struct pad_unit {
	const char *type;
	uint32_t bits;
} pad_units[] = { { "long", 64 }, { "int", 32 }, { "short", 16 }, { "char", 8 } };

static void emit_pad(struct c_dump *d, const struct pad_unit *u, uint64_t bits, int lvl)
{
	dump_newline(d, lvl);
	dump_printf(d, "%s: %u;", u->type, (unsigned int)bits);
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
static void emit_gap(struct c_dump *d, uint64_t cur, uint64_t next, int lvl)
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
	for (; next - cur >= u->bits && !d->failed; cur += u->bits)
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
static void emit_union_pad(struct c_dump *d, uint64_t bits, int lvl)
{
	if (bits <= 64) {
		emit_gap(d, 0, bits, lvl);
		return;
	}
	dump_newline(d, lvl);
	dump_printf(d, "struct {");
	emit_gap(d, 0, bits, lvl + 1);
	dump_newline(d, lvl);
	dump_printf(d, "};");
}

/* Members must lie inside the struct, and gaps be what alignment could
 * make (a page, 64 KiB on some arm64 kernels): anything else is damaged
 * BTF, which would otherwise fill the header with padding.  Member i
 * runs from bit off to bit next; the previous one ended at cur. */
static int check_member(struct c_dump *d, uint32_t id, uint32_t i, uint64_t cur, uint64_t off,
			uint64_t next, uint64_t end)
{
	if (next > end)
		return dump_fail(d, EINVAL, "BTF type [%u] %s: member %u ends at bit %llu, outside its %llu bytes",
				 id, bl_btf_type_name(d->btf, id), i, (unsigned long long)next,
				 (unsigned long long)end / 8);
	if (off > cur && off - cur > DUMP_MAX_GAP_BITS)
		return dump_fail(d, EINVAL, "BTF type [%u] %s: a gap of %llu bytes before member %u, more than alignment explains (damaged BTF?)",
				 id, bl_btf_type_name(d->btf, id), (unsigned long long)(off - cur) / 8, i);
	return 0;
}

void dump_emit_struct_def(struct c_dump *d, uint32_t id, int lvl)
{
	const struct btf_type *t = type_of(d, id);
	int is_struct = bl_btf_kind(t) == BTF_KIND_STRUCT;
	int packed = needs_packed(d, t, 0);
	const char *name = dump_tag_name(d, id);
	uint64_t cur = 0, end = (uint64_t)t->size * 8;
	uint32_t i, vlen = bl_btf_vlen(t);

	dump_printf(d, "%s%s%s {", is_struct ? "struct" : "union", *name ? " " : "", name);
	for (i = 0; i < vlen && !d->failed; i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];
		uint64_t off = bl_btf_member_bit_offset(t, i);
		uint32_t bits = bl_btf_member_bitfield_size(t, i);
		uint64_t next = off + (bits ? bits : (uint64_t)dump_size(d, m->type) * 8);

		if (check_member(d, id, i, is_struct ? cur : 0, off, next, end))
			return;
		if (is_struct && cur < off && natural_offset(d, cur, m->type, bits, packed) != off)
			emit_gap(d, cur, off, lvl + 1);
		dump_newline(d, lvl + 1);
		dump_emit_decl(d, m->type, bl_btf_name(d->btf, m->name_off), lvl + 1);
		if (bits)
			dump_printf(d, ": %u", bits);
		dump_printf(d, ";");
		cur = next > cur ? next : cur;
	}
	/* trailing padding C would not add by itself */
	if (cur < end && round_up(cur, (packed ? 1 : dump_align(d, id)) * 8) != end &&
	    check_member(d, id, vlen, cur, end, end, end) == 0) {
		if (is_struct)
			emit_gap(d, cur, end, lvl + 1);
		else
			emit_union_pad(d, end, lvl + 1);
	}
	if (vlen || t->size)
		dump_newline(d, lvl);
	dump_printf(d, "}%s", packed ? " __attribute__((packed))" : "");
}
