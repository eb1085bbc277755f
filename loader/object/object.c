// SPDX-License-Identifier: BSD-2-Clause
/*
 * object.c - from an ELF file to maps and programs, and into the kernel.
 *
 * Syscalls: open/read of the object file; bpf(BPF_MAP_CREATE) and
 * bpf(BPF_PROG_LOAD) through bpf_syscall.c; close.
 *
 * Sections this file understands:
 *   license        NUL-terminated string, e.g. "GPL" (GPL-only helpers
 *                  such as bpf_trace_printk need a GPL-compatible one)
 *   version        u32 LINUX_VERSION_CODE, needed by kprobe programs on
 *                  kernels before 5.0; we supply the running one if absent
 *   maps           legacy map definitions, struct bpf_map_def-style:
 *                  u32 type, key_size, value_size, max_entries, map_flags
 *   kprobe/... etc program code, one program per function symbol
 */
#include "object/object.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/bpffs.h"
#include "btf/btf.h"
#include "object/btf_maps.h"
#include "sys/cpus.h"
#include "object/global_data.h"
#include "object/object_btf.h"
#include "object/assemble.h"
#include "object/relocs.h"

/* The five u32 fields every legacy map definition starts with. */
#define LEGACY_MAP_DEF_SIZE (5 * sizeof(uint32_t))

static int read_license(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	size_t index = bl_elf_find_section(&obj->elf, "license"), len;

	if (!index)
		return 0;	/* the kernel will refuse GPL-only helpers */
	bl_elf_section(&obj->elf, index, &sec);
	if (!sec.data || sec.size == 0)
		return bl_fail(err, ENOEXEC, "section license is empty");
	len = strnlen((const char *)sec.data, sec.size);
	if (len >= sizeof(obj->license))
		return bl_fail(err, ENOEXEC, "section license: string of %zu bytes is too long", len);
	memcpy(obj->license, sec.data, len);
	obj->license[len] = '\0';
	return 0;
}

static int read_version(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	size_t index = bl_elf_find_section(&obj->elf, "version");

	if (!index)
		return 0;
	bl_elf_section(&obj->elf, index, &sec);
	if (!sec.data || sec.size != sizeof(uint32_t))
		return bl_fail(err, ENOEXEC, "section version: expected 4 bytes, found %llu",
			       (unsigned long long)sec.size);
	memcpy(&obj->kern_version, sec.data, sizeof(uint32_t));
	return 0;
}

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
	struct bl_map *maps = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*maps));

	if (!maps) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	obj->maps = maps;
	memset(&maps[obj->map_cnt], 0, sizeof(maps[0]));
	maps[obj->map_cnt].fd = -1;
	return &maps[obj->map_cnt++];
}

static size_t count_symbols_in(const struct bl_elf *elf, size_t section_index)
{
	struct bl_elf_symbol sym;
	size_t i, n = 0;

	for (i = 0; i < elf->symbol_count; i++) {
		bl_elf_symbol(elf, i, &sym);
		if (sym.shndx == section_index && sym.type != STT_SECTION && sym.name[0])
			n++;
	}
	return n;
}

static int all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static int read_legacy_map(const struct bl_elf_section *sec,
			   const struct bl_elf_symbol *sym, size_t def_size,
			   struct bl_map *map, struct bl_err *err)
{
	uint32_t def[5];

	if (sym->value % def_size || sym->value > sec->size - def_size)
		return bl_fail(err, ENOEXEC, "section maps: map %s at offset %llu does not start a %zu-byte definition",
			       sym->name, (unsigned long long)sym->value, def_size);
	memcpy(def, sec->data + sym->value, sizeof(def));
	/* Older samples/bpf definitions add inner_map_idx and numa_node;
	 * we accept the bytes but not features we would silently drop. */
	if (!all_zero(sec->data + sym->value + sizeof(def), def_size - sizeof(def)))
		return bl_fail(err, ENOTSUP, "section maps: map %s uses fields after map_flags (inner maps, NUMA node), which this loader does not support",
			       sym->name);
	map->name = sym->name;
	map->spec.type = def[0];
	map->spec.key_size = def[1];
	map->spec.value_size = def[2];
	map->spec.max_entries = def[3];
	map->spec.flags = def[4];
	map->origin = BL_MAP_LEGACY;
	map->section_index = sec->index;
	map->offset = sym->value;
	map->fd = -1;
	snprintf(map->kernel_name, sizeof(map->kernel_name), "%s", sym->name);
	return 0;
}

/* The legacy "maps" section: an array of definitions, one symbol each.
 * The definition size is not stored anywhere, so (like libbpf) we derive
 * it: section size divided by the number of map symbols. */
static int read_legacy_maps(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	struct bl_elf_symbol sym;
	size_t index = bl_elf_find_section(&obj->elf, "maps"), n, def_size, i;
	int ret;

	if (!index)
		return 0;
	bl_elf_section(&obj->elf, index, &sec);
	n = count_symbols_in(&obj->elf, index);
	if (n == 0)
		return sec.size ? bl_fail(err, ENOEXEC, "section maps has %llu bytes but no map symbols",
					  (unsigned long long)sec.size) : 0;
	if (!sec.data || sec.size % n || sec.size / n < LEGACY_MAP_DEF_SIZE)
		return bl_fail(err, ENOEXEC, "section maps: %llu bytes do not divide into %zu map definitions of at least %zu bytes",
			       (unsigned long long)sec.size, n, LEGACY_MAP_DEF_SIZE);
	def_size = sec.size / n;
	for (i = 0; i < obj->elf.symbol_count; i++) {
		struct bl_map *map;

		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx != index || sym.type == STT_SECTION || !sym.name[0])
			continue;
		if (sym.bind == STB_LOCAL)
			return bl_fail(err, ENOTSUP, "section maps: map %s is static; declare maps as global variables",
				       sym.name);
		map = bl_object_new_map(obj, err);
		if (!map)
			return -err->code;
		ret = read_legacy_map(&sec, &sym, def_size, map, err);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_function(struct bl_object *obj, const struct bl_elf_section *sec,
			const char *name, uint64_t offset, uint64_t size, int is_subprogram,
			struct bl_err *err)
{
	struct bl_function *funcs, *f;

	if (offset % sizeof(struct bpf_insn) || size % sizeof(struct bpf_insn) ||
	    size == 0 || offset > sec->size || size > sec->size - offset)
		return bl_fail(err, ENOEXEC, "section %s: function %s (offset %llu, %llu bytes) is not whole instructions inside the section",
			       sec->name, name, (unsigned long long)offset,
			       (unsigned long long)size);
	funcs = realloc(obj->funcs, (obj->func_cnt + 1) * sizeof(*funcs));
	if (!funcs)
		return bl_fail(err, ENOMEM, "out of memory");
	obj->funcs = funcs;
	f = &funcs[obj->func_cnt++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->section_index = sec->index;
	f->section_offset = offset;
	f->code = sec->data + offset;
	f->insn_cnt = size / sizeof(struct bpf_insn);
	f->is_subprogram = is_subprogram;
	return 0;
}

static int add_program(struct bl_object *obj, const struct bl_elf_section *sec,
		       const struct bl_section_kind *kind, const char *target,
		       size_t func, struct bl_err *err)
{
	struct bl_program *progs = realloc(obj->progs, (obj->prog_cnt + 1) * sizeof(*progs));
	struct bl_program *prog;

	if (!progs)
		return bl_fail(err, ENOMEM, "out of memory");
	obj->progs = progs;
	prog = &progs[obj->prog_cnt++];
	memset(prog, 0, sizeof(*prog));
	prog->name = obj->funcs[func].name;
	prog->section_name = sec->name;
	prog->kind = kind;
	prog->attach_target = target;
	prog->entry_func = func;
	prog->fd = -1;
	return 0;
}

/* What kind of program an executable section holds: from its name, or
 * the type the caller chose for unknown names. */
static const struct bl_section_kind *section_kind(const struct bl_object *obj,
						  const struct bl_elf_section *sec,
						  const char **target, struct bl_err *err)
{
	const struct bl_section_kind *kind = bl_section_kind(sec->name, target);

	if (kind)
		return kind;
	if (obj->unknown_kind.prog_type) {
		*target = sec->name;
		return &obj->unknown_kind;
	}
	bl_fail(err, ENOTSUP, "section %s: unknown program type; section names this loader understands start with %s (or choose a type for unknown sections)",
		sec->name, bl_known_section_prefixes());
	return NULL;
}

/*
 * The functions of one executable section.  In .text every function is a
 * subprogram; in a program section the global functions are programs and
 * the static ones subprograms (libbpf's rule).  A section without
 * function symbols (hand-written assembly) is one program.
 */
static int read_code_section(struct bl_object *obj, const struct bl_elf_section *sec,
			     struct bl_err *err)
{
	int is_text = strcmp(sec->name, ".text") == 0;
	const struct bl_section_kind *kind = NULL;
	struct bl_elf_symbol sym;
	const char *target = NULL;
	size_t i, found = 0;
	int ret;

	if (!is_text && !(kind = section_kind(obj, sec, &target, err)))
		return -err->code;
	for (i = 0; i < obj->elf.symbol_count; i++) {
		int subprogram;

		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx != sec->index || sym.type != STT_FUNC)
			continue;
		subprogram = is_text || sym.bind == STB_LOCAL;
		ret = add_function(obj, sec, sym.name, sym.value, sym.size, subprogram, err);
		if (!ret && !subprogram)
			ret = add_program(obj, sec, kind, target, obj->func_cnt - 1, err);
		if (ret)
			return ret;
		found++;
	}
	if (found || is_text)
		return 0;
	ret = add_function(obj, sec, sec->name, 0, sec->size, 0, err);
	return ret ? ret : add_program(obj, sec, kind, target, obj->func_cnt - 1, err);
}

static int read_code(struct bl_object *obj, struct bl_err *err)
{
	struct bl_elf_section sec;
	size_t i;
	int ret;

	for (i = 1; i < obj->elf.shnum; i++) {
		bl_elf_section(&obj->elf, i, &sec);
		if (!(sec.flags & SHF_EXECINSTR) || sec.type != SHT_PROGBITS || sec.size == 0)
			continue;
		ret = read_code_section(obj, &sec, err);
		if (ret)
			return ret;
	}
	return 0;	/* an object of maps only is fine (they can be pinned) */
}

static int parse_object(struct bl_object *obj, const void *data, size_t size, struct bl_err *err)
{
	int ret = bl_elf_open(&obj->elf, data, size, err);

	if (!ret)
		ret = read_license(obj, err);
	if (!ret)
		ret = read_version(obj, err);
	if (!ret)
		bl_object_read_btf(obj);
	if (!ret)
		ret = read_legacy_maps(obj, err);
	if (!ret)
		ret = bl_collect_btf_maps(obj, err);
	if (!ret)
		ret = bl_collect_data_maps(obj, err);
	if (!ret)
		ret = read_code(obj, err);
	if (!ret)
		ret = bl_collect_relocations(obj, err);
	if (!ret)
		ret = bl_collect_map_initial_values(obj, err);
	return ret;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

struct bl_object *bl_object_open_mem_opts(const void *data, size_t size, const char *name,
					  const struct bl_object_opts *opts, struct bl_err *err)
{
	struct bl_object *obj = calloc(1, sizeof(*obj));

	if (!obj) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(obj->name, sizeof(obj->name), "%s", base_name(name ? name : "object"));
	snprintf(obj->pin_root, sizeof(obj->pin_root), "%s",
		 opts && opts->pin_root ? opts->pin_root : BL_BPFFS_DEFAULT);
	obj->btf_fd = -1;
	if (opts && opts->unknown_section_type) {
		obj->unknown_kind.prefix = "";
		obj->unknown_kind.prog_type = opts->unknown_section_type;
		obj->unknown_kind.attach = BL_ATTACH_NONE;
	}
	if (parse_object(obj, data, size, err)) {
		bl_err_context(err, "%s", obj->name);
		bl_object_close(obj);
		return NULL;
	}
	return obj;
}

static int read_whole_file(const char *path, unsigned char **buf, size_t *size, struct bl_err *err)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bl_fail(err, errno, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return bl_fail(err, EINVAL, "%s is not a regular file", path);
	}
	*size = (size_t)st.st_size;
	*buf = malloc(*size ? *size : 1);
	if (!*buf) {
		close(fd);
		return bl_fail(err, ENOMEM, "%s: out of memory for %zu bytes", path, *size);
	}
	while (done < *size) {
		ssize_t n = read(fd, *buf + done, *size - done);

		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			close(fd);
			free(*buf);
			*buf = NULL;
			return bl_fail(err, e, "reading %s failed: %s", path, n < 0 ? strerror(e) : "file shrank");
		}
		done += (size_t)n;
	}
	close(fd);
	return 0;
}

struct bl_object *bl_object_open_mem(const void *data, size_t size,
				     const char *name, struct bl_err *err)
{
	return bl_object_open_mem_opts(data, size, name, NULL, err);
}

struct bl_object *bl_object_open_file(const char *path, struct bl_err *err)
{
	return bl_object_open_file_opts(path, NULL, err);
}

struct bl_object *bl_object_open_file_opts(const char *path, const struct bl_object_opts *opts,
					   struct bl_err *err)
{
	struct bl_object *obj;
	unsigned char *buf = NULL;
	size_t size = 0;

	if (read_whole_file(path, &buf, &size, err))
		return NULL;
	obj = bl_object_open_mem_opts(buf, size, path, opts, err);
	if (!obj) {
		free(buf);
		return NULL;
	}
	obj->file_buf = buf;
	return obj;
}

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
		.prog_flags = bl_section_prog_flags(prog->kind),
		.license = obj->license,
		.kern_version = obj->kern_version ? obj->kern_version : bl_running_kernel_version(),
	};
	int ret = bl_link_program(obj, prog, err);

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

void bl_object_close(struct bl_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].fd >= 0)
			close(obj->progs[i].fd);
		free(obj->progs[i].insns);
		free(obj->progs[i].layout);
		free(obj->progs[i].verifier_log);
	}
	for (i = 0; i < obj->func_cnt; i++)
		free(obj->funcs[i].relocs);
	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].fd >= 0)
			close(obj->maps[i].fd);
		free(obj->maps[i].initial_value);
		free(obj->maps[i].inits);
	}
	if (obj->btf_fd >= 0)
		close(obj->btf_fd);
	bl_btf_ext_free(obj->btf_ext);
	bl_btf_free(obj->btf);
	bl_btf_free(obj->vmlinux_btf);
	free(obj->funcs);
	free(obj->progs);
	free(obj->maps);
	free(obj->file_buf);
	free(obj);
}
