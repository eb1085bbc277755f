// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_relocate.c - resolving an object's CO-RE records once, patching
 * each program's copy of its functions, and explaining a rejection at a
 * poisoned instruction.
 *
 * Syscalls: those of btf/kernel_btf.c (open, mmap or read of
 * /sys/kernel/btf/vmlinux; modules only when needed), once per object.
 */
#include "object/core_relocate.h"
#include "object/kernel_types.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_ext.h"
#include "object/object_trace.h"
#include "sys/bounds.h"
#include "sys/trace.h"

size_t bl_core_relo_count(const struct bl_object *obj)
{
	size_t i, n = 0;

	if (!obj->btf_ext)
		return 0;
	for (i = 0; i < bl_btf_ext_sec_count(obj->btf_ext, BL_BTF_EXT_CORE_RELO); i++)
		n += bl_btf_ext_sec(obj->btf_ext, BL_BTF_EXT_CORE_RELO, i)->count;
	return n;
}

/* A .BTF.ext we could not read may still hold CO-RE records (its header
 * says how many bytes of them, at offset 28 when hdr_len covers it). */
static int unreadable_core_records(const struct bl_object *obj)
{
	struct bl_elf_section sec;
	size_t index;

	if (obj->btf_ext)
		return 0;
	index = bl_elf_find_section(&obj->elf, ".BTF.ext");
	if (!index)
		return 0;
	bl_elf_section(&obj->elf, index, &sec);
	if (!sec.data || sec.size < 32)
		return 0;
	return bl_get_u32(sec.data + 4) >= 32 && bl_get_u32(sec.data + 28) > 0;
}

/* The local side of every record, in .BTF.ext order. */
static int collect(struct bl_object *obj, struct bl_core_relos *core, struct bl_err *err)
{
	size_t n = bl_core_relo_count(obj), s, k = 0;
	uint32_t i;

	core->relos = calloc(n ? n : 1, sizeof(*core->relos));
	if (!core->relos)
		return bl_fail(err, ENOMEM, "out of memory for %zu CO-RE relocations", n);
	for (s = 0; s < bl_btf_ext_sec_count(obj->btf_ext, BL_BTF_EXT_CORE_RELO); s++) {
		const struct bl_btf_ext_sec *sec = bl_btf_ext_sec(obj->btf_ext, BL_BTF_EXT_CORE_RELO, s);
		size_t index = bl_elf_find_section(&obj->elf, sec->name);

		for (i = 0; i < sec->count; i++, k++) {
			struct bl_core_relo_info *r = &core->relos[k];
			struct bl_err lerr;

			r->section = sec->name;
			r->section_index = index;
			bl_btf_ext_record(sec, i, &r->rec, sizeof(r->rec));
			r->insn = r->rec.insn_off / 8;
			if (!index) {	/* it applies to no code: reported, never applied */
				r->failed = 1;
				snprintf(r->res.why, sizeof(r->res.why), "the object has no section %.180s",
					 sec->name);
			} else if (bl_core_local(obj->btf, &r->rec, &r->res, &lerr)) {
				r->failed = 1;
				snprintf(r->res.why, sizeof(r->res.why), "%.220s", lerr.msg);
			}
		}
	}
	core->count = k;
	return 0;
}

static int open_kernel(struct bl_object *obj, struct bl_core_relos *core, struct bl_err *err)
{
	core->kernel = bl_object_kernel_btf(obj, 1, err);
	if (!core->kernel)
		return bl_err_context(err, "its %zu CO-RE relocations need the kernel's BTF", core->count);
	return 0;
}

static int resolve_all(struct bl_object *obj, struct bl_core_relos *core, struct bl_err *err)
{
	struct bl_core_ctx *ctx = bl_core_ctx_new(obj->btf, core->kernel, err);
	size_t i;

	if (!ctx)
		return -err->code;
	/* one scan of the kernel's BTF for every name */
	for (i = 0; i < core->count; i++)
		if (!core->relos[i].failed && bl_core_ctx_want(ctx, &core->relos[i].rec, err)) {
			bl_core_ctx_free(ctx);
			return -err->code;
		}
	for (i = 0; i < core->count; i++) {
		struct bl_core_relo_info *r = &core->relos[i];
		struct bl_err rerr;

		if (r->failed)
			continue;
		if (bl_core_resolve(ctx, &r->rec, &r->res, &rerr)) {
			r->failed = 1;
			snprintf(r->res.why, sizeof(r->res.why), "%.220s", rerr.msg);
		}
	}
	bl_core_ctx_free(ctx);
	core->resolved = 1;
	return 0;
}

int bl_object_core_resolve(struct bl_object *obj, struct bl_err *err)
{
	struct bl_core_relos *core = obj->core;

	if (!core) {
		core = calloc(1, sizeof(*core));
		if (!core)
			return bl_fail(err, ENOMEM, "out of memory");
		obj->core = core;
		if (collect(obj, core, err))
			return -err->code;
	}
	if (core->resolved || core->count == 0)
		return 0;
	if (!core->kernel && open_kernel(obj, core, err))
		return -err->code;
	return resolve_all(obj, core, err);
}

/* ---- applying ------------------------------------------------------------ */

static int apply_one(const struct bl_object *obj, const struct bl_core_relo_info *r,
		     struct bl_program *prog, size_t idx, struct bl_err *err)
{
	if (r->failed)
		return bl_fail(err, EINVAL, "program %s: CO-RE relocation %s %s (instruction %zu) failed: %s",
			       prog->name, bl_core_kind_str(r->rec.kind), r->res.path, idx, r->res.why);
	if (bl_core_patch_insn(prog->insns, prog->insn_cnt, idx, &r->res, err))
		return bl_err_context(err, "program %s: CO-RE relocation %s %s", prog->name,
				      bl_core_kind_str(r->rec.kind), r->res.path);
	if (bl_tracing())
		bl_trace_core_applied(obj, prog, idx, r);
	return 0;
}

/* The records that fall inside function f, applied where f was placed. */
static int apply_function(const struct bl_object *obj, const struct bl_placed_func *pf,
			  struct bl_program *prog, struct bl_err *err)
{
	const struct bl_function *f = &obj->funcs[pf->func];
	uint64_t first = f->section_offset / 8;
	size_t i;

	for (i = 0; i < obj->core->count; i++) {
		const struct bl_core_relo_info *r = &obj->core->relos[i];

		if (r->section_index != f->section_index || r->insn < first || r->insn - first >= f->insn_cnt)
			continue;
		if (apply_one(obj, r, prog, pf->base + (r->insn - first), err))
			return -err->code;
	}
	return 0;
}

int bl_core_relocate_program(struct bl_object *obj, struct bl_program *prog, struct bl_err *err)
{
	size_t i;

	if (unreadable_core_records(obj))
		return bl_fail(err, EINVAL, "program %s: the object's .BTF.ext holds CO-RE relocations but could not be read, and its code is not loaded unrelocated (%s)",
			       prog->name, obj->notes);
	if (bl_core_relo_count(obj) == 0)
		return 0;
	if (bl_object_core_resolve(obj, err))
		return bl_err_context(err, "program %s", prog->name);
	for (i = 0; i < prog->layout_cnt; i++)
		if (apply_function(obj, &prog->layout[i], prog, err))
			return -err->code;
	return 0;
}

/* ---- explaining a rejection ------------------------------------------------- */

const struct bl_core_relo_info *bl_core_relo_at(const struct bl_object *obj,
						const struct bl_program *prog, size_t insn)
{
	size_t i, j;

	if (!obj->core)
		return NULL;
	for (i = 0; i < prog->layout_cnt; i++) {
		const struct bl_placed_func *pf = &prog->layout[i];
		const struct bl_function *f = &obj->funcs[pf->func];
		uint64_t at;

		if (insn < pf->base || insn - pf->base >= f->insn_cnt)
			continue;
		at = f->section_offset / 8 + (insn - pf->base);
		for (j = 0; j < obj->core->count; j++) {
			const struct bl_core_relo_info *r = &obj->core->relos[j];

			if (r->section_index == f->section_index && r->insn == at)
				return r;
		}
	}
	return NULL;
}

/* The instruction the verifier stopped at: "N: (85) call unknown#195896080"
 * just before "invalid func unknown#195896080". */
static int poisoned_insn(const char *log, size_t *insn)
{
	const char *end = strstr(log, "invalid func unknown#195896080"), *p, *line;
	char *stop;
	unsigned long n;

	if (!end)
		return 0;
	for (p = end; p > log;) {
		line = p;
		while (line > log && line[-1] != '\n')
			line--;
		n = strtoul(line, &stop, 10);
		if (stop != line && strncmp(stop, ": (85) call unknown#195896080", 29) == 0) {
			*insn = n;
			return 1;
		}
		p = line > log ? line - 1 : log;
	}
	return 0;
}

/* "file:line: source" of the line_info record covering section byte off. */
static void source_line(const struct bl_object *obj, const struct bl_core_relo_info *r, char *buf,
			size_t size)
{
	const struct bl_btf_ext_sec *sec = bl_btf_ext_find(obj->btf_ext, BL_BTF_EXT_LINE_INFO, r->section);
	struct bpf_line_info li, best = { 0 };
	const char *file, *text, *slash;
	uint32_t i;
	int found = 0;

	buf[0] = '\0';
	for (i = 0; sec && i < sec->count; i++) {
		bl_btf_ext_record(sec, i, &li, sizeof(li));
		if (li.insn_off <= r->rec.insn_off && (!found || li.insn_off >= best.insn_off)) {
			best = li;
			found = 1;
		}
	}
	if (!found)
		return;
	file = bl_btf_name(obj->btf, best.file_name_off);
	text = bl_btf_name(obj->btf, best.line_off);
	slash = file ? strrchr(file, '/') : NULL;
	while (text && (*text == ' ' || *text == '\t'))
		text++;
	snprintf(buf, size, " (at %s:%u: %s)", slash ? slash + 1 : file ? file : "?",
		 BPF_LINE_INFO_LINE_NUM(best.line_col), text ? text : "");
}

/* What the program can do about a relocation that fails on some kernels. */
static const char *guard_hint(uint32_t kind)
{
	if (bl_core_kind_is_enumval(kind))
		return "check bpf_core_enum_value_exists() before using the value";
	if (bl_core_kind_is_field(kind))
		return "check bpf_core_field_exists() before the access, or read it through a flavor that matches this kernel";
	return "check bpf_core_type_exists() first";
}

void bl_core_explain_rejection(const struct bl_object *obj, const struct bl_program *prog,
			       struct bl_err *err)
{
	const struct bl_core_relo_info *r;
	char where[256];
	size_t insn;

	if (!prog->verifier_log || !poisoned_insn(prog->verifier_log, &insn))
		return;
	r = bl_core_relo_at(obj, prog, insn);
	if (!r && insn > 0)	/* the second half of a poisoned ld_imm64 */
		r = bl_core_relo_at(obj, prog, insn - 1);
	if (!r)
		return;
	source_line(obj, r, where, sizeof(where));
	bl_fail(err, err->code ? err->code : EINVAL,
		"loading program %s failed: instruction %zu is reached, and its CO-RE relocation failed: %s %s: %s%s; %s",
		prog->name, insn, bl_core_kind_str(r->rec.kind), r->res.path,
		r->res.why[0] ? r->res.why : "no match in the kernel's BTF", where, guard_hint(r->rec.kind));
}
