// SPDX-License-Identifier: BSD-2-Clause
/*
 * pin.c - an object's maps and programs pinned in the BPF file system,
 * for bpfload --pin: DIR/maps/NAME and DIR/progs/NAME.
 *
 * Syscalls: bpf(BPF_OBJ_PIN) and mkdir through sys/bpffs.c.
 */
#include "object/pin.h"

#include <stdio.h>
#include <string.h>

#include "sys/bpffs.h"

void bl_map_pin_name(const struct bl_map *map, char name[BPF_OBJ_NAME_LEN])
{
	char *p;

	snprintf(name, BPF_OBJ_NAME_LEN, "%s", map->origin == BL_MAP_DATA ? map->kernel_name : map->name);
	for (p = name; *p; p++)
		if (*p == '.' || *p == '/')
			*p = '_';
}

int bl_object_pin(const struct bl_object *obj, const char *dir, struct bl_err *err)
{
	char sub[512], path[1024];
	size_t i;

	snprintf(sub, sizeof(sub), "%s/maps", dir);
	if (bl_bpffs_prepare_dir(sub, err))
		return -err->code;
	for (i = 0; i < obj->map_cnt; i++) {
		char pin_name[BPF_OBJ_NAME_LEN];

		bl_map_pin_name(&obj->maps[i], pin_name);
		snprintf(path, sizeof(path), "%s/%s", sub, pin_name);
		if (bl_pin(obj->maps[i].fd, path, err))
			return -err->code;
	}
	snprintf(sub, sizeof(sub), "%s/progs", dir);
	if (bl_bpffs_prepare_dir(sub, err))
		return -err->code;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].fd < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", sub, obj->progs[i].name);
		for (char *p = path + strlen(sub) + 1; *p; p++)
			if (*p == '/' || *p == '.')	/* bpffs refuses dots */
				*p = '_';
		if (bl_pin(obj->progs[i].fd, path, err))
			return -err->code;
	}
	return 0;
}
