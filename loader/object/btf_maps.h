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

#include "btf/btf.h"
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

/*
 * BTF-defined maps (libbpf's <bpf/bpf_helpers.h>) describe a map as an
 * anonymous struct whose members encode numbers in their types:
 *   __uint(max_entries, 1024)  int (*max_entries)[1024];  pointer to an
 *                              array whose element count is the number
 *   __ulong(map_extra, N)      enum { x = N } map_extra;  64-bit numbers
 *   __type(key, T)             T *key;   pointer to the type
 */

/* The number a __uint() or __ulong() member encodes. */
int bl_btf_member_uint(const struct bl_btf *btf, const struct btf_member *m,
		       uint64_t *value, struct bl_err *err);

/* The type a __type() member points to (before skipping modifiers). */
int bl_btf_member_pointee(const struct bl_btf *btf, const struct btf_member *m,
			  uint32_t *type_id, struct bl_err *err);

#endif
