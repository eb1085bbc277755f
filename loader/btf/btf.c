// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf.c - reading, fixing up, sanitizing and loading BTF.
 *
 * Syscalls: bpf(BPF_BTF_LOAD); open, fstat, read, close.
 *
 * The blob is copied into memory we own (4-byte aligned, so that the
 * type records can be read in place as struct btf_type), checked once,
 * and indexed: offsets[i] is where type start_id + i begins in the type
 * section.  That one array is the only allocation besides the copy, so
 * vmlinux's 100,000-odd types parse in a few milliseconds.
 */
#include "btf/btf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"

/* The header fields every version has (struct btf_header may grow). */
#define HDR_MIN 24u
/* Kinds this reader knows; <linux/btf.h> may be older than this file. */
#define KIND_ENUM64 19u
#define KIND_MAX KIND_ENUM64
/* Ids and string offsets the kernel allows (BTF_MAX_TYPE, _NAME_OFFSET). */
#define MAX_TYPES 0x100000u
#define MAX_STR 0x1000000u
/* Longest chain of typedefs, qualifiers and arrays we follow; vmlinux
 * has structs nested deeper than that, counting their typedefs and
 * arrays, so alignment, which recurses into members, gets more room. */
#define MAX_DEPTH 32
#define MAX_NESTING 256

struct bl_btf {
	unsigned char *data;		/* our copy of the blob */
	uint32_t size;
	uint32_t types;			/* type section: data + types, types_len bytes */
	uint32_t types_len;
	uint32_t strs;			/* string section: data + strs */
	uint32_t strs_len;
	uint32_t *offsets;		/* type start_id + i at data + types + offsets[i] */
	uint32_t nr_types;		/* defined by this blob */
	uint32_t start_id;		/* 1, or the base's type count */
	uint32_t start_str;		/* 0, or the base's string bytes */
	const struct bl_btf *base;
};

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
static struct btf_type *type_mut(struct bl_btf *btf, uint32_t id)
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

/* off + len fits inside size, without overflowing. */
static int range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

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
	hdr_len = get_u32(d + H_HDR_LEN);
	if (hdr_len < HDR_MIN || hdr_len > btf->size || hdr_len % 4)
		return bl_fail(err, EINVAL, "BTF header length %u is invalid (%u-byte blob; at least %u, a multiple of 4)",
			       hdr_len, btf->size, HDR_MIN);
	type_off = get_u32(d + H_TYPE_OFF);
	type_len = get_u32(d + H_TYPE_LEN);
	str_off = get_u32(d + H_STR_OFF);
	str_len = get_u32(d + H_STR_LEN);
	if (!range_ok(type_off, type_len, btf->size - hdr_len) ||
	    !range_ok(str_off, str_len, btf->size - hdr_len))
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
		if (!name_ok(btf, get_u32(entry)))
			return bl_fail(err, EINVAL, "BTF type [%u] (%s %s): entry %u's name offset %u is outside the string section",
				       id, bl_btf_kind_str(kind), bl_btf_type_name(btf, id), i, get_u32(entry));
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
			if (get_u32(entry + at) >= count)
				return bad_ref(btf, id, "an entry", get_u32(entry + at), err);
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

static uint32_t string_bytes(const struct bl_btf *btf)
{
	return btf->start_str + btf->strs_len;
}

/* Parse the blob in data (malloc'd, owned from now on, even on failure). */
static struct bl_btf *parse_owned(unsigned char *data, size_t size, const struct bl_btf *base,
				  struct bl_err *err)
{
	struct bl_btf *btf = calloc(1, sizeof(*btf));

	if (!btf) {
		free(data);
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	btf->data = data;
	btf->size = (uint32_t)size;
	btf->base = base;
	btf->start_id = base ? bl_btf_type_count(base) : 1;
	btf->start_str = base ? string_bytes(base) : 0;
	if (size > UINT32_MAX) {
		bl_fail(err, E2BIG, "BTF of %zu bytes is too large", size);
	} else if (check_header(btf, err) == 0 && check_strings(btf, err) == 0 &&
		   index_types(btf, err) == 0 && check_types(btf, err) == 0) {
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
	return parse_owned(copy, size, base, err);
}

void bl_btf_free(struct bl_btf *btf)
{
	if (!btf)
		return;
	free(btf->offsets);
	free(btf->data);
	free(btf);
}

/* Read a whole file; sysfs files may report a size of 0, so read to EOF. */
static unsigned char *read_file(const char *path, size_t *size, struct bl_err *err)
{
	size_t cap = 1 << 16, len = 0;
	unsigned char *buf = NULL;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		bl_fail(err, e, "cannot open %s: %s", path, strerror(e));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	for (;;) {
		ssize_t n;

		if (!buf || len == cap) {
			unsigned char *bigger;

			if (buf)
				cap *= 2;
			bigger = realloc(buf, cap);
			if (!bigger) {
				bl_fail(err, ENOMEM, "%s: out of memory", path);
				goto fail;
			}
			buf = bigger;
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			bl_fail(err, e, "reading %s failed: %s", path, strerror(e));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	*size = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

struct bl_btf *bl_btf_parse_file(const char *path, const struct bl_btf *base,
				 struct bl_err *err)
{
	size_t size;
	unsigned char *data = read_file(path, &size, err);
	struct bl_btf *btf;

	if (!data)
		return NULL;
	btf = parse_owned(data, size, base, err);
	if (!btf)
		bl_err_context(err, "%s", path);
	return btf;
}

/* ---- following references ---------------------------------------------------- */

static int is_modifier(unsigned int kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

uint32_t bl_btf_skip_modifiers(const struct bl_btf *btf, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		t = bl_btf_type(btf, id);
		if (!t || !is_modifier(bl_btf_kind(t)))
			break;
		id = t->type;
	}
	return id;
}

/* " name" for messages, or nothing for anonymous types: two arguments. */
#define SP_NAME(btf, id) (*bl_btf_type_name(btf, id) ? " " : ""), bl_btf_type_name(btf, id)

static int no_such_type(uint32_t id, struct bl_err *err)
{
	return bl_fail(err, EINVAL, "BTF type %u does not exist", id);
}

static int too_deep(const struct bl_btf *btf, uint32_t id, struct bl_err *err)
{
	return bl_fail(err, ELOOP, "BTF type [%u]%s%s: more than %d typedefs, qualifiers or arrays in a row (a loop?)",
		       id, SP_NAME(btf, id), MAX_DEPTH);
}

int bl_btf_resolve_size(const struct bl_btf *btf, uint32_t id, uint32_t *size,
			struct bl_err *err)
{
	uint64_t nelems = 1, total;
	uint32_t start = id;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		if (!t)
			return no_such_type(id, err);
		switch (bl_btf_kind(t)) {
		case BTF_KIND_INT: case BTF_KIND_ENUM: case KIND_ENUM64: case BTF_KIND_FLOAT:
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC:
			total = nelems * t->size;
			goto done;
		case BTF_KIND_PTR:
			total = nelems * 8;	/* BPF pointers are 64 bits */
			goto done;
		case BTF_KIND_ARRAY:
			nelems *= bl_btf_array(t)->nelems;
			if (nelems > UINT32_MAX)
				goto overflow;
			id = bl_btf_array(t)->type;
			break;
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
			id = t->type;
			break;
		default:
			return bl_fail(err, EINVAL, "BTF type [%u]%s%s: it is %s, which has no size",
				       start, SP_NAME(btf, start),
				       id ? bl_btf_kind_str(bl_btf_kind(t)) : "void");
		}
	}
	return too_deep(btf, start, err);
done:
	if (total > UINT32_MAX)
		goto overflow;
	*size = (uint32_t)total;
	return 0;
overflow:
	return bl_fail(err, E2BIG, "BTF type [%u]%s%s: its size does not fit in 32 bits",
		       start, SP_NAME(btf, start));
}

/* Alignment walks nested structs; a budget of steps keeps a hostile BTF
 * (each struct holding two of the next) from taking forever. */
struct align_walk {
	uint32_t steps_left;
};

static int align_of(const struct bl_btf *btf, uint32_t id, uint32_t *align, int depth,
		    struct align_walk *w, struct bl_err *err);

/* The largest member alignment; 1 when a member sits where its alignment
 * says it cannot (a packed struct). */
static int struct_align(const struct bl_btf *btf, const struct btf_type *t, uint32_t *align,
			int depth, struct align_walk *w, struct bl_err *err)
{
	uint32_t i, a, max = 1;
	int ret;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		ret = align_of(btf, bl_btf_members(t)[i].type, &a, depth + 1, w, err);
		if (ret)
			return ret;
		if (!bl_btf_member_bitfield_size(t, i) && bl_btf_member_bit_offset(t, i) % (a * 8)) {
			*align = 1;
			return 0;
		}
		if (a > max)
			max = a;
	}
	*align = t->size % max ? 1 : max;
	return 0;
}

static int align_of(const struct bl_btf *btf, uint32_t id, uint32_t *align, int depth,
		    struct align_walk *w, struct bl_err *err)
{
	const struct btf_type *t;
	uint32_t size;
	int ret;

	for (; depth < MAX_NESTING; depth++) {
		t = bl_btf_type(btf, id);
		if (!t)
			return no_such_type(id, err);
		if (w->steps_left-- == 0)
			return bl_fail(err, E2BIG, "BTF type [%u]: too many nested members to find its alignment", id);
		switch (bl_btf_kind(t)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			return struct_align(btf, t, align, depth, w, err);
		case BTF_KIND_ARRAY:
			id = bl_btf_array(t)->type;
			continue;
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
			id = t->type;
			continue;
		}
		if ((ret = bl_btf_resolve_size(btf, id, &size, err)))
			return ret;
		/* scalars align to their size, up to 8 on BPF */
		for (*align = 1; *align < size && *align < 8; *align *= 2)
			;
		return 0;
	}
	return bl_fail(err, ELOOP, "BTF type [%u]%s%s: members nest more than %d deep (a loop?)",
		       id, SP_NAME(btf, id), MAX_NESTING);
}

int bl_btf_resolve_align(const struct bl_btf *btf, uint32_t id, uint32_t *align,
			 struct bl_err *err)
{
	struct align_walk w = { 1u << 20 };

	return align_of(btf, id, align, 0, &w, err);
}

int bl_btf_member_uint(const struct bl_btf *btf, const struct btf_member *m,
		       uint64_t *value, struct bl_err *err)
{
	const char *name = bl_btf_name(btf, m->name_off);
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, m->type));
	const struct btf_type *array;

	if (t && bl_btf_kind(t) == BTF_KIND_PTR) {
		array = bl_btf_type(btf, t->type);
		if (array && bl_btf_kind(array) == BTF_KIND_ARRAY) {
			*value = bl_btf_array(array)->nelems;
			return 0;
		}
	}
	if (t && (bl_btf_kind(t) == BTF_KIND_ENUM || bl_btf_kind(t) == KIND_ENUM64) &&
	    bl_btf_vlen(t) == 1) {
		*value = (uint64_t)bl_btf_enum_value(t, 0);
		return 0;
	}
	return bl_fail(err, EINVAL, "member %s is %s, not a number written with __uint() (a pointer to an array) or __ulong() (an enum of one value)",
		       name && *name ? name : "(anonymous)", t ? bl_btf_kind_str(bl_btf_kind(t)) : "a bad type");
}

int bl_btf_member_pointee(const struct bl_btf *btf, const struct btf_member *m,
			  uint32_t *type_id, struct bl_err *err)
{
	const char *name = bl_btf_name(btf, m->name_off);
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, m->type));

	if (!t || bl_btf_kind(t) != BTF_KIND_PTR)
		return bl_fail(err, EINVAL, "member %s is %s, not a type written with __type() (a pointer to it)",
			       name && *name ? name : "(anonymous)", t ? bl_btf_kind_str(bl_btf_kind(t)) : "a bad type");
	*type_id = t->type;
	return 0;
}

/* ---- adding types ----------------------------------------------------------- */

/*
 * Append a type record (rec may be NULL) and a string (name may be NULL)
 * whose offset will be next_string_off(): a record naming it says so in
 * its name_off.  The blob is rebuilt as a 24-byte header, the types and
 * the strings; header fields and sections newer than those are dropped,
 * which kernels accept.
 */
static uint32_t next_string_off(const struct bl_btf *btf)
{
	return string_bytes(btf);
}

static int append(struct bl_btf *btf, const void *rec, uint32_t rec_len, const char *name,
		  uint32_t *id, struct bl_err *err)
{
	uint32_t name_len = name ? (uint32_t)strlen(name) + 1 : 0;
	uint32_t types_len = btf->types_len + rec_len, strs_len = btf->strs_len + name_len;
	uint64_t size = (uint64_t)HDR_MIN + types_len + strs_len;
	unsigned char *d = size <= UINT32_MAX ? malloc(size) : NULL;
	uint32_t *offsets = realloc(btf->offsets, (btf->nr_types + 1) * sizeof(*offsets));
	uint32_t hdr[6];

	if (offsets)
		btf->offsets = offsets;
	if (!d || !offsets) {
		free(d);
		return bl_fail(err, ENOMEM, "out of memory for a BTF of %llu bytes", (unsigned long long)size);
	}
	memcpy(hdr, btf->data, 4);	/* magic, version, flags */
	hdr[1] = HDR_MIN;
	hdr[2] = 0;
	hdr[3] = types_len;
	hdr[4] = types_len;
	hdr[5] = strs_len;
	memcpy(d, hdr, HDR_MIN);
	memcpy(d + HDR_MIN, btf->data + btf->types, btf->types_len);
	if (rec_len)
		memcpy(d + HDR_MIN + btf->types_len, rec, rec_len);
	memcpy(d + HDR_MIN + types_len, btf->data + btf->strs, btf->strs_len);
	if (name_len)
		memcpy(d + HDR_MIN + types_len + btf->strs_len, name, name_len);
	free(btf->data);
	btf->data = d;
	btf->size = (uint32_t)size;
	btf->types = HDR_MIN;
	btf->strs = HDR_MIN + types_len;
	if (rec_len) {
		btf->offsets[btf->nr_types] = btf->types_len;
		*id = btf->start_id + btf->nr_types++;
	}
	btf->types_len = types_len;
	btf->strs_len = strs_len;
	return 0;
}

static int add_string(struct bl_btf *btf, const char *s, uint32_t *off, struct bl_err *err)
{
	*off = next_string_off(btf);
	return append(btf, NULL, 0, s, NULL, err);
}

static uint32_t info_word(unsigned int kind, uint32_t vlen, int kflag)
{
	return ((uint32_t)kflag << 31) | ((uint32_t)kind << 24) | vlen;
}

/* An INT record: name_off, info, size, then the encoding word. */
static int add_int(struct bl_btf *btf, const char *name, uint32_t size, uint32_t *id,
		   struct bl_err *err)
{
	uint32_t rec[4] = { next_string_off(btf), info_word(BTF_KIND_INT, 0, 0), size, size * 8 };

	return append(btf, rec, sizeof(rec), name, id, err);
}

static int add_var(struct bl_btf *btf, const char *name, uint32_t type, uint32_t *id,
		   struct bl_err *err)
{
	uint32_t rec[4] = { next_string_off(btf), info_word(BTF_KIND_VAR, 0, 0), type,
			    BTF_VAR_GLOBAL_ALLOCATED };

	return append(btf, rec, sizeof(rec), name, id, err);
}

/* A 4-byte signed int of ours or the base's, or a new one. */
static int find_or_add_int(struct bl_btf *btf, uint32_t *id, struct bl_err *err)
{
	uint32_t i, count = bl_btf_type_count(btf);

	for (i = 1; i < count; i++) {
		const struct btf_type *t = bl_btf_type(btf, i);

		if (bl_btf_kind(t) == BTF_KIND_INT && t->size == 4 &&
		    BTF_INT_BITS(bl_btf_int_info(t)) == 32 && BTF_INT_OFFSET(bl_btf_int_info(t)) == 0) {
			*id = i;
			return 0;
		}
	}
	return add_int(btf, "int", 4, id, err);
}

/* ---- fixing up DATASECs ------------------------------------------------------ */

static const char *datasec_name(const struct bl_btf *btf, uint32_t id)
{
	const char *name = bl_btf_type_name(btf, id);

	return *name ? name : "(anonymous)";
}

static struct btf_var_secinfo *secinfos_mut(struct bl_btf *btf, uint32_t id)
{
	return (struct btf_var_secinfo *)(type_mut(btf, id) + 1);
}

/* A DATASEC of externs: libbpf's .kconfig and .ksyms, with no ELF section. */
static int has_externs(const struct bl_btf *btf, const struct btf_type *sec)
{
	uint32_t i;

	for (i = 0; i < bl_btf_vlen(sec); i++) {
		const struct btf_type *v = bl_btf_type(btf, bl_btf_secinfos(sec)[i].type);

		if (bl_btf_kind(v) == BTF_KIND_FUNC ||
		    (bl_btf_kind(v) == BTF_KIND_VAR && bl_btf_var(v)->linkage == BTF_VAR_GLOBAL_EXTERN))
			return 1;
	}
	return 0;
}

/* Insertion sort: the kernel wants variables in offset order, clang
 * writes them in declaration order, and there are few. */
static void sort_secinfos(struct btf_var_secinfo *v, uint32_t n)
{
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		struct btf_var_secinfo x = v[i];

		for (j = i; j > 0 && v[j - 1].offset > x.offset; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int var_outside(const struct bl_btf *btf, uint32_t sec, const struct btf_var_secinfo *v,
		       struct bl_err *err)
{
	return bl_fail(err, EINVAL, "DATASEC %s: variable %s (%u bytes at offset %u) lies outside the section's %u bytes",
		       datasec_name(btf, sec), bl_btf_type_name(btf, v->type), v->size, v->offset,
		       bl_btf_type(btf, sec)->size);
}

/* A DATASEC of an ELF section: take the size from the section and the
 * offsets from the symbols, unless a linker already filled them in. */
static int fixup_section(struct bl_btf *btf, uint32_t id, const struct bl_btf_elf_info *elf,
			 struct bl_err *err)
{
	struct btf_type *t = type_mut(btf, id);
	struct btf_var_secinfo *v = secinfos_mut(btf, id);
	const char *name = datasec_name(btf, id);
	int fix_offsets = t->size == 0;
	uint32_t i;

	if (fix_offsets && (!elf || elf->section_size(elf->ctx, name, &t->size)))
		return bl_fail(err, ENOENT, "DATASEC %s: the object has no section of that name to take its size from",
			       name);
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_type *var = bl_btf_type(btf, v[i].type);
		const char *vname = bl_btf_type_name(btf, v[i].type);

		if (bl_btf_kind(var) != BTF_KIND_VAR)
			return bl_fail(err, EINVAL, "DATASEC %s: entry %u is %s, not a variable",
				       name, i, bl_btf_kind_str(bl_btf_kind(var)));
		/* clang gives static variables their offsets itself */
		if (fix_offsets && elf->var_offset(elf->ctx, name, vname, &v[i].offset) &&
		    bl_btf_var(var)->linkage != BTF_VAR_STATIC)
			return bl_fail(err, ENOENT, "DATASEC %s: variable %s has no symbol in the object",
				       name, vname);
		if (v[i].offset > t->size || v[i].size > t->size - v[i].offset)
			return var_outside(btf, id, &v[i], err);
	}
	sort_secinfos(v, bl_btf_vlen(t));
	return 0;
}

/* Kernels check that every parameter of a non-extern function is named. */
static void name_params(struct bl_btf *btf, uint32_t proto, uint32_t name_off)
{
	struct btf_type *t = type_mut(btf, proto);
	struct btf_param *p = t ? (struct btf_param *)(t + 1) : NULL;
	uint32_t i;

	for (i = 0; p && i < bl_btf_vlen(t); i++)
		if (!p[i].name_off && p[i].type)
			p[i].name_off = name_off;
}

/* The kernel accepts no extern FUNC: make kernel functions (kfuncs)
 * global, which is what their calls are checked against. */
static void fixup_extern_funcs(struct bl_btf *btf, uint32_t name_off)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = btf->start_id; id < count; id++) {
		struct btf_type *t = type_mut(btf, id);

		if (bl_btf_kind(t) != BTF_KIND_FUNC || bl_btf_func_linkage(t) != BTF_FUNC_EXTERN)
			continue;
		t->info = info_word(BTF_KIND_FUNC, BTF_FUNC_GLOBAL, 0);
		name_params(btf, t->type, name_off);
	}
}

int bl_btf_make_func_static(struct bl_btf *btf, const char *name)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = btf->start_id; id < count; id++) {
		struct btf_type *t = type_mut(btf, id);

		if (bl_btf_kind(t) == BTF_KIND_FUNC && bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL &&
		    strcmp(bl_btf_name(btf, t->name_off), name) == 0) {
			t->info = info_word(BTF_KIND_FUNC, BTF_FUNC_STATIC, 0);
			return 1;
		}
	}
	return 0;
}

/* Size and alignment an extern gets in its DATASEC; in .ksyms every slot
 * is a 4-byte int, as what it holds is decided at load time. */
static int extern_slot(struct bl_btf *btf, uint32_t sec, uint32_t i, int ksyms, uint32_t int_id,
		       uint32_t dummy_id, uint32_t *size, uint32_t *align, struct bl_err *err)
{
	struct btf_var_secinfo *v = &secinfos_mut(btf, sec)[i];
	struct btf_type *var = type_mut(btf, v->type);
	unsigned int kind = var ? bl_btf_kind(var) : BTF_KIND_UNKN;
	int ret;

	if ((kind != BTF_KIND_VAR && kind != BTF_KIND_FUNC) ||
	    (kind == BTF_KIND_VAR && bl_btf_var(var)->linkage != BTF_VAR_GLOBAL_EXTERN))
		return bl_fail(err, EINVAL, "DATASEC %s mixes externs with %s %s, which is not an extern variable or function",
			       datasec_name(btf, sec), bl_btf_kind_str(kind), bl_btf_type_name(btf, v->type));
	if (kind == BTF_KIND_FUNC && !ksyms)
		return bl_fail(err, EINVAL, "DATASEC %s holds function %s; only .ksyms may hold extern functions",
			       datasec_name(btf, sec), bl_btf_type_name(btf, v->type));
	*size = *align = 4;
	if (kind == BTF_KIND_FUNC) {
		v->type = dummy_id;
		return 0;
	}
	((struct btf_var *)(var + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
	if (ksyms) {
		var->type = int_id;
		return 0;
	}
	if ((ret = bl_btf_resolve_size(btf, var->type, size, err)) ||
	    (ret = bl_btf_resolve_align(btf, var->type, align, err)))
		return bl_err_context(err, "extern %s in DATASEC %s", bl_btf_type_name(btf, v->type),
				      datasec_name(btf, sec));
	return 0;
}

static int has_kind(const struct bl_btf *btf, uint32_t sec, unsigned int kind)
{
	const struct btf_type *t = bl_btf_type(btf, sec);
	uint32_t i;

	for (i = 0; i < bl_btf_vlen(t); i++)
		if (bl_btf_kind(bl_btf_type(btf, bl_btf_secinfos(t)[i].type)) == kind)
			return 1;
	return 0;
}

/* Turn a DATASEC of externs into one of allocated variables, laid out in
 * order at their natural alignment. */
static int layout_externs(struct bl_btf *btf, uint32_t sec, struct bl_err *err)
{
	int ksyms = strcmp(bl_btf_type_name(btf, sec), ".ksyms") == 0, ret;
	uint32_t i, off = 0, size, align, int_id = 0, dummy_id = 0;

	if (ksyms && (ret = find_or_add_int(btf, &int_id, err)))
		return ret;
	if (ksyms && has_kind(btf, sec, BTF_KIND_FUNC) &&
	    (ret = add_var(btf, "bl_ksym_func", int_id, &dummy_id, err)))
		return ret;
	for (i = 0; i < bl_btf_vlen(bl_btf_type(btf, sec)); i++) {
		struct btf_var_secinfo *v = &secinfos_mut(btf, sec)[i];

		ret = extern_slot(btf, sec, i, ksyms, int_id, dummy_id, &size, &align, err);
		if (ret)
			return ret;
		off = (off + align - 1) / align * align;
		if (off > UINT32_MAX - size)
			return bl_fail(err, E2BIG, "DATASEC %s: externs do not fit in 4 GiB",
				       datasec_name(btf, sec));
		v->offset = off;
		v->size = size;
		off += size;
	}
	type_mut(btf, sec)->size = off ? off : 1;
	return 0;
}

int bl_btf_fixup_datasecs(struct bl_btf *btf, const struct bl_btf_elf_info *elf,
			  struct bl_err *err)
{
	uint32_t id, arg_name;
	int extern_funcs = 0, ret;

	for (id = btf->start_id; id < bl_btf_type_count(btf); id++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		if (bl_btf_kind(t) == BTF_KIND_FUNC && bl_btf_func_linkage(t) == BTF_FUNC_EXTERN)
			extern_funcs = 1;
		if (bl_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		if (has_externs(btf, t))
			ret = layout_externs(btf, id, err);
		else
			ret = fixup_section(btf, id, elf, err);
		if (ret)
			return ret;
	}
	if (!extern_funcs)
		return 0;
	/* a name for the unnamed parameters of kernel functions */
	if ((ret = add_string(btf, "bl_arg", &arg_name, err)))
		return ret;
	fixup_extern_funcs(btf, arg_name);
	return 0;
}

/* ---- loading into the kernel ------------------------------------------------ */

static long btf_load_attempt(const void *data, uint32_t size, char *log, uint32_t log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	if (log && log_size) {
		log[0] = '\0';
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = log_size;
		attr.btf_log_level = 1;
	}
	return bl_sys_bpf(BPF_BTF_LOAD, &attr, sizeof(attr));
}

/* The last non-empty line of a log: the kernel's reason. */
static void last_line(const char *log, char *out, size_t out_size)
{
	size_t end = strlen(log), start;

	while (end > 0 && (log[end - 1] == '\n' || log[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && log[start - 1] != '\n')
		start--;
	snprintf(out, out_size, "%.*s", (int)(end - start), log + start);
}

/* Load once without a log (fast); on failure again with one, growing it
 * while the kernel says it is too small (the reason is at its end). */
int bl_btf_load(const struct bl_btf *btf, char **log, struct bl_err *err)
{
	uint32_t log_size = 64 * 1024;
	char *buf = NULL, reason[256] = "";
	long fd = btf_load_attempt(btf->data, btf->size, NULL, 0);

	while (fd < 0 && fd != -EPERM && log_size <= 16u * 1024 * 1024) {
		char *bigger = realloc(buf, log_size);

		if (!bigger)
			break;
		buf = bigger;
		fd = btf_load_attempt(btf->data, btf->size, buf, log_size);
		if (fd != -ENOSPC)
			break;
		log_size *= 4;
	}
	if (fd >= 0) {
		free(buf);
		return (int)fd;
	}
	if (buf && buf[0])
		last_line(buf, reason, sizeof(reason));
	if (log)
		*log = buf;
	else
		free(buf);
	if (reason[0])
		return bl_fail(err, (int)-fd, "loading BTF (%u types) failed: the kernel refused it (%s): %s",
			       btf->nr_types, bl_errno_name((int)-fd), reason);
	return bl_fail(err, (int)-fd, "loading BTF (%u types) failed: %s%s", btf->nr_types,
		       bl_errno_name((int)-fd), bl_privilege_hint((int)-fd));
}

/* ---- features and probes --------------------------------------------------- */

unsigned int bl_btf_features_used(const struct bl_btf *btf)
{
	uint32_t id, count = bl_btf_type_count(btf);
	unsigned int used = 0;

	for (id = btf->start_id; id < count; id++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		switch (bl_btf_kind(t)) {
		case BTF_KIND_FUNC:
			if (bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL)
				used |= BL_BTF_FEAT_GLOBAL_FUNC;
			/* fall through */
		case BTF_KIND_FUNC_PROTO: used |= BL_BTF_FEAT_FUNC; break;
		case BTF_KIND_VAR: case BTF_KIND_DATASEC: used |= BL_BTF_FEAT_DATASEC; break;
		case BTF_KIND_FLOAT: used |= BL_BTF_FEAT_FLOAT; break;
		case BTF_KIND_DECL_TAG: used |= BL_BTF_FEAT_DECL_TAG; break;
		case BTF_KIND_TYPE_TAG: used |= BL_BTF_FEAT_TYPE_TAG; break;
		case KIND_ENUM64: used |= BL_BTF_FEAT_ENUM64; break;
		case BTF_KIND_ENUM:
			if (bl_btf_kflag(t))
				used |= BL_BTF_FEAT_ENUM64;
			break;
		}
	}
	return used;
}

#define T(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

/* One tiny BTF per feature; strings: 1 "int", 5 "x", 7 "f", 9 ".data",
 * 15 "float", 21 "tag", 25 "s", 27 "e". */
static const char probe_strs[] = "\0int\0x\0f\0.data\0float\0tag\0s\0e";

struct probe {
	unsigned int feature;
	uint32_t words[16];
	uint32_t nwords;
};

static const struct probe probes[] = {
	{ BL_BTF_FEAT_FUNC, { 1, T(BTF_KIND_INT, 0), 4, 32,		/* [1] int */
			      0, T(BTF_KIND_FUNC_PROTO, 1), 1, 5, 1,	/* [2] int (int x) */
			      7, T(BTF_KIND_FUNC, BTF_FUNC_STATIC), 2 }, 12 },
	{ BL_BTF_FEAT_DATASEC, { 1, T(BTF_KIND_INT, 0), 4, 32,
				 5, T(BTF_KIND_VAR, 0), 1, BTF_VAR_GLOBAL_ALLOCATED,
				 9, T(BTF_KIND_DATASEC, 1), 4, 2, 0, 4 }, 14 },
	{ BL_BTF_FEAT_GLOBAL_FUNC, { 1, T(BTF_KIND_INT, 0), 4, 32,
				     0, T(BTF_KIND_FUNC_PROTO, 1), 1, 5, 1,
				     7, T(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 2 }, 12 },
	{ BL_BTF_FEAT_FLOAT, { 15, T(BTF_KIND_FLOAT, 0), 4 }, 3 },
	{ BL_BTF_FEAT_DECL_TAG, { 1, T(BTF_KIND_INT, 0), 4, 32,
				  25, T(BTF_KIND_STRUCT, 1), 4, 5, 1, 0,	/* struct s { int x; } */
				  21, T(BTF_KIND_DECL_TAG, 0), 2, (uint32_t)-1 }, 14 },
	{ BL_BTF_FEAT_TYPE_TAG, { 1, T(BTF_KIND_INT, 0), 4, 32,
				  21, T(BTF_KIND_TYPE_TAG, 0), 1,
				  0, T(BTF_KIND_PTR, 0), 2 }, 10 },
	{ BL_BTF_FEAT_ENUM64, { 27, T(KIND_ENUM64, 1), 8, 5, 1, 0 }, 6 },
};

#undef T

/* 1: the kernel took it, 0: refused it, or a negative errno that is no
 * answer (no privileges). */
static int probe_one(const struct probe *p)
{
	unsigned char blob[HDR_MIN + sizeof(p->words) + sizeof(probe_strs)];
	uint32_t hdr[6] = { 0, HDR_MIN, 0, p->nwords * 4, p->nwords * 4, sizeof(probe_strs) };
	uint16_t magic = BTF_MAGIC;
	long fd;

	memcpy(hdr, &magic, 2);
	((unsigned char *)hdr)[2] = BTF_VERSION;
	memcpy(blob, hdr, HDR_MIN);
	memcpy(blob + HDR_MIN, p->words, p->nwords * 4);
	memcpy(blob + HDR_MIN + p->nwords * 4, probe_strs, sizeof(probe_strs));
	fd = btf_load_attempt(blob, HDR_MIN + p->nwords * 4 + sizeof(probe_strs), NULL, 0);
	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	return fd == -EPERM || fd == -EACCES || fd == -ENOSYS ? (int)fd : 0;
}

int bl_btf_probe_missing(struct bl_err *err)
{
	static const struct probe plain = { 0, { 1, (BTF_KIND_INT << 24), 4, 32 }, 4 };
	unsigned int missing = 0;
	size_t i;
	int ret = probe_one(&plain);

	if (ret <= 0)	/* not even an int: no BTF at all (before 4.18) */
		return bl_fail(err, ret < 0 ? -ret : EOPNOTSUPP, "the kernel loads no BTF at all: %s%s",
			       bl_errno_name(ret < 0 ? -ret : EOPNOTSUPP), bl_privilege_hint(-ret));
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		ret = probe_one(&probes[i]);
		if (ret < 0)
			return bl_fail(err, -ret, "probing the kernel's BTF support failed: %s%s",
				       bl_errno_name(-ret), bl_privilege_hint(-ret));
		if (ret == 0)
			missing |= probes[i].feature;
	}
	return (int)missing;
}

/* ---- sanitizing for older kernels ------------------------------------------------ */

/* Rewrite a record of 12 + 4 bytes (VAR, DECL_TAG) as a 1-byte INT. */
static void make_byte_int(struct btf_type *t)
{
	t->info = info_word(BTF_KIND_INT, 0, 0);
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
	t->info = info_word(BTF_KIND_STRUCT, bl_btf_vlen(t), 0);
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

	t->info = info_word(BTF_KIND_UNION, bl_btf_vlen(t), 0);
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
	struct btf_type *t = type_mut(btf, id);
	const struct btf_type *target = bl_btf_type(btf, t->type);

	if ((missing & BL_BTF_FEAT_DECL_TAG) ||
	    ((missing & BL_BTF_FEAT_DATASEC) && bl_btf_kind(target) == BTF_KIND_VAR))
		make_byte_int(t);
}

/* Rewrite type id as a kernel without `missing` accepts it. */
static void sanitize_type(struct bl_btf *btf, uint32_t id, unsigned int missing, uint32_t int_id)
{
	struct btf_type *t = type_mut(btf, id);

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
			t->info = info_word(BTF_KIND_ENUM, bl_btf_vlen(t), 0);
			t->size = 4;
		}
		break;
	case BTF_KIND_FUNC:
		if (missing & BL_BTF_FEAT_FUNC)
			t->info = info_word(BTF_KIND_TYPEDEF, 0, 0);
		else if ((missing & BL_BTF_FEAT_GLOBAL_FUNC) && bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL)
			t->info = info_word(BTF_KIND_FUNC, BTF_FUNC_STATIC, 0);
		break;
	case BTF_KIND_FLOAT:
		if (missing & BL_BTF_FEAT_FLOAT) {
			t->name_off = 0;	/* "float" is no struct name */
			t->info = info_word(BTF_KIND_STRUCT, 0, 0);
		}
		break;
	case BTF_KIND_TYPE_TAG:
		if (missing & BL_BTF_FEAT_TYPE_TAG) {
			t->name_off = 0;
			t->info = info_word(BTF_KIND_CONST, 0, 0);
		}
		break;
	case BTF_KIND_ENUM:
		if (missing & BL_BTF_FEAT_ENUM64)	/* signedness came with ENUM64 */
			t->info = info_word(BTF_KIND_ENUM, bl_btf_vlen(t), 0);
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
	    add_int(copy, "bl_enum64", 1, &int_id, err)) {
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
