/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * global_data.h - global variables of BPF C code, as array maps.
 *
 * clang puts initialised globals in .data, zeroed ones in .bss, constants
 * (const volatile) in .rodata, and globals with a section attribute in
 * .data.NAME / .rodata.NAME.  The kernel has no such sections: since
 * Linux 5.2 a loader turns each into a one-element BPF_MAP_TYPE_ARRAY whose
 * value is the whole section, and rewrites every ld_imm64 of a variable
 * into BPF_PSEUDO_MAP_VALUE (map fd + offset), which the verifier turns
 * into a direct pointer.  .rodata maps are frozen (BPF_MAP_FREEZE) once
 * written, so the verifier may treat their contents as constants.  Once
 * filled, each map is also mapped into user space's memory where the
 * kernel allows it (global_data_mmap.h).
 */
#ifndef BL_GLOBAL_DATA_H
#define BL_GLOBAL_DATA_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

#include "object/object.h"

/* Add a map for every non-empty global-data section (at open). */
int bl_collect_data_maps(struct bl_object *obj, struct bl_err *err);

/* Write the maps' initial values and freeze .rodata (at load, after
 * the maps exist and before programs load). */
int bl_init_data_maps(struct bl_object *obj, struct bl_err *err);

/* The map holding a data section's contents, or -1. */
int bl_data_section_map(const struct bl_object *obj, size_t section_index);

/* Where a global variable lives. */
struct bl_var {
	struct bl_map *map;
	uint32_t offset;		/* inside the map's value */
	uint32_t size;
};

/* Find a global variable by its symbol name. */
int bl_object_find_var(const struct bl_object *obj, const char *name, struct bl_var *var,
		       struct bl_err *err);

/* Read or write a global variable by name: before bl_object_load() this
 * changes the value the map will be created with; after, the live map
 * (.rodata can then only be read).  size must equal the variable's. */
int bl_object_var_read(const struct bl_object *obj, const char *name, void *buf, size_t size,
		       struct bl_err *err);
int bl_object_var_write(struct bl_object *obj, const char *name, const void *buf, size_t size,
			struct bl_err *err);

#endif
