/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object_print.h - describing a parsed object, and dumping its maps.
 */
#ifndef OBJECT_PRINT_H
#define OBJECT_PRINT_H

#include <stdio.h>

#include "object/object.h"

/* Sections, maps, programs and relocations, as bpfload --dry-run shows them. */
void print_object(FILE *out, const struct bl_object *obj);

/* The CO-RE relocations and, when the kernel's BTF is readable (no root
 * needed), what each resolves to on this kernel. */
void print_core_relocations(FILE *out, struct bl_object *obj);

/* Every map's entries (global-data maps variable by variable). */
void print_map_contents(FILE *out, const struct bl_object *obj);

/* Bytes in hex ("01 00 00 00"), then as a little-endian number when
 * they make one (1, 2, 4 or 8 of them: " (1)"); how values without BTF
 * are shown. */
void print_bytes(FILE *out, const unsigned char *p, size_t n);

/* Name of a map type ("hash", "percpu_array"). */
const char *map_type_name(unsigned int type);

#endif
