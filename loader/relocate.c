// SPDX-License-Identifier: BSD-2-Clause
/*
 * relocate.c - find map references in program code and patch in map fds.
 * No syscalls.
 *
 * An SHT_REL section ".relkprobe/foo" applies to section "kprobe/foo"
 * (its sh_info).  Each Elf64_Rel gives a byte offset into that section
 * and a symbol; for a map reference the symbol lives in the "maps"
 * section and the instruction at the offset is the first half of an
 * ld_imm64 (opcode BPF_LD | BPF_IMM | BPF_DW).
 */
#include "relocate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BPF_LD_IMM64_OPCODE (BPF_LD | BPF_IMM | BPF_DW)

/* The program of this section that contains byte offset off, or NULL. */
static struct bl_program *program_at(struct bl_object *obj, size_t section_index, uint64_t off)
{
	size_t i;

	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_program *p = &obj->progs[i];
		uint64_t len = p->insn_cnt * sizeof(struct bpf_insn);

		if (p->section_index == section_index && off >= p->section_offset &&
		    off - p->section_offset < len)
			return p;
	}
	return NULL;
}

static int map_at(const struct bl_object *obj, size_t section_index, uint64_t offset)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].section_index == section_index && obj->maps[i].offset == offset)
			return (int)i;
	return -1;
}

static int add_reloc(struct bl_program *prog, size_t insn_index, size_t map_index, struct bl_err *err)
{
	struct bl_reloc *r = realloc(prog->relocs, (prog->reloc_cnt + 1) * sizeof(*r));

	if (!r)
		return bl_fail(err, ENOMEM, "out of memory");
	prog->relocs = r;
	r[prog->reloc_cnt].insn_index = insn_index;
	r[prog->reloc_cnt].map_index = map_index;
	prog->reloc_cnt++;
	return 0;
}

static int record_relocation(struct bl_object *obj, const struct bl_elf_section *target,
			     const Elf64_Rel *rel, struct bl_err *err)
{
	struct bl_elf_symbol sym;
	struct bl_elf_section sym_sec = { .name = "(none)" };
	struct bl_program *prog;
	size_t insn_index;
	int map_index;

	bl_elf_symbol(&obj->elf, ELF64_R_SYM(rel->r_info), &sym);
	if (sym.shndx > 0 && sym.shndx < obj->elf.shnum)
		bl_elf_section(&obj->elf, sym.shndx, &sym_sec);
	prog = program_at(obj, target->index, rel->r_offset);
	if (!prog || rel->r_offset % sizeof(struct bpf_insn))
		return bl_fail(err, ENOEXEC, "section %s: relocation at offset %llu is not at an instruction of any program",
			       target->name, (unsigned long long)rel->r_offset);
	insn_index = (size_t)((rel->r_offset - prog->section_offset) / sizeof(struct bpf_insn));

	if (ELF64_R_TYPE(rel->r_info) != R_BPF_64_64)
		return bl_fail(err, ENOTSUP, "program %s: instruction %zu refers to %s in section %s with relocation type %llu; this loader handles only map references (R_BPF_64_64), not bpf-to-bpf calls",
			       prog->name, insn_index, sym.name[0] ? sym.name : "(unnamed)",
			       sym_sec.name, (unsigned long long)ELF64_R_TYPE(rel->r_info));
	map_index = map_at(obj, sym.shndx, sym.value);
	if (map_index < 0)
		return bl_fail(err, ENOTSUP, "program %s: instruction %zu refers to %s in section %s, which is not a map in the maps section (global data is not supported)",
			       prog->name, insn_index, sym.name[0] ? sym.name : "(unnamed)",
			       sym_sec.name);
	if (insn_index + 1 >= prog->insn_cnt ||
	    prog->insns[insn_index].code != BPF_LD_IMM64_OPCODE)
		return bl_fail(err, ENOEXEC, "program %s: instruction %zu refers to map %s but is not an ld_imm64",
			       prog->name, insn_index, obj->maps[map_index].name);
	return add_reloc(prog, insn_index, (size_t)map_index, err);
}

int bl_collect_relocations(struct bl_object *obj, struct bl_err *err)
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
		if (strcmp(target.name, ".text") == 0 && bl_elf_rel_count(&rel_sec))
			continue;	/* subprograms are not loaded (see object.c) */
		for (j = 0; j < bl_elf_rel_count(&rel_sec); j++) {
			ret = bl_elf_rel(&obj->elf, &rel_sec, j, &rel, err);
			if (!ret)
				ret = record_relocation(obj, &target, &rel, err);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int bl_apply_relocations(struct bl_object *obj, struct bl_program *prog, struct bl_err *err)
{
	size_t i;

	for (i = 0; i < prog->reloc_cnt; i++) {
		const struct bl_reloc *r = &prog->relocs[i];
		const struct bl_map *map = &obj->maps[r->map_index];

		if (map->fd < 0)
			return bl_fail(err, EBADF, "program %s: map %s has not been created",
				       prog->name, map->name);
		prog->insns[r->insn_index].src_reg = BPF_PSEUDO_MAP_FD;
		prog->insns[r->insn_index].imm = map->fd;
	}
	return 0;
}
