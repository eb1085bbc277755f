/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * map_compat.h - creating a map with the BTF types of its key and value
 * where the kernel takes them, and without where it does not.
 *
 * BPF_MAP_CREATE accepts btf_fd, btf_key_type_id and btf_value_type_id
 * since Linux 4.18, so that bpftool can print entries as C values and
 * the verifier knows where spin locks, timers and kptrs sit in a value.
 * Maps whose values are file descriptors or kernel objects (perf event
 * arrays, cgroup arrays, prog arrays, maps of maps, sockmaps, devmaps),
 * stack traces, queues, stacks and ring buffers have nothing BTF could
 * describe, and the kernel refuses BTF types for them with ENOTSUPP.
 * Objects written for libbpf declare them anyway (__type(key, u32)), as
 * libbpf leaves them out: so do we.  A map the kernel still refuses with
 * its BTF types (an older kernel, a value BTF describes in a way this
 * kernel rejects) is created once more without them, and obj->notes
 * names the map and the kernel's answer.
 */
#ifndef BL_MAP_COMPAT_H
#define BL_MAP_COMPAT_H

#include <bpfload/error.h>
#include "object/object.h"

/* Whether maps of this type may be created with BTF key/value types. */
int bl_map_type_takes_btf(uint32_t map_type);

/* BPF_MAP_CREATE of spec for map (its name goes into messages and the
 * note); spec's BTF ids are cleared where they cannot be used.  Returns
 * the map's fd. */
int bl_map_create_compat(struct bl_object *obj, const struct bl_map *map, struct bl_map_spec *spec,
			 struct bl_err *err);

#endif
