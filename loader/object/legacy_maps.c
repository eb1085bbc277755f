// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/legacy_maps.c - maps declared the old way: an array of
 * struct bpf_map_def in the section "maps" (samples/bpf, iproute2, and
 * libbpf before BTF-defined maps), one symbol per map.
 *
 *   u32 type, key_size, value_size, max_entries, map_flags
 *
 * No syscalls.
 */
#include "object/legacy_maps.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The five u32 fields every legacy map definition starts with. */
#define LEGACY_MAP_DEF_SIZE (5 * sizeof(uint32_t))

static size_t count_symbols_in(const struct bl_elf *elf, size_t section_index)
{
	struct bl_elf_symbol sym;
	size_t i, n = 0;

	for (i = 0; i < elf->symbol_count; i++) {
		bl_elf_symbol(elf, i, &sym);
		if (sym.shndx == section_index && sym.type != STT_SECTION && sym.name[0])
			n++;
	}
	return n;
}

static int all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static int read_legacy_map(const struct bl_elf_section *sec,
			   const struct bl_elf_symbol *sym, size_t def_size,
			   struct bl_map *map, struct bl_err *err)
{
	uint32_t def[5];

	if (sym->value % def_size || sym->value > sec->size - def_size)
		return bl_fail(err, ENOEXEC, "section maps: map %s at offset %llu does not start a %zu-byte definition",
			       sym->name, (unsigned long long)sym->value, def_size);
	memcpy(def, sec->data + sym->value, sizeof(def));
	/* Older samples/bpf definitions add inner_map_idx and numa_node;
	 * we accept the bytes but not features we would silently drop. */
	if (!all_zero(sec->data + sym->value + sizeof(def), def_size - sizeof(def)))
		return bl_fail(err, ENOTSUP, "section maps: map %s uses fields after map_flags (inner maps, NUMA node), which this loader does not support",
			       sym->name);
	map->name = sym->name;
	map->spec.type = def[0];
	map->spec.key_size = def[1];
	map->spec.value_size = def[2];
	map->spec.max_entries = def[3];
	map->spec.flags = def[4];
	map->origin = BL_MAP_LEGACY;
	map->section_index = sec->index;
	map->offset = sym->value;
	map->fd = -1;
	snprintf(map->kernel_name, sizeof(map->kernel_name), "%s", sym->name);
	return 0;
}

/* The legacy "maps" section: an array of definitions, one symbol each.
 * The definition size is not stored anywhere, so (like libbpf) we derive
 * it: section size divided by the number of map symbols. */
int bl_collect_legacy_maps(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	struct bl_elf_symbol sym;
	size_t index = bl_elf_find_section(&obj->elf, "maps"), n, def_size, i;
	int ret;

	if (!index)
		return 0;
	bl_elf_section(&obj->elf, index, &sec);
	n = count_symbols_in(&obj->elf, index);
	if (n == 0)
		return sec.size ? bl_fail(err, ENOEXEC, "section maps has %llu bytes but no map symbols",
					  (unsigned long long)sec.size) : 0;
	if (!sec.data || sec.size % n || sec.size / n < LEGACY_MAP_DEF_SIZE)
		return bl_fail(err, ENOEXEC, "section maps: %llu bytes do not divide into %zu map definitions of at least %zu bytes",
			       (unsigned long long)sec.size, n, LEGACY_MAP_DEF_SIZE);
	def_size = sec.size / n;
	for (i = 0; i < obj->elf.symbol_count; i++) {
		struct bl_map *map;

		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx != index || sym.type == STT_SECTION || !sym.name[0])
			continue;
		if (sym.bind == STB_LOCAL)
			return bl_fail(err, ENOTSUP, "section maps: map %s is static; declare maps as global variables",
				       sym.name);
		map = bl_object_new_map(obj, err);
		if (!map)
			return -err->code;
		ret = read_legacy_map(&sec, &sym, def_size, map, err);
		if (ret)
			return ret;
	}
	return 0;
}
