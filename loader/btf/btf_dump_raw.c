// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_raw.c - BTF as a list, one type per line, as bpftool prints
 * it by default ("bpftool btf dump file F").  No syscalls.
 *
 *   [11] TYPEDEF '__s8' type_id=12
 *   [196] STRUCT 'static_key' size=16 vlen=2
 *           'enabled' type_id=90 bits_offset=0
 *
 * Each line is one record of the type section: its id, kind and name
 * ('(anon)' when it has none), then the fields of that kind as
 * <linux/btf.h> names them; members, enumerators, parameters and
 * section variables follow on lines of their own.  Reading BTF this
 * way shows what the C header cannot: ids, FUNC and VAR records, and
 * DATASECs.
 */
#include <errno.h>
#include <string.h>

#include "btf/btf_dump.h"

static const char *name_or_anon(const struct bl_btf *btf, uint32_t off)
{
	const char *s = bl_btf_name(btf, off);

	if (!off)
		return "(anon)";
	return s ? s : "(invalid)";
}

static const char *int_encoding(uint32_t info)
{
	switch (BTF_INT_ENCODING(info)) {
	case 0: return "(none)";
	case BTF_INT_SIGNED: return "SIGNED";
	case BTF_INT_CHAR: return "CHAR";
	case BTF_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

static const char *linkage(uint32_t l)
{
	/* enum btf_func_linkage; VARs use the same numbers */
	switch (l) {
	case BTF_FUNC_STATIC: return "static";
	case BTF_FUNC_GLOBAL: return "global";
	case BTF_FUNC_EXTERN: return "extern";
	default: return "(unknown)";
	}
}

static void members(FILE *out, const struct bl_btf *btf, const struct btf_type *t)
{
	uint32_t i;

	fprintf(out, " size=%u vlen=%u", t->size, bl_btf_vlen(t));
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_member *m = &bl_btf_members(t)[i];

		fprintf(out, "\n\t'%s' type_id=%u bits_offset=%u", name_or_anon(btf, m->name_off),
			m->type, bl_btf_member_bit_offset(t, i));
		if (bl_btf_member_bitfield_size(t, i))
			fprintf(out, " bitfield_size=%u", bl_btf_member_bitfield_size(t, i));
	}
}

static void enumerators(FILE *out, const struct bl_btf *btf, const struct btf_type *t)
{
	int is64 = bl_btf_kind(t) == BTF_KIND_ENUM64, is_signed = bl_btf_kflag(t);
	uint32_t i;

	fprintf(out, " encoding=%s size=%u vlen=%u", is_signed ? "SIGNED" : "UNSIGNED", t->size,
		bl_btf_vlen(t));
	for (i = 0; i < bl_btf_vlen(t); i++) {
		int64_t v = bl_btf_enum_value(t, i);

		fprintf(out, "\n\t'%s' val=", name_or_anon(btf, bl_btf_enum_name_off(t, i)));
		if (is64 && is_signed)
			fprintf(out, "%lldLL", (long long)v);
		else if (is64)
			fprintf(out, "%lluULL", (unsigned long long)v);
		else if (is_signed)
			fprintf(out, "%d", (int32_t)v);
		else
			fprintf(out, "%u", (uint32_t)v);
	}
}

static void params(FILE *out, const struct bl_btf *btf, const struct btf_type *t)
{
	uint32_t i;

	fprintf(out, " ret_type_id=%u vlen=%u", t->type, bl_btf_vlen(t));
	for (i = 0; i < bl_btf_vlen(t); i++)
		fprintf(out, "\n\t'%s' type_id=%u", name_or_anon(btf, bl_btf_params(t)[i].name_off),
			bl_btf_params(t)[i].type);
}

static void section_vars(FILE *out, const struct bl_btf *btf, const struct btf_type *t)
{
	uint32_t i;

	fprintf(out, " size=%u vlen=%u", t->size, bl_btf_vlen(t));
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_var_secinfo *v = &bl_btf_secinfos(t)[i];
		const struct btf_type *vt = bl_btf_type(btf, v->type);

		fprintf(out, "\n\ttype_id=%u offset=%u size=%u (%s '%s')", v->type, v->offset, v->size,
			bl_btf_kind_str(bl_btf_kind(vt)), name_or_anon(btf, vt->name_off));
	}
}

static void one_type(FILE *out, const struct bl_btf *btf, uint32_t id, const struct btf_type *t)
{
	unsigned int kind = bl_btf_kind(t);

	fprintf(out, "[%u] %s '%s'", id, bl_btf_kind_str(kind), name_or_anon(btf, t->name_off));
	switch (kind) {
	case BTF_KIND_INT:
		fprintf(out, " size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size,
			BTF_INT_OFFSET(bl_btf_int_info(t)), BTF_INT_BITS(bl_btf_int_info(t)),
			int_encoding(bl_btf_int_info(t)));
		break;
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
		fprintf(out, " type_id=%u", t->type);
		break;
	case BTF_KIND_ARRAY:
		fprintf(out, " type_id=%u index_type_id=%u nr_elems=%u", bl_btf_array(t)->type,
			bl_btf_array(t)->index_type, bl_btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		members(out, btf, t);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		enumerators(out, btf, t);
		break;
	case BTF_KIND_FWD:
		fprintf(out, " fwd_kind=%s", bl_btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		fprintf(out, " type_id=%u linkage=%s", t->type, linkage(bl_btf_func_linkage(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		params(out, btf, t);
		break;
	case BTF_KIND_VAR:
		fprintf(out, " type_id=%u, linkage=%s", t->type, linkage(bl_btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		section_vars(out, btf, t);
		break;
	case BTF_KIND_FLOAT:
		fprintf(out, " size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		fprintf(out, " type_id=%u component_idx=%d", t->type, bl_btf_decl_tag(t)->component_idx);
		break;
	}
	fputc('\n', out);
}

int bl_btf_dump_raw(const struct bl_btf *btf, FILE *out, struct bl_err *err)
{
	uint32_t id, count = bl_btf_type_count(btf);

	/* split BTF: only the types this blob adds to its base */
	for (id = bl_btf_start_id(btf); id < count; id++)
		one_type(out, btf, id, bl_btf_type(btf, id));
	if (fflush(out) || ferror(out))
		return bl_fail(err, EIO, "writing the BTF listing failed: %s", strerror(errno));
	return 0;
}
