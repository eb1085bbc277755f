// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf.c - reading BTF: checking a blob once, indexing its types, and
 * the accessors that read types and strings afterwards.
 *
 * Syscalls: open/read in bl_btf_parse_file() (sys/file.c).
 *
 * The blob is copied into memory we own (4-byte aligned, so that the
 * type records can be read in place as struct btf_type), checked once,
 * and indexed: offsets[i] is where type start_id + i begins in the type
 * section.  That one array is the only allocation besides the copy, so
 * vmlinux's 100,000-odd types parse in a few milliseconds.
 *
 * bl_btf_parse_borrowed() skips the copy: the blob stays where the
 * caller has it (an mmap of /sys/kernel/btf/vmlinux, 6.16+), and is
 * copied only if something is about to change it (fixups, added types).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/btf_internal.h"
#include "sys/bounds.h"
#include "sys/bpf_syscall.h"
#include "sys/file.h"

static const struct btf_type void_type;

static const char *const kind_names[KIND_MAX + 1] = {
	"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD",
	"TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO",
	"VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
};

const char *bl_btf_kind_str(unsigned int kind)
{
	return kind <= KIND_MAX ? kind_names[kind] : "UNKNOWN";
}

/* ---- accessors ------------------------------------------------------------ */

uint32_t bl_btf_type_count(const struct bl_btf *btf)
{
	return btf->start_id + btf->nr_types;
}

uint32_t bl_btf_start_id(const struct bl_btf *btf)
{
	return btf->start_id;
}

const struct bl_btf *bl_btf_base(const struct bl_btf *btf)
{
	return btf->base;
}

const void *bl_btf_raw(const struct bl_btf *btf, uint32_t *size)
{
	*size = btf->size;
	return btf->data;
}

const struct btf_type *bl_btf_type(const struct bl_btf *btf, uint32_t id)
{
	while (id < btf->start_id && btf->base)
		btf = btf->base;
	if (id == 0)
		return &void_type;
	if (id - btf->start_id >= btf->nr_types)
		return NULL;
	return (const struct btf_type *)(btf->data + btf->types + btf->offsets[id - btf->start_id]);
}

/* A type we may change: only our own, never the base's. */
struct btf_type *bl_btf_type_mut(struct bl_btf *btf, uint32_t id)
{
	if (id < btf->start_id || id - btf->start_id >= btf->nr_types)
		return NULL;
	return (struct btf_type *)(btf->data + btf->types + btf->offsets[id - btf->start_id]);
}

const char *bl_btf_name(const struct bl_btf *btf, uint32_t off)
{
	while (off < btf->start_str && btf->base)
		btf = btf->base;
	off -= btf->start_str;
	if (off >= btf->strs_len)
		return NULL;
	return (const char *)btf->data + btf->strs + off;
}

const char *bl_btf_type_name(const struct bl_btf *btf, uint32_t id)
{
	const struct btf_type *t = bl_btf_type(btf, id);
	const char *name = t ? bl_btf_name(btf, t->name_off) : NULL;

	return name ? name : "";
}

int64_t bl_btf_enum_value(const struct btf_type *t, uint32_t i)
{
	if (bl_btf_kind(t) == KIND_ENUM64) {
		const struct btf_enum64 *e = &bl_btf_enum64s(t)[i];

		return (int64_t)(((uint64_t)e->val_hi32 << 32) | e->val_lo32);
	}
	if (bl_btf_kflag(t))
		return (int32_t)bl_btf_enums(t)[i].val;
	return (uint32_t)bl_btf_enums(t)[i].val;
}

uint32_t bl_btf_enum_name_off(const struct btf_type *t, uint32_t i)
{
	if (bl_btf_kind(t) == KIND_ENUM64)
		return bl_btf_enum64s(t)[i].name_off;
	return bl_btf_enums(t)[i].name_off;
}

const struct btf_member *bl_btf_member_by_name(const struct bl_btf *btf,
					       const struct btf_type *t, const char *name)
{
	unsigned int kind = bl_btf_kind(t);
	uint32_t i;

	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return NULL;
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const char *n = bl_btf_name(btf, bl_btf_members(t)[i].name_off);

		if (n && strcmp(n, name) == 0)
			return &bl_btf_members(t)[i];
	}
	return NULL;
}

int64_t bl_btf_find(const struct bl_btf *btf, const char *name, unsigned int kind)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = 1; id < count; id++) {
		const struct btf_type *t = bl_btf_type(btf, id);
		const char *n;

		if (bl_btf_kind(t) != kind)
			continue;
		n = bl_btf_name(btf, t->name_off);
		if (n && strcmp(n, name) == 0)
			return id;
	}
	return -ENOENT;
}

/* ---- parsing ------------------------------------------------------------- */

/* Header fields, by offset: the struct in <linux/btf.h> may be of
 * another size than the blob's header. */
enum { H_HDR_LEN = 4, H_TYPE_OFF = 8, H_TYPE_LEN = 12, H_STR_OFF = 16, H_STR_LEN = 20 };

static int check_header(struct bl_btf *btf, struct bl_err *err)
{
	const unsigned char *d = btf->data;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint16_t magic;

	if (btf->size < HDR_MIN)
		return bl_fail(err, EINVAL, "BTF of %u bytes is shorter than its %u-byte header",
			       btf->size, HDR_MIN);
	memcpy(&magic, d, sizeof(magic));
	if (magic == 0x9FeB)
		return bl_fail(err, EINVAL, "BTF is big-endian; only BTF of this machine's byte order is supported");
	if (magic != BTF_MAGIC)
		return bl_fail(err, EINVAL, "not BTF: magic 0x%04x, expected 0x%04x", magic, BTF_MAGIC);
	if (d[2] != BTF_VERSION)
		return bl_fail(err, EINVAL, "BTF version %u is not supported (only %u)", d[2], BTF_VERSION);
	hdr_len = bl_get_u32(d + H_HDR_LEN);
	if (hdr_len < HDR_MIN || hdr_len > btf->size || hdr_len % 4)
		return bl_fail(err, EINVAL, "BTF header length %u is invalid (%u-byte blob; at least %u, a multiple of 4)",
			       hdr_len, btf->size, HDR_MIN);
	type_off = bl_get_u32(d + H_TYPE_OFF);
	type_len = bl_get_u32(d + H_TYPE_LEN);
	str_off = bl_get_u32(d + H_STR_OFF);
	str_len = bl_get_u32(d + H_STR_LEN);
	if (!bl_range_ok(type_off, type_len, btf->size - hdr_len) ||
	    !bl_range_ok(str_off, str_len, btf->size - hdr_len))
		return bl_fail(err, EINVAL, "BTF sections (types %u+%u, strings %u+%u) lie outside the %u bytes after the header",
			       type_off, type_len, str_off, str_len, btf->size - hdr_len);
	if (type_off % 4)
		return bl_fail(err, EINVAL, "BTF type section at offset %u is not 4-byte aligned", type_off);
	if ((uint64_t)type_off + type_len > str_off)
		return bl_fail(err, EINVAL, "BTF type section (%u+%u) overlaps or follows the string section at %u",
			       type_off, type_len, str_off);
	btf->types = hdr_len + type_off;
	btf->types_len = type_len;
	btf->strs = hdr_len + str_off;
	btf->strs_len = str_len;
	return 0;
}

/* Strings end with a NUL, so any offset inside gives a terminated string;
 * offset 0 must be "" (except in split BTF, where 0 is the base's ""). */
static int check_strings(struct bl_btf *btf, struct bl_err *err)
{
	const char *s = (const char *)btf->data + btf->strs;

	if (btf->strs_len == 0 && btf->base)
		return 0;
	if (btf->strs_len == 0 || s[btf->strs_len - 1] != '\0')
		return bl_fail(err, EINVAL, "BTF string section (%u bytes) does not end with a NUL", btf->strs_len);
	if (!btf->base && s[0] != '\0')
		return bl_fail(err, EINVAL, "BTF string section does not start with an empty string%s",
			       " (is this split BTF that needs its base, e.g. a kernel module's?)");
	if ((uint64_t)btf->start_str + btf->strs_len > MAX_STR)
		return bl_fail(err, EINVAL, "BTF string section of %u bytes is larger than the kernel's limit",
			       btf->strs_len);
	return 0;
}

/* Bytes a record of this kind takes, or -1 for a kind we do not know. */
static int64_t record_size(const struct btf_type *t)
{
	uint64_t vlen = bl_btf_vlen(t), base = sizeof(struct btf_type);

	switch (bl_btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return (int64_t)base;
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return (int64_t)base + 4;
	case BTF_KIND_ARRAY:
		return (int64_t)(base + sizeof(struct btf_array));
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (int64_t)(base + vlen * sizeof(struct btf_member));
	case BTF_KIND_ENUM:
		return (int64_t)(base + vlen * sizeof(struct btf_enum));
	case KIND_ENUM64:
		return (int64_t)(base + vlen * 12);	/* struct btf_enum64 */
	case BTF_KIND_FUNC_PROTO:
		return (int64_t)(base + vlen * sizeof(struct btf_param));
	case BTF_KIND_DATASEC:
		return (int64_t)(base + vlen * sizeof(struct btf_var_secinfo));
	default:
		return -1;
	}
}

static int name_ok(const struct bl_btf *btf, uint32_t off)
{
	if (off - btf->start_str < btf->strs_len)	/* the common case, fast */
		return 1;
	return bl_btf_name(btf, off) != NULL;
}

/* Every string offset a record holds; entries are 8 or 12 bytes with the
 * name first (members, enum values, params). */
static int check_names(const struct bl_btf *btf, uint32_t id, const struct btf_type *t,
		       struct bl_err *err)
{
	unsigned int kind = bl_btf_kind(t);
	const unsigned char *entry = (const unsigned char *)(t + 1);
	size_t step = 0;
	uint32_t i;

	if (!name_ok(btf, t->name_off))
		return bl_fail(err, EINVAL, "BTF type [%u] (%s): name offset %u is outside the string section",
			       id, bl_btf_kind_str(kind), t->name_off);
	if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == KIND_ENUM64)
		step = 12;
	else if (kind == BTF_KIND_ENUM || kind == BTF_KIND_FUNC_PROTO)
		step = 8;
	for (i = 0; step && i < bl_btf_vlen(t); i++, entry += step)
		if (!name_ok(btf, bl_get_u32(entry)))
			return bl_fail(err, EINVAL, "BTF type [%u] (%s %s): entry %u's name offset %u is outside the string section",
				       id, bl_btf_kind_str(kind), bl_btf_type_name(btf, id), i, bl_get_u32(entry));
	return 0;
}

/* One pass over the type section: record where each type starts. */
static int index_types(struct bl_btf *btf, struct bl_err *err)
{
	const unsigned char *sec = btf->data + btf->types;
	uint32_t pos = 0, n = 0, max = btf->types_len / sizeof(struct btf_type);

	btf->offsets = malloc((max ? max : 1) * sizeof(*btf->offsets));
	if (!btf->offsets)
		return bl_fail(err, ENOMEM, "out of memory for the index of %u BTF types", max);
	while (btf->types_len - pos >= sizeof(struct btf_type)) {
		const struct btf_type *t = (const struct btf_type *)(sec + pos);
		int64_t len = record_size(t);
		uint32_t id = btf->start_id + n;

		if (len < 0)
			return bl_fail(err, EINVAL, "BTF type [%u] has kind %u, which this loader does not know (it knows up to %s)",
				       id, bl_btf_kind(t), kind_names[KIND_MAX]);
		if ((uint64_t)len > btf->types_len - pos)
			return bl_fail(err, EINVAL, "BTF type [%u] (%s, %u entries) runs past the end of the type section",
				       id, bl_btf_kind_str(bl_btf_kind(t)), bl_btf_vlen(t));
		if (id >= MAX_TYPES)
			return bl_fail(err, E2BIG, "BTF has more than %u types", MAX_TYPES - 1);
		btf->offsets[n++] = pos;
		pos += (uint32_t)len;
	}
	if (pos != btf->types_len)
		return bl_fail(err, EINVAL, "BTF type section ends with %u stray bytes", btf->types_len - pos);
	btf->nr_types = n;
	return 0;
}

static int bad_ref(const struct bl_btf *btf, uint32_t id, const char *what, uint32_t ref,
		   struct bl_err *err)
{
	const struct btf_type *t = bl_btf_type(btf, id);

	return bl_fail(err, EINVAL, "BTF type [%u] (%s %s): %s refers to type %u, but the last type is %u",
		       id, bl_btf_kind_str(bl_btf_kind(t)), bl_btf_type_name(btf, id), what, ref,
		       bl_btf_type_count(btf) - 1);
}

/* Entries that hold a type id: at which byte of each entry, if any. */
static int entry_type_field(unsigned int kind, size_t *step, size_t *at)
{
	switch (kind) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		*step = sizeof(struct btf_member), *at = 4;
		return 1;
	case BTF_KIND_FUNC_PROTO:
		*step = sizeof(struct btf_param), *at = 4;
		return 1;
	case BTF_KIND_DATASEC:
		*step = sizeof(struct btf_var_secinfo), *at = 0;
		return 1;
	default:
		return 0;
	}
}

/* A DECL_TAG's component must index a member or parameter of its target:
 * users index with it. */
static int check_decl_tag(const struct bl_btf *btf, uint32_t id, const struct btf_type *t,
			  struct bl_err *err)
{
	int32_t idx = bl_btf_decl_tag(t)->component_idx;
	const struct btf_type *target = bl_btf_type(btf, t->type);
	uint32_t n = 0;

	if (idx == -1)
		return 0;
	if (bl_btf_kind(target) == BTF_KIND_STRUCT || bl_btf_kind(target) == BTF_KIND_UNION)
		n = bl_btf_vlen(target);
	else if (bl_btf_kind(target) == BTF_KIND_FUNC) {
		/* the FUNC itself may not be checked yet */
		const struct btf_type *proto = bl_btf_type(btf, target->type);

		if (proto && bl_btf_kind(proto) == BTF_KIND_FUNC_PROTO)
			n = bl_btf_vlen(proto);
	}
	if (idx < 0 || (uint32_t)idx >= n)
		return bl_fail(err, EINVAL, "BTF type [%u] (DECL_TAG %s): component %d does not exist in type %u",
			       id, bl_btf_type_name(btf, id), idx, t->type);
	return 0;
}

/* Every type id a record holds must exist; FUNC must name a FUNC_PROTO. */
static int check_refs(const struct bl_btf *btf, uint32_t id, const struct btf_type *t,
		      struct bl_err *err)
{
	uint32_t count = bl_btf_type_count(btf), i;
	unsigned int kind = bl_btf_kind(t);
	const unsigned char *entry = (const unsigned char *)(t + 1);
	size_t step, at;

	switch (kind) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC_PROTO:
		if (t->type >= count)
			return bad_ref(btf, id, kind == BTF_KIND_FUNC_PROTO ? "its return type" : "it",
				       t->type, err);
		break;
	case BTF_KIND_ARRAY:
		if (bl_btf_array(t)->type >= count)
			return bad_ref(btf, id, "its element type", bl_btf_array(t)->type, err);
		if (bl_btf_array(t)->index_type >= count)
			return bad_ref(btf, id, "its index type", bl_btf_array(t)->index_type, err);
		break;
	}
	if (entry_type_field(kind, &step, &at))
		for (i = 0; i < bl_btf_vlen(t); i++, entry += step)
			if (bl_get_u32(entry + at) >= count)
				return bad_ref(btf, id, "an entry", bl_get_u32(entry + at), err);
	if (kind == BTF_KIND_FUNC && bl_btf_kind(bl_btf_type(btf, t->type)) != BTF_KIND_FUNC_PROTO)
		return bl_fail(err, EINVAL, "BTF type [%u] (FUNC %s): type %u is not a FUNC_PROTO",
			       id, bl_btf_type_name(btf, id), t->type);
	if (kind == BTF_KIND_DECL_TAG)
		return check_decl_tag(btf, id, t, err);
	return 0;
}

static int check_types(const struct bl_btf *btf, struct bl_err *err)
{
	uint32_t id, count = bl_btf_type_count(btf);
	int ret;

	for (id = btf->start_id; id < count; id++) {
		const struct btf_type *t = (const struct btf_type *)
			(btf->data + btf->types + btf->offsets[id - btf->start_id]);

		if ((ret = check_names(btf, id, t, err)) || (ret = check_refs(btf, id, t, err)))
			return ret;
	}
	return 0;
}

uint32_t bl_btf_string_bytes(const struct bl_btf *btf)
{
	return btf->start_str + btf->strs_len;
}

/* Parse the blob in data: malloc'd and owned from now on (even on
 * failure), or borrowed from the caller.  Without refs, the references
 * between types and the names are left to the accessors, which check
 * them on every use. */
static struct bl_btf *parse_blob(unsigned char *data, size_t size, const struct bl_btf *base,
				 int borrowed, int refs, struct bl_err *err)
{
	struct bl_btf *btf = calloc(1, sizeof(*btf));

	if (!btf) {
		if (!borrowed)
			free(data);
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	btf->data = data;
	btf->borrowed = borrowed;
	btf->size = (uint32_t)size;
	btf->base = base;
	btf->start_id = base ? bl_btf_type_count(base) : 1;
	btf->start_str = base ? bl_btf_string_bytes(base) : 0;
	if (size > UINT32_MAX) {
		bl_fail(err, E2BIG, "BTF of %zu bytes is too large", size);
	} else if (check_header(btf, err) == 0 && check_strings(btf, err) == 0 &&
		   index_types(btf, err) == 0 && (!refs || check_types(btf, err) == 0)) {
		return btf;
	}
	bl_btf_free(btf);
	return NULL;
}

struct bl_btf *bl_btf_parse(const void *data, size_t size, const struct bl_btf *base,
			    struct bl_err *err)
{
	unsigned char *copy = malloc(size ? size : 1);

	if (!copy) {
		bl_fail(err, ENOMEM, "out of memory for %zu bytes of BTF", size);
		return NULL;
	}
	if (size)
		memcpy(copy, data, size);
	return parse_blob(copy, size, base, 0, 1, err);
}

struct bl_btf *bl_btf_parse_borrowed(const void *data, size_t size, const struct bl_btf *base,
				     struct bl_err *err)
{
	/* records are read in place as struct btf_type */
	if ((uintptr_t)data % 4)
		return bl_btf_parse(data, size, base, err);
	return parse_blob((unsigned char *)data, size, base, 1, 1, err);
}

struct bl_btf *bl_btf_parse_kernel(const void *data, size_t size, const struct bl_btf *base,
				   struct bl_err *err)
{
	if ((uintptr_t)data % 4)
		return bl_btf_parse(data, size, base, err);
	return parse_blob((unsigned char *)data, size, base, 1, 0, err);
}

int bl_btf_make_owned(struct bl_btf *btf, struct bl_err *err)
{
	unsigned char *copy;

	if (!btf->borrowed)
		return 0;
	copy = malloc(btf->size ? btf->size : 1);
	if (!copy)
		return bl_fail(err, ENOMEM, "out of memory for %u bytes of BTF", btf->size);
	memcpy(copy, btf->data, btf->size);
	btf->data = copy;
	btf->borrowed = 0;
	return 0;
}

void bl_btf_free(struct bl_btf *btf)
{
	if (!btf)
		return;
	free(btf->offsets);
	if (!btf->borrowed)
		free(btf->data);
	free(btf);
}

struct bl_btf *bl_btf_parse_file(const char *path, const struct bl_btf *base,
				 struct bl_err *err)
{
	unsigned char *data = NULL;
	size_t size = 0;
	struct bl_btf *btf;
	int ret = bl_read_whole(path, BTF_FILE_MAX, &data, &size);

	if (ret) {
		bl_fail(err, -ret, "cannot read %s: %s%s", path, strerror(-ret),
			ret == -EFBIG ? " (over BTF_FILE_MAX, 256 MiB: more than BTF can hold)" : "");
		return NULL;
	}
	btf = parse_blob(data, size, base, 0, 1, err);
	if (!btf)
		bl_err_context(err, "%s", path);
	return btf;
}

