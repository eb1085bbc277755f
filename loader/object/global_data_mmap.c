// SPDX-License-Identifier: BSD-2-Clause
/*
 * global_data_mmap.c - direct access to global data: mmap(2) of
 * BPF_F_MMAPABLE array maps (Linux 5.5), and the public accessors of
 * <bpfload/object.h> that hand out the memory, mapped or not.
 *
 * Syscalls: mmap(2) (sys/kernel_fd.c); bpf(BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM) when
 * the map is not mapped.
 */
#include "object/global_data_mmap.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "sys/kernel_fd.h"

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

int bl_data_map_mmap(struct bl_map *map)
{
	long page = sysconf(_SC_PAGESIZE);
	/* The kernel's array: max_entries elements of value_size rounded
	 * up to 8 bytes, in whole pages; mmap must not ask for more. */
	size_t size = round_up(round_up(map->spec.value_size, 8) * map->spec.max_entries,
			       page > 0 ? (size_t)page : 4096);
	int read_only = map->freeze || (map->spec.flags & BPF_F_RDONLY_PROG);
	void *mem;

	/* every global-data map asks for it; load.c drops it where the
	 * kernel refuses the flag */
	if (!(map->spec.flags & BPF_F_MMAPABLE))
		return map->mmap_refused ? -EOPNOTSUPP : -EINVAL;
	/* MAP_SHARED: these are the map's pages, not a private copy. */
	mem = bl_sys_mmap(size, read_only ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED,
			  map->fd, 0, map->name);
	if (mem == MAP_FAILED)
		return -errno;
	map->mapped = mem;
	map->mapped_size = size;
	return 0;
}

void *bl_map_data(struct bl_map *map, size_t *size)
{
	if (map->origin != BL_MAP_DATA)
		return NULL;
	if (size)
		*size = map->spec.value_size;
	return map->mapped ? map->mapped : map->initial_value;
}

int bl_map_data_mapped(const struct bl_map *map)
{
	return map->mapped != NULL;
}

/* 1 when the copy and the kernel's value are apart (loaded, not mapped),
 * 0 when there is nothing to copy, or -errno for a map of no global data. */
static int needs_copy(const struct bl_map *map, struct bl_err *err)
{
	if (map->origin != BL_MAP_DATA)
		return bl_fail(err, EINVAL, "map %s holds no global data", map->name);
	return map->fd >= 0 && !map->mapped;
}

int bl_map_data_pull(struct bl_map *map, struct bl_err *err)
{
	uint32_t zero = 0;
	int ret = needs_copy(map, err);

	if (ret <= 0)
		return ret;
	ret = bl_map_lookup(map->fd, &zero, map->initial_value);
	if (ret)
		return bl_fail(err, -ret, "reading %s from the kernel failed: %s", map->name,
			       bl_errno_name(-ret));
	return 0;
}

int bl_map_data_push(struct bl_map *map, struct bl_err *err)
{
	uint32_t zero = 0;
	int ret = needs_copy(map, err);

	if (ret <= 0)
		return ret;
	if (map->freeze)
		return bl_fail(err, EPERM, "%s is frozen once loaded; set its variables before loading",
			       map->name);
	ret = bl_map_update(map->fd, &zero, map->initial_value, BPF_ANY);
	if (ret)
		return bl_fail(err, -ret, "writing %s to the kernel failed: %s", map->name,
			       bl_errno_name(-ret));
	return 0;
}
