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

static int create_failed(const struct bl_map *map, const struct bl_map_spec *spec, int code,
			 const char *again, struct bl_err *err)
{
	return bl_fail(err, code,
		       "creating map %s (type %u, key %u, value %u, entries %u) failed: %s%s%s",
		       map->name, spec->type, spec->key_size, spec->value_size, spec->max_entries,
		       bl_errno_name(code), again, bl_errno_hint(code));
}

int bl_map_create_compat(struct bl_object *obj, const struct bl_map *map, struct bl_map_spec *spec,
			 struct bl_err *err)
{
	int fd, first;

	if (!bl_map_type_takes_btf(spec->type))
		drop_btf_types(spec);
	fd = bl_map_create(spec);
	if (fd >= 0)
		return fd;
	/* Without privileges, file descriptors or memory nothing will work;
	 * say that, not "BTF". */
	if (!has_btf_types(spec) || fd == -EPERM || fd == -EACCES || fd == -EMFILE || fd == -ENFILE ||
	    fd == -ENOMEM)
		return create_failed(map, spec, -fd, "", err);
	first = -fd;
	drop_btf_types(spec);
	fd = bl_map_create(spec);
	if (fd < 0)
		return create_failed(map, spec, first, -fd == first ? " (also without BTF types)" :
				     " (and again without BTF types)", err);
	bl_object_note(obj, "map %s was created without the BTF types of its key and value, which the kernel refused (%s).",
		       map->name, bl_errno_name(first));
	return fd;
}
