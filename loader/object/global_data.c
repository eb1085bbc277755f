// SPDX-License-Identifier: BSD-2-Clause
/*
 * global_data.c - global-data sections become array maps.
 *
 * Syscalls: bpf(BPF_MAP_UPDATE_ELEM, BPF_MAP_LOOKUP_ELEM, BPF_MAP_FREEZE)
 * through bpf_syscall.c; mmap(2) through global_data_mmap.c.
 */
#include "object/global_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object/global_data_mmap.h"

/* The largest array map value any kernel accepts: array_map_alloc_check()
 * refuses value_size > KMALLOC_MAX_SIZE, which is 4 MiB with 4 KiB pages
 * and 512 MiB with arm64's 64 KiB pages (MAX_PAGE_ORDER 13). */
#define BL_DATA_SECTION_MAX (512u << 20)

static int is_data_section(const struct bl_elf_section *sec)
{
	if (sec->flags & SHF_EXECINSTR || sec->size == 0 ||
	    (sec->type != SHT_PROGBITS && sec->type != SHT_NOBITS))
		return 0;
	return strcmp(sec->name, ".data") == 0 || strcmp(sec->name, ".bss") == 0 ||
	       strcmp(sec->name, ".rodata") == 0 || strncmp(sec->name, ".data.", 6) == 0 ||
	       strncmp(sec->name, ".rodata.", 8) == 0;
}

static int is_read_only(const struct bl_elf_section *sec)
{
	return strncmp(sec->name, ".rodata", 7) == 0;
}

/* "probes" + ".rodata": like libbpf, up to 8 characters of the object's
 * name before the section's, so bpftool shows whose map it is. */
static void data_map_kernel_name(const struct bl_object *obj, const char *section, char *out, size_t size)
{
	size_t prefix = strcspn(obj->name, ".");

	if (prefix > 8)
		prefix = 8;
	snprintf(out, size, "%.*s%s", (int)prefix, obj->name, section);
}

static int add_data_map(struct bl_object *obj, const struct bl_elf_section *sec, struct bl_err *err)
{
	struct bl_map *map;

	/* A .bss (SHT_NOBITS) takes no room in the file, so its size is only
	 * a claim: without this bound a damaged header makes us allocate
	 * gigabytes for a map the kernel would refuse anyway. */
	if (sec->size > BL_DATA_SECTION_MAX)
		return bl_fail(err, E2BIG, "section %s: %llu bytes of global data is more than an array map value can hold (the kernel's limit, KMALLOC_MAX_SIZE, is at most %u MiB, 4 MiB with 4 KiB pages); make the variables smaller or use a map",
			       sec->name, (unsigned long long)sec->size, BL_DATA_SECTION_MAX >> 20);
	map = bl_object_new_map(obj, err);
	if (!map)
		return -err->code;
	map->name = sec->name;
	map->origin = BL_MAP_DATA;
	map->section_index = sec->index;
	map->spec.type = BPF_MAP_TYPE_ARRAY;
	map->spec.key_size = sizeof(uint32_t);
	map->spec.value_size = (uint32_t)sec->size;
	map->spec.max_entries = 1;
	map->spec.flags = is_read_only(sec) ? BPF_F_RDONLY_PROG : 0;
	/* so that user space can map the value after load (Linux 5.5;
	 * older kernels get the map without it, see load.c) */
	map->spec.flags |= BPF_F_MMAPABLE;
	map->freeze = is_read_only(sec);
	data_map_kernel_name(obj, sec->name, map->kernel_name, sizeof(map->kernel_name));
	map->initial_value = calloc(1, ((size_t)sec->size + BL_DATA_COPY_ALIGN - 1) /
				       BL_DATA_COPY_ALIGN * BL_DATA_COPY_ALIGN);
	if (!map->initial_value)
		return bl_fail(err, ENOMEM, "out of memory");
	if (sec->data)	/* .bss is SHT_NOBITS: zeros */
		memcpy(map->initial_value, sec->data, (size_t)sec->size);
	return 0;
}

int bl_collect_data_maps(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	size_t i;
	int ret;

	for (i = 1; i < obj->elf.shnum; i++) {
		bl_elf_section(&obj->elf, i, &sec);
		if (!is_data_section(&sec))
			continue;
		ret = add_data_map(obj, &sec, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* One note for every map the kernel would not let us map: what the
 * skeleton's pointers and bl_map_data() then give. */
static void note_unmapped(struct bl_object *obj, const char *names, int code)
{
	if (code == EOPNOTSUPP)
		bl_object_note(obj, "the kernel refused BPF_F_MMAPABLE (Linux 5.5) for global data %s, so it is not mapped into memory; bl_map_data() gives the loader's copy, which bl_map_data_pull() and bl_map_data_push() copy from and to the kernel.",
			       names);
	else
		bl_object_note(obj, "the kernel did not map global data %s into memory (mmap: %s); bl_map_data() gives the loader's copy, which bl_map_data_pull() and bl_map_data_push() copy from and to the kernel.",
			       names, bl_errno_name(code));
}

int bl_init_data_maps(struct bl_object *obj, struct bl_err *err)
{
	char unmapped[128] = "";
	uint32_t zero = 0;
	size_t i, len;
	int ret, mmap_err = 0;

	for (i = 0; i < obj->map_cnt; i++) {
		struct bl_map *map = &obj->maps[i];

		if (map->origin != BL_MAP_DATA)
			continue;
		ret = bl_map_update(map->fd, &zero, map->initial_value, BPF_ANY);
		if (ret)
			return bl_fail(err, -ret, "writing the initial value of %s failed: %s",
				       map->name, bl_errno_name(-ret));
		if (map->freeze && (ret = bl_map_freeze(map->fd)))
			return bl_fail(err, -ret, "freezing %s failed: %s%s", map->name,
				       bl_errno_name(-ret),
				       ret == -EINVAL ? " (BPF_MAP_FREEZE needs Linux 5.2)" : "");
		/* after the freeze: a frozen map can only be mapped read-only,
		 * and a writable mapping would make the freeze fail (EBUSY) */
		ret = bl_data_map_mmap(map);
		if (ret) {
			len = strlen(unmapped);
			snprintf(unmapped + len, sizeof(unmapped) - len, "%s%s", len ? ", " : "", map->name);
			mmap_err = -ret;
		}
	}
	if (mmap_err)
		note_unmapped(obj, unmapped, mmap_err);
	return 0;
}

int bl_data_section_map(const struct bl_object *obj, size_t section_index)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].origin == BL_MAP_DATA && obj->maps[i].section_index == section_index)
			return (int)i;
	return -1;
}

int bl_object_find_var(const struct bl_object *obj, const char *name, struct bl_var *var,
		       struct bl_err *err)
{
	struct bl_elf_symbol sym;
	size_t i;
	int map;

	for (i = 0; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.type != STT_OBJECT || strcmp(sym.name, name) != 0)
			continue;
		map = bl_data_section_map(obj, sym.shndx);
		if (map < 0)
			continue;
		if (sym.value > obj->maps[map].spec.value_size ||
		    sym.size > obj->maps[map].spec.value_size - sym.value)
			return bl_fail(err, ENOEXEC, "variable %s (%llu bytes at %llu) lies outside section %s",
				       name, (unsigned long long)sym.size,
				       (unsigned long long)sym.value, obj->maps[map].name);
		var->map = &obj->maps[map];
		var->offset = (uint32_t)sym.value;
		var->size = (uint32_t)sym.size;
		return 0;
	}
	return bl_fail(err, ENOENT, "no global variable named %s in %s", name, obj->name);
}

/* The variable, checked against the caller's idea of its size. */
static int find_sized_var(const struct bl_object *obj, const char *name, size_t size,
			  struct bl_var *var, struct bl_err *err)
{
	int ret = bl_object_find_var(obj, name, var, err);

	if (ret)
		return ret;
	if (size != var->size)
		return bl_fail(err, EINVAL, "variable %s has %u bytes, not %zu", name, var->size, size);
	return 0;
}

/* The map's current value, from the kernel once the map exists. */
static unsigned char *current_value(const struct bl_map *map, struct bl_err *err)
{
	unsigned char *value = malloc(map->spec.value_size);
	uint32_t zero = 0;
	int ret;

	if (!value) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	ret = bl_map_lookup(map->fd, &zero, value);
	if (ret) {
		free(value);
		bl_fail(err, -ret, "reading %s failed: %s", map->name, bl_errno_name(-ret));
		return NULL;
	}
	return value;
}

int bl_object_var_read(const struct bl_object *obj, const char *name, void *buf, size_t size,
		       struct bl_err *err)
{
	struct bl_var var;
	unsigned char *value;
	int ret = find_sized_var(obj, name, size, &var, err);

	if (ret)
		return ret;
	if (var.map->fd < 0) {
		memcpy(buf, var.map->initial_value + var.offset, size);
		return 0;
	}
	value = current_value(var.map, err);
	if (!value)
		return -err->code;
	memcpy(buf, value + var.offset, size);
	free(value);
	return 0;
}

int bl_object_var_write(struct bl_object *obj, const char *name, const void *buf, size_t size,
			struct bl_err *err)
{
	uint32_t zero = 0;
	struct bl_var var;
	unsigned char *value;
	int ret = find_sized_var(obj, name, size, &var, err);

	if (ret)
		return ret;
	if (var.map->fd < 0) {
		memcpy(var.map->initial_value + var.offset, buf, size);
		return 0;
	}
	if (var.map->freeze)
		return bl_fail(err, EPERM, "variable %s is in %s, which is frozen once loaded; set it before loading",
			       name, var.map->name);
	value = current_value(var.map, err);
	if (!value)
		return -err->code;
	memcpy(value + var.offset, buf, size);
	ret = bl_map_update(var.map->fd, &zero, value, BPF_ANY);
	free(value);
	if (ret)
		return bl_fail(err, -ret, "writing %s failed: %s", name, bl_errno_name(-ret));
	return 0;
}
