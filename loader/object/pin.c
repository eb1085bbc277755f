// SPDX-License-Identifier: BSD-2-Clause
/*
 * pin.c - an object's maps and programs pinned in the BPF file system,
 * for bpfload --pin: DIR/maps/NAME and DIR/progs/NAME.
 *
 * All or nothing: when one pin fails, the ones made before it are
 * removed again.
 *
 * Syscalls: bpf(BPF_OBJ_PIN) and mkdir through sys/bpffs.c; unlink(2)
 * and rmdir(2) to undo a half-made set.
 */
#include "object/pin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/bpffs.h"

#define BL_PIN_PATH_MAX 1024

void bl_map_pin_name(const struct bl_map *map, char name[BPF_OBJ_NAME_LEN])
{
	char *p;

	snprintf(name, BPF_OBJ_NAME_LEN, "%s", map->origin == BL_MAP_DATA ? map->kernel_name : map->name);
	for (p = name; *p; p++)
		if (*p == '.' || *p == '/')
			*p = '_';
}

/* The pins one bl_object_pin() call made, to take back if a later one
 * fails: a half-pinned object would outlive us under names that look
 * complete. */
struct pins_made {
	char (*paths)[BL_PIN_PATH_MAX];
	size_t cnt;
};

static int pin_one(int fd, const char *path, struct pins_made *made, struct bl_err *err)
{
	if (bl_pin(fd, path, err))
		return -1;
	snprintf(made->paths[made->cnt++], BL_PIN_PATH_MAX, "%s", path);
	return 0;
}

/* Unpin (unlink, which drops bpffs's reference) what this call pinned,
 * and remove the maps/ and progs/ directories if it left them empty. */
static void unpin_made(const struct pins_made *made, const char *dir)
{
	char sub[BL_PIN_PATH_MAX];

	for (size_t i = 0; i < made->cnt; i++)
		unlink(made->paths[i]);
	snprintf(sub, sizeof(sub), "%s/maps", dir);
	rmdir(sub);	/* fails, harmlessly, where something else is pinned */
	snprintf(sub, sizeof(sub), "%s/progs", dir);
	rmdir(sub);
}

static int pin_all(const struct bl_object *obj, const char *dir, struct pins_made *made,
		   struct bl_err *err)
{
	char sub[BL_PIN_PATH_MAX / 2], path[BL_PIN_PATH_MAX];
	size_t i;

	snprintf(sub, sizeof(sub), "%s/maps", dir);
	if (bl_bpffs_prepare_dir(sub, err))
		return -1;
	for (i = 0; i < obj->map_cnt; i++) {
		char pin_name[BPF_OBJ_NAME_LEN];

		bl_map_pin_name(&obj->maps[i], pin_name);
		snprintf(path, sizeof(path), "%s/%s", sub, pin_name);
		if (pin_one(obj->maps[i].fd, path, made, err))
			return -1;
	}
	snprintf(sub, sizeof(sub), "%s/progs", dir);
	if (bl_bpffs_prepare_dir(sub, err))
		return -1;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].fd < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", sub, obj->progs[i].name);
		for (char *p = path + strlen(sub) + 1; *p; p++)
			if (*p == '/' || *p == '.')	/* bpffs refuses dots */
				*p = '_';
		if (pin_one(obj->progs[i].fd, path, made, err))
			return -1;
	}
	return 0;
}

int bl_object_pin(const struct bl_object *obj, const char *dir, struct bl_err *err)
{
	struct pins_made made = { .paths = calloc(obj->map_cnt + obj->prog_cnt + 1, BL_PIN_PATH_MAX) };
	int ret = 0;

	if (!made.paths)
		return bl_fail(err, ENOMEM, "out of memory");
	if (strlen(dir) > BL_PIN_PATH_MAX / 2 - 16) {
		free(made.paths);
		return bl_fail(err, ENAMETOOLONG, "the pin directory %.64s... is too long", dir);
	}
	if (pin_all(obj, dir, &made, err)) {
		ret = -err->code;
		unpin_made(&made, dir);
		if (made.cnt) {
			size_t len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len, " (the %zu pin%s made before it removed again)",
				 made.cnt, made.cnt == 1 ? "" : "s");
		}
	}
	free(made.paths);
	return ret;
}
