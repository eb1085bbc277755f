// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_maps.c - reading map definitions out of BTF.  Syscalls:
 * bpf(BPF_MAP_UPDATE_ELEM) through bpf_syscall.c, for initial values.
 */
#include "object/btf_maps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"

#define MAPS_SECTION ".maps"

/* What one definition struct says; inner is filled for "values" of a map
 * of maps, whose element type is itself a map definition. */
struct map_def {
	struct bl_map_spec spec;
	uint32_t key_type, value_type;
	uint64_t pinning;
	int has_values;			/* a "values" member: prog array or map of maps */
	uint32_t values_offset;		/* its byte offset in the struct */
	int has_inner;
	struct bl_map_spec inner;
};

/* ---- numbers and types encoded in member types ---- */


int bl_btf_member_uint(const struct bl_btf *btf, const struct btf_member *m,
		       uint64_t *value, struct bl_err *err)
{
	const char *name = bl_btf_name(btf, m->name_off);
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, m->type));
	const struct btf_type *array;

	if (t && bl_btf_kind(t) == BTF_KIND_PTR) {
		array = bl_btf_type(btf, t->type);
		if (array && bl_btf_kind(array) == BTF_KIND_ARRAY) {
			*value = bl_btf_array(array)->nelems;
			return 0;
		}
	}
	if (t && (bl_btf_kind(t) == BTF_KIND_ENUM || bl_btf_kind(t) == BL_BTF_KIND_ENUM64) &&
	    bl_btf_vlen(t) == 1) {
		*value = (uint64_t)bl_btf_enum_value(t, 0);
		return 0;
	}
	return bl_fail(err, EINVAL, "member %s is %s, not a number written with __uint() (a pointer to an array) or __ulong() (an enum of one value)",
		       name && *name ? name : "(anonymous)", t ? bl_btf_kind_str(bl_btf_kind(t)) : "a bad type");
}

int bl_btf_member_pointee(const struct bl_btf *btf, const struct btf_member *m,
			  uint32_t *type_id, struct bl_err *err)
{
	const char *name = bl_btf_name(btf, m->name_off);
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, m->type));

	if (!t || bl_btf_kind(t) != BTF_KIND_PTR)
		return bl_fail(err, EINVAL, "member %s is %s, not a type written with __type() (a pointer to it)",
			       name && *name ? name : "(anonymous)", t ? bl_btf_kind_str(bl_btf_kind(t)) : "a bad type");
	*type_id = t->type;
	return 0;
}

static int parse_def(const struct bl_btf *btf, uint32_t type_id, const char *map,
		     struct map_def *def, int depth, struct bl_err *err);

static int read_uint32(const struct bl_btf *btf, const struct btf_member *m, const char *map,
		       const char *attr, uint32_t *out, struct bl_err *err)
{
	uint64_t v;

	if (bl_btf_member_uint(btf, m, &v, err))
		return bl_err_context(err, "map %s: attribute %s", map, attr);
	if (v > UINT32_MAX)
		return bl_fail(err, ERANGE, "map %s: %s = %llu is too large", map, attr,
			       (unsigned long long)v);
	*out = (uint32_t)v;
	return 0;
}

/* __type(key, T): the type's id and size; an explicit key_size must agree. */
static int read_typed(const struct bl_btf *btf, const struct btf_member *m, const char *map,
		      const char *attr, uint32_t *type_id, uint32_t *size, struct bl_err *err)
{
	uint32_t sz;

	if (bl_btf_member_pointee(btf, m, type_id, err) ||
	    bl_btf_resolve_size(btf, *type_id, &sz, err))
		return bl_err_context(err, "map %s: attribute %s", map, attr);
	if (*size && *size != sz)
		return bl_fail(err, EINVAL, "map %s: %s has %u bytes but %s_size says %u", map, attr, sz,
			       attr, *size);
	*size = sz;
	return 0;
}

/* __array(values, T): an array of pointers to a map definition (map of
 * maps) or to a function prototype (prog array). */
static int read_values(const struct bl_btf *btf, const struct btf_member *m, uint32_t bit_off,
		       const char *map, struct map_def *def, int depth, struct bl_err *err)
{
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, m->type));
	const struct btf_type *elem, *target;
	uint32_t target_id;

	if (!t || bl_btf_kind(t) != BTF_KIND_ARRAY)
		return bl_fail(err, EINVAL, "map %s: values must be declared with __array()", map);
	elem = bl_btf_type(btf, bl_btf_skip_modifiers(btf, bl_btf_array(t)->type));
	if (!elem || bl_btf_kind(elem) != BTF_KIND_PTR)
		return bl_fail(err, EINVAL, "map %s: values must be an array of pointers", map);
	target_id = bl_btf_skip_modifiers(btf, elem->type);
	target = bl_btf_type(btf, target_id);
	def->has_values = 1;
	def->values_offset = bit_off / 8;
	if (target && bl_btf_kind(target) == BTF_KIND_STRUCT) {
		struct map_def inner;

		if (depth > 0)
			return bl_fail(err, EINVAL, "map %s: maps of maps of maps are not supported", map);
		if (parse_def(btf, target_id, map, &inner, depth + 1, err))
			return -err->code;
		def->inner = inner.spec;
		def->has_inner = 1;
	}
	if (!def->spec.value_size)
		def->spec.value_size = sizeof(uint32_t);	/* an fd */
	return 0;
}

static int parse_member(const struct bl_btf *btf, const struct btf_type *st, uint32_t i,
			const char *map, struct map_def *def, int depth, struct bl_err *err)
{
	const struct btf_member *m = &bl_btf_members(st)[i];
	const char *attr = bl_btf_name(btf, m->name_off);
	if (!attr)
		attr = "";
	if (strcmp(attr, "type") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.type, err);
	if (strcmp(attr, "max_entries") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.max_entries, err);
	if (strcmp(attr, "map_flags") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.flags, err);
	if (strcmp(attr, "numa_node") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.numa_node, err);
	if (strcmp(attr, "key_size") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.key_size, err);
	if (strcmp(attr, "value_size") == 0)
		return read_uint32(btf, m, map, attr, &def->spec.value_size, err);
	if (strcmp(attr, "key") == 0)
		return read_typed(btf, m, map, attr, &def->key_type, &def->spec.key_size, err);
	if (strcmp(attr, "value") == 0)
		return read_typed(btf, m, map, attr, &def->value_type, &def->spec.value_size, err);
	if (strcmp(attr, "pinning") == 0)
		return bl_btf_member_uint(btf, m, &def->pinning, err);
	if (strcmp(attr, "map_extra") == 0)
		return bl_btf_member_uint(btf, m, &def->spec.map_extra, err);
	if (strcmp(attr, "values") == 0)
		return read_values(btf, m, bl_btf_member_bit_offset(st, i), map, def, depth, err);
	return bl_fail(err, ENOTSUP, "map %s: unknown attribute \"%s\" in its definition", map, attr);
}

static int parse_def(const struct bl_btf *btf, uint32_t type_id, const char *map,
		     struct map_def *def, int depth, struct bl_err *err)
{
	const struct btf_type *st = bl_btf_type(btf, bl_btf_skip_modifiers(btf, type_id));
	uint32_t i;

	memset(def, 0, sizeof(*def));
	if (!st || bl_btf_kind(st) != BTF_KIND_STRUCT)
		return bl_fail(err, EINVAL, "map %s: its type in BTF is not a struct of __uint()/__type() attributes",
			       map);
	for (i = 0; i < bl_btf_vlen(st); i++)
		if (parse_member(btf, st, i, map, def, depth, err))
			return -err->code;
	if (!def->spec.type)
		return bl_fail(err, EINVAL, "map %s: no __uint(type, ...) in its definition", map);
	if (def->pinning > BL_PIN_BY_NAME)
		return bl_fail(err, EINVAL, "map %s: unknown pinning %llu (0: none, 1: LIBBPF_PIN_BY_NAME)",
			       map, (unsigned long long)def->pinning);
	return 0;
}

/* Where the variable sits in the .maps section: its symbol. */
static int map_symbol_offset(const struct bl_object *obj, size_t section, const char *name,
			     uint64_t *offset)
{
	struct bl_elf_symbol sym;
	size_t i;

	for (i = 0; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx == section && strcmp(sym.name, name) == 0) {
			*offset = sym.value;
			return 0;
		}
	}
	return -ENOENT;
}

static int add_btf_map(struct bl_object *obj, size_t section, const struct btf_var_secinfo *vsi,
		       struct bl_err *err)
{
	const struct btf_type *var = bl_btf_type(obj->btf, vsi->type);
	const char *name;
	struct map_def def;
	struct bl_map *map;

	if (!var || bl_btf_kind(var) != BTF_KIND_VAR)
		return bl_fail(err, EINVAL, "section .maps: entry of type %u is not a variable", vsi->type);
	name = bl_btf_name(obj->btf, var->name_off);
	if (!name || !name[0])
		return bl_fail(err, EINVAL, "section .maps: a map without a name");
	if (parse_def(obj->btf, var->type, name, &def, 0, err))
		return -err->code;
	map = bl_object_new_map(obj, err);
	if (!map)
		return -err->code;
	map->name = name;
	map->origin = BL_MAP_BTF;
	map->section_index = section;
	if (map_symbol_offset(obj, section, name, &map->offset))
		return bl_fail(err, ENOEXEC, "map %s: no symbol in section .maps", name);
	map->spec = def.spec;
	map->btf_key_type_id = def.key_type;
	map->btf_value_type_id = def.value_type;
	map->pinning = (enum bl_map_pinning)def.pinning;
	map->has_values = def.has_values;
	map->values_offset = def.values_offset;
	map->has_inner = def.has_inner;
	map->inner_spec = def.inner;
	snprintf(map->kernel_name, sizeof(map->kernel_name), "%s", name);
	return 0;
}

/* The BTF map whose definition holds byte offset off of .maps. */
static struct bl_map *map_holding(struct bl_object *obj, size_t section, uint64_t off)
{
	size_t i;
	struct bl_map *best = NULL;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bl_map *m = &obj->maps[i];

		if (m->origin == BL_MAP_BTF && m->section_index == section && m->offset <= off &&
		    (!best || m->offset > best->offset))
			best = m;
	}
	return best;
}

/* clang emits a map definition as zeros: an attribute given a value
 * (".key = (void *)1") is a mistake, except the declared ".values". */
static int check_no_initial_bytes(const struct bl_object *obj, size_t section, struct bl_err *err)
{
	struct bl_elf_section sec;
	uint64_t i;

	bl_elf_section(&obj->elf, section, &sec);
	for (i = 0; sec.data && i < sec.size; i++) {
		if (sec.data[i]) {
			struct bl_map *m = map_holding((struct bl_object *)obj, section, i);

			return bl_fail(err, EINVAL, "map %s: its definition has a non-zero initial value at byte %llu; only the .values of prog arrays and maps of maps may be initialised",
				       m ? m->name : "?", (unsigned long long)(m ? i - m->offset : i));
		}
	}
	return 0;
}

int bl_collect_btf_maps(struct bl_object *obj, struct bl_err *err)
{
	size_t section = bl_elf_find_section(&obj->elf, MAPS_SECTION);
	const struct btf_type *sec;
	int64_t id;
	uint32_t i;
	int ret;

	if (!section)
		return 0;
	if (!obj->btf)
		return bl_fail(err, ENOEXEC, "section .maps needs the object's BTF to describe its maps, and %s",
			       bl_elf_find_section(&obj->elf, ".BTF") ? "that BTF is unreadable" :
			       "there is none (build with clang -g)");
	id = bl_btf_find(obj->btf, MAPS_SECTION, BTF_KIND_DATASEC);
	if (id < 0)
		return bl_fail(err, ENOEXEC, "section .maps has no DATASEC in the object's BTF");
	sec = bl_btf_type(obj->btf, (uint32_t)id);
	for (i = 0; i < bl_btf_vlen(sec); i++) {
		/* re-fetch: adding a map does not touch the BTF, but be plain */
		ret = add_btf_map(obj, section, &bl_btf_secinfos(sec)[i], err);
		if (ret)
			return ret;
	}
	return check_no_initial_bytes(obj, section, err);
}

/* ---- declared initial values ---- */

static int add_init(struct bl_map *map, const struct bl_map_init *init, struct bl_err *err)
{
	struct bl_map_init *inits = realloc(map->inits, (map->init_cnt + 1) * sizeof(*inits));

	if (!inits)
		return bl_fail(err, ENOMEM, "out of memory");
	map->inits = inits;
	inits[map->init_cnt++] = *init;
	return 0;
}

static int record_initial_value(struct bl_object *obj, size_t section, const Elf64_Rel *rel,
				struct bl_err *err)
{
	struct bl_map_init init = { 0 };
	struct bl_elf_symbol sym;
	struct bl_map *map = map_holding(obj, section, rel->r_offset);
	size_t i;

	bl_elf_symbol(&obj->elf, ELF64_R_SYM(rel->r_info), &sym);
	if (!map || !map->has_values)
		return bl_fail(err, EINVAL, "section .maps: relocation at offset %llu is not in the values of a prog array or map of maps",
			       (unsigned long long)rel->r_offset);
	init.slot = (uint32_t)((rel->r_offset - map->offset - map->values_offset) / 8);
	if (map->spec.type == BPF_MAP_TYPE_PROG_ARRAY) {
		init.is_program = 1;
		for (i = 0; i < obj->prog_cnt; i++)
			if (strcmp(obj->progs[i].name, sym.name) == 0)
				break;
		if (i == obj->prog_cnt)
			return bl_fail(err, EINVAL, "map %s: slot %u names %s, which is not a program of this object",
				       map->name, init.slot, sym.name);
	} else {
		for (i = 0; i < obj->map_cnt; i++)
			if (obj->maps[i].section_index == section && obj->maps[i].offset == sym.value &&
			    obj->maps[i].origin == BL_MAP_BTF)
				break;
		if (i == obj->map_cnt)
			return bl_fail(err, EINVAL, "map %s: slot %u names %s, which is not a map of this object",
				       map->name, init.slot, sym.name);
	}
	init.target = i;
	if (init.slot >= map->spec.max_entries)
		return bl_fail(err, EINVAL, "map %s: initial value for slot %u, but it has %u entries",
			       map->name, init.slot, map->spec.max_entries);
	return add_init(map, &init, err);
}

int bl_collect_map_initial_values(struct bl_object *obj, struct bl_err *err)
{
	size_t maps = bl_elf_find_section(&obj->elf, MAPS_SECTION), i, j;
	struct bl_elf_section rel_sec;
	Elf64_Rel rel;
	int ret;

	if (!maps)
		return 0;
	for (i = 1; i < obj->elf.shnum; i++) {
		bl_elf_section(&obj->elf, i, &rel_sec);
		if (rel_sec.type != SHT_REL || rel_sec.info != maps)
			continue;
		for (j = 0; j < bl_elf_rel_count(&rel_sec); j++) {
			ret = bl_elf_rel(&obj->elf, &rel_sec, j, &rel, err);
			if (!ret)
				ret = record_initial_value(obj, maps, &rel, err);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int write_slot(const struct bl_map *map, const struct bl_map_init *init, int fd,
		      const char *target, struct bl_err *err)
{
	int ret = bl_map_update(map->fd, &init->slot, &fd, BPF_ANY);

	if (ret)
		return bl_fail(err, -ret, "map %s: setting slot %u to %s failed: %s", map->name,
			       init->slot, target, bl_errno_name(-ret));
	return 0;
}

int bl_write_map_slots(struct bl_object *obj, struct bl_err *err)
{
	size_t i, j;

	for (i = 0; i < obj->map_cnt; i++) {
		const struct bl_map *map = &obj->maps[i];

		for (j = 0; j < map->init_cnt; j++) {
			const struct bl_map *target = &obj->maps[map->inits[j].target];

			if (!map->inits[j].is_program &&
			    write_slot(map, &map->inits[j], target->fd, target->name, err))
				return -err->code;
		}
	}
	return 0;
}

int bl_write_prog_slots(struct bl_object *obj, const struct bl_program *prog, struct bl_err *err)
{
	size_t index = (size_t)(prog - obj->progs), i, j;

	for (i = 0; i < obj->map_cnt; i++) {
		const struct bl_map *map = &obj->maps[i];

		for (j = 0; j < map->init_cnt; j++)
			if (map->inits[j].is_program && map->inits[j].target == index &&
			    write_slot(map, &map->inits[j], prog->fd, prog->name, err))
				return -err->code;
	}
	return 0;
}
