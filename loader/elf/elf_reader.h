/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elf_reader.h - a bounds-checked reader for BPF ELF objects.
 *
 * clang -target bpf writes an ordinary ELF64 relocatable file: sections
 * named after the program types ("kprobe/do_sys_open", "maps", "license"),
 * a symbol table naming the maps and programs, and SHT_REL sections that
 * say which instructions refer to which symbols.  This reader checks
 * every offset, size and index against the file once, in bl_elf_open(),
 * so that the rest of the loader can walk sections and symbols without
 * ever reading outside the buffer, whatever the file holds.
 */
#ifndef BL_ELF_READER_H
#define BL_ELF_READER_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* BPF's relocation types as glibc's <elf.h> names them.  musl's <elf.h>
 * (1.2.3) has only R_BPF_MAP_FD, the old name of type 1, and lacks type 10. */
#ifndef R_BPF_64_64
#define R_BPF_64_64 1		/* ld_imm64 of a map or global variable */
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10		/* call imm of a subprogram */
#endif

struct bl_elf {
	const unsigned char *data;	/* the whole file, not owned */
	size_t size;
	size_t shoff;			/* where the section headers start */
	size_t shnum;			/* number of sections, extended numbering resolved */
	size_t shstrndx;
	size_t symtab_index;		/* 0 when the file has no symbol table */
	size_t symbol_count;
	size_t strtab_index;
};

struct bl_elf_section {
	size_t index;
	const char *name;		/* NUL-terminated, inside the file */
	uint32_t type;			/* SHT_PROGBITS, SHT_REL, ... */
	uint64_t flags;			/* SHF_EXECINSTR, ... */
	uint64_t addr;			/* sh_addr: where it is loaded (executables, libraries) */
	const unsigned char *data;	/* NULL for SHT_NOBITS and empty sections */
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t entsize;
	uint64_t addralign;
};

struct bl_elf_symbol {
	size_t index;
	const char *name;		/* "" when unnamed */
	unsigned char bind;		/* STB_GLOBAL, ... */
	unsigned char type;		/* STT_FUNC, STT_OBJECT, ... */
	unsigned char visibility;	/* STV_DEFAULT, STV_HIDDEN, ... */
	uint16_t shndx;			/* section the symbol is defined in */
	uint64_t value;			/* offset inside that section */
	uint64_t size;
};

/* Check the ELF header, every section header, the section name table, the
 * symbol table and its string table.  data must outlive elf. */
int bl_elf_open(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err);

/* The same checks for an ELF64 file of any machine (a vmlinux image, a
 * kernel module), for reading its sections, e.g. its .BTF. */
int bl_elf_open_any_machine(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err);

/* The same checks for an executable or shared library (ET_EXEC, ET_DYN)
 * of any machine: the file a uprobe goes into (elf_symbols.h,
 * elf_segments.h and elf_notes.h read the rest). */
int bl_elf_open_binary(struct bl_elf *elf, const void *data, size_t size, struct bl_err *err);

/* Section index (0 < index < shnum); never fails after bl_elf_open. */
void bl_elf_section(const struct bl_elf *elf, size_t index, struct bl_elf_section *sec);

/* Symbol index (index < symbol_count); never fails after bl_elf_open. */
void bl_elf_symbol(const struct bl_elf *elf, size_t index, struct bl_elf_symbol *sym);

/* Number of Elf64_Rel entries in an SHT_REL section. */
size_t bl_elf_rel_count(const struct bl_elf_section *rel_section);

/* Entry i of an SHT_REL section; fails when its symbol index is out of range. */
int bl_elf_rel(const struct bl_elf *elf, const struct bl_elf_section *rel_section,
	       size_t i, Elf64_Rel *rel, struct bl_err *err);

/* Index of the first section with this name, or 0 when there is none. */
size_t bl_elf_find_section(const struct bl_elf *elf, const char *name);

#endif
