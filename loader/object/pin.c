// SPDX-License-Identifier: BSD-2-Clause
/*
 * pin.c - an object's maps and programs pinned in the BPF file system,
 * for bpfload --pin: DIR/maps/NAME and DIR/progs/NAME.
 *
 * All or nothing: when one pin fails, the ones made before it are
 * removed again; pins of the object found there already (an earlier
 * run's, or the incomplete set of a run killed midway) are reported,
 * and nothing is pinned.
 *
 * Syscalls: bpf(BPF_OBJ_PIN) and mkdir through sys/bpffs.c; access(2)
 * to find earlier pins; unlink(2) and rmdir(2) to undo a half-made set.
 */
#include "object/pin.h"

#include <errno.h>
#include <stdio.h>
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

/* The path of the object's pin number i: its maps first (DIR/maps/NAME),
 * then its loaded programs (DIR/progs/NAME); 0, or -1 past the last. */
static int pin_path(const struct bl_object *obj, const char *dir, size_t i, int *fd,
		    char path[BL_PIN_PATH_MAX])
{
	char name[BPF_OBJ_NAME_LEN];
	size_t p;

	if (i < obj->map_cnt) {
		bl_map_pin_name(&obj->maps[i], name);
		snprintf(path, BL_PIN_PATH_MAX, "%s/maps/%s", dir, name);
		*fd = obj->maps[i].fd;
		return 0;
	}
	i -= obj->map_cnt;
	for (p = 0; p < obj->prog_cnt; p++) {
		if (obj->progs[p].fd < 0 || i-- > 0)
			continue;
		snprintf(name, sizeof(name), "%s", obj->progs[p].name);
		for (char *c = name; *c; c++)
			if (*c == '/' || *c == '.')	/* bpffs refuses dots */
				*c = '_';
		snprintf(path, BL_PIN_PATH_MAX, "%s/progs/%s", dir, name);
		*fd = obj->progs[p].fd;
		return 0;
	}
	return -1;
}

/* Unpin (unlink, which drops bpffs's reference) the first made pins, and
 * remove the maps/ and progs/ directories if that left them empty: a
 * half-pinned object would outlive us under names that look complete. */
static void unpin_first(const struct bl_object *obj, const char *dir, size_t made)
{
	char path[BL_PIN_PATH_MAX];
	int fd;

	for (size_t i = 0; i < made && pin_path(obj, dir, i, &fd, path) == 0; i++)
		unlink(path);
	snprintf(path, sizeof(path), "%s/maps", dir);
	rmdir(path);	/* fails, harmlessly, where something else is pinned */
	snprintf(path, sizeof(path), "%s/progs", dir);
	rmdir(path);
}

/*
 * Pins of this object already under dir are never reused nor replaced:
 * all of them are an earlier run's; some of them, a run stopped midway
 * (killed between two pins, which no cleanup can follow).  Either way
 * the user decides, so nothing is pinned.
 */
static int refuse_existing(const struct bl_object *obj, const char *dir, struct bl_err *err)
{
	char path[BL_PIN_PATH_MAX], first[BL_PIN_PATH_MAX] = "";
	size_t i, total = 0, found = 0;
	int fd;

	for (i = 0; pin_path(obj, dir, i, &fd, path) == 0; i++, total++) {
		if (access(path, F_OK) != 0)
			continue;
		if (!found++)
			snprintf(first, sizeof(first), "%s", path);
	}
	if (!found)
		return 0;
	if (found == total)
		return bl_fail(err, EEXIST, "%s holds this object's %zu pins already (from an earlier --pin run); they are not reused: remove them (rm -r %s) to pin again",
			       dir, total, dir);
	return bl_fail(err, EEXIST, "%s holds %zu of this object's %zu pins (%s first): an incomplete set, as a --pin run stopped midway leaves; nothing was pinned: remove them (rm -r %s) and pin again",
		       dir, found, total, first, dir);
}

int bl_object_pin(const struct bl_object *obj, const char *dir, struct bl_err *err)
{
	char path[BL_PIN_PATH_MAX];
	size_t made = 0, len;
	int fd;

	if (strlen(dir) > BL_PIN_PATH_MAX / 2)
		return bl_fail(err, ENAMETOOLONG, "the pin directory %.64s... is too long", dir);
	snprintf(path, sizeof(path), "%s/maps", dir);
	if (bl_bpffs_prepare_dir(path, err))
		return -err->code;
	snprintf(path, sizeof(path), "%s/progs", dir);
	if (bl_bpffs_prepare_dir(path, err) || refuse_existing(obj, dir, err))
		return -err->code;
	for (; pin_path(obj, dir, made, &fd, path) == 0; made++) {
		if (bl_pin(fd, path, err) == 0)
			continue;
		unpin_first(obj, dir, made);
		len = strlen(err->msg);
		if (made)
			snprintf(err->msg + len, sizeof(err->msg) - len, " (the %zu pin%s made before it removed again)",
				 made, made == 1 ? "" : "s");
		return -err->code;
	}
	return 0;
}
