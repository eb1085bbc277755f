// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf_fixup.c - completing what clang left out of an object's BTF
 * before the kernel sees it: DATASEC sizes and variable offsets from the
 * ELF file, and a layout for libbpf's .kconfig and .ksyms externs.
 *
 * Syscalls: none.
 */
#include "btf/btf_fixup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

static const char *datasec_name(const struct bl_btf *btf, uint32_t id)
{
	const char *name = bl_btf_type_name(btf, id);

	return *name ? name : "(anonymous)";
}

static struct btf_var_secinfo *secinfos_mut(struct bl_btf *btf, uint32_t id)
{
	return (struct btf_var_secinfo *)(bl_btf_type_mut(btf, id) + 1);
}

/* A DATASEC of externs: libbpf's .kconfig and .ksyms, with no ELF section. */
static int has_externs(const struct bl_btf *btf, const struct btf_type *sec)
{
	uint32_t i;

	for (i = 0; i < bl_btf_vlen(sec); i++) {
		const struct btf_type *v = bl_btf_type(btf, bl_btf_secinfos(sec)[i].type);

		if (bl_btf_kind(v) == BTF_KIND_FUNC ||
		    (bl_btf_kind(v) == BTF_KIND_VAR && bl_btf_var(v)->linkage == BTF_VAR_GLOBAL_EXTERN))
			return 1;
	}
	return 0;
}

/* Insertion sort: the kernel wants variables in offset order, clang
 * writes them in declaration order, and there are few. */
static void sort_secinfos(struct btf_var_secinfo *v, uint32_t n)
{
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		struct btf_var_secinfo x = v[i];

		for (j = i; j > 0 && v[j - 1].offset > x.offset; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int var_outside(const struct bl_btf *btf, uint32_t sec, const struct btf_var_secinfo *v,
		       struct bl_err *err)
{
	return bl_fail(err, EINVAL, "DATASEC %s: variable %s (%u bytes at offset %u) lies outside the section's %u bytes",
		       datasec_name(btf, sec), bl_btf_type_name(btf, v->type), v->size, v->offset,
		       bl_btf_type(btf, sec)->size);
}

/* A DATASEC of an ELF section: take the size from the section and the
 * offsets from the symbols, unless a linker already filled them in. */
static int fixup_section(struct bl_btf *btf, uint32_t id, const struct bl_btf_elf_info *elf,
			 struct bl_err *err)
{
	struct btf_type *t = bl_btf_type_mut(btf, id);
	struct btf_var_secinfo *v = secinfos_mut(btf, id);
	const char *name = datasec_name(btf, id);
	int fix_offsets = t->size == 0;
	uint32_t i;

	if (fix_offsets && (!elf || elf->section_size(elf->ctx, name, &t->size)))
		return bl_fail(err, ENOENT, "DATASEC %s: the object has no section of that name to take its size from",
			       name);
	for (i = 0; i < bl_btf_vlen(t); i++) {
		const struct btf_type *var = bl_btf_type(btf, v[i].type);
		const char *vname = bl_btf_type_name(btf, v[i].type);

		if (bl_btf_kind(var) != BTF_KIND_VAR)
			return bl_fail(err, EINVAL, "DATASEC %s: entry %u is %s, not a variable",
				       name, i, bl_btf_kind_str(bl_btf_kind(var)));
		/* clang gives static variables their offsets itself */
		if (fix_offsets && elf->var_offset(elf->ctx, name, vname, &v[i].offset) &&
		    bl_btf_var(var)->linkage != BTF_VAR_STATIC)
			return bl_fail(err, ENOENT, "DATASEC %s: variable %s has no symbol in the object",
				       name, vname);
		if (v[i].offset > t->size || v[i].size > t->size - v[i].offset)
			return var_outside(btf, id, &v[i], err);
	}
	sort_secinfos(v, bl_btf_vlen(t));
	return 0;
}

/* Kernels check that every parameter of a non-extern function is named. */
static void name_params(struct bl_btf *btf, uint32_t proto, uint32_t name_off)
{
	struct btf_type *t = bl_btf_type_mut(btf, proto);
	struct btf_param *p = t ? (struct btf_param *)(t + 1) : NULL;
	uint32_t i;

	for (i = 0; p && i < bl_btf_vlen(t); i++)
		if (!p[i].name_off && p[i].type)
			p[i].name_off = name_off;
}

/* The kernel accepts no extern FUNC: make kernel functions (kfuncs)
 * global, which is what their calls are checked against. */
static void fixup_extern_funcs(struct bl_btf *btf, uint32_t name_off)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = btf->start_id; id < count; id++) {
		struct btf_type *t = bl_btf_type_mut(btf, id);

		if (bl_btf_kind(t) != BTF_KIND_FUNC || bl_btf_func_linkage(t) != BTF_FUNC_EXTERN)
			continue;
		t->info = bl_btf_info_word(BTF_KIND_FUNC, BTF_FUNC_GLOBAL, 0);
		name_params(btf, t->type, name_off);
	}
}

/* Size and alignment an extern gets in its DATASEC; in .ksyms every slot
 * is a 4-byte int, as what it holds is decided at load time. */
static int extern_slot(struct bl_btf *btf, uint32_t sec, uint32_t i, int ksyms, uint32_t int_id,
		       uint32_t dummy_id, uint32_t *size, uint32_t *align, struct bl_err *err)
{
	struct btf_var_secinfo *v = &secinfos_mut(btf, sec)[i];
	struct btf_type *var = bl_btf_type_mut(btf, v->type);
	unsigned int kind = var ? bl_btf_kind(var) : BTF_KIND_UNKN;
	int ret;

	if ((kind != BTF_KIND_VAR && kind != BTF_KIND_FUNC) ||
	    (kind == BTF_KIND_VAR && bl_btf_var(var)->linkage != BTF_VAR_GLOBAL_EXTERN))
		return bl_fail(err, EINVAL, "DATASEC %s mixes externs with %s %s, which is not an extern variable or function",
			       datasec_name(btf, sec), bl_btf_kind_str(kind), bl_btf_type_name(btf, v->type));
	if (kind == BTF_KIND_FUNC && !ksyms)
		return bl_fail(err, EINVAL, "DATASEC %s holds function %s; only .ksyms may hold extern functions",
			       datasec_name(btf, sec), bl_btf_type_name(btf, v->type));
	*size = *align = 4;
	if (kind == BTF_KIND_FUNC) {
		v->type = dummy_id;
		return 0;
	}
	((struct btf_var *)(var + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
	if (ksyms) {
		var->type = int_id;
		return 0;
	}
	if ((ret = bl_btf_resolve_size(btf, var->type, size, err)) ||
	    (ret = bl_btf_resolve_align(btf, var->type, align, err)))
		return bl_err_context(err, "extern %s in DATASEC %s", bl_btf_type_name(btf, v->type),
				      datasec_name(btf, sec));
	return 0;
}

static int has_kind(const struct bl_btf *btf, uint32_t sec, unsigned int kind)
{
	const struct btf_type *t = bl_btf_type(btf, sec);
	uint32_t i;

	for (i = 0; i < bl_btf_vlen(t); i++)
		if (bl_btf_kind(bl_btf_type(btf, bl_btf_secinfos(t)[i].type)) == kind)
			return 1;
	return 0;
}

/* Turn a DATASEC of externs into one of allocated variables, laid out in
 * order at their natural alignment. */
static int layout_externs(struct bl_btf *btf, uint32_t sec, struct bl_err *err)
{
	int ksyms = strcmp(bl_btf_type_name(btf, sec), ".ksyms") == 0, ret;
	uint32_t i, off = 0, size, align, int_id = 0, dummy_id = 0;

	if (ksyms && (ret = bl_btf_find_or_add_int(btf, &int_id, err)))
		return ret;
	if (ksyms && has_kind(btf, sec, BTF_KIND_FUNC) &&
	    (ret = bl_btf_add_var(btf, "bl_ksym_func", int_id, &dummy_id, err)))
		return ret;
	for (i = 0; i < bl_btf_vlen(bl_btf_type(btf, sec)); i++) {
		struct btf_var_secinfo *v = &secinfos_mut(btf, sec)[i];

		ret = extern_slot(btf, sec, i, ksyms, int_id, dummy_id, &size, &align, err);
		if (ret)
			return ret;
		off = (off + align - 1) / align * align;
		if (off > UINT32_MAX - size)
			return bl_fail(err, E2BIG, "DATASEC %s: externs do not fit in 4 GiB",
				       datasec_name(btf, sec));
		v->offset = off;
		v->size = size;
		off += size;
	}
	bl_btf_type_mut(btf, sec)->size = off ? off : 1;
	return 0;
}

int bl_btf_fixup_datasecs(struct bl_btf *btf, const struct bl_btf_elf_info *elf,
			  struct bl_err *err)
{
	uint32_t id, arg_name;
	int extern_funcs = 0, ret;

	if ((ret = bl_btf_make_owned(btf, err)))
		return ret;
	for (id = btf->start_id; id < bl_btf_type_count(btf); id++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		if (bl_btf_kind(t) == BTF_KIND_FUNC && bl_btf_func_linkage(t) == BTF_FUNC_EXTERN)
			extern_funcs = 1;
		if (bl_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		if (has_externs(btf, t))
			ret = layout_externs(btf, id, err);
		else
			ret = fixup_section(btf, id, elf, err);
		if (ret)
			return ret;
	}
	if (!extern_funcs)
		return 0;
	/* a name for the unnamed parameters of kernel functions */
	if ((ret = bl_btf_add_string(btf, "bl_arg", &arg_name, err)))
		return ret;
	fixup_extern_funcs(btf, arg_name);
	return 0;
}


int bl_btf_make_func_static(struct bl_btf *btf, const char *name, struct bl_err *err)
{
	uint32_t id, count = bl_btf_type_count(btf);
	int ret = bl_btf_make_owned(btf, err);

	for (id = btf->start_id; !ret && id < count; id++) {
		struct btf_type *t = bl_btf_type_mut(btf, id);

		if (bl_btf_kind(t) == BTF_KIND_FUNC && bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL &&
		    strcmp(bl_btf_name(btf, t->name_off), name) == 0) {
			t->info = bl_btf_info_word(BTF_KIND_FUNC, BTF_FUNC_STATIC, 0);
			return 1;
		}
	}
	return ret;
}
