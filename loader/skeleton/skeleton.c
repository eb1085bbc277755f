// SPDX-License-Identifier: BSD-2-Clause
/*
 * skeleton/skeleton.c - the library half of generated skeletons
 * (<bpfload/skeleton.h>): a generated header describes its object's maps
 * and programs in a table, and this file opens the object, fills in the
 * pointers the table names, and attaches and detaches all programs.
 * Keeping this here keeps the generated code a table and a few calls.
 *
 * Syscalls: none of its own; attaching goes through attach/attach.c
 * (perf_event_open(2), bpf(BPF_LINK_CREATE), ...), closing through
 * object/object.c.
 */
#include <bpfload/skeleton.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "object/global_data_mmap.h"
#include "object/object.h"

struct bl_skeleton {
	struct bl_object *obj;
	struct bl_skel_map *maps;	/* copies of the generated tables */
	size_t map_cnt;
	struct bl_skel_prog *progs;
	size_t prog_cnt;
};

static void *copy_table(const void *table, size_t count, size_t size)
{
	void *copy = malloc(count ? count * size : 1);

	if (copy && count)
		memcpy(copy, table, count * size);
	return copy;
}

static int find_map(struct bl_skeleton *s, const struct bl_skel_map *m, struct bl_err *err)
{
	struct bl_map *map = bl_object_map(s->obj, m->name);
	uint32_t room;

	if (!map)
		return bl_fail(err, ENOENT, "%s has no map %s; regenerate the skeleton from this object",
			       s->obj->name, m->name);
	*m->map = map;
	if (!m->data_size)
		return 0;
	/* The struct was generated from this section's BTF; a section
	 * smaller than it means another object (or a generator bug). */
	room = (map->spec.value_size + BL_DATA_COPY_ALIGN - 1) / BL_DATA_COPY_ALIGN * BL_DATA_COPY_ALIGN;
	if (map->origin != BL_MAP_DATA || m->data_size > room)
		return bl_fail(err, EINVAL, "%s: map %s (%u bytes) does not hold the skeleton's %zu-byte struct; regenerate the skeleton from this object",
			       s->obj->name, m->name, map->spec.value_size, m->data_size);
	return 0;
}

struct bl_skeleton *bl_skeleton_open(const struct bl_skel_spec *spec,
				     const struct bl_object_opts *opts, struct bl_err *err)
{
	struct bl_skeleton *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s || !(s->maps = copy_table(spec->maps, spec->map_cnt, sizeof(*spec->maps))) ||
	    !(s->progs = copy_table(spec->progs, spec->prog_cnt, sizeof(*spec->progs)))) {
		bl_fail(err, ENOMEM, "out of memory");
		goto fail;
	}
	s->map_cnt = spec->map_cnt;
	s->prog_cnt = spec->prog_cnt;
	s->obj = bl_object_open_mem(spec->data, spec->size, spec->object_name, opts, err);
	if (!s->obj)
		goto fail;
	for (i = 0; i < s->map_cnt; i++)
		if (find_map(s, &s->maps[i], err))
			goto fail;
	for (i = 0; i < s->prog_cnt; i++) {
		struct bl_program *prog = bl_object_program(s->obj, s->progs[i].name);

		if (!prog) {
			bl_fail(err, ENOENT, "%s has no program %s; regenerate the skeleton from this object",
				s->obj->name, s->progs[i].name);
			goto fail;
		}
		*s->progs[i].prog = prog;
	}
	return s;
fail:
	bl_skeleton_destroy(s);
	return NULL;
}

struct bl_object *bl_skeleton_object(const struct bl_skeleton *s)
{
	return s->obj;
}

/* Whether the section name says where to attach: what
 * bl_program_attach() needs.  "socket", "xdp", a bare "kprobe" do not. */
static int names_target(const struct bl_program *prog)
{
	return prog->kind->attach != BL_ATTACH_NONE && prog->attach_target &&
	       prog->attach_target[0];
}

int bl_skeleton_attach(struct bl_skeleton *s, struct bl_err *err)
{
	unsigned char *mine = calloc(s->prog_cnt ? s->prog_cnt : 1, 1);
	size_t i;
	int ret = 0;

	if (!mine)
		return bl_fail(err, ENOMEM, "out of memory");
	for (i = 0; !ret && i < s->prog_cnt; i++) {
		struct bl_skel_prog *p = &s->progs[i];

		if (*p->attachment || !names_target(*p->prog))
			continue;
		*p->attachment = bl_program_attach(*p->prog, NULL, err);
		if (!*p->attachment)
			ret = bl_err_context(err, "%s", s->obj->name);
		mine[i] = 1;
	}
	/* all or nothing: undo this call's attachments */
	while (ret && i-- > 0) {
		if (mine[i]) {
			bl_attachment_destroy(*s->progs[i].attachment, NULL);
			*s->progs[i].attachment = NULL;
		}
	}
	free(mine);
	return ret;
}

int bl_skeleton_detach(struct bl_skeleton *s, struct bl_err *err)
{
	size_t i;
	int ret = 0, r;

	for (i = 0; i < s->prog_cnt; i++) {
		r = bl_attachment_destroy(*s->progs[i].attachment, ret ? NULL : err);
		*s->progs[i].attachment = NULL;
		if (r && !ret)
			ret = r;
	}
	return ret;
}

void bl_skeleton_destroy(struct bl_skeleton *s)
{
	if (!s)
		return;
	if (s->progs)
		bl_skeleton_detach(s, NULL);
	bl_object_close(s->obj);
	free(s->maps);
	free(s->progs);
	free(s);
}
