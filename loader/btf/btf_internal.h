/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf/btf_internal.h - how the BTF layer holds a blob, for its own files
 * (btf.c reads and checks, btf_size.c follows types, btf_write.c adds
 * types and strings, btf_fixup.c, btf_load.c and btf_sanitize.c prepare
 * a blob for the kernel).  Nothing outside loader/btf includes it.
 */
#ifndef BL_BTF_INTERNAL_H
#define BL_BTF_INTERNAL_H

#include "btf/btf.h"

/* The header fields every version has (struct btf_header may grow). */
#define HDR_MIN 24u
/* Kinds this reader knows; <linux/btf.h> may be older than this file. */
#define KIND_ENUM64 BL_BTF_KIND_ENUM64
#define KIND_MAX KIND_ENUM64
/* Ids and string offsets the kernel allows (BTF_MAX_TYPE, _NAME_OFFSET). */
#define MAX_TYPES 0x100000u
#define MAX_STR 0x1000000u
/* A BTF file can hold at most that many types and strings: 256 MiB. */
#define BTF_FILE_MAX (256u << 20)
/* Longest chain of typedefs, qualifiers and arrays we follow; vmlinux
 * has structs nested deeper than that, counting their typedefs and
 * arrays, so alignment, which recurses into members, gets more room. */
#define MAX_DEPTH 32
#define MAX_NESTING 256

struct bl_btf {
	unsigned char *data;		/* our copy of the blob, or the caller's */
	int borrowed;			/* data is the caller's: never written or freed */
	uint32_t size;
	uint32_t types;			/* type section: data + types, types_len bytes */
	uint32_t types_len;
	uint32_t strs;			/* string section: data + strs */
	uint32_t strs_len;
	uint32_t *offsets;		/* type start_id + i at data + types + offsets[i] */
	uint32_t nr_types;		/* defined by this blob */
	uint32_t start_id;		/* 1, or the base's type count */
	uint32_t start_str;		/* 0, or the base's string bytes */
	const struct bl_btf *base;
};

/* A type record that may be changed in place (fixup, sanitize), or
 * NULL for ids outside this blob (the base's are not ours to change). */
struct btf_type *bl_btf_type_mut(struct bl_btf *btf, uint32_t id);

/* Copy a borrowed blob before changing it in place. */
int bl_btf_make_owned(struct bl_btf *btf, struct bl_err *err);

/* Bytes of strings in this blob and its base: the offset of the next
 * string to be added. */
uint32_t bl_btf_string_bytes(const struct bl_btf *btf);

/* ---- adding types and strings (btf_write.c) ---- */

/*
 * Append a type record (rec may be NULL) and a string (name may be NULL)
 * whose offset will be bl_btf_string_bytes(): a record naming it says so
 * in its name_off.  The blob is rebuilt as a 24-byte header, the types
 * and the strings; header fields and sections newer than those are
 * dropped, which kernels accept.  Earlier bl_btf_type() pointers become
 * invalid.
 */
int bl_btf_append(struct bl_btf *btf, const void *rec, uint32_t rec_len, const char *name,
		  uint32_t *id, struct bl_err *err);
int bl_btf_add_string(struct bl_btf *btf, const char *s, uint32_t *off, struct bl_err *err);
uint32_t bl_btf_info_word(unsigned int kind, uint32_t vlen, int kflag);
int bl_btf_add_int(struct bl_btf *btf, const char *name, uint32_t size, uint32_t *id,
		   struct bl_err *err);
int bl_btf_add_var(struct bl_btf *btf, const char *name, uint32_t type, uint32_t *id,
		   struct bl_err *err);
/* A 4-byte signed int of ours or the base's, or a new one. */
int bl_btf_find_or_add_int(struct bl_btf *btf, uint32_t *id, struct bl_err *err);

#endif
