// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf_reader.c - bounds-checked ELF64 parsing over a memory buffer.
 * No syscalls: the caller has read the file (or embedded it).
 *
 * Structures are copied out with memcpy rather than cast in place: a
 * hostile file may put a header at an odd offset, and an unaligned
 * pointer to Elf64_Shdr is undefined behaviour in C.
 */
#include "elf/elf_reader.h"

#include <errno.h>
#include <string.h>

#include "sys/bounds.h"

/* A NUL-terminated string at off inside table[0..size), or NULL. */
static const char *string_at(const unsigned char *table, uint64_t size, uint64_t off)
{
	if (off >= size || !memchr(table + off, '\0', size - off))
		return NULL;
	return (const char *)table + off;
}

static void read_shdr(const struct bl_elf *elf, size_t index, Elf64_Shdr *sh)
{
	memcpy(sh, elf->data + elf->shoff + index * sizeof(*sh), sizeof(*sh));
}

/* What bl_elf_open*() accept. */
enum elf_kind {
	ELF_BPF_OBJECT,		/* EM_BPF: what the loader loads */
	ELF_ANY_MACHINE,	/* any machine and type: a vmlinux holding .BTF */
	ELF_BINARY,		/* an executable or shared library: a uprobe's target */
};

static int check_header(struct bl_elf *elf, Elf64_Ehdr *eh, enum elf_kind kind, struct bl_err *err)
{
	if (elf->size < sizeof(*eh))
		return bl_fail(err, ENOEXEC, "not an ELF file: only %zu bytes", elf->size);
	memcpy(eh, elf->data, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return bl_fail(err, ENOEXEC, "not an ELF file: bad magic");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return bl_fail(err, ENOEXEC, "not a 64-bit ELF file (class %u)",
			       eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bl_fail(err, ENOEXEC, kind == ELF_BPF_OBJECT ?
			       "big-endian ELF file: only little-endian BPF objects are supported (build with -target bpfel or -target bpf on a little-endian machine)" :
			       "big-endian ELF file: only little-endian files are supported");
	if (kind == ELF_BINARY && eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bl_fail(err, ENOEXEC, "ELF file of type %u is neither an executable nor a shared library",
			       eh->e_type);
	if (eh->e_machine != EM_BPF && kind == ELF_BPF_OBJECT)
		return bl_fail(err, ENOEXEC, "not a BPF object: ELF machine %u, expected EM_BPF (%u); build it with clang -target bpf",
			       eh->e_machine, EM_BPF);
	if (eh->e_shoff == 0)
		return bl_fail(err, ENOEXEC, "ELF file has no section headers");
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return bl_fail(err, ENOEXEC, "ELF section header size is %u, expected %zu",
			       eh->e_shentsize, sizeof(Elf64_Shdr));
	if (!bl_range_ok(eh->e_shoff, sizeof(Elf64_Shdr), elf->size))
		return bl_fail(err, ENOEXEC, "ELF section headers at offset %llu lie outside the %zu-byte file",
			       (unsigned long long)eh->e_shoff, elf->size);
	elf->shoff = (size_t)eh->e_shoff;
	return 0;
}

/* Resolve extended numbering: with 65280 or more sections the real count
 * and the real name-table index live in section header 0. */
static int read_section_counts(struct bl_elf *elf, const Elf64_Ehdr *eh, struct bl_err *err)
{
	Elf64_Shdr sh0;
	uint64_t shnum, shstrndx;

	read_shdr(elf, 0, &sh0);
	shnum = eh->e_shnum ? eh->e_shnum : sh0.sh_size;
	shstrndx = eh->e_shstrndx == SHN_XINDEX ? sh0.sh_link : eh->e_shstrndx;
	if (shnum == 0 || shnum > (elf->size - elf->shoff) / sizeof(Elf64_Shdr))
		return bl_fail(err, ENOEXEC, "ELF file claims %llu section headers, which do not fit in the file",
			       (unsigned long long)shnum);
	if (shstrndx == 0 || shstrndx >= shnum)
		return bl_fail(err, ENOEXEC, "ELF section-name table index %llu is out of range (%llu sections)",
			       (unsigned long long)shstrndx, (unsigned long long)shnum);
	elf->shnum = (size_t)shnum;
	elf->shstrndx = (size_t)shstrndx;
	return 0;
}

static int check_sections(struct bl_elf *elf, struct bl_err *err)
{
	Elf64_Shdr names, sh;
	size_t i;

	read_shdr(elf, elf->shstrndx, &names);
	if (names.sh_type != SHT_STRTAB || !bl_range_ok(names.sh_offset, names.sh_size, elf->size))
		return bl_fail(err, ENOEXEC, "ELF section-name table (section %zu) is not a string table inside the file",
			       elf->shstrndx);
	for (i = 1; i < elf->shnum; i++) {
		const char *name;

		read_shdr(elf, i, &sh);
		name = string_at(elf->data + names.sh_offset, names.sh_size, sh.sh_name);
		if (!name)
			return bl_fail(err, ENOEXEC, "ELF section %zu: name offset %u is outside the section-name table",
				       i, sh.sh_name);
		if (sh.sh_type != SHT_NOBITS && !bl_range_ok(sh.sh_offset, sh.sh_size, elf->size))
			return bl_fail(err, ENOEXEC, "ELF section %zu (%s): %llu bytes at offset %llu lie outside the %zu-byte file",
				       i, name, (unsigned long long)sh.sh_size,
				       (unsigned long long)sh.sh_offset, elf->size);
		if (sh.sh_type == SHT_REL &&
		    (sh.sh_entsize != sizeof(Elf64_Rel) || sh.sh_size % sizeof(Elf64_Rel) ||
		     sh.sh_info == 0 || sh.sh_info >= elf->shnum))
			return bl_fail(err, ENOEXEC, "ELF relocation section %zu (%s) is malformed: entry size %llu, size %llu, target section %u",
				       i, name, (unsigned long long)sh.sh_entsize,
				       (unsigned long long)sh.sh_size, sh.sh_info);
		if (sh.sh_type == SHT_SYMTAB) {
			if (elf->symtab_index)
				return bl_fail(err, ENOEXEC, "ELF file has two symbol tables (sections %zu and %zu)",
					       elf->symtab_index, i);
			elf->symtab_index = i;
		}
	}
	return 0;
}

static int check_symbols(struct bl_elf *elf, struct bl_err *err)
{
	Elf64_Shdr symtab, strtab;
	size_t i;

	if (!elf->symtab_index)
		return 0;
	read_shdr(elf, elf->symtab_index, &symtab);
	if (symtab.sh_entsize != sizeof(Elf64_Sym) || symtab.sh_size % sizeof(Elf64_Sym))
		return bl_fail(err, ENOEXEC, "ELF symbol table (section %zu) has entry size %llu and size %llu, expected multiples of %zu",
			       elf->symtab_index, (unsigned long long)symtab.sh_entsize,
			       (unsigned long long)symtab.sh_size, sizeof(Elf64_Sym));
	if (symtab.sh_link == 0 || symtab.sh_link >= elf->shnum)
		return bl_fail(err, ENOEXEC, "ELF symbol table names string table %u, which does not exist",
			       symtab.sh_link);
	read_shdr(elf, symtab.sh_link, &strtab);
	if (strtab.sh_type != SHT_STRTAB)
		return bl_fail(err, ENOEXEC, "ELF symbol table's string table (section %u) is not SHT_STRTAB",
			       symtab.sh_link);
	elf->strtab_index = symtab.sh_link;
	elf->symbol_count = (size_t)(symtab.sh_size / sizeof(Elf64_Sym));

	for (i = 0; i < elf->symbol_count; i++) {
		Elf64_Sym sym;

		memcpy(&sym, elf->data + symtab.sh_offset + i * sizeof(sym), sizeof(sym));
		if (!string_at(elf->data + strtab.sh_offset, strtab.sh_size, sym.st_name))
			return bl_fail(err, ENOEXEC, "ELF symbol %zu: name offset %u is outside the string table",
				       i, sym.st_name);
		if (sym.st_shndx >= elf->shnum && sym.st_shndx < SHN_LORESERVE)
			return bl_fail(err, ENOEXEC, "ELF symbol %zu (%s): section index %u is out of range",
				       i, (const char *)elf->data + strtab.sh_offset + sym.st_name,
				       sym.st_shndx);
	}
	return 0;
}

static int elf_open(struct bl_elf *elf, const void *data, size_t size, enum elf_kind kind,
		    struct bl_err *err)
{
	Elf64_Ehdr eh;
	int ret;

	memset(elf, 0, sizeof(*elf));
	elf->data = data;
	elf->size = size;
	ret = check_header(elf, &eh, kind, err);
	if (!ret)
		ret = read_section_counts(elf, &eh, err);
	if (!ret)
		ret = check_sections(elf, err);
	if (!ret)
		ret = check_symbols(elf, err);
	return ret;
}

int bl_elf_open(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err)
{
	return elf_open(elf, data, size, ELF_BPF_OBJECT, err);
}

int bl_elf_open_any_machine(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err)
{
	return elf_open(elf, data, size, ELF_ANY_MACHINE, err);
}

int bl_elf_open_binary(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err)
{
	return elf_open(elf, data, size, ELF_BINARY, err);
}

void bl_elf_section(const struct bl_elf *elf, size_t index, struct bl_elf_section *sec)
{
	Elf64_Shdr sh, names;

	read_shdr(elf, index, &sh);
	read_shdr(elf, elf->shstrndx, &names);
	memset(sec, 0, sizeof(*sec));
	sec->index = index;
	sec->name = (const char *)elf->data + names.sh_offset + sh.sh_name;
	sec->type = sh.sh_type;
	sec->flags = sh.sh_flags;
	sec->addr = sh.sh_addr;
	sec->size = sh.sh_size;
	sec->link = sh.sh_link;
	sec->info = sh.sh_info;
	sec->entsize = sh.sh_entsize;
	sec->addralign = sh.sh_addralign;
	if (sh.sh_type != SHT_NOBITS && sh.sh_size)
		sec->data = elf->data + sh.sh_offset;
}

void bl_elf_symbol(const struct bl_elf *elf, size_t index, struct bl_elf_symbol *sym)
{
	Elf64_Shdr symtab, strtab;
	Elf64_Sym raw;

	read_shdr(elf, elf->symtab_index, &symtab);
	read_shdr(elf, elf->strtab_index, &strtab);
	memcpy(&raw, elf->data + symtab.sh_offset + index * sizeof(raw), sizeof(raw));
	sym->index = index;
	sym->name = (const char *)elf->data + strtab.sh_offset + raw.st_name;
	sym->bind = ELF64_ST_BIND(raw.st_info);
	sym->type = ELF64_ST_TYPE(raw.st_info);
	sym->visibility = ELF64_ST_VISIBILITY(raw.st_other);
	sym->shndx = raw.st_shndx;
	sym->value = raw.st_value;
	sym->size = raw.st_size;
}

size_t bl_elf_rel_count(const struct bl_elf_section *rel_section)
{
	return (size_t)(rel_section->size / sizeof(Elf64_Rel));
}

int bl_elf_rel(const struct bl_elf *elf, const struct bl_elf_section *rel_section,
	       size_t i, Elf64_Rel *rel, struct bl_err *err)
{
	if (i >= bl_elf_rel_count(rel_section))
		return bl_fail(err, ERANGE, "%s: relocation %zu does not exist", rel_section->name, i);
	memcpy(rel, rel_section->data + i * sizeof(*rel), sizeof(*rel));
	if (rel_section->link != elf->symtab_index || elf->symtab_index == 0)
		return bl_fail(err, ENOEXEC, "%s: relocations refer to section %u, which is not the symbol table",
			       rel_section->name, rel_section->link);
	if (ELF64_R_SYM(rel->r_info) >= elf->symbol_count)
		return bl_fail(err, ENOEXEC, "%s: relocation %zu names symbol %llu, but the symbol table has %zu",
			       rel_section->name, i,
			       (unsigned long long)ELF64_R_SYM(rel->r_info), elf->symbol_count);
	return 0;
}

size_t bl_elf_find_section(const struct bl_elf *elf, const char *name)
{
	struct bl_elf_section sec;
	size_t i;

	for (i = 1; i < elf->shnum; i++) {
		bl_elf_section(elf, i, &sec);
		if (strcmp(sec.name, name) == 0)
			return i;
	}
	return 0;
}
