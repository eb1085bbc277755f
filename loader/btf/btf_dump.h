/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_dump.h - BTF written out as text: as C declarations (a vmlinux.h)
 * or as one line per type (for reading BTF by eye).
 *
 * A CO-RE program starts with #include "vmlinux.h": the kernel's types
 * as C, recovered from its BTF (/sys/kernel/btf/vmlinux, Linux 5.4).
 * bl_btf_dump_c() writes that header the way `bpftool btf dump file ...
 * format c` does (libbpf's btf_dump.c is the reference for its rules):
 *  - every struct, union, enum and typedef, each defined before the
 *    first type that embeds it; a type reached only through a pointer
 *    gets a forward declaration ("struct task_struct;") where needed,
 *    which is how pointer cycles (a list node pointing to its own type)
 *    are written;
 *  - anonymous structs, unions and enums written inline where they are
 *    used; bitfields; unnamed bitfields ("long: 64;") filling every gap
 *    the compiler would not leave by itself, so that each member lands
 *    at the bit offset BTF records (that covers ____cacheline_aligned
 *    members, whose alignment BTF does not record);
 *    __attribute__((packed)) where members or the size are not
 *    naturally aligned; a mode attribute on enums of 1, 2 or 8 bytes
 *    whose values alone would not make them so;
 *  - names C would see twice (two different "struct foo" in the
 *    kernel's compilation units) get "___2", "___3" suffixes, in the
 *    order they are written, as bpftool does, so that code written
 *    against either header compiles against the other;
 *  - the #ifndef __VMLINUX_H__ guard, and clang's
 *    preserve_access_index around all records, which makes every field
 *    access a CO-RE relocation (define BPF_NO_PRESERVE_ACCESS_INDEX to
 *    turn that off).
 * FUNC, VAR and DATASEC types are not written (bpftool neither).
 *
 * Output goes into a FILE * the caller gives: stdout, a file, or memory
 * (open_memstream(3)).  A stream reads best in the writer (fprintf with
 * the text as it appears in the header) and costs the caller nothing; a
 * callback would only add a printf-like layer of our own.  The loader
 * still never prints on its own: it writes only the text asked for, into
 * the caller's stream, and reports failures in struct bl_err.
 *
 * Split BTF (a kernel module's, parsed with vmlinux's as base): the C
 * header holds the base's types too, so that it compiles on its own;
 * the raw listing shows only the module's own types, as bpftool does.
 *
 * Bad BTF never makes these loop or recurse without bound: chains of
 * typedefs, qualifiers, pointers and arrays and the nesting of types are
 * bounded, and a type that contains itself is an error.
 *
 * No syscalls.
 */
#ifndef BL_BTF_DUMP_H
#define BL_BTF_DUMP_H

#include <stdio.h>

#include "btf/btf.h"
#include <bpfload/error.h>

/* The C declarations of every type of btf, as a header.  Returns 0, or
 * a negative errno with err filled: a type C cannot express (one that
 * embeds itself), a loop, or a write error on out. */
int bl_btf_dump_c(const struct bl_btf *btf, FILE *out, struct bl_err *err);

/* One line per type, "[id] KIND 'name' details", with members, values
 * and parameters on tab-indented lines below; the format of bpftool's
 * `btf dump file F` (format raw).  Returns 0 or -EIO. */
int bl_btf_dump_raw(const struct bl_btf *btf, FILE *out, struct bl_err *err);

#endif
