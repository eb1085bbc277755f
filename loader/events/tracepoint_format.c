// SPDX-License-Identifier: BSD-2-Clause
/*
 * tracepoint_format.c - parsing tracefs events/CATEGORY/NAME/format.
 *
 * The file is text the kernel generates (kernel/trace/trace_events.c,
 * f_show()), but we still treat it as input: every line is parsed within
 * its bounds, every number is range-checked, and anything we do not
 * recognise is an error that names the line, so that a program is never
 * given an offset we only half understood.
 *
 * Syscalls: open/read/close of the format file (through tracefs.c).
 */
#include <bpfload/tracepoint_format.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/bpf_syscall.h"
#include "sys/tracefs.h"

/* A trace record lives in one perf sample or ring buffer page; nothing
 * in it is 64 KiB away from its start. */
#define TP_RECORD_LIMIT 65536u

/* A piece of the text: [p, p + len). */
struct span {
	const char *p;
	size_t len;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static struct span trim(struct span s)
{
	while (s.len && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Whether s starts with prefix; if so, step over it. */
static int eat(struct span *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (s->len < n || memcmp(s->p, prefix, n) != 0)
		return 0;
	s->p += n;
	s->len -= n;
	return 1;
}

/* A decimal number no larger than max, and nothing else. */
static int parse_u32(struct span s, uint32_t max, uint32_t *value)
{
	uint64_t v = 0;
	size_t i;

	s = trim(s);
	if (s.len == 0 || s.len > 10)
		return -1;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v > max)
		return -1;
	*value = (uint32_t)v;
	return 0;
}

/* Copy s into dst[size] as a string; -1 when it does not fit. */
static int copy_span(char *dst, size_t size, struct span s)
{
	if (s.len >= size)
		return -1;
	memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return 0;
}

/*
 * The declaration before the first ';' of a field line: a C type and a
 * name, the name perhaps followed by "[N]" ("char comm[16]"), the type
 * perhaps "__data_loc T[]" (variable-length data stored after the record).
 * The name is the identifier at the end, before any brackets.
 */
static int parse_declaration(struct span decl, unsigned line, struct bl_tp_field *f, struct bl_err *err)
{
	struct span type, name, bracket = { NULL, 0 };
	size_t end;

	decl = trim(decl);
	if (decl.len && decl.p[decl.len - 1] == ']') {
		const char *open = NULL;

		for (end = decl.len; end-- > 0;)
			if (decl.p[end] == '[') {
				open = decl.p + end;
				break;
			}
		if (!open)
			return bl_fail(err, EINVAL, "line %u: \"]\" without \"[\" in field \"%.*s\"", line,
				       (int)decl.len, decl.p);
		f->is_array = 1;
		bracket.p = open;
		bracket.len = (size_t)(decl.p + decl.len - open);
		decl.len = (size_t)(open - decl.p);
		decl = trim(decl);
		/* "[16]" gives 16; "[]" or a name the kernel did not expand gives 0 */
		if (parse_u32((struct span){ bracket.p + 1, bracket.len - 2 }, TP_RECORD_LIMIT,
			      &f->array_len))
			f->array_len = 0;
	}
	for (end = decl.len; end > 0 && is_ident(decl.p[end - 1]); end--)
		;
	name.p = decl.p + end;
	name.len = decl.len - end;
	type = trim((struct span){ decl.p, end });
	if (name.len == 0 || type.len == 0 || (name.p[0] >= '0' && name.p[0] <= '9'))
		return bl_fail(err, EINVAL, "line %u: cannot tell type and name apart in field \"%.*s\"",
			       line, (int)decl.len, decl.p);
	if (copy_span(f->name, sizeof(f->name), name))
		return bl_fail(err, E2BIG, "line %u: field name \"%.40s...\" is longer than %d characters",
			       line, name.p, BL_TP_NAME_MAX - 1);
	f->is_data_loc = eat(&type, "__data_loc ");
	f->is_common = strncmp(f->name, "common_", 7) == 0;
	/* the type is for people: cut it rather than refuse the tracepoint */
	snprintf(f->type, sizeof(f->type), "%s%.*s%.*s", f->is_data_loc ? "__data_loc " : "",
		 (int)type.len, type.p, (int)bracket.len, bracket.p ? bracket.p : "");
	return 0;
}

/* "field:DECL;	offset:N;	size:N;	signed:N;" (signed: since 2.6.32;
 * columns we do not know are skipped, so that a new one breaks nothing). */
static int parse_field(struct span rest, unsigned line, struct bl_tp_format *fmt, struct bl_err *err)
{
	struct bl_tp_field *f;
	const char *semi = memchr(rest.p, ';', rest.len);
	int have_offset = 0, have_size = 0;
	size_t i;

	if (fmt->field_cnt == BL_TP_FIELDS_MAX)
		return bl_fail(err, E2BIG, "line %u: more than %d fields", line, BL_TP_FIELDS_MAX);
	if (!semi)
		return bl_fail(err, EINVAL, "line %u: field without \";\" after its declaration", line);
	f = &fmt->fields[fmt->field_cnt];
	memset(f, 0, sizeof(*f));
	f->is_signed = -1;
	if (parse_declaration((struct span){ rest.p, (size_t)(semi - rest.p) }, line, f, err))
		return -err->code;
	rest.len -= (size_t)(semi + 1 - rest.p);
	rest.p = semi + 1;

	while ((rest = trim(rest)).len) {
		const char *colon = memchr(rest.p, ':', rest.len), *end;
		struct span key, value;
		uint32_t v;

		semi = memchr(rest.p, ';', rest.len);
		if (!colon || !semi || colon > semi)
			return bl_fail(err, EINVAL, "line %u: field %s: expected \"key:value;\" at \"%.*s\"",
				       line, f->name, (int)(rest.len < 30 ? rest.len : 30), rest.p);
		key = trim((struct span){ rest.p, (size_t)(colon - rest.p) });
		value = (struct span){ colon + 1, (size_t)(semi - colon - 1) };
		end = semi + 1;
		rest.len -= (size_t)(end - rest.p);
		rest.p = end;
		if (key.len == 6 && memcmp(key.p, "offset", 6) == 0) {
			if (parse_u32(value, TP_RECORD_LIMIT, &f->offset))
				goto bad_number;
			have_offset = 1;
		} else if (key.len == 4 && memcmp(key.p, "size", 4) == 0) {
			if (parse_u32(value, TP_RECORD_LIMIT, &f->size))
				goto bad_number;
			have_size = 1;
		} else if (key.len == 6 && memcmp(key.p, "signed", 6) == 0) {
			if (parse_u32(value, 1, &v))
				goto bad_number;
			f->is_signed = (int)v;
		}
		continue;
bad_number:
		return bl_fail(err, EINVAL, "line %u: field %s: bad %.*s \"%.*s\" (want a number up to %u)",
			       line, f->name, (int)key.len, key.p, (int)(value.len < 20 ? value.len : 20),
			       value.p, key.len == 6 && key.p[0] == 's' ? 1 : TP_RECORD_LIMIT);
	}
	if (!have_offset || !have_size)
		return bl_fail(err, EINVAL, "line %u: field %s has no %s", line, f->name,
			       have_offset ? "size" : "offset");
	if ((uint64_t)f->offset + f->size > TP_RECORD_LIMIT)
		return bl_fail(err, EINVAL, "line %u: field %s ends at byte %llu, past any record",
			       line, f->name, (unsigned long long)f->offset + f->size);
	for (i = 0; i < fmt->field_cnt; i++)
		if (strcmp(fmt->fields[i].name, f->name) == 0)
			return bl_fail(err, EINVAL, "line %u: a second field called %s", line, f->name);
	if (f->offset + f->size > fmt->record_size)
		fmt->record_size = f->offset + f->size;
	fmt->field_cnt++;
	return 0;
}

int bl_tp_format_parse(const char *text, size_t len, struct bl_tp_format *fmt, struct bl_err *err)
{
	const char *p = text, *limit = text + len;
	int in_fields = 0, have_id = 0;
	unsigned line = 0;

	memset(fmt, 0, sizeof(*fmt));
	while (p < limit) {
		const char *nl = memchr(p, '\n', (size_t)(limit - p));
		struct span s = { p, (size_t)((nl ? nl : limit) - p) };

		p = nl ? nl + 1 : limit;
		line++;
		if (memchr(s.p, '\0', s.len))
			return bl_fail(err, EINVAL, "line %u: a NUL byte in the text", line);
		s = trim(s);
		if (s.len == 0)
			continue;	/* a blank line ends the common fields */
		if (eat(&s, "name:")) {
			if (copy_span(fmt->name, sizeof(fmt->name), trim(s)) || fmt->name[0] == '\0')
				return bl_fail(err, EINVAL, "line %u: bad tracepoint name", line);
		} else if (eat(&s, "ID:")) {
			if (parse_u32(s, UINT32_MAX, &fmt->id))
				return bl_fail(err, EINVAL, "line %u: bad ID \"%.*s\"", line,
					       (int)(s.len < 20 ? s.len : 20), s.p);
			have_id = 1;
		} else if (eat(&s, "format:")) {
			in_fields = 1;
		} else if (eat(&s, "field:")) {
			if (!in_fields)
				return bl_fail(err, EINVAL, "line %u: a field before the \"format:\" line", line);
			if (parse_field(s, line, fmt, err))
				return -err->code;
		} else if (eat(&s, "print fmt:")) {
			break;	/* the last item; its text is C, not ours to parse */
		} else {
			return bl_fail(err, EINVAL, "line %u: unexpected \"%.*s\"", line,
				       (int)(s.len < 40 ? s.len : 40), s.p);
		}
	}
	if (!fmt->name[0] || !have_id)
		return bl_fail(err, EINVAL, "no %s line: not a tracepoint format file",
			       !fmt->name[0] ? "\"name:\"" : "\"ID:\"");
	if (fmt->field_cnt == 0)
		return bl_fail(err, EINVAL, "no fields: not a tracepoint format file");
	return 0;
}

/* A category or tracepoint name: one path component. */
static int plain_name(const char *s)
{
	return s && s[0] && s[0] != '.' && strlen(s) < BL_TP_NAME_MAX && !strchr(s, '/');
}

int bl_tp_format_read(const char *category, const char *name, struct bl_tp_format *fmt,
		      struct bl_err *err)
{
	char dir[BL_PATH_MAX], rel[3 * BL_TP_NAME_MAX];
	char *buf;
	int len, ret;

	if (!plain_name(category) || !plain_name(name))
		return bl_fail(err, EINVAL, "bad tracepoint name \"%s/%s\"", category ? category : "",
			       name ? name : "");
	ret = bl_tracefs_dir(dir, err);
	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "events/%s/%s/format", category, name);
	buf = malloc(BL_TP_FORMAT_MAX + 2);
	if (!buf)
		return bl_fail(err, ENOMEM, "out of memory reading %s/%s", dir, rel);
	len = bl_tracefs_read(rel, buf, BL_TP_FORMAT_MAX + 2);
	if (len == -ENOENT)
		ret = bl_fail(err, ENOENT, "tracepoint %s/%s does not exist on this kernel (no %s/%s); see %s/available_events",
			      category, name, dir, rel, dir);
	else if (len < 0)
		ret = bl_fail(err, -len, "reading %s/%s failed: %s%s", dir, rel, strerror(-len),
			      bl_errno_hint(-len));
	else if (len > BL_TP_FORMAT_MAX)
		ret = bl_fail(err, E2BIG, "%s/%s is longer than %d bytes, more than any format we expect",
			      dir, rel, BL_TP_FORMAT_MAX);
	else if ((ret = bl_tp_format_parse(buf, (size_t)len, fmt, err)))
		bl_err_context(err, "%s/%s", dir, rel);
	free(buf);
	return ret;
}

const struct bl_tp_field *bl_tp_format_field(const struct bl_tp_format *fmt, const char *name)
{
	size_t i;

	for (i = 0; i < fmt->field_cnt; i++)
		if (strcmp(fmt->fields[i].name, name) == 0)
			return &fmt->fields[i];
	return NULL;
}

int bl_tp_format_scalar(const struct bl_tp_format *fmt, const char *name,
			const struct bl_tp_field **field, struct bl_err *err)
{
	const struct bl_tp_field *f = bl_tp_format_field(fmt, name);
	char names[256] = "";
	size_t i, used = 0;

	*field = NULL;
	if (!f) {
		for (i = 0; i < fmt->field_cnt && used + 1 < sizeof(names); i++) {
			int n;

			if (fmt->fields[i].is_common)
				continue;
			n = snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
				     fmt->fields[i].name);
			if (n < 0)
				break;
			used += (size_t)n;
		}
		return bl_fail(err, ENOENT, "tracepoint %s has no field \"%s\" (its fields: %s)", fmt->name,
			       name, names[0] ? names : "none of its own");
	}
	if (f->is_data_loc || f->is_array || (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8))
		return bl_fail(err, EINVAL, "field %s of tracepoint %s is \"%s\" (%u bytes), not an integer of 1, 2, 4 or 8 bytes",
			       name, fmt->name, f->type, f->size);
	*field = f;
	return 0;
}
