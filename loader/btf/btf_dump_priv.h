/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_dump_priv.h - what the files of the C writer share; not for use
 * outside loader/btf.
 *
 *   btf_dump_order.c   which types need a definition, in which order
 *   btf_dump_names.c   the names they are written with (___2 suffixes)
 *   btf_dump_c.c       writing the header: what is written when; enums,
 *                      forward declarations, typedefs
 *   btf_dump_layout.c  struct and union definitions
 *   btf_dump_decl.c    declarators: "TYPE NAME" for members, parameters
 *                      and typedefs
 */
#ifndef BL_BTF_DUMP_PRIV_H
#define BL_BTF_DUMP_PRIV_H

#include <stdint.h>
#include <stdio.h>

#include "btf/btf.h"
#include <bpfload/error.h>

/* How deep the writer recurses (types nested in types, declarations in
 * declarations) and how long a chain of pointers, qualifiers and arrays
 * may be.  vmlinux needs a few dozen of each; more means a loop. */
#define DUMP_MAX_NESTING 256
#define DUMP_MAX_CHAIN 64
/* The largest gap padding may fill: 1 MiB, far more than any alignment. */
#define DUMP_MAX_GAP_BITS (8ull << 20)

/* Ordering: NONE, then BUSY while a type's members are being ordered
 * (meeting it again then is a cycle), then DONE. */
enum { ORDER_NONE, ORDER_BUSY, ORDER_DONE };
/* Writing: BUSY while the types a definition uses are being written;
 * meeting it again then needs a forward declaration. */
enum { EMIT_NONE, EMIT_BUSY, EMIT_DONE };

struct dump_type {
	uint8_t order;
	uint8_t emit;
	uint8_t fwd_done;	/* forward declaration (or typedef) written */
	uint8_t referenced;	/* another type refers to it */
	uint8_t name_done;	/* its unique name is decided */
	uint8_t align;		/* its alignment in C, 0 until asked */
};

/* Occurrences of each name in one C namespace. */
struct name_table {
	struct name_slot {
		const char *name;	/* NULL: free slot */
		uint32_t count;
	} *slots;
	uint32_t cap;		/* a power of two */
	uint32_t used;
};

struct c_dump {
	const struct bl_btf *btf;
	FILE *out;
	uint32_t count;			/* type ids 0 .. count-1 */
	struct dump_type *types;
	char **names;			/* "name___N" (malloc'd), or NULL */
	struct name_table tags;		/* struct, union and enum tags */
	struct name_table idents;	/* typedefs and enumerators */
	uint32_t *queue;		/* definitions to write, in order */
	uint32_t queue_len;
	int depth;			/* declarations inside declarations */
	uint64_t budget;		/* steps a dump may take (btf_dump_c.c) */
	uint64_t budget_left;
	struct bl_err *err;
	int failed;			/* err is filled; stop writing */
};

/* Set referenced for every type another type names. */
void dump_mark_referenced(struct c_dump *d);

/* Append to d->queue the definitions type id needs, then its own (when
 * it has one), each once per dump.  Returns 1 when id must be fully
 * defined before a type that uses it, 0 when a forward declaration
 * would do, or a negative errno (d->err filled). */
int dump_order(struct c_dump *d, uint32_t id, int through_ptr, int depth);

/* The name a struct, union or enum (tag) or a typedef (ident) is written
 * with: its own, or with ___N when the namespace already had it; decided
 * on first use.  "" for anonymous types. */
const char *dump_tag_name(struct c_dump *d, uint32_t id);
const char *dump_ident_name(struct c_dump *d, uint32_t id);

/* Count one more use of an enumerator's name; returns the count (1 the
 * first time), or 0 when out of memory (d->err filled). */
uint32_t dump_count_ident(struct c_dump *d, const char *name);

void dump_names_free(struct c_dump *d);

/* Fail the dump (first failure wins); returns -code. */
int dump_fail(struct c_dump *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Text into the header (nothing once the dump failed). */
void dump_printf(struct c_dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A new line indented lvl tabs; lines count against the budget. */
void dump_newline(struct c_dump *d, int lvl);

/* The size of type id in bytes, 0 when it has none. */
uint32_t dump_size(struct c_dump *d, uint32_t id);

/* "TYPE NAME" for a member, parameter or typedef of type id (name may
 * be ""), at indentation lvl for what is written inline. */
void dump_emit_decl(struct c_dump *d, uint32_t id, const char *name, int lvl);

/* The definition "struct NAME { ... }" (or union), without the ";". */
void dump_emit_struct_def(struct c_dump *d, uint32_t id, int lvl);

/* The definition "enum NAME { ... }", without the ";". */
void dump_emit_enum_def(struct c_dump *d, uint32_t id, int lvl);

#endif
