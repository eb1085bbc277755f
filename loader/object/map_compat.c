// SPDX-License-Identifier: BSD-2-Clause
/*
 * map_compat.c - map creation with and without BTF types.
 *
 * Syscalls: bpf(BPF_MAP_CREATE) through sys/bpf_syscall.c, at most twice
 * per map.
 */
#include "object/map_compat.h"

#include <errno.h>

int bl_map_type_takes_btf(uint32_t map_type)
{
	switch (map_type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return 0;
	default:
		return 1;
	}
}

static int has_btf_types(const struct bl_map_spec *spec)
{
	return spec->btf_fd > 0 && (spec->btf_key_type_id || spec->btf_value_type_id);
}

static void drop_btf_types(struct bl_map_spec *spec)
{
	spec->btf_fd = 0;
	spec->btf_key_type_id = 0;
	spec->btf_value_type_id = 0;
}

int bl_map_create_compat(struct bl_object *obj, const struct bl_map *map, struct bl_map_spec *spec,
			 struct bl_err *err)
{
	struct bl_err first;
	int fd;

	if (!bl_map_type_takes_btf(spec->type))
		drop_btf_types(spec);
	fd = bl_map_create(spec, has_btf_types(spec) ? &first : err);
	if (fd >= 0 || !has_btf_types(spec))
		return fd;
	/* Without privileges nothing will work; say that, not "BTF". */
	if (fd == -EPERM || fd == -EACCES) {
		*err = first;
		return fd;
	}
	drop_btf_types(spec);
	fd = bl_map_create(spec, err);
	if (fd < 0)
		return bl_fail(err, first.code, "%s (and again without BTF types: %s)", first.msg,
			       bl_errno_name(err->code));
	bl_object_note(obj, "map %s was created without the BTF types of its key and value, which the kernel refused (%s).",
		       map->name, bl_errno_name(first.code));
	return fd;
}
