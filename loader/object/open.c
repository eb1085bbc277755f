// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/open.c - from an ELF file to the object's model: its license,
 * maps, functions, programs and relocation records.  Nothing here talks
 * to the kernel, so a bad file is rejected before anything is created.
 *
 * Syscalls: open/read of the object file (sys/file.c); none to bpf(2).
 *
 * Sections read here (the rest through the files named in parse_object):
 *   license        NUL-terminated string, e.g. "GPL" (GPL-only helpers
 *                  such as bpf_trace_printk need a GPL-compatible one)
 *   version        u32 LINUX_VERSION_CODE, needed by kprobe programs on
 *                  kernels before 5.0; we supply the running one if absent
 *   kprobe/... etc program code, one program per global function
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object/btf_maps.h"
#include "object/externs.h"
#include "object/global_data.h"
#include "object/legacy_maps.h"
#include "object/object.h"
#include "object/object_btf.h"
#include "object/object_trace.h"
#include "object/relocs.h"
#include "sys/bpffs.h"
#include "sys/file.h"
#include "sys/grow.h"
#include "sys/trace.h"

/* Objects are small; this bounds what a mistyped path can make us read. */
#define OBJECT_FILE_MAX (256u << 20)

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
	funcs = bl_grow(obj->funcs, &obj->func_cap, obj->func_cnt + 1, sizeof(*funcs));
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
	struct bl_program *progs = bl_grow(obj->progs, &obj->prog_cap, obj->prog_cnt + 1, sizeof(*progs));
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
	char known[512];

	if (kind)
		return kind;
	if (obj->unknown_kind.prog_type) {
		*target = sec->name;
		return &obj->unknown_kind;
	}
	bl_known_section_prefixes(known, sizeof(known));
	bl_fail(err, ENOTSUP, "section %s: unknown program type; section names this loader understands start with %s (or choose a type for unknown sections)",
		sec->name, known);
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
		ret = bl_collect_legacy_maps(obj, err);
	if (!ret)
		ret = bl_collect_btf_maps(obj, err);
	if (!ret)
		ret = bl_collect_data_maps(obj, err);
	if (!ret)
		ret = read_code(obj, err);
	if (!ret)
		ret = bl_collect_externs(obj, err);
	if (!ret)
		ret = bl_collect_relocs(obj, err);
	if (!ret)
		ret = bl_collect_map_initial_values(obj, err);
	return ret;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

struct bl_object *bl_object_open_mem(const void *data, size_t size, const char *name,
					  const struct bl_object_opts *opts, struct bl_err *err)
{
	struct bl_object *obj = calloc(1, sizeof(*obj));

	bl_trace_enter(BL_TRACE_OPEN);
	if (!obj) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(obj->name, sizeof(obj->name), "%s", base_name(name ? name : "object"));
	snprintf(obj->pin_root, sizeof(obj->pin_root), "%s",
		 opts && opts->pin_root ? opts->pin_root : BL_BPFFS_DEFAULT);
	snprintf(obj->kconfig_path, sizeof(obj->kconfig_path), "%s",
		 opts && opts->kconfig_path ? opts->kconfig_path : "");
	obj->btf_fd = -1;
	if (opts && opts->btf_path && !(obj->btf_path = strdup(opts->btf_path))) {
		bl_fail(err, ENOMEM, "out of memory");
		bl_object_close(obj);
		return NULL;
	}
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
	if (bl_tracing())
		bl_trace_object_opened(obj, size);
	return obj;
}

struct bl_object *bl_object_open_file(const char *path, const struct bl_object_opts *opts,
				      struct bl_err *err)
{
	struct bl_object *obj;
	unsigned char *buf = NULL;
	size_t size = 0;
	int ret;

	bl_trace_enter(BL_TRACE_OPEN);
	ret = bl_read_whole(path, OBJECT_FILE_MAX, &buf, &size);
	if (bl_tracing() && !ret)
		bl_trace_emit(BL_TRACE_NOTE, "read %s: %zu bytes, parsed in memory from here on", path, size);
	if (ret) {
		bl_fail(err, -ret, "cannot read %s: %s%s", path, strerror(-ret),
			ret == -EINVAL ? " (not a regular file)" :
			ret == -EFBIG ? " (over OBJECT_FILE_MAX, 256 MiB: no BPF object is that large)" : "");
		return NULL;
	}
	obj = bl_object_open_mem(buf, size, path, opts, err);
	if (!obj) {
		free(buf);
		return NULL;
	}
	obj->file_buf = buf;
	return obj;
}
