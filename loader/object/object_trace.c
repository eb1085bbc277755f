// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/object_trace.c - narration lines for the object layer: what an
 * opened object holds, and every instruction the loader changes while
 * it assembles a program (map fds and global data into ld_imm64,
 * subprograms appended and called, externs, CO-RE values).  No syscalls.
 *
 * A relocation line says which instruction, what it now holds in the
 * terms a reader of the C source knows (the map's or variable's name),
 * and the raw encoding the kernel reads (src_reg BPF_PSEUDO_MAP_FD and
 * the fd in imm, ...), so that it can be checked against a dump of the
 * instructions.
 */
#include "object/object_trace.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "object/externs.h"
#include "sys/trace.h"
#include "sys/trace_format.h"

static const char *map_origin(enum bl_map_origin origin)
{
	return origin == BL_MAP_DATA ? "global data" : origin == BL_MAP_BTF ? "BTF-defined" :
	       "legacy definition";
}

static size_t reloc_count(const struct bl_object *obj)
{
	size_t i, n = 0;

	for (i = 0; i < obj->func_cnt; i++)
		n += obj->funcs[i].reloc_cnt;
	return n;
}

/* "1 map", "2 maps" */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void bl_trace_object_opened(const struct bl_object *obj, size_t size)
{
	size_t i, subprograms = 0, relocs = reloc_count(obj);

	for (i = 0; i < obj->func_cnt; i++)
		subprograms += obj->funcs[i].is_subprogram != 0;
	bl_trace_emit(BL_TRACE_NOTE, "%s: %zu bytes of ELF, license \"%s\", %zu map%s, %zu program%s, %zu subprogram%s, %zu relocation%s, %s%s; nothing is in the kernel yet",
		      obj->name, size, obj->license, obj->map_cnt, plural(obj->map_cnt),
		      obj->prog_cnt, plural(obj->prog_cnt), subprograms, plural(subprograms), relocs,
		      plural(relocs), obj->btf ? "BTF" : "no BTF", obj->btf_ext ? " and .BTF.ext" : "");
	for (i = 0; i < obj->map_cnt; i++) {
		const struct bl_map *m = &obj->maps[i];
		const char *type = bl_map_type_str(m->spec.type);

		bl_trace_emit(BL_TRACE_NOTE, "map %s: %s, key %u, value %u, %u entr%s (%s)", m->name,
			      type ? type : "?", m->spec.key_size, m->spec.value_size,
			      m->spec.max_entries, m->spec.max_entries == 1 ? "y" : "ies",
			      map_origin(m->origin));
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct bl_program *p = &obj->progs[i];
		const char *type = bl_prog_type_str(p->kind->prog_type);

		bl_trace_emit(BL_TRACE_NOTE, "program %s: %s, section %s, %zu insns", p->name,
			      type ? type : "?", p->section_name, obj->funcs[p->entry_func].insn_cnt);
	}
	for (i = 0; i < obj->func_cnt; i++)
		if (obj->funcs[i].is_subprogram)
			bl_trace_emit(BL_TRACE_NOTE, "subprogram %s: %zu insns, appended to each program that calls it",
				      obj->funcs[i].name, obj->funcs[i].insn_cnt);
}

/* The function placed over instruction idx of prog, or NULL. */
static const struct bl_function *function_at(const struct bl_object *obj,
					     const struct bl_program *prog, size_t idx)
{
	size_t i;

	for (i = 0; i < prog->layout_cnt; i++) {
		const struct bl_function *f = &obj->funcs[prog->layout[i].func];

		if (idx >= prog->layout[i].base && idx - prog->layout[i].base < f->insn_cnt)
			return f;
	}
	return NULL;
}

void bl_trace_reloc(const struct bl_object *obj, const struct bl_program *prog, size_t idx,
		    const char *fmt, ...)
{
	char buf[BL_TRACE_LINE_MAX];
	const struct bl_function *f = function_at(obj, prog, idx);
	struct bl_line l;
	va_list ap;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "insn %zu of %s", idx, prog->name);
	if (f && f->is_subprogram)
		bl_line_add(&l, " (in %s)", f->name);
	bl_line_add(&l, ": ");
	va_start(ap, fmt);
	vsnprintf(buf + l.len, sizeof(buf) - l.len, fmt, ap);	/* cut when too long */
	va_end(ap);
	bl_trace_emit(BL_TRACE_RELOC, "%s", buf);
}

void bl_trace_placed(const struct bl_object *obj, const struct bl_program *prog, size_t func,
		     size_t base)
{
	const struct bl_function *f = &obj->funcs[func];

	bl_trace_emit(BL_TRACE_RELOC, "%s: subprogram %s appended at insn %zu (%zu insns)",
		      prog->name, f->name, base, f->insn_cnt);
}

/* The global variable at offset off of a global-data map, or NULL. */
static const char *variable_at(const struct bl_object *obj, const struct bl_map *map, uint32_t off)
{
	struct bl_elf_symbol sym;
	size_t i;

	for (i = 0; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.type == STT_OBJECT && sym.shndx == map->section_index && sym.name[0] &&
		    off >= sym.value && off - sym.value < (sym.size ? sym.size : 1))
			return sym.name;
	}
	return NULL;
}

/* What externs.c wrote for a __kconfig or __ksym extern, or a kfunc call. */
static void trace_extern(const struct bl_object *obj, const struct bl_program *prog, size_t idx,
			 const struct bl_reloc *r)
{
	const struct bl_extern *e = &obj->externs->list[r->extern_index];
	const struct bpf_insn *insn = &prog->insns[idx];

	if (r->kind == BL_RELOC_EXTERN_CALL && insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		bl_trace_reloc(obj, prog, idx, "call kfunc %s (BPF_PSEUDO_KFUNC_CALL, kernel BTF id %d, fd_array index %d)",
			       e->name, insn->imm, insn->off);
	else if (r->kind == BL_RELOC_EXTERN_CALL)
		bl_trace_reloc(obj, prog, idx, "call kfunc %s: this kernel has none (weak), so a call of helper %d, which none has",
			       e->name, insn->imm);
	else if (e->kind == BL_EXTERN_KCONFIG)
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = &%s, in .kconfig+%d (BPF_PSEUDO_MAP_VALUE fd %d, offset %d)",
			       insn->dst_reg, e->name, insn[1].imm, insn[0].imm, insn[1].imm);
	else if (insn->src_reg == BPF_PSEUDO_BTF_ID && insn[1].imm)
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = &%s (BPF_PSEUDO_BTF_ID, BTF id %d in the module whose BTF is fd %d)",
			       insn->dst_reg, e->name, insn[0].imm, insn[1].imm);
	else if (insn->src_reg == BPF_PSEUDO_BTF_ID)
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = &%s (BPF_PSEUDO_BTF_ID, vmlinux BTF id %d)",
			       insn->dst_reg, e->name, insn[0].imm);
	else if (e->is_set)
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = %s = %#llx (its address in /proc/kallsyms)",
			       insn->dst_reg, e->name, (unsigned long long)e->addr);
	else
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = %s = 0 (weak, and this kernel has none)",
			       insn->dst_reg, e->name);
}

void bl_trace_resolved(const struct bl_object *obj, const struct bl_program *prog, size_t base,
		       const struct bl_reloc *r)
{
	size_t idx = base + r->insn_index;
	const struct bpf_insn *insn = &prog->insns[idx];
	const struct bl_map *map;
	const char *var;
	int32_t target;

	switch (r->kind) {
	case BL_RELOC_MAP_FD:
		map = &obj->maps[r->map_index];
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = map %s (BPF_PSEUDO_MAP_FD %d)",
			       insn->dst_reg, map->name, insn->imm);
		return;
	case BL_RELOC_MAP_VALUE:
		map = &obj->maps[r->map_index];
		var = map->origin == BL_MAP_DATA ? variable_at(obj, map, r->value_offset) : NULL;
		bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = &%s%s%s+%u (BPF_PSEUDO_MAP_VALUE fd %d, offset %d)",
			       insn->dst_reg, var ? var : "", var ? ", in " : "", map->name,
			       r->value_offset, insn[0].imm, insn[1].imm);
		return;
	case BL_RELOC_CALL:
	case BL_RELOC_FUNC_ADDR:
		target = (int32_t)idx + 1 + insn->imm;
		if (r->kind == BL_RELOC_CALL)
			bl_trace_reloc(obj, prog, idx, "call %s (BPF_PSEUDO_CALL, imm %d: insn %d)",
				       obj->funcs[r->target_func].name, insn->imm, target);
		else
			bl_trace_reloc(obj, prog, idx, "ld_imm64 r%u = &%s (BPF_PSEUDO_FUNC, imm %d: insn %d)",
				       insn->dst_reg, obj->funcs[r->target_func].name, insn->imm, target);
		return;
	case BL_RELOC_EXTERN_LD64:
	case BL_RELOC_EXTERN_CALL:
		trace_extern(obj, prog, idx, r);
		return;
	}
	/* A kind added later: say so rather than nothing. */
	bl_trace_reloc(obj, prog, idx, "relocation of kind %d", (int)r->kind);
}

/* A CO-RE value as the instruction holds it: enum values are signed. */
static void core_value(char *buf, size_t size, uint32_t kind, uint64_t v)
{
	if (kind == BPF_CORE_ENUMVAL_VALUE)
		snprintf(buf, size, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, size, "%" PRIu64, v);
}

void bl_trace_core_applied(const struct bl_object *obj, const struct bl_program *prog, size_t idx,
			   const struct bl_core_relo_info *r)
{
	const struct bl_core_result *res = &r->res;
	const char *kind = bl_core_kind_str(r->rec.kind);
	const char *path = res->path[0] ? res->path : "?";
	uint8_t class = BPF_CLASS(prog->insns[idx].code);
	int memory = class == BPF_LDX || class == BPF_ST || class == BPF_STX;
	char local[32], target[32];

	core_value(local, sizeof(local), r->rec.kind, res->local_val);
	core_value(target, sizeof(target), r->rec.kind, res->target_val);
	if (res->poison)
		bl_trace_reloc(obj, prog, idx, "CO-RE %s %s: %s -> no match, instruction poisoned (%s)",
			       kind, path, local, res->why);
	else if (memory && res->bad_size)
		bl_trace_reloc(obj, prog, idx, "CO-RE %s %s: %s -> %s, load poisoned (%s)", kind, path,
			       local, target, res->why);
	else if (memory && res->local_size != res->target_size)
		bl_trace_reloc(obj, prog, idx, "CO-RE %s %s: %s -> %s (load size %u -> %u)", kind, path,
			       local, target, res->local_size, res->target_size);
	else
		bl_trace_reloc(obj, prog, idx, "CO-RE %s %s: %s -> %s", kind, path, local, target);
}
