// SPDX-License-Identifier: BSD-2-Clause
/*
 * relocs.c - classify the relocations of BPF code.  No syscalls.
 */
#include "object/relocs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "object/externs.h"
#include "object/global_data.h"
#include "sys/grow.h"

#define BPF_LD_IMM64_OPCODE (BPF_LD | BPF_IMM | BPF_DW)
#define BPF_CALL_OPCODE (BPF_JMP | BPF_CALL)

int bl_function_at(const struct bl_object *obj, size_t section_index, uint64_t off)
{
	size_t i;

	for (i = 0; i < obj->func_cnt; i++) {
		const struct bl_function *f = &obj->funcs[i];

		if (f->section_index == section_index && off >= f->section_offset &&
		    off - f->section_offset < f->insn_cnt * sizeof(struct bpf_insn))
			return (int)i;
	}
	return -1;
}

static void read_insn(const struct bl_function *f, size_t index, struct bpf_insn *insn)
{
	memcpy(insn, f->code + index * sizeof(*insn), sizeof(*insn));
}

static int add_reloc(struct bl_function *f, const struct bl_reloc *r, struct bl_err *err)
{
	struct bl_reloc *relocs = bl_grow(f->relocs, &f->reloc_cap, f->reloc_cnt + 1, sizeof(*relocs));

	if (!relocs)
		return bl_fail(err, ENOMEM, "out of memory");
	f->relocs = relocs;
	relocs[f->reloc_cnt++] = *r;
	return 0;
}

static int map_at(const struct bl_object *obj, size_t section_index, uint64_t offset)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].origin != BL_MAP_DATA && obj->maps[i].section_index == section_index &&
		    obj->maps[i].offset == offset)
			return (int)i;
	return -1;
}

/* Everything a message about one relocation needs. */
struct reloc_site {
	struct bl_function *func;
	size_t insn_index;
	struct bpf_insn insn;
	struct bl_elf_symbol sym;
	struct bl_elf_section sym_sec;	/* the symbol's section; name "(none)" if none */
};

/* A call or address of code: find the function at the target. */
static int code_target(struct bl_object *obj, const struct reloc_site *s, uint64_t target_off,
		       struct bl_reloc *r, struct bl_err *err)
{
	int target = bl_function_at(obj, s->sym.shndx, target_off);

	if (target < 0 || (target_off - obj->funcs[target].section_offset) % sizeof(struct bpf_insn))
		return bl_fail(err, ENOEXEC, "function %s: instruction %zu calls or takes the address of offset %llu in section %s, where no function is",
			       s->func->name, s->insn_index, (unsigned long long)target_off, s->sym_sec.name);
	r->target_func = (size_t)target;
	r->target_insn = (size_t)((target_off - obj->funcs[target].section_offset) / sizeof(struct bpf_insn));
	return 0;
}

static int classify_call(struct bl_object *obj, const struct reloc_site *s, struct bl_reloc *r,
			 struct bl_err *err)
{
	int64_t target = (int64_t)(s->sym.value / sizeof(struct bpf_insn)) + s->insn.imm + 1;

	if (s->insn.code != BPF_CALL_OPCODE || s->insn.src_reg != BPF_PSEUDO_CALL)
		return bl_fail(err, ENOEXEC, "function %s: instruction %zu has a call relocation but is not a bpf-to-bpf call",
			       s->func->name, s->insn_index);
	if (s->sym.shndx == SHN_UNDEF) {	/* a kernel function (kfunc): externs.c */
		if (bl_extern_reloc(obj, s->sym.name, 1, r, err))
			return bl_err_context(err, "function %s: instruction %zu", s->func->name, s->insn_index);
		return 0;
	}
	if (!(s->sym_sec.flags & SHF_EXECINSTR) || target < 0)
		return bl_fail(err, ENOTSUP, "function %s: instruction %zu calls %s, which is not BPF code in this object (extern functions are not supported)",
			       s->func->name, s->insn_index, s->sym.name[0] ? s->sym.name : "(unnamed)");
	r->kind = BL_RELOC_CALL;
	return code_target(obj, s, (uint64_t)target * sizeof(struct bpf_insn), r, err);
}

static int classify_ld_imm64(struct bl_object *obj, const struct reloc_site *s, struct bl_reloc *r,
			     struct bl_err *err)
{
	int map;

	if (s->insn.code != BPF_LD_IMM64_OPCODE || s->insn_index + 1 >= s->func->insn_cnt)
		return bl_fail(err, ENOEXEC, "function %s: instruction %zu refers to %s but is not an ld_imm64",
			       s->func->name, s->insn_index, s->sym.name[0] ? s->sym.name : s->sym_sec.name);
	if (s->sym.shndx == SHN_UNDEF) {	/* __kconfig, __ksym: externs.c */
		if (bl_extern_reloc(obj, s->sym.name, 0, r, err))
			return bl_err_context(err, "function %s: instruction %zu", s->func->name, s->insn_index);
		return 0;
	}
	if (s->sym_sec.flags & SHF_EXECINSTR) {
		r->kind = BL_RELOC_FUNC_ADDR;
		return code_target(obj, s, s->sym.value + (uint64_t)(int64_t)s->insn.imm, r, err);
	}
	map = map_at(obj, s->sym.shndx, s->sym.value);
	if (map >= 0) {
		r->kind = BL_RELOC_MAP_FD;
		r->map_index = (size_t)map;
		return 0;
	}
	map = bl_data_section_map(obj, s->sym.shndx);
	if (map >= 0) {
		int64_t off = (int64_t)s->sym.value + s->insn.imm;

		if (off < 0 || (uint64_t)off >= obj->maps[map].spec.value_size)
			return bl_fail(err, ENOEXEC, "function %s: instruction %zu points %lld bytes into %s, outside it",
				       s->func->name, s->insn_index, (long long)off, obj->maps[map].name);
		r->kind = BL_RELOC_MAP_VALUE;
		r->map_index = (size_t)map;
		r->value_offset = (uint32_t)off;
		return 0;
	}
	return bl_fail(err, ENOTSUP, "function %s: instruction %zu refers to %s in section %s, which is neither a map nor global data",
		       s->func->name, s->insn_index, s->sym.name[0] ? s->sym.name : "(unnamed)",
		       s->sym_sec.name);
}

static int record_relocation(struct bl_object *obj, const struct bl_elf_section *target,
			     const Elf64_Rel *rel, struct bl_err *err)
{
	struct reloc_site s = { .sym_sec = { .name = "(none)" } };
	struct bl_reloc r = { 0 };
	int func = bl_function_at(obj, target->index, rel->r_offset);
	int ret;

	if (func < 0 || rel->r_offset % sizeof(struct bpf_insn))
		return bl_fail(err, ENOEXEC, "section %s: relocation at offset %llu is not at an instruction of any function",
			       target->name, (unsigned long long)rel->r_offset);
	s.func = &obj->funcs[func];
	s.insn_index = (size_t)((rel->r_offset - s.func->section_offset) / sizeof(struct bpf_insn));
	read_insn(s.func, s.insn_index, &s.insn);
	bl_elf_symbol(&obj->elf, ELF64_R_SYM(rel->r_info), &s.sym);
	if (s.sym.shndx > 0 && s.sym.shndx < obj->elf.shnum)
		bl_elf_section(&obj->elf, s.sym.shndx, &s.sym_sec);

	switch (ELF64_R_TYPE(rel->r_info)) {
	case R_BPF_64_64:
		ret = classify_ld_imm64(obj, &s, &r, err);
		break;
	case R_BPF_64_32:
		ret = classify_call(obj, &s, &r, err);
		break;
	default:
		return bl_fail(err, ENOTSUP, "function %s: instruction %zu has relocation type %llu, which this loader does not handle (only R_BPF_64_64 and R_BPF_64_32)",
			       s.func->name, s.insn_index, (unsigned long long)ELF64_R_TYPE(rel->r_info));
	}
	if (ret)
		return ret;
	r.insn_index = s.insn_index;
	return add_reloc(s.func, &r, err);
}

static int has_reloc_at(const struct bl_function *f, size_t insn_index)
{
	size_t i;

	for (i = 0; i < f->reloc_cnt; i++)
		if (f->relocs[i].insn_index == insn_index)
			return 1;
	return 0;
}

/* Older clang emitted calls to static functions of the same section with
 * no relocation at all: the immediate is relative to the call. */
static int record_unrelocated_calls(struct bl_object *obj, size_t func, struct bl_err *err)
{
	struct bl_function *f = &obj->funcs[func];
	struct bpf_insn insn;
	size_t i;
	int ret;

	for (i = 0; i < f->insn_cnt; i++) {
		struct reloc_site s = { .func = f, .insn_index = i };
		struct bl_reloc r = { .kind = BL_RELOC_CALL, .insn_index = i };
		int64_t target;

		read_insn(f, i, &insn);
		if (insn.code != BPF_CALL_OPCODE || insn.src_reg != BPF_PSEUDO_CALL || has_reloc_at(f, i))
			continue;
		target = (int64_t)(f->section_offset / sizeof(insn)) + (int64_t)i + insn.imm + 1;
		if (target < 0)
			return bl_fail(err, ENOEXEC, "function %s: instruction %zu calls before the start of its section",
				       f->name, i);
		s.sym.shndx = (uint16_t)f->section_index;
		s.sym_sec.name = "(its own)";
		ret = code_target(obj, &s, (uint64_t)target * sizeof(insn), &r, err);
		if (!ret)
			ret = add_reloc(f, &r, err);
		if (ret)
			return ret;
	}
	return 0;
}

int bl_collect_relocs(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section rel_sec, target;
	Elf64_Rel rel;
	size_t i, j;
	int ret;

	for (i = 1; i < obj->elf.shnum; i++) {
		bl_elf_section(&obj->elf, i, &rel_sec);
		if (rel_sec.type != SHT_REL)
			continue;
		bl_elf_section(&obj->elf, rel_sec.info, &target);
		if (!(target.flags & SHF_EXECINSTR))
			continue;	/* relocations of debug info and BTF */
		for (j = 0; j < bl_elf_rel_count(&rel_sec); j++) {
			ret = bl_elf_rel(&obj->elf, &rel_sec, j, &rel, err);
			if (!ret)
				ret = record_relocation(obj, &target, &rel, err);
			if (ret)
				return ret;
		}
	}
	for (i = 0; i < obj->func_cnt; i++) {
		ret = record_unrelocated_calls(obj, i, err);
		if (ret)
			return ret;
	}
	return 0;
}
