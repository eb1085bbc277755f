/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object.h - a BPF object file and its life cycle: open, load, close.
 *
 *   bl_object_open_*()  read the ELF file: maps, programs, relocations.
 *                       No syscalls; a bad file is rejected here.
 *   bl_object_load()    create the maps, patch their fds into the
 *                       programs, load each program into the kernel.
 *   (attach.h)          hook each loaded program to its event.
 *   bl_object_close()   close every fd; the kernel frees what nothing
 *                       else holds.
 *
 * The structs are public so that a reader can see everything the loader
 * knows about an object; tools normally use the lookup functions below.
 */
#ifndef BL_OBJECT_H
#define BL_OBJECT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf_syscall.h"
#include "elf_reader.h"
#include "error.h"
#include "section_names.h"

struct bl_map {
	const char *name;		/* from the symbol table */
	struct bl_map_spec spec;	/* what BPF_MAP_CREATE is asked for */
	size_t section_index;		/* the "maps" section */
	uint64_t offset;		/* its definition's offset there */
	int fd;				/* -1 until bl_object_load() */
};

/* An instruction that refers to a map: an ld_imm64 whose immediate must
 * become the map's fd (src_reg BPF_PSEUDO_MAP_FD). */
struct bl_reloc {
	size_t insn_index;		/* inside the program */
	size_t map_index;		/* inside obj->maps */
};

struct bl_program {
	const char *name;		/* function symbol, or the section name */
	const char *section_name;	/* "kprobe/memcpy" */
	const struct bl_section_kind *kind;
	const char *attach_target;	/* section name after the prefix */
	struct bpf_insn *insns;		/* our copy, patched at load */
	size_t insn_cnt;
	size_t section_index;
	uint64_t section_offset;	/* where the function starts in its section */
	struct bl_reloc *relocs;
	size_t reloc_cnt;
	int fd;				/* -1 until bl_object_load() */
	char *verifier_log;		/* set when the verifier rejected it */
};

struct bl_object {
	char name[64];			/* file name without directories */
	unsigned char *file_buf;	/* owned when read from a file */
	struct bl_elf elf;
	char license[128];
	uint32_t kern_version;		/* the "version" section, or 0 */
	struct bl_map *maps;
	size_t map_cnt;
	struct bl_program *progs;
	size_t prog_cnt;
};

/* Read and parse an object file. */
struct bl_object *bl_object_open_file(const char *path, struct bl_err *err);

/* Parse an object already in memory (e.g. embedded in the binary); data
 * must stay valid until bl_object_close(). */
struct bl_object *bl_object_open_mem(const void *data, size_t size,
				     const char *name, struct bl_err *err);

/* Create all maps and load all programs. */
int bl_object_load(struct bl_object *obj, struct bl_err *err);

/* Look up by name; NULL when absent. */
struct bl_map *bl_object_map(const struct bl_object *obj, const char *name);
struct bl_program *bl_object_program(const struct bl_object *obj, const char *name);

/* Close every map and program fd and free the object (NULL is fine). */
void bl_object_close(struct bl_object *obj);

#endif
