/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core.h - CO-RE ("compile once, run everywhere") relocations.
 *
 * A program built against one kernel's struct layouts (vmlinux.h) reads
 * kernel memory at offsets that differ on other kernels.  For every such
 * access wrapped in __builtin_preserve_access_index() (BPF_CORE_READ(),
 * preserve_access_index structs) or one of the type/enum builtins
 * (bpf_core_field_exists(), bpf_core_type_size(), bpf_core_enum_value(),
 * ...), clang records in .BTF.ext a struct bpf_core_relo (<linux/bpf.h>):
 *
 *   insn_off       the instruction (bytes into its ELF section)
 *   type_id        the local type, in the object's own BTF
 *   access_str_off "0:1:2": index into the pointer, then member / array
 *                  element indexes, one per step of the C expression
 *   kind           enum bpf_core_relo_kind: what the instruction holds
 *
 * The loader finds the kernel's types of the same name (ignoring
 * "___flavor" suffixes), walks the same path by member names, and writes
 * the kernel's value into the instruction.  These are libbpf's semantics
 * (tools/lib/bpf/relo_core.c, libbpf 1.1 and later), in our own words:
 *
 *   1. Parse the access string against the local type into a spec: every
 *      step, plus the steps that matter for matching (named members and
 *      array indexes; anonymous struct/union members are passed through).
 *   2. Candidates: kernel types of a compatible kind (enums match enum64)
 *      whose essential name is the local type's; vmlinux first, module
 *      BTF only if vmlinux has none.
 *   3. Match the spec in each candidate: named members are looked up by
 *      name (through anonymous members), their types must be compatible;
 *      array indexes must be in bounds (flexible arrays excepted).
 *   4. Every matching candidate must give the same value, else the
 *      relocation is ambiguous and refused.  Candidates that fail to
 *      match one relocation are not tried for the next of the same type.
 *   5. No match: existence kinds give 0; the rest poison the instruction
 *      (a call to helper 195896080, "0xbad2310"), so the verifier only
 *      complains if the code is reachable.
 *   6. Patch: the instruction must hold the local value first (LDX/ST/STX
 *      offset, ALU/ALU64 immediate, ld_imm64), unless that value is
 *      ambiguous (bitfields, type ids).  A field whose size changed also
 *      changes the load size, where that keeps the value (pointers,
 *      unsigned integers); otherwise the instruction is poisoned.
 *
 * No syscalls (the kernel's BTF comes from btf/kernel_btf.h).
 */
#ifndef BL_CORE_H
#define BL_CORE_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "btf/btf.h"
#include "btf/kernel_btf.h"
#include <bpfload/error.h>

/* Steps in an access string (libbpf's BPF_CORE_SPEC_MAX_LEN). */
#define BL_CORE_SPEC_MAX 64

/* The imm of a poisoned instruction, "call unknown#195896080". */
#define BL_CORE_POISON_IMM 195896080

/* One step that matters: a named member, or an array index (name NULL);
 * step 0 is the root: the index into the pointer. */
struct bl_core_access {
	uint32_t type_id;	/* struct/union the member is in; for an index: the element type */
	uint32_t idx;		/* member index, or array index */
	const char *name;	/* member name, or enumerator name for enum kinds */
};

/* What a relocation means in one BTF. */
struct bl_core_spec {
	const struct bl_btf *btf;
	uint32_t root_id;	/* the relocation's type in this BTF */
	enum bpf_core_relo_kind kind;
	uint32_t raw[BL_CORE_SPEC_MAX];	/* every index, as in the access string */
	uint32_t raw_len;
	struct bl_core_access acc[BL_CORE_SPEC_MAX];
	uint32_t len;
	uint64_t bit_offset;	/* of the field from the start of the root */
};

/* What one relocation resolves to. */
struct bl_core_result {
	uint64_t local_val;	/* what the instruction holds as compiled */
	uint64_t target_val;	/* what it must hold on this kernel */
	uint32_t local_size;	/* FIELD_BYTE_OFFSET of a plain field: its size, */
	uint32_t target_size;	/* to adjust the load/store; else 0 */
	int validate;		/* the instruction must hold local_val */
	int poison;		/* no match: poison the instruction */
	int bad_size;		/* the size changed in a way a load cannot follow */
	const struct bl_btf *target_btf;	/* where it matched, or NULL */
	const char *target_name;	/* "vmlinux", a module, the file */
	uint32_t target_id;	/* the matching kernel type */
	uint32_t matches;	/* how many candidates matched */
	char path[192];		/* "task_struct___x.real_parent.tgid", "enum foo::BAR" */
	char why[224];		/* why it failed (poison or error), else "" */
};

/* "field byte offset", "type exists", ... */
const char *bl_core_kind_str(uint32_t kind);

/* The kinds that check a field, a type or an enumerator. */
int bl_core_kind_is_field(uint32_t kind);
int bl_core_kind_is_type(uint32_t kind);
int bl_core_kind_is_enumval(uint32_t kind);

/* ---- specs (core_spec.c) ---------------------------------------------- */

/* Parse relo's access string against btf (the object's).  Every index
 * is checked against the types it walks. */
int bl_core_parse_spec(const struct bl_btf *btf, const struct bpf_core_relo *relo,
		       struct bl_core_spec *spec, struct bl_err *err);

/* The spec in C terms: "task_struct.real_parent.tgid", "arr[3]",
 * "enum pid_type::PIDTYPE_TGID", "struct task_struct". */
void bl_core_spec_path(const struct bl_core_spec *spec, char *buf, size_t size);

/* ---- matching (core_match.c) -------------------------------------------- */

/* Match local in candidate targ_id of targ: 1 and *out filled when it
 * matches, 0 when not, negative on a malformed BTF (err filled). */
int bl_core_spec_match(const struct bl_core_spec *local, const struct bl_btf *targ,
		       uint32_t targ_id, struct bl_core_spec *out, struct bl_err *err);

/* libbpf's bpf_core_types_are_compat() and bpf_core_types_match(): 1, 0,
 * or negative when the types nest too deep. */
int bl_core_types_compat(const struct bl_btf *local, uint32_t local_id, const struct bl_btf *targ,
			 uint32_t targ_id);
int bl_core_types_match(const struct bl_btf *local, uint32_t local_id, const struct bl_btf *targ,
			uint32_t targ_id);

/* Whether kernel type t may be a candidate for local type l. */
int bl_core_kinds_compat(const struct btf_type *l, const struct btf_type *t);

/* ---- resolving (core.c) ---------------------------------------------------- */

/* Resolves the relocations of one object (local BTF) against one kernel
 * BTF, keeping candidate lists per local type. */
struct bl_core_ctx;

struct bl_core_ctx *bl_core_ctx_new(const struct bl_btf *local, struct bl_kernel_btf *kernel,
				    struct bl_err *err);
void bl_core_ctx_free(struct bl_core_ctx *ctx);	/* NULL is fine */

/* Announce a relocation that will be resolved, so that the kernel's BTF
 * is scanned once for all of their names. */
int bl_core_ctx_want(struct bl_core_ctx *ctx, const struct bpf_core_relo *relo, struct bl_err *err);

/* The local side only (no kernel BTF needed): res->local_val, path,
 * validate.  Fails for a malformed record. */
int bl_core_local(const struct bl_btf *local, const struct bpf_core_relo *relo,
		  struct bl_core_result *res, struct bl_err *err);

/* Resolve one relocation.  Fails (err says which and why) for malformed
 * records and ambiguous matches; a relocation that merely finds nothing
 * succeeds with res->poison set and res->why saying what is missing. */
int bl_core_resolve(struct bl_core_ctx *ctx, const struct bpf_core_relo *relo,
		    struct bl_core_result *res, struct bl_err *err);

/* ---- patching (core_patch.c) ----------------------------------------------- */

/* Write res into instruction idx of insns (insn_cnt of them); a poisoned
 * result (or a load whose size cannot follow) poisons it.  Fails when
 * the instruction is not one CO-RE can patch or does not hold the local
 * value. */
int bl_core_patch_insn(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		       const struct bl_core_result *res, struct bl_err *err);

/* Whether instruction idx is one bl_core_patch_insn() poisoned. */
int bl_core_insn_is_poisoned(const struct bpf_insn *insn);

#endif
