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
 * in what clang could not know (btf/btf_fixup.h) and, on a kernel that
 * refused it, rewrites kinds that kernel predates (btf/btf_load.h).
 *
 * Syscalls: open/read in bl_btf_parse_file().
 */
#ifndef BL_BTF_H
#define BL_BTF_H

#include <linux/btf.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

struct bl_btf;

/* BTF_KIND_ENUM64 (Linux 6.0) by a name of our own, since <linux/btf.h>
 * may be older than it. */
#define BL_BTF_KIND_ENUM64 19u

/* ---- parsing ------------------------------------------------------------ */

/* Check and copy a BTF blob (data need not outlive the result).  base is
 * NULL, or the BTF a split blob continues; it must outlive the result. */
struct bl_btf *bl_btf_parse(const void *data, size_t size, const struct bl_btf *base,
			    struct bl_err *err);

/* The same checks without the copy: data (4-byte aligned, else it is
 * copied after all) must stay valid and unchanged until bl_btf_free().
 * For an mmap of /sys/kernel/btf/vmlinux; see btf/kernel_btf.h. */
struct bl_btf *bl_btf_parse_borrowed(const void *data, size_t size, const struct bl_btf *base,
				     struct bl_err *err);

/* bl_btf_parse_borrowed() for the running kernel's own BTF from sysfs,
 * which the kernel verified when it loaded it: the header, strings and
 * every record's extent are checked and indexed, but not each reference
 * between types (some 2 ms for vmlinux).  Accessors stay bounds-checked:
 * bl_btf_type() and bl_btf_name() return NULL for a bad id or offset,
 * and callers must expect that.  Never for files from users. */
struct bl_btf *bl_btf_parse_kernel(const void *data, size_t size, const struct bl_btf *base,
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

#endif
