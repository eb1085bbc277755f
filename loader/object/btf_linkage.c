// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_linkage.c - hidden subprograms become static in the object's BTF,
 * as libbpf makes them.  No syscalls.
 */
#include "object/btf_linkage.h"

#include <string.h>

#include "btf/btf.h"
#include "btf/btf_fixup.h"

/* Whether the symbol table gives the function at (section, offset) a
 * non-local binding with restricted visibility. */
static int is_hidden_global(const struct bl_object *obj, const struct bl_function *f)
{
	struct bl_elf_symbol sym;
	size_t i;

	for (i = 1; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.type != STT_FUNC || sym.shndx != f->section_index || sym.value != f->section_offset)
			continue;
		return sym.bind != STB_LOCAL &&
		       (sym.visibility == STV_HIDDEN || sym.visibility == STV_INTERNAL);
	}
	return 0;
}

void bl_object_btf_static_hidden_funcs(struct bl_object *obj)
{
	size_t i;

	if (!obj->btf)
		return;
	for (i = 0; i < obj->func_cnt; i++) {
		const struct bl_function *f = &obj->funcs[i];

		/* entry points stay global: only callees are checked in context */
		if (f->is_subprogram && is_hidden_global(obj, f))
			bl_btf_make_func_static(obj->btf, f->name, NULL);
	}
}
