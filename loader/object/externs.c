// SPDX-License-Identifier: BSD-2-Clause
/*
 * externs.c - collecting __kconfig and __ksym externs at open, finding
 * them at load, and writing them into instructions at link.  No
 * syscalls here (kconfig_map.c and ksyms.c make them).
 */
#include "object/externs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "object/kernel_types.h"

#define KCONFIG_SEC ".kconfig"
#define KSYMS_SEC ".ksyms"
#define MAX_KCONFIG_SIZE (1u << 20)	/* strings are the largest values, and short */

/* ---- at open ---------------------------------------------------------------------------- */

/* The VAR or FUNC named name in the .kconfig or .ksyms DATASEC. */
static int find_in_datasecs(const struct bl_btf *btf, const char *name, struct bl_extern *e)
{
	uint32_t id, i, count = bl_btf_type_count(btf);

	for (id = 1; id < count; id++) {
		const struct btf_type *sec = bl_btf_type(btf, id);
		const char *sec_name = bl_btf_type_name(btf, id);
		int kconfig = strcmp(sec_name, KCONFIG_SEC) == 0;

		if (bl_btf_kind(sec) != BTF_KIND_DATASEC || (!kconfig && strcmp(sec_name, KSYMS_SEC)))
			continue;
		for (i = 0; i < bl_btf_vlen(sec); i++) {
			uint32_t var_id = bl_btf_secinfos(sec)[i].type;
			const struct btf_type *var = bl_btf_type(btf, var_id);
			unsigned int kind = var ? bl_btf_kind(var) : BTF_KIND_UNKN;

			if ((kind != BTF_KIND_VAR && kind != BTF_KIND_FUNC) ||
			    strcmp(bl_btf_type_name(btf, var_id), name) != 0)
				continue;
			e->btf_id = var_id;
			e->type_id = var->type;
			e->kind = kconfig ? BL_EXTERN_KCONFIG : kind == BTF_KIND_FUNC ? BL_EXTERN_KFUNC
									  : BL_EXTERN_KSYM;
			return 0;
		}
	}
	return -ENOENT;
}

static int add_extern(struct bl_object *obj, const struct bl_elf_symbol *sym, struct bl_err *err)
{
	struct bl_externs *x = obj->externs;
	struct bl_extern *list, e = { .name = sym->name, .is_weak = sym->bind == STB_WEAK };

	if (!obj->btf)
		return bl_fail(err, ENOTSUP, "extern %s: the object has no usable BTF, which is what says whether an extern is a kernel config value, variable or function; compile with clang -g",
			       sym->name);
	if (find_in_datasecs(obj->btf, sym->name, &e))
		return bl_fail(err, ENOTSUP, "extern %s is neither __kconfig nor __ksym (no .kconfig or .ksyms entry in the object's BTF); this loader links no objects, so it can resolve only those",
			       sym->name);
	if (e.kind == BL_EXTERN_KCONFIG && bl_kconfig_extern_type(obj, &e, err))
		return -err->code;
	list = realloc(x->list, (x->cnt + 1) * sizeof(*list));
	if (!list)
		return bl_fail(err, ENOMEM, "out of memory");
	x->list = list;
	list[x->cnt++] = e;
	return 0;
}

/* "probes" + ".kconfig", like the global-data maps: as much of the
 * object's name as fits the kernel's 15 characters. */
static int add_kconfig_map(struct bl_object *obj, struct bl_err *err)
{
	size_t prefix = strcspn(obj->name, "."), room = BPF_OBJ_NAME_LEN - 1 - strlen(KCONFIG_SEC);
	struct bl_map *map = bl_object_new_map(obj, err);

	if (!map)
		return -err->code;
	if (prefix > room)
		prefix = room;
	map->name = KCONFIG_SEC;
	map->origin = BL_MAP_DATA;
	map->section_index = SHN_UNDEF;	/* no ELF section holds it */
	map->spec.type = BPF_MAP_TYPE_ARRAY;
	map->spec.key_size = sizeof(uint32_t);
	map->spec.value_size = 0;	/* known once the externs are laid out, at load */
	map->spec.max_entries = 1;
	/* read-only to programs, and mapped read-only into user space after
	 * load like the other global data (skeletons read skel->kconfig) */
	map->spec.flags = BPF_F_RDONLY_PROG | BPF_F_MMAPABLE;
	map->freeze = 1;
	snprintf(map->kernel_name, sizeof(map->kernel_name), "%.*s%s", (int)prefix, obj->name,
		 KCONFIG_SEC);
	obj->externs->kconfig_map = (int)(map - obj->maps);
	return 0;
}

/* Refused at open already when the values alone, without the padding
 * the layout at load adds, would pass MAX_KCONFIG_SIZE. */
static int check_kconfig_size(const struct bl_externs *x, struct bl_err *err)
{
	uint64_t total = 0;

	for (size_t i = 0; i < x->cnt; i++)
		if (x->list[i].kind == BL_EXTERN_KCONFIG)
			total += x->list[i].kcfg_size;
	if (total > MAX_KCONFIG_SIZE)
		return bl_fail(err, E2BIG, "the .kconfig externs take %llu bytes; more than %u is no kernel configuration",
			       (unsigned long long)total, MAX_KCONFIG_SIZE);
	return 0;
}

int bl_collect_externs(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_symbol sym;
	size_t i, kconfig = 0;
	int ret;

	for (i = 1; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx != SHN_UNDEF || !sym.name[0] ||
		    (sym.bind != STB_GLOBAL && sym.bind != STB_WEAK))
			continue;
		if (!obj->externs) {
			obj->externs = calloc(1, sizeof(*obj->externs));
			if (!obj->externs)
				return bl_fail(err, ENOMEM, "out of memory");
			obj->externs->kconfig_map = -1;
		}
		if ((ret = add_extern(obj, &sym, err)))
			return ret;
		kconfig += obj->externs->list[obj->externs->cnt - 1].kind == BL_EXTERN_KCONFIG;
	}
	if (!kconfig)
		return 0;
	if ((ret = check_kconfig_size(obj->externs, err)))
		return ret;
	return add_kconfig_map(obj, err);
}

int bl_extern_reloc(const struct bl_object *obj, const char *name, int is_call,
		    struct bl_reloc *r, struct bl_err *err)
{
	const struct bl_externs *x = obj->externs;
	size_t i;

	for (i = 0; x && i < x->cnt; i++) {
		if (strcmp(x->list[i].name, name) != 0)
			continue;
		if (is_call && x->list[i].kind != BL_EXTERN_KFUNC)
			return bl_fail(err, ENOEXEC, "calls extern %s, which is a variable, not a kernel function",
				       name);
		r->kind = is_call ? BL_RELOC_EXTERN_CALL : BL_RELOC_EXTERN_LD64;
		r->extern_index = i;
		return 0;
	}
	return bl_fail(err, ENOTSUP, "refers to extern %s, which is neither __kconfig nor __ksym", name);
}

/* ---- at load ----------------------------------------------------------------------------- */

/* Offsets of the .kconfig externs, as bl_btf_fixup_datasecs() laid them out. */
static int kconfig_layout(struct bl_object *obj, uint32_t *size, struct bl_err *err)
{
	const struct bl_btf *btf = obj->btf;
	int64_t sec_id = bl_btf_find(btf, KCONFIG_SEC, BTF_KIND_DATASEC);
	const struct btf_type *sec = sec_id > 0 ? bl_btf_type(btf, (uint32_t)sec_id) : NULL;
	size_t i;
	uint32_t k;

	if (!sec)
		return bl_fail(err, ENOENT, "the object's BTF has no %s DATASEC", KCONFIG_SEC);
	if (sec->size > MAX_KCONFIG_SIZE)
		return bl_fail(err, E2BIG, "the .kconfig externs take %u bytes; more than %u is no kernel configuration",
			       sec->size, MAX_KCONFIG_SIZE);
	*size = sec->size;
	for (i = 0; i < obj->externs->cnt; i++) {
		struct bl_extern *e = &obj->externs->list[i];

		if (e->kind != BL_EXTERN_KCONFIG)
			continue;
		for (k = 0; k < bl_btf_vlen(sec) && bl_btf_secinfos(sec)[k].type != e->btf_id; k++)
			;
		if (k == bl_btf_vlen(sec) || bl_btf_secinfos(sec)[k].size != e->kcfg_size)
			return bl_fail(err, EINVAL, "extern %s: not laid out in %s as a %u-byte value",
				       e->name, KCONFIG_SEC, e->kcfg_size);
		e->kcfg_offset = bl_btf_secinfos(sec)[k].offset;
	}
	return 0;
}

static int resolve_kconfig(struct bl_object *obj, struct bl_err *err)
{
	struct bl_map *map = &obj->maps[obj->externs->kconfig_map];
	uint32_t size = 0;
	int ret;

	if ((ret = kconfig_layout(obj, &size, err)))
		return ret;
	free(map->initial_value);
	map->initial_value = calloc(1, size);
	if (!map->initial_value)
		return bl_fail(err, ENOMEM, "out of memory");
	map->spec.value_size = size;
	return bl_fill_kconfig_externs(obj, map->initial_value, size, err);
}

/* Whether bl_btf_fixup_datasecs() has turned the .kconfig and .ksyms
 * entries into allocated variables (it leaves no extern VAR or FUNC). */
static int externs_laid_out(const struct bl_btf *btf)
{
	uint32_t id, i, count = bl_btf_type_count(btf);

	for (id = 1; id < count; id++) {
		const struct btf_type *sec = bl_btf_type(btf, id);
		const char *name = bl_btf_type_name(btf, id);

		if (bl_btf_kind(sec) != BTF_KIND_DATASEC || (strcmp(name, KCONFIG_SEC) && strcmp(name, KSYMS_SEC)))
			continue;
		for (i = 0; i < bl_btf_vlen(sec); i++) {
			const struct btf_type *v = bl_btf_type(btf, bl_btf_secinfos(sec)[i].type);

			if (bl_btf_kind(v) != BTF_KIND_VAR || bl_btf_var(v)->linkage == BTF_VAR_GLOBAL_EXTERN)
				return 0;
		}
	}
	return 1;
}

int bl_resolve_externs(struct bl_object *obj, struct bl_err *err)
{
	int ret;

	if (!obj->externs)
		return 0;
	/* bl_object_load_btf() lays them out; when it could not, its note
	 * says why */
	if (!externs_laid_out(obj->btf))
		return bl_fail(err, EINVAL, "the externs cannot be placed, as the object's BTF could not be completed: %s",
			       obj->notes);
	if ((ret = bl_resolve_ksyms(obj, err)))
		return ret;
	return obj->externs->kconfig_map >= 0 ? resolve_kconfig(obj, err) : 0;
}

/* ---- at link ----------------------------------------------------------------------------- */

static void poison_call(struct bpf_insn *insn, size_t index)
{
	insn->code = BPF_JMP | BPF_CALL;
	insn->dst_reg = 0;
	insn->src_reg = 0;	/* a helper call, of a helper no kernel has */
	insn->off = 0;
	insn->imm = BL_POISONED_KFUNC_BASE + (int32_t)index;
}

int bl_extern_patch(const struct bl_object *obj, const struct bl_reloc *r, struct bpf_insn *insn,
		    struct bl_err *err)
{
	const struct bl_extern *e = &obj->externs->list[r->extern_index];

	if (r->kind == BL_RELOC_EXTERN_CALL) {
		if (!e->is_set) {
			poison_call(insn, r->extern_index);
			return 0;
		}
		insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
		insn->imm = (int32_t)e->kernel_btf_id;
		insn->off = (int16_t)e->fd_array_index;
		return 0;
	}
	if (e->kind == BL_EXTERN_KCONFIG) {
		const struct bl_map *map = &obj->maps[obj->externs->kconfig_map];

		if (map->fd < 0)
			return bl_fail(err, EBADF, "extern %s: the %s map has not been created", e->name,
				       KCONFIG_SEC);
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = map->fd;
		insn[1].imm = (int32_t)e->kcfg_offset;
		return 0;
	}
	if (e->is_set && e->kernel_btf_id) {	/* typed variable, or a kfunc's address */
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = (int32_t)e->kernel_btf_id;
		insn[1].imm = e->kernel_btf_fd;
		return 0;
	}
	/* typeless: the address itself; missing and weak: 0 */
	insn[0].src_reg = 0;
	insn[0].imm = (int32_t)(uint32_t)e->addr;
	insn[1].imm = (int32_t)(uint32_t)(e->addr >> 32);
	return 0;
}

const int *bl_externs_fd_array(const struct bl_object *obj)
{
	return obj->externs && obj->externs->fd_array_cnt ? obj->externs->fd_array : NULL;
}

void bl_externs_explain_rejection(const struct bl_object *obj, struct bl_err *err)
{
	const char *p = strstr(err->msg, "#2002");
	long index;

	if (!obj->externs)
		return;
	/* Typed ksyms: the verifier takes the variable's address from
	 * kallsyms, which lists variables only with CONFIG_KALLSYMS_ALL. */
	if (strstr(err->msg, "failed to find the address for kernel symbol")) {
		bl_err_context(err, "a typed __ksym variable needs a kernel built with CONFIG_KALLSYMS_ALL, which this one seems not to be (see /proc/kallsyms)");
		return;
	}
	if (!p)
		return;
	index = strtol(p + 1, NULL, 10) - BL_POISONED_KFUNC_BASE;
	if (index < 0 || (size_t)index >= obj->externs->cnt)
		return;
	bl_err_context(err, "it calls kernel function %s, which this kernel does not have (declared __weak, the call must be guarded by if (bpf_ksym_exists(%s)))",
		       obj->externs->list[index].name, obj->externs->list[index].name);
}

void bl_externs_free(struct bl_externs *x)
{
	if (!x)
		return;
	free(x->fd_array);
	free(x->list);
	free(x);
}
