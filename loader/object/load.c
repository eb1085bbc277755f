// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/load.c - an opened object into the kernel: maps first (created,
 * pinned or reused, filled), then each program, assembled from its
 * functions and checked by the verifier.
 *
 * Syscalls: bpf(BPF_MAP_CREATE), bpf(BPF_PROG_LOAD), bpf(BPF_OBJ_GET) and
 * bpf(BPF_OBJ_GET_INFO_BY_FD) for pins (sys/bpf_syscall.c); BPF_BTF_LOAD
 * through object_btf.c.  Its public functions mark the narration's load
 * phase (sys/trace.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "btf/btf.h"
#include "btf/btf_fixup.h"
#include "btf/btf_load.h"
#include "object/assemble.h"
#include "object/btf_maps.h"
#include "object/core_relocate.h"
#include "object/externs.h"
#include "object/map_compat.h"
#include "object/global_data.h"
#include "object/object.h"
#include "object/object_btf.h"
#include "sys/bpffs.h"
#include "sys/caps.h"
#include "sys/helper_names.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"

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

/* A map of maps is created with a template of its inner maps' shape.
 * map_compat.c decides whether the BTF types go along. */
static int create_map(struct bl_object *obj, struct bl_map *map, struct bl_map_spec *spec,
		      struct bl_err *err)
{
	struct bl_map_spec inner = map->inner_spec;
	int fd;

	if (!map->has_inner) {
		fd = bl_map_create_compat(obj, map, spec, err);
		/* Global data asks for BPF_F_MMAPABLE, which kernels before
		 * 5.5 refuse: they get the map without it, and user space
		 * keeps its copy (global_data_mmap.h). */
		if (fd == -EINVAL && map->origin == BL_MAP_DATA && (spec->flags & BPF_F_MMAPABLE)) {
			spec->flags &= ~(uint32_t)BPF_F_MMAPABLE;
			map->mmap_refused = 1;
			fd = bl_map_create_compat(obj, map, spec, err);
		}
		return fd;
	}
	inner.name = "inner_template";
	spec->inner_map_fd = bl_map_create_compat(obj, map, &inner, err);
	if (spec->inner_map_fd < 0)
		return bl_err_context(err, "map %s (its inner map)", map->name);
	fd = bl_map_create_compat(obj, map, spec, err);
	bl_sys_close(spec->inner_map_fd, "the inner map template: the outer map keeps its shape");
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
	fd = create_map(obj, map, &map->spec, err);
	if (fd >= 0 && bl_pin(fd, path, err)) {
		close(fd);
		return -err->code;
	}
	return fd;
}

int bl_object_create_maps(struct bl_object *obj, struct bl_err *err)
{
	size_t i;

	bl_trace_enter(BL_TRACE_LOAD);
	bl_raise_memlock_limit();
	if (obj->btf_fd < 0)
		bl_object_load_btf(obj);
	/* the .kconfig map's size and contents come from the externs */
	if (bl_resolve_externs(obj, err))
		return -err->code;
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
			fd = create_map(obj, map, &map->spec, err);
		if (fd < 0)
			return fd;
		map->fd = fd;
	}
	if (bl_init_data_maps(obj, err))
		return -err->code;
	return bl_write_map_slots(obj, err);
}

/* A rejection that is about the BTF information, not the program. */
/* Lines the verifier appends after its verdict: statistics, not reasons. */
static int is_statistics_line(const char *line)
{
	return strncmp(line, "processed ", 10) == 0 || strncmp(line, "verification time", 17) == 0 ||
	       strncmp(line, "stack depth", 11) == 0;
}

/* The last meaningful line of a verifier log: usually the reason. */
static void last_log_line(const char *log, char *out, size_t out_size)
{
	size_t end = strlen(log), start;

	for (;;) {
		while (end > 0 && (log[end - 1] == '\n' || log[end - 1] == ' '))
			end--;
		start = end;
		while (start > 0 && log[start - 1] != '\n')
			start--;
		if (start == 0 || !is_statistics_line(log + start))
			break;
		end = start;
	}
	snprintf(out, out_size, "%.*s", (int)(end - start), log + start);
}

/*
 * "invalid func unknown#173": a helper newer than this kernel, named from
 * our own list so that the reader knows which call to guard.  "unknown
 * func bpf_probe_read_kernel#113" (newer kernels: "program of this type
 * cannot use helper ..."): one the kernel has but does not give this
 * program, which under lockdown means the helpers reading kernel
 * memory (it withholds them from every program).
 */
static void explain_unknown_helper(const char *reason, char *hint, size_t size)
{
	const char *p = strstr(reason, "invalid func unknown#");
	const char *name;

	hint[0] = '\0';
	if ((strstr(reason, "unknown func bpf_") || strstr(reason, "cannot use helper bpf_")) &&
	    bl_lockdown_mode() == BL_LOCKDOWN_CONFIDENTIALITY)
		snprintf(hint, size, "; kernel lockdown is in confidentiality mode, which withholds the helpers that read kernel memory from BPF programs (see /sys/kernel/security/lockdown)");
	else if (p && (name = bl_helper_name((unsigned int)strtoul(p + 21, NULL, 10))))
		snprintf(hint, size, "; this kernel has no helper bpf_%s(), which came in a later Linux: "
			 "leave the program out here, or guard the call (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_%s))",
			 name, name);
}

/* One line for a program the kernel refused: the verifier's verdict when
 * it wrote a log, else what the errno means for a program load here. */
static int load_failure(const struct bl_program *prog, int code, struct bl_err *err)
{
	char reason[256] = "", hint[256];

	if (prog->verifier_log)
		last_log_line(prog->verifier_log, reason, sizeof(reason));
	explain_unknown_helper(reason, hint, sizeof(hint));
	if (reason[0])
		return bl_fail(err, code, "loading program %s failed: the verifier rejected it (%s): %s%s",
			       prog->name, bl_errno_name(code), reason, hint);
	/* fentry, fexit, fmod_ret and lsm programs run from BPF trampolines */
	if ((prog->kind->prog_type == BPF_PROG_TYPE_TRACING || prog->kind->prog_type == BPF_PROG_TYPE_LSM) &&
	    prog->kind->expected_attach_type != BPF_TRACE_RAW_TP &&
	    prog->kind->expected_attach_type != BPF_TRACE_ITER && geteuid() == 0 &&
	    (code == EPERM || code == ENOTSUPP_KERNEL || code == EOPNOTSUPP))
		return bl_fail(err, code, "loading program %s failed: %s; this kernel does not run fentry/fexit/fmod_ret/lsm programs here (they need BPF trampolines: CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, and no lockdown forbidding them)",
			       prog->name, bl_errno_name(code));
	return bl_fail(err, code, "loading program %s failed: %s%s", prog->name,
		       bl_errno_name(code), bl_errno_hint(code));
}

static void set_btf_info(struct bl_prog_spec *spec, int btf_fd,
			 const struct bl_btf_ext_info *func_info,
			 const struct bl_btf_ext_info *line_info)
{
	spec->prog_btf_fd = btf_fd;
	spec->func_info = func_info->recs;
	spec->func_info_cnt = func_info->count;
	spec->func_info_rec_size = func_info->rec_size;
	spec->line_info = line_info->recs;
	spec->line_info_cnt = line_info->count;
	spec->line_info_rec_size = line_info->rec_size;
}

/*
 * BPF_PROG_LOAD with the program's func_info and line_info, so that the
 * verifier names functions and quotes C source lines.  They are passed
 * only where they can mean something: the object's BTF is in the kernel
 * with its FUNC records (a kernel before 5.0 had them rewritten away).
 * A kernel that does not know the attributes at all answers E2BIG (it
 * refuses non-zero bytes past the fields it knows); only then is the
 * program loaded again without them.  A rejection for any other reason
 * is the program's own and is reported as it is.
 */
static int load_assembled(struct bl_object *obj, struct bl_program *prog,
			  struct bl_prog_spec *spec, struct bl_err *err)
{
	struct bl_btf_ext_info func_info, line_info;
	int ret = bl_program_btf_info(obj, prog, &func_info, &line_info, err);
	int with_info = !ret && func_info.count && !(obj->btf_missing & BL_BTF_FEAT_FUNC);

	if (ret)
		return ret;
	if (with_info)
		set_btf_info(spec, obj->btf_fd, &func_info, &line_info);
	ret = bl_prog_load(spec, &prog->verifier_log);
	if (ret == -E2BIG && with_info) {
		bl_object_note(obj, "program %s was loaded without its BTF function and line information, which this kernel does not take (E2BIG).",
			       prog->name);
		spec->prog_btf_fd = 0;
		free(prog->verifier_log);
		prog->verifier_log = NULL;
		ret = bl_prog_load(spec, &prog->verifier_log);
	}
	bl_btf_ext_info_free(&func_info);
	bl_btf_ext_info_free(&line_info);
	return ret < 0 ? load_failure(prog, -ret, err) : ret;
}

int bl_object_load_program(struct bl_object *obj, struct bl_program *prog, struct bl_err *err)
{
	struct bl_prog_spec spec = {
		.name = prog->name,
		.type = prog->kind->prog_type,
		.expected_attach_type = prog->kind->expected_attach_type,
		.prog_flags = bl_section_prog_flags(prog->kind),
		.license = obj->license,
		.kern_version = obj->kern_version ? obj->kern_version : bl_running_kernel_version(),
		.fd_array = bl_externs_fd_array(obj),
	};
	int ret;

	bl_trace_enter(BL_TRACE_LOAD);
	ret = bl_program_assemble(obj, prog, err);
	/* CO-RE: the kernel's field offsets into the assembled code */
	if (!ret)
		ret = bl_core_relocate_program(obj, prog, err);
	if (!ret && (prog->kind->attach == BL_ATTACH_TRACING || prog->kind->attach == BL_ATTACH_ITER))
		ret = bl_program_attach_btf_id(obj, prog, &spec.attach_btf_id, &spec.attach_btf_obj_fd, err);
	if (ret)
		return bl_err_context(err, "section %s", prog->section_name);
	spec.insns = prog->insns;
	spec.insn_cnt = prog->insn_cnt;
	free(prog->verifier_log);
	prog->verifier_log = NULL;
	ret = load_assembled(obj, prog, &spec, err);
	if (ret < 0) {
		/* a rejection at a poisoned instruction names its relocation */
		bl_core_explain_rejection(obj, prog, err);
		bl_externs_explain_rejection(obj, err);
		return bl_err_context(err, "section %s", prog->section_name);
	}
	prog->fd = ret;
	return bl_write_prog_slots(obj, prog, err);
}

int bl_object_load(struct bl_object *obj, struct bl_err *err)
{
	size_t i;
	int ret;

	bl_trace_enter(BL_TRACE_LOAD);
	ret = bl_object_create_maps(obj, err);
	for (i = 0; !ret && i < obj->prog_cnt; i++)
		ret = bl_object_load_program(obj, &obj->progs[i], err);

	if (ret)
		bl_err_context(err, "%s", obj->name);
	return ret;
}
