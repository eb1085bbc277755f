/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pin.h - pinning a whole object: every map and every loaded program.
 */
#ifndef BL_OBJECT_PIN_H
#define BL_OBJECT_PIN_H

#include <bpfload/error.h>

#include "object/object.h"

/* Pin every map at DIR/maps/NAME and every loaded program at
 * DIR/progs/NAME. */
int bl_object_pin(const struct bl_object *obj, const char *dir, struct bl_err *err);

/* The name a map is pinned under: its own, or for global data the
 * kernel's name; bpffs refuses names with '.' (EPERM), so those become
 * '_' ("probes_rodata"). */
void bl_map_pin_name(const struct bl_map *map, char name[BPF_OBJ_NAME_LEN]);

#endif
