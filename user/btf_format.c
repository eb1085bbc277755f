// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_format.c - values formatted by their BTF types, for map dumps.
 */
#include "btf_format.h"

#include <inttypes.h>
#include <string.h>

#define MAX_DEPTH 8		/* nested structs and arrays shown in full */
#define MAX_ELEMENTS 32		/* array elements shown before "..." */

static void print_value(FILE *out, const struct bl_btf *btf, uint32_t id,
			const unsigned char *data, size_t size, int depth);

static void print_hex(FILE *out, const unsigned char *data, size_t size)
{
	size_t i;

	fputs("0x", out);
	for (i = size; i-- > 0;)	/* little-endian: most significant byte last */
		fprintf(out, "%02x", data[i]);
}

static uint64_t read_unsigned(const unsigned char *data, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = size; i-- > 0;)
		v = (v << 8) | data[i];
	return v;
}

static int64_t sign_extend(uint64_t v, unsigned int bits)
{
	if (bits == 0 || bits >= 64)
		return (int64_t)v;
	if (v & (1ull << (bits - 1)))
		v |= ~0ull << bits;
	return (int64_t)v;
}

static void print_int(FILE *out, const struct btf_type *t, const unsigned char *data, size_t size)
{
	uint32_t info = bl_btf_int_info(t);
	unsigned int enc = BTF_INT_ENCODING(info), bits = BTF_INT_BITS(info);
	uint64_t v;

	if (t->size > size || t->size > 8 || BTF_INT_OFFSET(info)) {
		print_hex(out, data, t->size < size ? t->size : size);
		return;
	}
	v = read_unsigned(data, t->size);
	if (bits < 64)
		v &= (1ull << bits) - 1;
	if (enc & BTF_INT_BOOL)
		fputs(v ? "true" : "false", out);
	else if (enc & BTF_INT_SIGNED)
		fprintf(out, "%" PRId64, sign_extend(v, bits));
	else
		fprintf(out, "%" PRIu64, v);
}

static void print_enum(FILE *out, const struct bl_btf *btf, const struct btf_type *t,
		       const unsigned char *data, size_t size)
{
	uint64_t raw;
	int64_t v;
	uint32_t i;

	if (t->size > size || t->size > 8) {
		print_hex(out, data, size);
		return;
	}
	raw = read_unsigned(data, t->size);
	v = bl_btf_kflag(t) ? sign_extend(raw, t->size * 8) : (int64_t)raw;
	for (i = 0; i < bl_btf_vlen(t); i++) {
		if (bl_btf_enum_value(t, i) == v) {
			fputs(bl_btf_name(btf, bl_btf_enum_name_off(t, i)), out);
			return;
		}
	}
	fprintf(out, "%" PRId64, v);
}

static int is_char(const struct bl_btf *btf, uint32_t id)
{
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, id));

	return t && bl_btf_kind(t) == BTF_KIND_INT && t->size == 1;
}

static void print_string(FILE *out, const unsigned char *data, size_t size)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < size && data[i]; i++) {
		if (data[i] == '"' || data[i] == '\\')
			fprintf(out, "\\%c", data[i]);
		else if (data[i] >= 32 && data[i] < 127)
			fputc(data[i], out);
		else
			fprintf(out, "\\x%02x", data[i]);
	}
	fputc('"', out);
}

static void print_array(FILE *out, const struct bl_btf *btf, const struct btf_type *t,
			const unsigned char *data, size_t size, int depth)
{
	const struct btf_array *a = bl_btf_array(t);
	uint32_t elem_size, i;

	if (bl_btf_resolve_size(btf, a->type, &elem_size, NULL) || elem_size == 0) {
		print_hex(out, data, size);
		return;
	}
	if (is_char(btf, a->type)) {
		print_string(out, data, a->nelems < size ? a->nelems : size);
		return;
	}
	fputc('[', out);
	for (i = 0; i < a->nelems && (size_t)(i + 1) * elem_size <= size; i++) {
		if (i == MAX_ELEMENTS) {
			fputs(", ...", out);
			break;
		}
		fputs(i ? ", " : "", out);
		print_value(out, btf, a->type, data + (size_t)i * elem_size, elem_size, depth + 1);
	}
	fputc(']', out);
}

static void print_bitfield(FILE *out, const unsigned char *data, size_t size,
			   uint32_t bit_off, uint32_t bits)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < bits && i < 64; i++) {
		uint32_t bit = bit_off + i;

		if (bit / 8 < size && (data[bit / 8] >> (bit % 8)) & 1)
			v |= 1ull << i;
	}
	fprintf(out, "%" PRIu64, v);
}

static void print_struct(FILE *out, const struct bl_btf *btf, const struct btf_type *t,
			 const unsigned char *data, size_t size, int depth)
{
	uint32_t i;

	fputc('{', out);
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];
		uint32_t bit_off = bl_btf_member_bit_offset(t, i);
		uint32_t bits = bl_btf_member_bitfield_size(t, i), msize;
		const char *name = bl_btf_name(btf, m->name_off);

		fprintf(out, "%s%s=", i ? ", " : "", name && name[0] ? name : "(anon)");
		if (bits) {
			print_bitfield(out, data, size, bit_off, bits);
		} else if (bit_off % 8 || bl_btf_resolve_size(btf, m->type, &msize, NULL) ||
			   bit_off / 8 > size || msize > size - bit_off / 8) {
			fputs("?", out);
		} else {
			print_value(out, btf, m->type, data + bit_off / 8, msize, depth + 1);
		}
	}
	fputc('}', out);
}

static void print_value(FILE *out, const struct bl_btf *btf, uint32_t id,
			const unsigned char *data, size_t size, int depth)
{
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, id));

	if (!t || depth > MAX_DEPTH) {
		print_hex(out, data, size);
		return;
	}
	switch (bl_btf_kind(t)) {
	case BTF_KIND_INT:
		print_int(out, t, data, size);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		print_enum(out, btf, t, data, size);
		break;
	case BTF_KIND_ARRAY:
		print_array(out, btf, t, data, size, depth);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		print_struct(out, btf, t, data, size, depth);
		break;
	case BTF_KIND_VAR:
		print_value(out, btf, t->type, data, size, depth + 1);
		break;
	default:	/* pointers, floats, what has no simple C spelling */
		print_hex(out, data, size);
	}
}

void btf_print_value(FILE *out, const struct bl_btf *btf, uint32_t type_id,
		     const unsigned char *data, size_t size)
{
	print_value(out, btf, type_id, data, size, 0);
}
