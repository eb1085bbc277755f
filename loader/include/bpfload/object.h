/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/object.h - a BPF object file and its life cycle.
 *
 *   bl_object_open_*()   read the ELF file: maps, programs, relocations.
 *                        No syscalls; a bad file is rejected here.
 *   bl_object_load()     create the maps, patch their fds into the
 *                        programs, load each program into the kernel.
 *   (bpfload/attach.h)   hook each loaded program to its event.
 *   (bpfload/maps.h)     read and write maps while programs run.
 *   bl_object_close()    close every fd; the kernel frees what nothing
 *                        else holds.
 *
 * The object, its maps and its programs are opaque here: a tool reaches
 * them through the functions below.  (The loader's own view of them is
 * loader/object/object.h.)  Every function that can fail returns a
 * negative errno and fills a struct bl_err, or NULL for constructors.
 */
#ifndef BPFLOAD_OBJECT_H
#define BPFLOAD_OBJECT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

struct bl_object;
struct bl_map;
struct bl_program;

struct bl_object_opts {
	/* Program type for executable sections whose name the loader does
	 * not know; 0 (BPF_PROG_TYPE_UNSPEC) makes such sections an error. */
	enum bpf_prog_type unknown_section_type;
	/* Where maps with pinning LIBBPF_PIN_BY_NAME live; NULL: /sys/fs/bpf. */
	const char *pin_root;
	/* The kernel's BTF for CO-RE relocations, from this file (raw BTF,
	 * or ELF with .BTF, as BTFHub ships them) instead of
	 * /sys/kernel/btf; NULL: the running kernel's. */
	const char *btf_path;
	/* The kernel configuration for CONFIG_* externs (plain or gzip);
	 * NULL: the running kernel's (/boot/config-$(uname -r), then
	 * /proc/config.gz). */
	const char *kconfig_path;
};

/* ---- open, load, close ---------------------------------------------- */

/* Read and parse an object file (opts may be NULL). */
struct bl_object *bl_object_open_file(const char *path, const struct bl_object_opts *opts,
				      struct bl_err *err);

/* Parse an object already in memory (e.g. embedded in the binary); data
 * must stay valid until bl_object_close().  name is used in messages. */
struct bl_object *bl_object_open_mem(const void *data, size_t size, const char *name,
				     const struct bl_object_opts *opts, struct bl_err *err);

/* Create all maps and load all programs. */
int bl_object_load(struct bl_object *obj, struct bl_err *err);

/* The two halves of bl_object_load(), for callers that want to go on
 * after one program fails: create (and fill) every map; then assemble
 * and load one program (bl_program_verifier_log() explains a rejection). */
int bl_object_create_maps(struct bl_object *obj, struct bl_err *err);
int bl_object_load_program(struct bl_object *obj, struct bl_program *prog, struct bl_err *err);

/* Close every map and program fd and free the object (NULL is fine). */
void bl_object_close(struct bl_object *obj);

/* ---- the object --------------------------------------------------------- */

/* The file name without directories. */
const char *bl_object_name(const struct bl_object *obj);

/* What the loader did differently from what the object asked, for the
 * user ("the kernel refused its BTF ..."); "" when nothing. */
const char *bl_object_notes(const struct bl_object *obj);

/* Look up by name; NULL when absent.  Maps of global data are named
 * after their section (".bss", ".rodata"). */
struct bl_map *bl_object_map(const struct bl_object *obj, const char *name);
struct bl_program *bl_object_program(const struct bl_object *obj, const char *name);

/* Walk every map or program in the object's order: prev NULL gives the
 * first, the last gives NULL. */
struct bl_map *bl_object_next_map(const struct bl_object *obj, const struct bl_map *prev);
struct bl_program *bl_object_next_program(const struct bl_object *obj,
					  const struct bl_program *prev);

/* Pin every map at dir/maps/NAME and every loaded program at
 * dir/progs/NAME in the BPF file system (mounted at /sys/fs/bpf when
 * needed).  bpffs refuses dots in names: they become '_'.  All or
 * nothing: when one pin fails (EEXIST: something is pinned there), the
 * pins made before it are removed again. */
int bl_object_pin(const struct bl_object *obj, const char *dir, struct bl_err *err);

/* ---- maps --------------------------------------------------------------- */

const char *bl_map_name(const struct bl_map *map);
/* The map's fd once loaded, else -1 (for the calls in bpfload/maps.h). */
int bl_map_fd(const struct bl_map *map);
enum bpf_map_type bl_map_type(const struct bl_map *map);
uint32_t bl_map_key_size(const struct bl_map *map);
uint32_t bl_map_value_size(const struct bl_map *map);
uint32_t bl_map_max_entries(const struct bl_map *map);

/* Change max_entries before bl_object_load() (a ring buffer's size, a
 * hash's capacity); -EBUSY once the map exists. */
int bl_map_set_max_entries(struct bl_map *map, uint32_t max_entries, struct bl_err *err);

/* ---- programs ------------------------------------------------------------ */

/* The entry function's name ("handle_exec"), and its ELF section
 * ("tracepoint/syscalls/sys_enter_execve"). */
const char *bl_program_name(const struct bl_program *prog);
const char *bl_program_section(const struct bl_program *prog);
enum bpf_prog_type bl_program_type(const struct bl_program *prog);
/* The program's fd once loaded, else -1. */
int bl_program_fd(const struct bl_program *prog);
/* The verifier's whole log when it rejected the program, else NULL. */
const char *bl_program_verifier_log(const struct bl_program *prog);

/* ---- global variables ---------------------------------------------------- */

/* Read or write a global variable of the BPF code by name (.data,
 * .rodata, .bss, .data.*, .rodata.*): before bl_object_load() this
 * changes the value its map will be created with; after, the live map
 * (.rodata can then only be read).  size must equal the variable's. */
int bl_object_var_read(const struct bl_object *obj, const char *name, void *buf, size_t size,
		       struct bl_err *err);
int bl_object_var_write(struct bl_object *obj, const char *name, const void *buf, size_t size,
			struct bl_err *err);

/*
 * A whole global-data section at once, as memory (what generated
 * skeletons point into; <bpfload/skeleton.h>).  Each section is a
 * one-element array map whose value is the section.
 *
 * bl_map_data() is the section's value, *size (may be NULL) its size in
 * bytes; NULL for a map that is not global data.  The memory runs on,
 * zeroed, to a multiple of 16 bytes, so that a C struct laid over the
 * section may round its size up to its alignment.  What it is:
 *   before bl_object_load()  the loader's copy: the value the map will
 *                            be created with; write it freely, .rodata
 *                            included.
 *   after, mapped            the map's own memory (mmap(2) of a map
 *                            created BPF_F_MMAPABLE, Linux 5.5): reads
 *                            see what programs wrote, writes reach them
 *                            at once, with no syscall.  .rodata is frozen
 *                            and mapped read-only: writing it faults.
 *   after, not mapped        (a kernel that cannot map it; the object's
 *                            notes say so) the loader's copy, holding
 *                            the value written at load.
 * The pointer changes at load: take it again afterwards.
 */
void *bl_map_data(struct bl_map *map, size_t *size);

/* 1 when bl_map_data() is the kernel's memory, 0 when it is the
 * loader's copy (not loaded yet, or the kernel could not map it). */
int bl_map_data_mapped(const struct bl_map *map);

/* Where the section is not mapped after load: copy the kernel's value
 * into the loader's copy (pull, BPF_MAP_LOOKUP_ELEM), or the copy into
 * the kernel (push, BPF_MAP_UPDATE_ELEM; -EPERM for frozen .rodata).
 * Both do nothing and return 0 before load and when the section is
 * mapped, so code that calls them runs right on every kernel.
 * -EINVAL for a map that is not global data. */
int bl_map_data_pull(struct bl_map *map, struct bl_err *err);
int bl_map_data_push(struct bl_map *map, struct bl_err *err);

#endif
