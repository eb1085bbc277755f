/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf/btf_fixup.h - an object's BTF completed for BPF_BTF_LOAD.
 */
#ifndef BL_BTF_FIXUP_H
#define BL_BTF_FIXUP_H

#include "btf/btf.h"

/*
 * What the object file knows and its BTF does not.  clang writes DATASEC
 * sizes and the offsets of global variables as 0, because the assembler
 * decides them later; they are in the ELF section headers and symbols.
 * Callbacks keep this file independent of the object reader; each
 * returns 0, or -ENOENT when the object has no such section or symbol.
 */
struct bl_btf_elf_info {
	int (*section_size)(void *ctx, const char *section, uint32_t *size);
	/* The offset of variable var in section: its symbol's st_value.
	 * Static variables are local symbols ("func.var" inside functions). */
	int (*var_offset)(void *ctx, const char *section, const char *var,
			  uint32_t *offset);
	void *ctx;
};

/*
 * Make every DATASEC acceptable to BPF_BTF_LOAD:
 *  - a DATASEC of size 0 gets its ELF section's size, and its variables
 *    the offsets of their symbols (static variables keep the offset
 *    clang gave them when they have no symbol);
 *  - DATASECs of externs (libbpf's ".kconfig" and ".ksyms", which have
 *    no ELF section) become allocated variables laid out in order at
 *    their natural alignment, since the kernel accepts no extern VAR;
 *    in ".ksyms" each variable becomes a 4-byte int and each kernel
 *    function a slot naming one added dummy int VAR, as the kernel wants
 *    only VARs in a DATASEC;
 *  - extern FUNCs (kernel functions) become global, with every unnamed
 *    parameter named, as the kernel refuses extern linkage;
 *  - variables are sorted by offset and must lie inside the section.
 * The loader may read the resulting layout back from the DATASECs.
 * Running it again changes nothing.  Types and strings may be added:
 * earlier bl_btf_type() and bl_btf_name() pointers become invalid.
 */
int bl_btf_fixup_datasecs(struct bl_btf *btf, const struct bl_btf_elf_info *elf,
			  struct bl_err *err);

/* Give the global FUNC called name static linkage, for subprograms of
 * hidden visibility (object/btf_linkage.c): 1 when there was one, 0 when
 * not, or a negative errno. */
int bl_btf_make_func_static(struct bl_btf *btf, const char *name, struct bl_err *err);

#endif
