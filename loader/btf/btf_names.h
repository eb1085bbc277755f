/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_names.h - finding types by name in a large BTF, cheaply.
 *
 * CO-RE (btf/core.h) looks for the kernel's types that carry the name of
 * a type in a BPF object.  vmlinux has some 130,000 types, and an object
 * asks about a dozen names, so instead of indexing every name this index
 * is told which names will be asked for (bl_btf_names_want); the first
 * lookup then scans the BTF once and keeps the ids of those names only.
 * A name asked for without being announced costs a scan of its own.
 *
 * Names are compared by their essential part, as libbpf's CO-RE does:
 * everything from the last "___" on is a flavor ("task_struct___v2" is
 * "task_struct"), on both sides.
 *
 * No syscalls.
 */
#ifndef BL_BTF_NAMES_H
#define BL_BTF_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "btf/btf.h"
#include <bpfload/error.h>

struct bl_btf_names;

/* Kinds a CO-RE relocation can name (not FUNC, VAR, DATASEC, tags...):
 * a fifth of vmlinux's types. */
#define BL_BTF_NAMES_DATA_KINDS                                                              \
	(1u << BTF_KIND_INT | 1u << BTF_KIND_STRUCT | 1u << BTF_KIND_UNION | 1u << BTF_KIND_ENUM | \
	 1u << BTF_KIND_FWD | 1u << BTF_KIND_TYPEDEF | 1u << BTF_KIND_FLOAT | 1u << BTF_KIND_ENUM64)

/* An empty index over the types btf defines itself (for split BTF, not
 * its base's) whose kind is in kinds (a mask of 1 << BTF_KIND_*; 0: every
 * kind).  btf must outlive it and not change. */
struct bl_btf_names *bl_btf_names_new(const struct bl_btf *btf, uint32_t kinds, struct bl_err *err);

void bl_btf_names_free(struct bl_btf_names *names);	/* NULL is fine */

/* The length of name without its flavor: the part before the last "___"
 * that has a character other than '_' on both sides; strlen(name) when
 * there is none. */
size_t bl_btf_essential_name_len(const char *name);

/* Announce that the essential name of name will be looked up. */
int bl_btf_names_want(struct bl_btf_names *names, const char *name, struct bl_err *err);

/* The ids of every indexed type whose essential name equals name's,
 * in id order; *count 0 when there is none.  *ids stays valid until the
 * index is freed. */
int bl_btf_names_find(struct bl_btf_names *names, const char *name, const uint32_t **ids,
		      uint32_t *count, struct bl_err *err);

/* How many scans of the whole BTF the index has made (for benchmarks). */
unsigned int bl_btf_names_scans(const struct bl_btf_names *names);

#endif
