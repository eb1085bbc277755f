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
 * Struct and union definitions are btf_dump_layout.c's, declarators
 * ("int (*f)(void *)") btf_dump_decl.c's; this file writes enums,
 * forward declarations and typedefs, decides what is written when, and
 * frames it all as a header.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_dump.h"
#include "btf/btf_dump_priv.h"

static void emit_type(struct c_dump *d, uint32_t id, uint32_t cont_id, int depth);

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

uint32_t dump_size(struct c_dump *d, uint32_t id)
{
	struct bl_err ignored;
	uint32_t size;

	return bl_btf_resolve_size(d->btf, id, &size, &ignored) ? 0 : size;
}

void dump_printf(struct c_dump *d, const char *fmt, ...)
{
	va_list ap;

	if (d->failed)
		return;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
}

/* One step of work: a line written, a type visited.  Anonymous types
 * are written out wherever they are used, so BTF that uses one many
 * times over (each holding more such uses) would take time and text
 * without end; the budget stops that. */
static int spend(struct c_dump *d)
{
	if (d->budget_left == 0)
		return dump_fail(d, E2BIG, "the C declarations would take more than %llu steps: anonymous types used over and over (damaged BTF?)",
				 (unsigned long long)d->budget);
	d->budget_left--;
	return 0;
}

/* A new line indented lvl tabs. */
void dump_newline(struct c_dump *d, int lvl)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	int n = lvl < (int)sizeof(tabs) - 1 ? lvl : (int)sizeof(tabs) - 1;

	if (spend(d) == 0)
		dump_printf(d, "\n%.*s", n, tabs);
}

static const struct btf_type *type_of(struct c_dump *d, uint32_t id)
{
	return bl_btf_type(d->btf, id);
}

static int is_composite(unsigned int kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
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
 * sizes (packed enums, 64-bit enums of small values, and clang 14's
 * 64-bit enums, whose BTF keeps only 32 bits of each value) need a mode
 * attribute: QI/byte, HI, DI/word. */
static const char *enum_size_attr(const struct btf_type *t)
{
	if (t->size == 1)
		return " __attribute__((mode(byte)))";
	if (t->size == 2)
		return " __attribute__((mode(HI)))";
	if (t->size == 8 && !enum_needs_64_bits(t))
		return " __attribute__((mode(word)))";
	return "";
}

static void emit_enum_value(struct c_dump *d, const struct btf_type *t, uint32_t i, int lvl)
{
	const char *name = bl_btf_name(d->btf, bl_btf_enum_name_off(t, i));
	int64_t v = bl_btf_enum_value(t, i);
	uint32_t n = dump_count_ident(d, name);	/* enumerators share typedefs' namespace */

	dump_newline(d, lvl);
	dump_printf(d, "%s", name);
	if (n > 1)
		dump_printf(d, "___%u", n);
	if (bl_btf_kind(t) == BTF_KIND_ENUM64 && bl_btf_kflag(t))
		dump_printf(d, " = %lldLL,", (long long)v);
	else if (bl_btf_kind(t) == BTF_KIND_ENUM64)
		dump_printf(d, " = %lluULL,", (unsigned long long)v);
	else if (bl_btf_kflag(t))
		dump_printf(d, " = %d,", (int32_t)v);
	else
		dump_printf(d, " = %u,", (uint32_t)v);
}

void dump_emit_enum_def(struct c_dump *d, uint32_t id, int lvl)
{
	const struct btf_type *t = type_of(d, id);
	const char *name = dump_tag_name(d, id);
	uint32_t i;

	dump_printf(d, "enum%s%s", *name ? " " : "", name);
	if (!bl_btf_vlen(t))
		return;		/* "enum foo": declared, never defined */
	dump_printf(d, " {");
	for (i = 0; i < bl_btf_vlen(t) && !d->failed; i++)
		emit_enum_value(d, t, i, lvl + 1);
	dump_newline(d, lvl);
	dump_printf(d, "}%s", enum_size_attr(t));
}

static void emit_fwd(struct c_dump *d, uint32_t id)
{
	const struct btf_type *t = type_of(d, id);
	int is_union = bl_btf_kind(t) == BTF_KIND_UNION ||
		       (bl_btf_kind(t) == BTF_KIND_FWD && bl_btf_kflag(t));

	dump_printf(d, "%s %s;\n\n", is_union ? "union" : "struct", dump_tag_name(d, id));
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
		dump_printf(d, "typedef __builtin_va_list __gnuc_va_list;\n\n");
		return;
	}
	dump_printf(d, "typedef ");
	dump_emit_decl(d, t->type, name, 0);
	dump_printf(d, ";\n\n");
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
			dump_printf(d, "typedef %s %s;\n\n", aliases[i][1], name);
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
		dump_emit_struct_def(d, id, 0);
		dump_printf(d, ";\n\n");
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

	if (st->emit == EMIT_DONE || d->failed || spend(d))
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
			dump_emit_enum_def(d, id, 0);
			dump_printf(d, ";\n\n");
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
	uint32_t id;

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
	/* a few steps per type and per member, enumerator and parameter;
	 * vmlinux takes a twentieth of it */
	for (id = 1; id < d->count; id++)
		d->budget += 8 + 8ull * bl_btf_vlen(bl_btf_type(btf, id));
	d->budget += 1u << 20;
	d->budget_left = d->budget;
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
		dump_printf(&d, "%s", header);
		for (id = 1; id < d.count && !d.failed; id++) {
			d.queue_len = 0;
			if (dump_order(&d, id, 0, 0) < 0)
				break;
			for (i = 0; i < d.queue_len && !d.failed; i++)
				emit_type(&d, d.queue[i], 0, 0);
		}
		dump_printf(&d, "%s", footer);
		if (!d.failed && (fflush(stream) || ferror(stream)))
			dump_fail(&d, EIO, "writing the C declarations failed: %s", strerror(errno));
	}
	free(d.types);
	free(d.queue);
	dump_names_free(&d);
	return d.failed ? -err->code : 0;
}
