// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/load.c - an opened object into the kernel: maps first (created,
 * pinned or reused, filled), then each program, assembled from its
 * functions and checked by the verifier.
 *
 * Syscalls: bpf(BPF_MAP_CREATE), bpf(BPF_PROG_LOAD), bpf(BPF_OBJ_GET) and
 * bpf(BPF_OBJ_GET_INFO_BY_FD) for pins (sys/bpf_syscall.c); BPF_BTF_LOAD
 * through object_btf.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "object/assemble.h"
#include "object/btf_maps.h"
#include "object/global_data.h"
#include "object/object.h"
#include "object/object_btf.h"
#include "sys/bpffs.h"

/* A perf event array needs a slot per CPU; objects leave max_entries 0
 * and expect the loader to size it, as libbpf does. */
static int size_perf_event_array(struct bl_map *map, struct bl_err *err)
{
	int ncpus;

	if (map->spec.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY || map->spec.max_entries)
		return 0;
	ncpus = bl_possible_cpus(err);
	if (ncpus < 0)
		return ncpus;
	map->spec.max_entries = (uint32_t)ncpus;
	if (!map->spec.key_size)
		map->spec.key_size = sizeof(uint32_t);
	if (!map->spec.value_size)
		map->spec.value_size = sizeof(uint32_t);
	return 0;
}

/* A map of maps is created with a template of its inner maps' shape. */
static int create_map(const struct bl_map *map, struct bl_map_spec *spec, struct bl_err *err)
{
	struct bl_map_spec inner = map->inner_spec;
	int fd;

	if (!map->has_inner)
		return bl_map_create(spec, err);
	inner.name = "inner_template";
	spec->inner_map_fd = bl_map_create(&inner, err);
	if (spec->inner_map_fd < 0)
		return bl_err_context(err, "map %s", map->name);
	fd = bl_map_create(spec, err);
	close(spec->inner_map_fd);
	spec->inner_map_fd = 0;
	return fd;
}

/* The pin of a BY_NAME map must have the shape the object declares. */
static int reuse_pin(const struct bl_map *map, const char *path, struct bl_err *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = bl_obj_get(path);

	if (fd < 0)
		return bl_fail(err, -fd, "map %s: cannot open its pin %s: %s", map->name, path,
			       bl_errno_name(-fd));
	memset(&info, 0, sizeof(info));
	if (bl_obj_get_info(fd, &info, &len) || info.type != map->spec.type ||
	    info.key_size != map->spec.key_size || info.value_size != map->spec.value_size ||
	    info.max_entries != map->spec.max_entries || info.map_flags != map->spec.flags) {
		close(fd);
		return bl_fail(err, EEXIST, "map %s: the map pinned at %s has another shape (type %u, key %u, value %u, entries %u); remove the pin or rename the map",
			       map->name, path, info.type, info.key_size, info.value_size, info.max_entries);
	}
	return fd;
}

/* LIBBPF_PIN_BY_NAME: reuse <pin root>/<name> when it exists, else
 * create the map and pin it there. */
static int create_or_reuse_pinned(struct bl_object *obj, struct bl_map *map, struct bl_err *err)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", obj->pin_root, map->name);
	if (bl_bpffs_prepare_dir(obj->pin_root, err))
		return bl_err_context(err, "map %s", map->name);
	if (access(path, F_OK) == 0) {
		fd = reuse_pin(map, path, err);
		map->reused_pin = fd >= 0;
		return fd;
	}
	fd = create_map(map, &map->spec, err);
	if (fd >= 0 && bl_pin(fd, path, err)) {
		close(fd);
		return -err->code;
	}
	return fd;
}

int bl_object_create_maps(struct bl_object *obj, struct bl_err *err)
{
	size_t i;

	bl_raise_memlock_limit();
	if (obj->btf_fd < 0)
		bl_object_load_btf(obj);
	for (i = 0; i < obj->map_cnt; i++) {
		struct bl_map *map = &obj->maps[i];
		int fd = size_perf_event_array(map, err);

		if (fd < 0)
			return fd;
		map->spec.name = map->kernel_name;
		map->spec.btf_fd = obj->btf_fd > 0 ? obj->btf_fd : 0;
		map->spec.btf_key_type_id = map->btf_key_type_id;
		map->spec.btf_value_type_id = map->btf_value_type_id;
		if (map->pinning == BL_PIN_BY_NAME)
			fd = create_or_reuse_pinned(obj, map, err);
		else
			fd = create_map(map, &map->spec, err);
		if (fd < 0)
			return fd;
		map->fd = fd;
	}
	if (bl_init_data_maps(obj, err))
		return -err->code;
	return bl_write_map_slots(obj, err);
}

/* A rejection that is about the BTF information, not the program. */
static int refused_for_btf(const struct bl_err *err)
{
	return strstr(err->msg, "func_info") || strstr(err->msg, "line_info") ||
	       strstr(err->msg, "BTF") || strstr(err->msg, "btf");
}

static int load_linked(struct bl_object *obj, struct bl_program *prog, struct bl_prog_spec *spec,
		       struct bl_err *err)
{
	struct bl_btf_ext_info func_info, line_info;
	int ret = bl_program_btf_info(obj, prog, &func_info, &line_info, err);

	if (ret)
		return ret;
	if (func_info.count) {
		spec->prog_btf_fd = obj->btf_fd;
		spec->func_info = func_info.recs;
		spec->func_info_cnt = func_info.count;
		spec->func_info_rec_size = func_info.rec_size;
		spec->line_info = line_info.recs;
		spec->line_info_cnt = line_info.count;
		spec->line_info_rec_size = line_info.rec_size;
	}
	ret = bl_prog_load(spec, &prog->verifier_log, err);
	if (ret < 0 && func_info.count && refused_for_btf(err)) {
		bl_object_note(obj, "program %s was loaded without its BTF line information, which the kernel refused (%s).",
			       prog->name, err->msg);
		spec->prog_btf_fd = 0;
		free(prog->verifier_log);
		prog->verifier_log = NULL;
		ret = bl_prog_load(spec, &prog->verifier_log, err);
	}
	bl_btf_ext_info_free(&func_info);
	bl_btf_ext_info_free(&line_info);
	return ret;
}

int bl_object_load_program(struct bl_object *obj, struct bl_program *prog, struct bl_err *err)
{
	struct bl_prog_spec spec = {
		.name = prog->name,
		.type = prog->kind->prog_type,
		.expected_attach_type = prog->kind->expected_attach_type,
		.license = obj->license,
		.kern_version = obj->kern_version ? obj->kern_version : bl_running_kernel_version(),
	};
	int ret = bl_program_assemble(obj, prog, err);

	if (!ret && prog->kind->attach == BL_ATTACH_TRACING)
		ret = bl_program_attach_btf_id(obj, prog, &spec.attach_btf_id, err);
	if (ret)
		return bl_err_context(err, "section %s", prog->section_name);
	spec.insns = prog->insns;
	spec.insn_cnt = prog->insn_cnt;
	free(prog->verifier_log);
	prog->verifier_log = NULL;
	ret = load_linked(obj, prog, &spec, err);
	if (ret < 0)
		return bl_err_context(err, "section %s", prog->section_name);
	prog->fd = ret;
	return bl_write_prog_slots(obj, prog, err);
}

int bl_object_load(struct bl_object *obj, struct bl_err *err)
{
	size_t i;
	int ret;

	ret = bl_object_create_maps(obj, err);
	for (i = 0; !ret && i < obj->prog_cnt; i++)
		ret = bl_object_load_program(obj, &obj->progs[i], err);

	if (ret)
		bl_err_context(err, "%s", obj->name);
	return ret;
}
