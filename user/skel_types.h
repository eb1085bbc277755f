/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * skel_types.h - C declarations written from BTF, for generated
 * skeletons: the types of an object's global variables.
 *
 * Two outputs.  skel_types_require() writes to the definitions stream
 * what a declaration of a type needs first: forward declarations of
 * structs reached through pointers, and guarded definitions of the
 * named structs, unions, enums and typedefs it uses by value:
 *
 *   #ifndef BPFLOAD_SKEL_HAVE_struct_point
 *   #define BPFLOAD_SKEL_HAVE_struct_point
 *   struct point { int x; int y; };
 *   _Static_assert(sizeof(struct point) == 8, "...");
 *   #endif
 *
 * so that the header compiles on its own, two skeletons that share a
 * type compile together, and a program whose own header defines the
 * type (one it shares with the BPF code) defines the macro and keeps
 * its definition.  Typedefs that <linux/types.h> and <stdint.h> already
 * give (__u32, uint64_t, ...) are used, not written; `bool` is written
 * as _Bool.  skel_types_decl() then writes one declaration ("char
 * greeting[8]", "struct { __u16 a; __u64 b; } cfg"), anonymous types
 * inline.  Members are placed at the offsets BTF gives, with explicit
 * padding where C would not put them there, and packed where BTF places
 * a member below its alignment.
 */
#ifndef SKEL_TYPES_H
#define SKEL_TYPES_H

#include <stdint.h>
#include <stdio.h>

#include "btf/btf.h"

struct skel_types;

/* A writer for the types of btf; definitions go to defs. */
struct skel_types *skel_types_new(const struct bl_btf *btf, FILE *defs, struct bl_err *err);
void skel_types_free(struct skel_types *st);

/* Write to defs whatever a declaration of type id needs before it. */
int skel_types_require(struct skel_types *st, uint32_t id, struct bl_err *err);

/* Write to out, at indent tabs, the declaration of name as type id,
 * without the ';'.  strip drops const, volatile and restrict from the
 * variable and its array elements (not below pointers): a skeleton
 * writes .rodata's `const volatile` variables before load. */
int skel_types_decl(struct skel_types *st, FILE *out, uint32_t id, const char *name, int indent,
		    int strip, struct bl_err *err);

#endif
