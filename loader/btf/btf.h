/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf.h - BTF, the BPF Type Format: the C types of a BPF object (its
 * ".BTF" section) or of the kernel (/sys/kernel/btf/vmlinux).
 *
 * A blob is a header, a type section and a string section
 * (<linux/btf.h>, the kernel's Documentation/bpf/btf.rst).  Types carry
 * no ids: the n-th record of the type section is type n, and type 0 is
 * void.  Split BTF (a kernel module's) continues the type ids and string
 * offsets of a base BTF (vmlinux's).
 *
 * bl_btf_parse() checks every record against the blob once and indexes
 * the type ids; afterwards no accessor can read outside the blob,
 * whatever it held.  Pointers returned by accessors stay valid until the
 * BTF is freed or changed by bl_btf_fixup_datasecs().
 *
 * Before the kernel sees an object's BTF (BPF_BTF_LOAD), the loader fills
 * in what clang could not know (bl_btf_fixup_datasecs) and, on a kernel
 * that refused it, rewrites kinds that kernel predates (bl_btf_sanitize).
 *
 * Syscalls: bpf(BPF_BTF_LOAD) in bl_btf_load() and bl_btf_probe_missing();
 * open/read in bl_btf_parse_file().
 */
#ifndef BL_BTF_H
#define BL_BTF_H

#include <linux/btf.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/error.h"

struct bl_btf;

/* ---- parsing ------------------------------------------------------------ */

/* Check and copy a BTF blob (data need not outlive the result).  base is
 * NULL, or the BTF a split blob continues; it must outlive the result. */
struct bl_btf *bl_btf_parse(const void *data, size_t size, const struct bl_btf *base,
			    struct bl_err *err);

/* bl_btf_parse() of a file, e.g. "/sys/kernel/btf/vmlinux". */
struct bl_btf *bl_btf_parse_file(const char *path, const struct bl_btf *base,
				 struct bl_err *err);

void bl_btf_free(struct bl_btf *btf);	/* NULL is fine */

/* The blob as it is now (after fixups), for BPF_BTF_LOAD or a file. */
const void *bl_btf_raw(const struct bl_btf *btf, uint32_t *size);

/* ---- types ---------------------------------------------------------------- */

/* Valid type ids are 0 .. count-1, including the base's for split BTF. */
uint32_t bl_btf_type_count(const struct bl_btf *btf);

/* The first id this blob defines: 1, or the base's count for split BTF. */
uint32_t bl_btf_start_id(const struct bl_btf *btf);

const struct bl_btf *bl_btf_base(const struct bl_btf *btf);

/* Type id, or NULL when out of range.  Id 0 (void) gives a zeroed record
 * of kind BTF_KIND_UNKN, so callers may look at it like any other. */
const struct btf_type *bl_btf_type(const struct bl_btf *btf, uint32_t id);

/* The string at offset off (a name_off), or NULL when off is outside the
 * string sections.  Offset 0 is "". */
const char *bl_btf_name(const struct bl_btf *btf, uint32_t off);

/* The name of type id ("" for anonymous types and bad ids). */
const char *bl_btf_type_name(const struct bl_btf *btf, uint32_t id);

/* "STRUCT", "ENUM64", ... or "UNKNOWN". */
const char *bl_btf_kind_str(unsigned int kind);

/* The id of the first type with this name and kind (base types first),
 * or -ENOENT.  A linear scan: fine for an object, some ms for vmlinux. */
int64_t bl_btf_find(const struct bl_btf *btf, const char *name, unsigned int kind);

/*
 * Record helpers.  The info word is decoded with the widest masks any
 * kernel uses (kind 7 bits, vlen 24 bits); older kernels leave the extra
 * bits zero.  A record's trailing entries (members, params, ...) may be
 * read for i < bl_btf_vlen(t): bl_btf_parse() checked they are inside
 * the blob.
 */
static inline unsigned int bl_btf_kind(const struct btf_type *t)
{
	return (t->info >> 24) & 0x7f;
}

static inline uint32_t bl_btf_vlen(const struct btf_type *t)
{
	return t->info & 0xffffff;
}

static inline int bl_btf_kflag(const struct btf_type *t)
{
	return (int)(t->info >> 31);
}

/* STATIC, GLOBAL or EXTERN (enum btf_func_linkage), kept in vlen. */
static inline uint32_t bl_btf_func_linkage(const struct btf_type *t)
{
	return bl_btf_vlen(t);
}

/* The u32 after an INT: BTF_INT_ENCODING/OFFSET/BITS() of it. */
static inline uint32_t bl_btf_int_info(const struct btf_type *t)
{
	return *(const uint32_t *)(t + 1);
}

static inline const struct btf_array *bl_btf_array(const struct btf_type *t)
{
	return (const struct btf_array *)(t + 1);
}

static inline const struct btf_member *bl_btf_members(const struct btf_type *t)
{
	return (const struct btf_member *)(t + 1);
}

static inline const struct btf_param *bl_btf_params(const struct btf_type *t)
{
	return (const struct btf_param *)(t + 1);
}

static inline const struct btf_enum *bl_btf_enums(const struct btf_type *t)
{
	return (const struct btf_enum *)(t + 1);
}

static inline const struct btf_enum64 *bl_btf_enum64s(const struct btf_type *t)
{
	return (const struct btf_enum64 *)(t + 1);
}

static inline const struct btf_var *bl_btf_var(const struct btf_type *t)
{
	return (const struct btf_var *)(t + 1);
}

static inline const struct btf_var_secinfo *bl_btf_secinfos(const struct btf_type *t)
{
	return (const struct btf_var_secinfo *)(t + 1);
}

static inline const struct btf_decl_tag *bl_btf_decl_tag(const struct btf_type *t)
{
	return (const struct btf_decl_tag *)(t + 1);
}

/* A member's offset in bits and bitfield width (0: not a bitfield); with
 * kind_flag set, the offset word packs both. */
static inline uint32_t bl_btf_member_bit_offset(const struct btf_type *t, uint32_t i)
{
	uint32_t off = bl_btf_members(t)[i].offset;

	return bl_btf_kflag(t) ? off & 0xffffff : off;
}

static inline uint32_t bl_btf_member_bitfield_size(const struct btf_type *t, uint32_t i)
{
	return bl_btf_kflag(t) ? bl_btf_members(t)[i].offset >> 24 : 0;
}

/* Value i of an ENUM or ENUM64, sign-extended when kind_flag says the
 * enum is signed (kernels before 6.0 never set it: unsigned). */
int64_t bl_btf_enum_value(const struct btf_type *t, uint32_t i);

/* The name_off of value i of an ENUM or ENUM64. */
uint32_t bl_btf_enum_name_off(const struct btf_type *t, uint32_t i);

/* The member named name of a STRUCT or UNION (not looking into anonymous
 * members), or NULL. */
const struct btf_member *bl_btf_member_by_name(const struct bl_btf *btf,
					       const struct btf_type *t, const char *name);

/* ---- following references ---------------------------------------------------- */

/* Follow TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG from id to the
 * type they qualify; stops at a loop or a bad id (returning where it
 * stopped) after a bounded number of steps. */
uint32_t bl_btf_skip_modifiers(const struct bl_btf *btf, uint32_t id);

/* The size in bytes of an object of type id: INT, ENUM(64), FLOAT,
 * STRUCT, UNION, DATASEC; PTR (8: BPF's pointer size); ARRAY (element
 * size times count); modifiers, TYPEDEF and VAR follow their type.
 * Fails for void, FWD, FUNC, FUNC_PROTO, loops and overflows. */
int bl_btf_resolve_size(const struct bl_btf *btf, uint32_t id, uint32_t *size,
			struct bl_err *err);

/* The alignment C would give type id (1, 2, 4 or 8); for struct and
 * union, the largest alignment of a member. */
int bl_btf_resolve_align(const struct bl_btf *btf, uint32_t id, uint32_t *align,
			 struct bl_err *err);

/*
 * BTF-defined maps (libbpf's <bpf/bpf_helpers.h>) describe a map as an
 * anonymous struct whose members encode numbers in their types:
 *   __uint(max_entries, 1024)  int (*max_entries)[1024];  pointer to an
 *                              array whose element count is the number
 *   __ulong(map_extra, N)      enum { x = N } map_extra;  64-bit numbers
 *   __type(key, T)             T *key;   pointer to the type
 */

/* The number a __uint() or __ulong() member encodes. */
int bl_btf_member_uint(const struct bl_btf *btf, const struct btf_member *m,
		       uint64_t *value, struct bl_err *err);

/* The type a __type() member points to (before skipping modifiers). */
int bl_btf_member_pointee(const struct bl_btf *btf, const struct btf_member *m,
			  uint32_t *type_id, struct bl_err *err);

/* ---- preparing an object's BTF for the kernel ---------------------------- */

/*
 * What the object file knows and its BTF does not.  clang writes DATASEC
 * sizes and the offsets of global variables as 0, because the assembler
 * decides them later; they are in the ELF section headers and symbols.
 * Callbacks keep this file independent of the object reader; each
 * returns 0, or -ENOENT when the object has no such section or symbol.
 */
struct bl_btf_elf_info {
	int (*section_size)(void *ctx, const char *section, uint32_t *size);
	/* The offset of variable var in section: its symbol's st_value.
	 * Static variables are local symbols ("func.var" inside functions). */
	int (*var_offset)(void *ctx, const char *section, const char *var,
			  uint32_t *offset);
	void *ctx;
};

/*
 * Make every DATASEC acceptable to BPF_BTF_LOAD:
 *  - a DATASEC of size 0 gets its ELF section's size, and its variables
 *    the offsets of their symbols (static variables keep the offset
 *    clang gave them when they have no symbol);
 *  - DATASECs of externs (libbpf's ".kconfig" and ".ksyms", which have
 *    no ELF section) become allocated variables laid out in order at
 *    their natural alignment, since the kernel accepts no extern VAR;
 *    in ".ksyms" each variable becomes a 4-byte int and each kernel
 *    function a slot naming one added dummy int VAR, as the kernel wants
 *    only VARs in a DATASEC;
 *  - extern FUNCs (kernel functions) become global, with every unnamed
 *    parameter named, as the kernel refuses extern linkage;
 *  - variables are sorted by offset and must lie inside the section.
 * The loader may read the resulting layout back from the DATASECs.
 * Running it again changes nothing.  Types and strings may be added:
 * earlier bl_btf_type() and bl_btf_name() pointers become invalid.
 */
/* Give the global FUNC called name static linkage; returns whether there
 * was one.  For subprograms of hidden visibility (object/btf_linkage.c). */
int bl_btf_make_func_static(struct bl_btf *btf, const char *name);

int bl_btf_fixup_datasecs(struct bl_btf *btf, const struct bl_btf_elf_info *elf,
			  struct bl_err *err);

/* BPF_BTF_LOAD; returns the BTF's fd.  On refusal the kernel's log is
 * copied to *log (malloc'd, caller frees) when log is not NULL, and its
 * last line ends err->msg. */
int bl_btf_load(const struct bl_btf *btf, char **log, struct bl_err *err);

/* BTF features a kernel may predate (the version that added each). */
enum bl_btf_feature {
	BL_BTF_FEAT_FUNC = 1 << 0,		/* FUNC, FUNC_PROTO: 5.0 */
	BL_BTF_FEAT_DATASEC = 1 << 1,		/* VAR, DATASEC: 5.2 */
	BL_BTF_FEAT_GLOBAL_FUNC = 1 << 2,	/* FUNC linkage global: 5.6 */
	BL_BTF_FEAT_FLOAT = 1 << 3,		/* FLOAT: 5.13 */
	BL_BTF_FEAT_DECL_TAG = 1 << 4,		/* DECL_TAG: 5.16 */
	BL_BTF_FEAT_TYPE_TAG = 1 << 5,		/* TYPE_TAG: 5.17 */
	BL_BTF_FEAT_ENUM64 = 1 << 6,		/* ENUM64, signed ENUM: 6.0 */
};

/* The features this BTF uses (a mask of enum bl_btf_feature). */
unsigned int bl_btf_features_used(const struct bl_btf *btf);

/* Load a tiny BTF for each feature and return the mask of those the
 * running kernel refuses, or a negative errno when it refuses them all
 * for another reason (no privileges, no BTF at all). */
int bl_btf_probe_missing(struct bl_err *err);

/*
 * A copy of btf that a kernel lacking the features in `missing` accepts:
 *   FUNC        FUNC_PROTO -> ENUM of its parameters, FUNC -> TYPEDEF
 *   DATASEC     VAR -> 1-byte INT, DATASEC -> STRUCT of its variables
 *   GLOBAL_FUNC global FUNC -> static FUNC
 *   FLOAT       -> anonymous empty STRUCT of the same size
 *   DECL_TAG    -> 1-byte INT
 *   TYPE_TAG    -> CONST
 *   ENUM64      ENUM64 -> UNION of 1-byte INTs (one added type),
 *               signed ENUM -> unsigned
 * Type ids do not change, so func_info and map BTF ids stay valid; what
 * the rewritten types described is lost to the kernel (verification of
 * global functions, typed map values), which is why the loader does this
 * only when the original was refused.
 */
struct bl_btf *bl_btf_sanitize(const struct bl_btf *btf, unsigned int missing,
			       struct bl_err *err);

#endif
