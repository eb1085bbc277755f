// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_spec.c - a CO-RE relocation's access string, understood against
 * the object's BTF.  No syscalls.
 *
 * "0:1:2" on struct s means &s[0], its member 1, and that member's
 * member (or element) 2.  Every step is kept (raw), and the steps that
 * matter when the kernel's type is searched (named members, array
 * indexes) are kept as accessors: anonymous structs and unions are
 * passed through, because the kernel may nest the same member
 * differently.  The access string comes from the file: every index is
 * checked against the type it indexes.
 */
#include "btf/core.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
	[BPF_CORE_FIELD_BYTE_OFFSET] = "field byte offset",
	[BPF_CORE_FIELD_BYTE_SIZE] = "field byte size",
	[BPF_CORE_FIELD_EXISTS] = "field exists",
	[BPF_CORE_FIELD_SIGNED] = "field signed",
	[BPF_CORE_FIELD_LSHIFT_U64] = "field lshift u64",
	[BPF_CORE_FIELD_RSHIFT_U64] = "field rshift u64",
	[BPF_CORE_TYPE_ID_LOCAL] = "local type id",
	[BPF_CORE_TYPE_ID_TARGET] = "target type id",
	[BPF_CORE_TYPE_EXISTS] = "type exists",
	[BPF_CORE_TYPE_SIZE] = "type size",
	[BPF_CORE_ENUMVAL_EXISTS] = "enum value exists",
	[BPF_CORE_ENUMVAL_VALUE] = "enum value",
	[BPF_CORE_TYPE_MATCHES] = "type matches",
};

const char *bl_core_kind_str(uint32_t kind)
{
	if (kind < sizeof(kind_names) / sizeof(kind_names[0]) && kind_names[kind])
		return kind_names[kind];
	return "unknown kind";
}

int bl_core_kind_is_field(uint32_t kind)
{
	return kind <= BPF_CORE_FIELD_RSHIFT_U64;
}

int bl_core_kind_is_type(uint32_t kind)
{
	return kind == BPF_CORE_TYPE_ID_LOCAL || kind == BPF_CORE_TYPE_ID_TARGET ||
	       kind == BPF_CORE_TYPE_EXISTS || kind == BPF_CORE_TYPE_SIZE ||
	       kind == BPF_CORE_TYPE_MATCHES;
}

int bl_core_kind_is_enumval(uint32_t kind)
{
	return kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE;
}

static int is_composite(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_STRUCT || bl_btf_kind(t) == BTF_KIND_UNION;
}

static int is_any_enum(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_ENUM || bl_btf_kind(t) == BTF_KIND_ENUM64;
}

/* "0:1:2" into spec->raw; digits and colons only, no empty steps. */
static int parse_indexes(const char *s, struct bl_core_spec *spec, struct bl_err *err)
{
	const char *p = s;

	if (!*p)
		return bl_fail(err, EINVAL, "empty access string");
	for (;;) {
		uint64_t v = 0;
		const char *start = p;

		while (*p >= '0' && *p <= '9' && v <= UINT32_MAX)
			v = v * 10 + (uint64_t)(*p++ - '0');
		if (p == start || v > INT32_MAX)
			return bl_fail(err, EINVAL, "access string \"%.40s\" is not indexes separated by ':'", s);
		if (spec->raw_len == BL_CORE_SPEC_MAX)
			return bl_fail(err, E2BIG, "access string \"%.40s\" has more than %d steps", s,
				       BL_CORE_SPEC_MAX);
		spec->raw[spec->raw_len++] = (uint32_t)v;
		if (!*p)
			return 0;
		if (*p++ != ':' || !*p)
			return bl_fail(err, EINVAL, "access string \"%.40s\" is not indexes separated by ':'", s);
	}
}

static int size_of(const struct bl_btf *btf, uint32_t id, uint32_t *size, struct bl_err *err)
{
	return bl_btf_resolve_size(btf, id, size, err);
}

/* An array is flexible when it has no elements and is the last member
 * of the struct the previous accessor named. */
static int is_flex_array(const struct bl_btf *btf, const struct bl_core_access *prev,
			 const struct btf_array *a)
{
	const struct btf_type *t;

	if (!prev->name || a->nelems > 0)
		return 0;
	t = bl_btf_type(btf, prev->type_id);
	return t && is_composite(t) && prev->idx + 1 == bl_btf_vlen(t);
}

static int enumval_spec(const struct bl_btf *btf, const struct btf_type *t, struct bl_core_spec *spec,
			struct bl_err *err)
{
	uint32_t i = spec->raw[0];

	if (!is_any_enum(t))
		return bl_fail(err, EINVAL, "an enum value relocation on type [%u] (%s), which is no enum",
			       spec->root_id, bl_btf_kind_str(bl_btf_kind(t)));
	if (spec->raw_len > 1 || i >= bl_btf_vlen(t))
		return bl_fail(err, EINVAL, "enum %s has no value #%u", bl_btf_type_name(btf, spec->acc[0].type_id),
			       i);
	spec->acc[0].name = bl_btf_name(btf, bl_btf_enum_name_off(t, i));
	if (!spec->acc[0].name || !*spec->acc[0].name)
		return bl_fail(err, EINVAL, "enum %s: value #%u has no name", bl_btf_type_name(btf, spec->acc[0].type_id), i);
	return 0;
}

/* One step into a struct or union: member idx. */
static int member_step(const struct bl_btf *btf, uint32_t id, const struct btf_type *t,
		       uint32_t idx, struct bl_core_spec *spec, uint32_t *next, struct bl_err *err)
{
	const struct btf_member *m;

	if (idx >= bl_btf_vlen(t))
		return bl_fail(err, EINVAL, "%s %s has no member #%u", bl_btf_kind_str(bl_btf_kind(t)),
			       bl_btf_type_name(btf, id), idx);
	m = &bl_btf_members(t)[idx];
	spec->bit_offset += bl_btf_member_bit_offset(t, idx);
	if (m->name_off) {
		const char *name = bl_btf_name(btf, m->name_off);

		if (!name || !*name)
			return bl_fail(err, EINVAL, "%s %s: member #%u has a bad name", bl_btf_kind_str(bl_btf_kind(t)),
				       bl_btf_type_name(btf, id), idx);
		spec->acc[spec->len++] = (struct bl_core_access){ id, idx, name };
	}
	*next = m->type;
	return 0;
}

/* One step into an array: element idx. */
static int element_step(const struct bl_btf *btf, uint32_t id, const struct btf_type *t,
			uint32_t idx, struct bl_core_spec *spec, uint32_t *next, struct bl_err *err)
{
	const struct btf_array *a = bl_btf_array(t);
	uint32_t elem = bl_btf_skip_modifiers(btf, a->type), size;

	if (!is_flex_array(btf, &spec->acc[spec->len - 1], a) && idx >= a->nelems)
		return bl_fail(err, EINVAL, "index %u is outside array [%u] of %u elements", idx, id,
			       a->nelems);
	if (size_of(btf, elem, &size, err))
		return -err->code;
	spec->acc[spec->len++] = (struct bl_core_access){ elem, idx, NULL };
	spec->bit_offset += (uint64_t)idx * size * 8;
	*next = elem;
	return 0;
}

static int field_spec(const struct bl_btf *btf, struct bl_core_spec *spec, struct bl_err *err)
{
	uint32_t id = spec->acc[0].type_id, size, i;
	int ret;

	if (size_of(btf, id, &size, err))
		return -err->code;
	spec->bit_offset = (uint64_t)spec->raw[0] * size * 8;
	for (i = 1; i < spec->raw_len; i++) {
		const struct btf_type *t;

		id = bl_btf_skip_modifiers(btf, id);
		t = bl_btf_type(btf, id);
		if (!t)
			return bl_fail(err, EINVAL, "step %u refers to type %u, which does not exist", i, id);
		if (is_composite(t))
			ret = member_step(btf, id, t, spec->raw[i], spec, &id, err);
		else if (bl_btf_kind(t) == BTF_KIND_ARRAY)
			ret = element_step(btf, id, t, spec->raw[i], spec, &id, err);
		else
			ret = bl_fail(err, EINVAL, "step %u indexes type [%u] (%s), which is no struct, union or array",
				      i, id, bl_btf_kind_str(bl_btf_kind(t)));
		if (ret)
			return ret;
	}
	return 0;
}

int bl_core_parse_spec(const struct bl_btf *btf, const struct bpf_core_relo *relo,
		       struct bl_core_spec *spec, struct bl_err *err)
{
	const char *s = bl_btf_name(btf, relo->access_str_off);
	const struct btf_type *t;
	uint32_t id;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_id = relo->type_id;
	spec->kind = relo->kind;
	if (!s)
		return bl_fail(err, EINVAL, "access string offset %u is outside the BTF strings",
			       relo->access_str_off);
	if (!bl_btf_type(btf, relo->type_id) || relo->type_id == 0)
		return bl_fail(err, EINVAL, "type %u does not exist", relo->type_id);
	if (!bl_core_kind_is_field(relo->kind) && !bl_core_kind_is_type(relo->kind) &&
	    !bl_core_kind_is_enumval(relo->kind))
		return bl_fail(err, EINVAL, "relocation kind %u is unknown", relo->kind);
	if (bl_core_kind_is_type(relo->kind))	/* no field: clang writes "0" */
		return strcmp(s, "0") ? bl_fail(err, EINVAL, "a type relocation with access string \"%.40s\", not \"0\"", s) : 0;
	if (parse_indexes(s, spec, err))
		return -err->code;
	id = bl_btf_skip_modifiers(btf, relo->type_id);
	t = bl_btf_type(btf, id);
	if (!t)
		return bl_fail(err, EINVAL, "type %u refers to a type that does not exist", relo->type_id);
	spec->acc[0] = (struct bl_core_access){ id, spec->raw[0], NULL };
	spec->len = 1;
	if (bl_core_kind_is_enumval(relo->kind))
		return enumval_spec(btf, t, spec, err);
	return field_spec(btf, spec, err);
}

/* ---- in C terms ------------------------------------------------------------ */

static void append(char *buf, size_t size, size_t *len, const char *fmt, const char *s, uint32_t n)
{
	int w;

	if (*len >= size)
		return;
	w = s ? snprintf(buf + *len, size - *len, fmt, s) : snprintf(buf + *len, size - *len, fmt, n);
	if (w > 0)
		*len += (size_t)w;
}

void bl_core_spec_path(const struct bl_core_spec *spec, char *buf, size_t size)
{
	const struct btf_type *root = bl_btf_type(spec->btf, spec->root_id);
	const char *name = bl_btf_type_name(spec->btf, spec->root_id);
	size_t len = 0;
	uint32_t i;

	if (!size)
		return;
	buf[0] = '\0';
	if (!*name)
		name = "(anonymous)";
	if (bl_core_kind_is_type(spec->kind) || bl_core_kind_is_enumval(spec->kind)) {
		const char *kind = root ? bl_btf_kind_str(bl_btf_kind(root)) : "?";
		char lower[16];
		size_t k;

		for (k = 0; kind[k] && k + 1 < sizeof(lower); k++)
			lower[k] = (char)(kind[k] >= 'A' && kind[k] <= 'Z' ? kind[k] + 32 : kind[k]);
		lower[k] = '\0';
		append(buf, size, &len, "%s ", lower, 0);
	}
	append(buf, size, &len, "%s", name, 0);
	if (bl_core_kind_is_enumval(spec->kind) && spec->len && spec->acc[0].name) {
		append(buf, size, &len, "::%s", spec->acc[0].name, 0);
		return;
	}
	if (!bl_core_kind_is_field(spec->kind))
		return;
	for (i = 0; i < spec->len; i++) {
		if (spec->acc[i].name)
			append(buf, size, &len, ".%s", spec->acc[i].name, 0);
		else if (i > 0 || spec->acc[i].idx > 0)
			append(buf, size, &len, "[%u]", NULL, spec->acc[i].idx);
	}
}
