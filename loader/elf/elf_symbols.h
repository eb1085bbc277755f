/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * elf_symbols.h - the functions an executable or shared library defines,
 * found by name, as a uprobe needs them.
 *
 * Two symbol tables may name them:
 *   .symtab   every symbol the linker saw, static functions included;
 *             strip(1) removes it (Debian strips its packages)
 *   .dynsym   the symbols the dynamic loader needs: what a library
 *             exports, and what an executable exports or imports.  It
 *             survives stripping.
 * We search .symtab first, then .dynsym, as libbpf does.  In .dynsym a
 * name may be defined more than once with different symbol versions
 * (glibc's realpath@GLIBC_2.2.5 and realpath@@GLIBC_2.3); .gnu.version
 * marks all but the default one "hidden", and we take the default one,
 * which is what a newly linked program calls.
 *
 * Every offset and index read from the file is checked; a bad table is
 * an error, never an out-of-bounds read.
 */
#ifndef BL_ELF_SYMBOLS_H
#define BL_ELF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "elf/elf_reader.h"

struct bl_elf_func {
	const char *name;	/* inside the file */
	uint64_t vaddr;		/* st_value: the link-time address */
	uint64_t size;
	unsigned char type;	/* STT_FUNC or STT_GNU_IFUNC */
	unsigned char bind;	/* STB_GLOBAL, STB_WEAK, STB_LOCAL */
	int dynamic;		/* found in .dynsym (else .symtab) */
	int hidden_version;	/* .dynsym: an old version (name@VER, not @@VER) */
};

/* Called for each function; a non-zero return stops the walk and is
 * returned by bl_elf_for_each_function(). */
typedef int (*bl_elf_func_fn)(const struct bl_elf_func *func, void *ctx);

/* Every defined function (STT_FUNC, STT_GNU_IFUNC) of .symtab, then of
 * .dynsym. */
int bl_elf_for_each_function(const struct bl_elf *elf, bl_elf_func_fn fn, void *ctx,
			     struct bl_err *err);

/* The function called name.  Several symbols at one address are aliases;
 * at different addresses the default version of a .dynsym name wins, and
 * otherwise (static functions of the same name in several files) it is
 * an error listing the addresses.  -ENOENT when there is none. */
int bl_elf_find_function(const struct bl_elf *elf, const char *name, struct bl_elf_func *out,
			 struct bl_err *err);

/* The address of the defined data symbol (STT_OBJECT, or a label of no
 * type) called name, from .symtab then .dynsym: the global variables a
 * USDT argument may name.  -ENOENT when there is none. */
int bl_elf_find_data_symbol(const struct bl_elf *elf, const char *name, uint64_t *vaddr,
			    struct bl_err *err);

/* Up to three function names that look like name (a typo, a prefix, a
 * suffix), comma separated, for a "did you mean" message; "" if none. */
void bl_elf_similar_functions(const struct bl_elf *elf, const char *name, char *out, size_t size);

#endif
