// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/object.c - the object's model: adding maps and notes, lookups,
 * the accessors of <bpfload/object.h>, and closing.
 *
 * Syscalls: close(2) of every fd the object holds, munmap(2) of the
 * global-data maps' values.
 */
#include "object/object.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_ext.h"
#include "sys/grow.h"

void bl_object_note(struct bl_object *obj, const char *fmt, ...)
{
	size_t len = strlen(obj->notes);
	va_list ap;

	if (len + 2 >= sizeof(obj->notes))
		return;
	if (len)
		obj->notes[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(obj->notes + len, sizeof(obj->notes) - len, fmt, ap);
	va_end(ap);
}

struct bl_map *bl_object_new_map(struct bl_object *obj, struct bl_err *err)
{
	struct bl_map *maps = bl_grow(obj->maps, &obj->map_cap, obj->map_cnt + 1, sizeof(*maps));

	if (!maps) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	obj->maps = maps;
	memset(&maps[obj->map_cnt], 0, sizeof(maps[0]));
	maps[obj->map_cnt].fd = -1;
	return &maps[obj->map_cnt++];
}

struct bl_map *bl_object_map(const struct bl_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return &obj->maps[i];
	return NULL;
}

struct bl_program *bl_object_program(const struct bl_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->prog_cnt; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	return NULL;
}

struct bl_map *bl_object_next_map(const struct bl_object *obj, const struct bl_map *prev)
{
	size_t next = prev ? (size_t)(prev - obj->maps) + 1 : 0;

	return next < obj->map_cnt ? &obj->maps[next] : NULL;
}

struct bl_program *bl_object_next_program(const struct bl_object *obj,
					  const struct bl_program *prev)
{
	size_t next = prev ? (size_t)(prev - obj->progs) + 1 : 0;

	return next < obj->prog_cnt ? &obj->progs[next] : NULL;
}

const char *bl_object_name(const struct bl_object *obj)
{
	return obj->name;
}

const char *bl_object_notes(const struct bl_object *obj)
{
	return obj->notes;
}

/* ---- maps ---- */

const char *bl_map_name(const struct bl_map *map)
{
	return map->name;
}

int bl_map_fd(const struct bl_map *map)
{
	return map->fd;
}

enum bpf_map_type bl_map_type(const struct bl_map *map)
{
	return (enum bpf_map_type)map->spec.type;
}

uint32_t bl_map_key_size(const struct bl_map *map)
{
	return map->spec.key_size;
}

uint32_t bl_map_value_size(const struct bl_map *map)
{
	return map->spec.value_size;
}

uint32_t bl_map_max_entries(const struct bl_map *map)
{
	return map->spec.max_entries;
}

int bl_map_set_max_entries(struct bl_map *map, uint32_t max_entries, struct bl_err *err)
{
	if (map->fd >= 0)
		return bl_fail(err, EBUSY, "map %s exists already; set its size before loading",
			       map->name);
	map->spec.max_entries = max_entries;
	return 0;
}

/* ---- programs ---- */

const char *bl_program_name(const struct bl_program *prog)
{
	return prog->name;
}

const char *bl_program_section(const struct bl_program *prog)
{
	return prog->section_name;
}

enum bpf_prog_type bl_program_type(const struct bl_program *prog)
{
	return prog->kind->prog_type;
}

int bl_program_fd(const struct bl_program *prog)
{
	return prog->fd;
}

const char *bl_program_verifier_log(const struct bl_program *prog)
{
	return prog->verifier_log;
}
