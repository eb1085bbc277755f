// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_ext.c - parsing .BTF.ext and cutting out one program's records.
 * No syscalls.
 *
 * The section is copied (4-byte aligned, so records can be read in
 * place), walked once to count the groups of each kind and once more to
 * check every record and fill an array of groups.
 */
#include "btf/btf_ext.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

#include "sys/bounds.h"

/* magic, version, flags, hdr_len, then offset/length of func_info and
 * line_info; core_relo's pair follows when hdr_len says so. */
#define EXT_HDR_MIN 24u
#define EXT_HDR_CORE 32u
/* A record size beyond this is damage, not a newer format. */
#define MAX_REC_SIZE 1024u

struct bl_btf_ext {
	unsigned char *data;
	uint32_t size;
	struct bl_btf_ext_sec *secs[BL_BTF_EXT_KINDS];
	size_t nsecs[BL_BTF_EXT_KINDS];
};

static const struct {
	const char *name;
	uint32_t min_rec;
} kinds[BL_BTF_EXT_KINDS] = {
	[BL_BTF_EXT_FUNC_INFO] = { "func_info", 8 },	/* insn_off, type_id */
	[BL_BTF_EXT_LINE_INFO] = { "line_info", 16 },	/* insn_off, file, line, line_col */
	[BL_BTF_EXT_CORE_RELO] = { "core_relo", 16 },	/* insn_off, type_id, access, kind */
};

/* Where one kind's subsection is: [*start, *start + *len) of data. */
static int find_subsection(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind,
			   uint32_t *start, uint32_t *len, struct bl_err *err)
{
	uint32_t hdr_len = bl_get_u32(ext->data + 4), off;
	static const uint32_t field[BL_BTF_EXT_KINDS] = { 8, 16, 24 };

	*len = 0;
	if (field[kind] + 8 > hdr_len)
		return 0;	/* an older header without this kind */
	off = bl_get_u32(ext->data + field[kind]);
	*len = bl_get_u32(ext->data + field[kind] + 4);
	if (*len == 0)
		return 0;
	if (off % 4 || !bl_range_ok(off, *len, ext->size - hdr_len))
		return bl_fail(err, EINVAL, ".BTF.ext %s (%u bytes at offset %u) lies outside the section or is not 4-byte aligned",
			       kinds[kind].name, *len, off);
	*start = hdr_len + off;
	return 0;
}

static int check_header(const struct bl_btf_ext *ext, struct bl_err *err)
{
	uint16_t magic;
	uint32_t hdr_len;

	if (ext->size < EXT_HDR_MIN)
		return bl_fail(err, EINVAL, ".BTF.ext of %u bytes is shorter than its %u-byte header",
			       ext->size, EXT_HDR_MIN);
	memcpy(&magic, ext->data, sizeof(magic));
	if (magic != BTF_MAGIC)
		return bl_fail(err, EINVAL, "not .BTF.ext: magic 0x%04x, expected 0x%04x (or of another byte order)",
			       magic, BTF_MAGIC);
	if (ext->data[2] != BTF_VERSION || ext->data[3] != 0)
		return bl_fail(err, EINVAL, ".BTF.ext version %u, flags %u: only version %u without flags is supported",
			       ext->data[2], ext->data[3], BTF_VERSION);
	hdr_len = bl_get_u32(ext->data + 4);
	if (hdr_len < EXT_HDR_MIN || hdr_len > ext->size || hdr_len % 4)
		return bl_fail(err, EINVAL, ".BTF.ext header length %u is invalid (%u-byte section)",
			       hdr_len, ext->size);
	return 0;
}

static int check_string(const struct bl_btf *btf, uint32_t off, const char *kind, const char *what,
			struct bl_err *err)
{
	if (bl_btf_name(btf, off))
		return 0;
	return bl_fail(err, EINVAL, ".BTF.ext %s: %s offset %u is outside the BTF strings", kind, what, off);
}

/* The fields every record of this kind must get right. */
static int check_record(const struct bl_btf *btf, enum bl_btf_ext_kind kind,
			const struct bl_btf_ext_sec *sec, uint32_t i, struct bl_err *err)
{
	const unsigned char *r = sec->recs + (size_t)i * sec->rec_size;
	uint32_t insn_off = bl_get_u32(r), type_id = bl_get_u32(r + 4);
	const struct btf_type *t;

	if (insn_off % 8)
		return bl_fail(err, EINVAL, ".BTF.ext %s of section %s: record %u's offset %u is not at an instruction",
			       kinds[kind].name, sec->name, i, insn_off);
	switch (kind) {
	case BL_BTF_EXT_FUNC_INFO:
		t = bl_btf_type(btf, type_id);
		if (!t || bl_btf_kind(t) != BTF_KIND_FUNC)
			return bl_fail(err, EINVAL, ".BTF.ext func_info of section %s: record %u names type %u, which is no FUNC",
				       sec->name, i, type_id);
		return 0;
	case BL_BTF_EXT_LINE_INFO:
		return check_string(btf, bl_get_u32(r + 4), "line_info", "file name", err) ||
		       check_string(btf, bl_get_u32(r + 8), "line_info", "source line", err) ? -EINVAL : 0;
	default:
		if (!bl_btf_type(btf, type_id))
			return bl_fail(err, EINVAL, ".BTF.ext core_relo of section %s: record %u names type %u, which does not exist",
				       sec->name, i, type_id);
		return check_string(btf, bl_get_u32(r + 8), "core_relo", "access string", err);
	}
}

/*
 * Walk one kind's groups.  With secs NULL, only count them (checking
 * that each lies inside the subsection); otherwise fill secs and check
 * every record.
 */
static int walk_groups(const struct bl_btf_ext *ext, const struct bl_btf *btf,
		       enum bl_btf_ext_kind kind, uint32_t start, uint32_t len,
		       struct bl_btf_ext_sec *secs, size_t *n, struct bl_err *err)
{
	uint32_t rec_size = bl_get_u32(ext->data + start), pos = 4, i;
	const char *what = kinds[kind].name;

	*n = 0;
	while (pos < len) {
		uint32_t name_off, count;

		if (len - pos < 8)
			return bl_fail(err, EINVAL, ".BTF.ext %s: a section header is cut off at byte %u", what, pos);
		name_off = bl_get_u32(ext->data + start + pos);
		count = bl_get_u32(ext->data + start + pos + 4);
		if ((uint64_t)count * rec_size > len - pos - 8)
			return bl_fail(err, EINVAL, ".BTF.ext %s: %u records of %u bytes run past the end of the subsection",
				       what, count, rec_size);
		if (secs) {
			struct bl_btf_ext_sec *s = &secs[*n];

			s->name = bl_btf_name(btf, name_off);
			if (!s->name || !*s->name)
				return bl_fail(err, EINVAL, ".BTF.ext %s: section name offset %u is not a name in the BTF strings",
					       what, name_off);
			s->count = count;
			s->rec_size = rec_size;
			s->recs = ext->data + start + pos + 8;
			for (i = 0; i < count; i++)
				if (check_record(btf, kind, s, i, err))
					return -EINVAL;
		}
		pos += 8 + count * rec_size;
		(*n)++;
	}
	return 0;
}

static int parse_kind(struct bl_btf_ext *ext, const struct bl_btf *btf, enum bl_btf_ext_kind kind,
		      struct bl_err *err)
{
	uint32_t start = 0, len, rec_size;
	size_t n;
	int ret;

	if ((ret = find_subsection(ext, kind, &start, &len, err)) || len == 0)
		return ret;
	rec_size = len >= 4 ? bl_get_u32(ext->data + start) : 0;
	if (rec_size < kinds[kind].min_rec || rec_size % 4 || rec_size > MAX_REC_SIZE)
		return bl_fail(err, EINVAL, ".BTF.ext %s: record size %u is invalid (at least %u, a multiple of 4)",
			       kinds[kind].name, rec_size, kinds[kind].min_rec);
	if ((ret = walk_groups(ext, btf, kind, start, len, NULL, &n, err)))
		return ret;
	ext->secs[kind] = calloc(n ? n : 1, sizeof(struct bl_btf_ext_sec));
	if (!ext->secs[kind])
		return bl_fail(err, ENOMEM, "out of memory");
	if ((ret = walk_groups(ext, btf, kind, start, len, ext->secs[kind], &n, err)))
		return ret;
	ext->nsecs[kind] = n;
	return 0;
}

struct bl_btf_ext *bl_btf_ext_parse(const void *data, size_t size, const struct bl_btf *btf,
				    struct bl_err *err)
{
	struct bl_btf_ext *ext = calloc(1, sizeof(*ext));
	int kind;

	if (!ext || !(ext->data = malloc(size ? size : 1))) {
		free(ext);
		bl_fail(err, ENOMEM, "out of memory for %zu bytes of .BTF.ext", size);
		return NULL;
	}
	if (size > UINT32_MAX) {
		bl_fail(err, E2BIG, ".BTF.ext of %zu bytes is too large", size);
		goto fail;
	}
	if (size)
		memcpy(ext->data, data, size);
	ext->size = (uint32_t)size;
	if (check_header(ext, err))
		goto fail;
	for (kind = 0; kind < BL_BTF_EXT_KINDS; kind++)
		if (parse_kind(ext, btf, (enum bl_btf_ext_kind)kind, err))
			goto fail;
	return ext;
fail:
	bl_btf_ext_free(ext);
	return NULL;
}

void bl_btf_ext_free(struct bl_btf_ext *ext)
{
	int kind;

	if (!ext)
		return;
	for (kind = 0; kind < BL_BTF_EXT_KINDS; kind++)
		free(ext->secs[kind]);
	free(ext->data);
	free(ext);
}

size_t bl_btf_ext_sec_count(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind)
{
	return (unsigned)kind < BL_BTF_EXT_KINDS ? ext->nsecs[kind] : 0;
}

const struct bl_btf_ext_sec *bl_btf_ext_sec(const struct bl_btf_ext *ext,
					    enum bl_btf_ext_kind kind, size_t index)
{
	if (index >= bl_btf_ext_sec_count(ext, kind))
		return NULL;
	return &ext->secs[kind][index];
}

const struct bl_btf_ext_sec *bl_btf_ext_find(const struct bl_btf_ext *ext,
					     enum bl_btf_ext_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < bl_btf_ext_sec_count(ext, kind); i++)
		if (strcmp(ext->secs[kind][i].name, name) == 0)
			return &ext->secs[kind][i];
	return NULL;
}

void bl_btf_ext_record(const struct bl_btf_ext_sec *sec, uint32_t i, void *out, size_t out_size)
{
	size_t n = sec->rec_size < out_size ? sec->rec_size : out_size;

	memset(out, 0, out_size);
	if (i < sec->count)
		memcpy(out, sec->recs + (size_t)i * sec->rec_size, n);
}

/* ---- one program's records ------------------------------------------------ */

static int in_range(const struct bl_btf_ext_sec *sec, uint32_t i, uint64_t start, uint64_t end)
{
	uint32_t off = bl_get_u32(sec->recs + (size_t)i * sec->rec_size);

	return off >= start && off < end;
}

int bl_btf_ext_prog_info(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind,
			 const char *sec_name, uint64_t start, uint64_t end, uint32_t first_insn,
			 struct bl_btf_ext_info *info, struct bl_err *err)
{
	const struct bl_btf_ext_sec *sec;
	uint32_t i, n = 0;
	unsigned char *recs, *out;

	if (kind != BL_BTF_EXT_FUNC_INFO && kind != BL_BTF_EXT_LINE_INFO)
		return bl_fail(err, EINVAL, "only func_info and line_info go to BPF_PROG_LOAD");
	if (start % 8 || end < start || (end - start) / 8 + first_insn > UINT32_MAX)
		return bl_fail(err, EINVAL, "function at bytes [%llu, %llu) of %s is not whole instructions",
			       (unsigned long long)start, (unsigned long long)end, sec_name);
	if (!ext || !(sec = bl_btf_ext_find(ext, kind, sec_name)))
		return 0;
	if (info->count && info->rec_size != sec->rec_size)
		return bl_fail(err, EINVAL, "%s records of %u and %u bytes cannot go to one program",
			       kinds[kind].name, info->rec_size, sec->rec_size);
	for (i = 0; i < sec->count; i++)
		n += in_range(sec, i, start, end);
	if (n == 0)
		return 0;
	recs = realloc(info->recs, ((size_t)info->count + n) * sec->rec_size);
	if (!recs)
		return bl_fail(err, ENOMEM, "out of memory");
	info->recs = recs;
	out = recs + (size_t)info->count * sec->rec_size;
	for (i = 0; i < sec->count; i++) {
		uint32_t insn;

		if (!in_range(sec, i, start, end))
			continue;
		memcpy(out, sec->recs + (size_t)i * sec->rec_size, sec->rec_size);
		insn = (uint32_t)((bl_get_u32(out) - start) / 8) + first_insn;
		memcpy(out, &insn, sizeof(insn));
		out += sec->rec_size;
	}
	info->count += n;
	info->rec_size = sec->rec_size;
	return 0;
}

void bl_btf_ext_info_free(struct bl_btf_ext_info *info)
{
	free(info->recs);
	memset(info, 0, sizeof(*info));
}
