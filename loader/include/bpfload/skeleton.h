/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/skeleton.h - what generated skeletons stand on.
 *
 * `bpfload gen skeleton FILE.o [NAME] > NAME.skel.h` writes a header that
 * embeds the object and gives typed access to it (the convention of
 * libbpf's `bpftool gen skeleton`):
 *
 *   struct NAME *NAME__open(struct bl_err *err);          parse (no syscalls)
 *   struct NAME *NAME__open_opts(const struct bl_object_opts *opts,
 *                                struct bl_err *err);
 *   int          NAME__load(struct NAME *skel, struct bl_err *err);
 *   int          NAME__attach(struct NAME *skel, struct bl_err *err);
 *   int          NAME__detach(struct NAME *skel, struct bl_err *err);
 *   struct NAME *NAME__open_and_load(struct bl_err *err);
 *   void         NAME__destroy(struct NAME *skel);        NULL is fine
 *
 *   skel->obj                   struct bl_object *, for everything else
 *   skel->maps.MAP              struct bl_map *      (".bss" is maps.bss,
 *                               ".data.x" maps.data_x, ".rodata.str1.1"
 *                               maps.rodata_str1_1)
 *   skel->progs.PROG            struct bl_program *
 *   skel->attachments.PROG      struct bl_attachment *, set by NAME__attach
 *   skel->bss->VAR, skel->data->VAR, skel->rodata->VAR,
 *   skel->data_X->VAR, skel->rodata_X->VAR
 *                               the global variables, typed from the
 *                               object's BTF (static variables are left
 *                               out, as libbpf does)
 *
 * Functions return 0 or a negative errno with err filled, constructors
 * NULL; none prints.  The section pointers are bl_map_data() of their
 * maps (<bpfload/object.h>), taken again by NAME__load:
 *   before load     the values the maps will be created with: set
 *                   skel->rodata->... here (.rodata is frozen at load);
 *   after load      the kernel's memory itself, mapped with mmap(2)
 *                   (Linux 5.5): skel->bss->total reads what programs
 *                   count, writes to skel->data reach them at once, and
 *                   skel->rodata is read-only (writing it faults).
 *   after load, on a kernel that cannot map global data (before 5.5;
 *   bl_map_data_mapped() says 0, and the object's notes say why)
 *                   the loader's copy, holding what was written at load:
 *                   call bl_map_data_pull(skel->maps.bss, err) before
 *                   reading and bl_map_data_push() after writing.  Both
 *                   return 0 at once where the memory is mapped, so code
 *                   that calls them is right everywhere.
 *
 * NAME__attach attaches every program whose section name says where
 * ("tracepoint/CAT/NAME", "kprobe/FUNC", ...), all or none: a failure
 * detaches what it had attached.  Programs whose section names no
 * target ("socket", "xdp", a bare "kprobe") are passed over, to be
 * attached by hand (bl_attach_*() in <bpfload/attach.h>), as are
 * programs already attached.
 *
 * The generated code is small and calls only public functions: this
 * header's bl_skeleton_*() and those of <bpfload/object.h>.  It needs
 * C11 (it checks every variable's offset with _Static_assert).
 */
#ifndef BPFLOAD_SKELETON_H
#define BPFLOAD_SKELETON_H

#include <stddef.h>

#include <bpfload/attach.h>
#include <bpfload/error.h>
#include <bpfload/object.h>

/* A map of the object and where the skeleton keeps it. */
struct bl_skel_map {
	const char *name;		/* in the object: "events", ".rodata" */
	struct bl_map **map;		/* filled by bl_skeleton_open() */
	size_t data_size;		/* global data with a typed struct: its
					 * sizeof, checked against the section;
					 * else 0 */
};

/* A program and where the skeleton keeps it and its attachment. */
struct bl_skel_prog {
	const char *name;		/* the entry function's name */
	struct bl_program **prog;	/* filled by bl_skeleton_open() */
	struct bl_attachment **attachment;	/* set by bl_skeleton_attach() */
};

/* What a generated skeleton describes; bl_skeleton_open() copies it. */
struct bl_skel_spec {
	const char *object_name;	/* "read_trace.bpf.o", for messages */
	const void *data;		/* the object file, embedded; must outlive */
	size_t size;			/* the skeleton */
	const struct bl_skel_map *maps;
	size_t map_cnt;
	const struct bl_skel_prog *progs;
	size_t prog_cnt;
};

struct bl_skeleton;

/* Open the embedded object (opts may be NULL) and fill every map and
 * program pointer.  Fails when the object lacks one the skeleton names,
 * or a section is smaller than its typed struct: the header was made
 * from another object. */
struct bl_skeleton *bl_skeleton_open(const struct bl_skel_spec *spec,
				     const struct bl_object_opts *opts, struct bl_err *err);

/* The object, for bl_object_load() and every other call. */
struct bl_object *bl_skeleton_object(const struct bl_skeleton *s);

/* Attach every program whose section names a target, as described
 * above; 0, or the first failure (nothing of this call stays attached). */
int bl_skeleton_attach(struct bl_skeleton *s, struct bl_err *err);

/* Destroy every attachment (setting the pointers to NULL); returns the
 * first error removing a tracefs kprobe event, after trying them all. */
int bl_skeleton_detach(struct bl_skeleton *s, struct bl_err *err);

/* Detach, close the object and free (NULL is fine). */
void bl_skeleton_destroy(struct bl_skeleton *s);

#endif
