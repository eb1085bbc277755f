/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_maps.h - maps declared in ".maps" and described by BTF.
 *
 * libbpf's way (Linux 5.x objects): each map is a global variable in
 * section ".maps" whose type is an anonymous struct, and the struct's
 * member types encode the map's attributes (<bpf/bpf_helpers.h>):
 *
 *   struct {
 *           __uint(type, BPF_MAP_TYPE_HASH);   int (*type)[1];
 *           __uint(max_entries, 1024);         int (*max_entries)[1024];
 *           __type(key, u32);                  u32 *key;
 *           __type(value, struct stats);       struct stats *value;
 *           __uint(pinning, LIBBPF_PIN_BY_NAME);
 *   } counts SEC(".maps");
 *
 * Prog arrays and maps of maps may declare initial contents,
 * "__array(values, ...)" with ".values = { [2] = &prog }", which clang
 * leaves as relocations in ".rel.maps" pointing at the programs or maps.
 */
#ifndef BL_BTF_MAPS_H
#define BL_BTF_MAPS_H

#include <bpfload/error.h>

#include "object/object.h"

/* At open: a map for every variable of the ".maps" DATASEC. */
int bl_collect_btf_maps(struct bl_object *obj, struct bl_err *err);

/* At open, after programs are known: the ".values" of prog arrays and
 * maps of maps. */
int bl_collect_map_initial_values(struct bl_object *obj, struct bl_err *err);

/* At load: write the declared map-of-maps slots, once all maps exist. */
int bl_write_map_slots(struct bl_object *obj, struct bl_err *err);

/* At load: write the prog array slots that name program prog, once it
 * is loaded. */
int bl_write_prog_slots(struct bl_object *obj, const struct bl_program *prog, struct bl_err *err);

#endif
