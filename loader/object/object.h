/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object/object.h - the loader's model of a BPF object: what it read from
 * the ELF file (maps, functions, programs, relocation records) and what
 * the kernel gave back (fds).  The public view is <bpfload/object.h>.
 *
 * This file and object.c are the model only: the phases that fill it in
 * (open.c, then load.c) and the parts they use (legacy_maps.c,
 * btf_maps.c, global_data.c, object_btf.c, relocs.c, assemble.c) call
 * down into it; it calls none of them.
 */
#ifndef BL_OBJECT_H
#define BL_OBJECT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>
#include <bpfload/object.h>

#include "btf/core.h"
#include "btf/kernel_btf.h"
#include "elf/elf_reader.h"
#include "object/section_names.h"
#include "sys/bpf_syscall.h"

/* Where a map's definition came from. */
enum bl_map_origin {
	BL_MAP_LEGACY,		/* struct bpf_map_def in section "maps" */
	BL_MAP_BTF,		/* a variable in ".maps" described by BTF */
	BL_MAP_DATA,		/* a global-data section: .data, .rodata, .bss, ... */
};

/* libbpf's "pinning" attribute of a BTF map. */
enum bl_map_pinning {
	BL_PIN_NONE = 0,
	BL_PIN_BY_NAME = 1,	/* reuse or create <pin root>/<name> */
};

/* A declared initial value of a prog array or map-in-map slot
 * (".values = { [2] = &prog }"), written once everything is loaded. */
struct bl_map_init {
	uint32_t slot;
	int is_program;		/* else a map */
	size_t target;		/* inside obj->progs or obj->maps */
};

struct bl_map {
	const char *name;		/* symbol name; the section name for global data */
	struct bl_map_spec spec;	/* what BPF_MAP_CREATE is asked for */
	enum bl_map_origin origin;
	size_t section_index;		/* where the definition (or the data) lives */
	uint64_t offset;		/* the definition's offset in that section */
	unsigned char *initial_value;	/* global data: the value to write after creation */
	void *mapped;			/* global data: the map's value, mmap(2)'d after load, or NULL */
	size_t mapped_size;		/* bytes of that mapping (whole pages) */
	int mmap_refused;		/* the kernel refused BPF_F_MMAPABLE (before 5.5) */
	int freeze;			/* .rodata: BPF_MAP_FREEZE once written */
	char kernel_name[BPF_OBJ_NAME_LEN];	/* name given to the kernel */
	uint32_t btf_key_type_id;	/* BTF maps: key and value types, 0 if unknown */
	uint32_t btf_value_type_id;
	enum bl_map_pinning pinning;
	int reused_pin;			/* the fd came from an existing pin */
	int has_values;			/* declares "values": prog array or map of maps */
	uint32_t values_offset;		/* of "values" inside its definition */
	int has_inner;			/* map-in-map: inner_spec describes the inner maps */
	struct bl_map_spec inner_spec;
	struct bl_map_init *inits;
	size_t init_cnt;
	int fd;				/* -1 until bl_object_load() */
};

enum bl_reloc_kind {
	BL_RELOC_MAP_FD,	/* ld_imm64 of a map: BPF_PSEUDO_MAP_FD */
	BL_RELOC_MAP_VALUE,	/* ld_imm64 of a global variable: BPF_PSEUDO_MAP_VALUE */
	BL_RELOC_CALL,		/* call of a subprogram: BPF_PSEUDO_CALL */
	BL_RELOC_FUNC_ADDR,	/* ld_imm64 of a subprogram's address: BPF_PSEUDO_FUNC */
	BL_RELOC_EXTERN_LD64,	/* ld_imm64 of a __kconfig or __ksym extern (externs.h) */
	BL_RELOC_EXTERN_CALL,	/* call of a kernel function (kfunc) */
};

/* One instruction whose meaning depends on something outside it. */
struct bl_reloc {
	enum bl_reloc_kind kind;
	size_t insn_index;		/* inside its function */
	size_t map_index;		/* MAP_FD, MAP_VALUE: inside obj->maps */
	uint32_t value_offset;		/* MAP_VALUE: the variable's offset in the map value */
	size_t target_func;		/* CALL, FUNC_ADDR: inside obj->funcs */
	size_t target_insn;		/* CALL, FUNC_ADDR: instruction inside that function */
	size_t extern_index;		/* EXTERN_*: inside obj->externs->list */
};

/* A function of BPF code as the ELF file holds it: a program's entry
 * point, or a subprogram (in .text, or static in a program's section)
 * that programs reach through bpf-to-bpf calls. */
struct bl_function {
	const char *name;
	size_t section_index;
	uint64_t section_offset;	/* bytes */
	const unsigned char *code;	/* inside the ELF data; may be unaligned */
	size_t insn_cnt;
	int is_subprogram;
	struct bl_reloc *relocs;
	size_t reloc_cnt, reloc_cap;	/* used, allocated (sys/grow.h) */
};

/* Where a function landed in a program's final instructions. */
struct bl_placed_func {
	size_t func;			/* inside obj->funcs */
	size_t base;			/* first instruction */
};

struct bl_program {
	const char *name;		/* the entry function's name, or the section name */
	const char *section_name;	/* "kprobe/memcpy" */
	const struct bl_section_kind *kind;
	const char *attach_target;	/* section name after the prefix */
	size_t entry_func;		/* inside obj->funcs */
	struct bpf_insn *insns;		/* linked at load: entry, then subprograms */
	size_t insn_cnt;
	struct bl_placed_func *layout;	/* layout[0] is the entry function */
	size_t layout_cnt;
	int fd;				/* -1 until bl_object_load() */
	char *verifier_log;		/* set when the verifier rejected it */
};

struct bl_btf;
struct bl_btf_ext;
struct bl_externs;

/* The object's CO-RE records once resolved (object/core_relocate.c fills
 * them in; the model only keeps and frees them). */
/* One record of the object, as resolved. */
struct bl_core_relo_info {
	const char *section;		/* the ELF section of the code */
	size_t section_index;		/* 0: no such section */
	uint32_t insn;			/* instruction index in that section */
	struct bpf_core_relo rec;
	struct bl_core_result res;
	int failed;			/* malformed or ambiguous: res.why says why */
};

struct bl_core_relos {
	struct bl_core_relo_info *relos;	/* in .BTF.ext order */
	size_t count;
	struct bl_kernel_btf *kernel;	/* obj->kernel_btf or core_btf: not owned */
	int resolved;			/* target values are known */
};


struct bl_object {
	char name[64];			/* file name without directories */
	unsigned char *file_buf;	/* owned when read from a file */
	struct bl_elf elf;
	char license[128];
	uint32_t kern_version;		/* the "version" section, or 0 */
	struct bl_section_kind unknown_kind;	/* from bl_object_opts */
	char pin_root[256];		/* for BL_PIN_BY_NAME maps */
	char kconfig_path[256];		/* from bl_object_opts; "": the running kernel's */
	struct bl_btf *btf;		/* ".BTF", or NULL */
	struct bl_btf_ext *btf_ext;	/* ".BTF.ext", or NULL */
	int btf_fd;			/* the BTF loaded into the kernel, or -1 */
	unsigned int btf_missing;	/* enum bl_btf_feature bits rewritten for this kernel */
	struct bl_kernel_btf *kernel_btf;	/* the running kernel's, read when needed */
	struct bl_kernel_btf *core_btf;	/* btf_path's, for CO-RE; NULL: kernel_btf */
	int *module_btf_fds;		/* per kernel_btf index: module BTF fd, 0 unused */
	size_t module_btf_fd_cnt;
	char *btf_path;			/* bl_object_opts.btf_path, or NULL */
	struct bl_externs *externs;	/* __kconfig and __ksym externs, or NULL */
	struct bl_core_relos *core;	/* CO-RE records, resolved at first load (core_relocate.h) */
	char notes[512];		/* what the loader did differently, for the user */
	struct bl_map *maps;
	size_t map_cnt, map_cap;	/* used, allocated (sys/grow.h) */
	struct bl_function *funcs;
	size_t func_cnt, func_cap;
	struct bl_program *progs;
	size_t prog_cnt, prog_cap;
};

/* Append a zeroed map (fd -1) to obj->maps, for the map readers. */
struct bl_map *bl_object_new_map(struct bl_object *obj, struct bl_err *err);

/* Add a sentence to obj->notes (things a user should know, not errors). */
void bl_object_note(struct bl_object *obj, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
