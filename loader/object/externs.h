/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * externs.h - what a BPF object takes from the kernel it runs on:
 * libbpf's __kconfig and __ksym externs.
 *
 * clang compiles "extern T NAME __kconfig;" and "extern T NAME __ksym;"
 * into an undefined ELF symbol and, in the object's BTF, a VAR (or for
 * a kernel function a FUNC) in a DATASEC named ".kconfig" or ".ksyms"
 * with no ELF section behind it.  Each use is an instruction with an
 * ELF relocation on the symbol.  The loader decides what it means:
 *
 *   .kconfig  CONFIG_* from the kernel's configuration (sys/kconfig.h),
 *             LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE,
 *             LINUX_HAS_SYSCALL_WRAPPER.  All of them live in one frozen
 *             array map (".kconfig", like .rodata); each ld_imm64 of one
 *             becomes BPF_PSEUDO_MAP_VALUE, that map + the extern's offset.
 *   .ksyms    a kernel variable.  Typeless (`extern const void x __ksym`):
 *             its address from /proc/kallsyms, as the ld_imm64's 64-bit
 *             immediate.  Typed: the VAR's id in the kernel's BTF, as
 *             ld_imm64 src_reg BPF_PSEUDO_BTF_ID (Linux 5.10) with the
 *             BTF id in imm and, for a module's variable, the module
 *             BTF's fd in the second imm (5.11); the verifier then knows
 *             its type (per-CPU variables: bpf_per_cpu_ptr()).
 *             A kernel function (kfunc): each call becomes src_reg
 *             BPF_PSEUDO_KFUNC_CALL (5.13) with the FUNC's kernel BTF id
 *             in imm and, for a module's function, an index into the
 *             fd_array given to BPF_PROG_LOAD in off (5.14).
 *
 * A __weak extern the kernel lacks is 0: ld_imm64 loads 0, so
 * bpf_ksym_exists(x) is false and the verifier drops the code it guards;
 * a call of a missing weak kfunc becomes a call of helper number
 * BL_POISONED_KFUNC_BASE + the extern's index, which no kernel has: dead
 * code if guarded, else the verifier refuses it and the loader names the
 * function.  A strong extern the kernel lacks is refused by name.
 *
 * Syscalls: none here; see kconfig_map.c and ksyms.c.
 */
#ifndef BL_EXTERNS_H
#define BL_EXTERNS_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>
#include "object/object.h"

/* Helper number of a poisoned call, as libbpf (so logs read alike). */
#define BL_POISONED_KFUNC_BASE 2002000000

enum bl_extern_kind {
	BL_EXTERN_KCONFIG,	/* in .kconfig */
	BL_EXTERN_KSYM,		/* a variable in .ksyms */
	BL_EXTERN_KFUNC,	/* a function in .ksyms */
};

/* The C type of a .kconfig extern, which decides how a value is stored. */
enum bl_kconfig_type {
	BL_KCFG_BOOL,		/* bool: y 1, n 0 */
	BL_KCFG_TRISTATE,	/* enum libbpf_tristate: n 0, y 1, m 2 */
	BL_KCFG_CHAR,		/* any 1-byte integer: 'y', 'm', 'n' or a number */
	BL_KCFG_INT,		/* 2, 4 or 8 bytes, signed or not */
	BL_KCFG_CHAR_ARRAY,	/* char[N]: a string, cut to N - 1 bytes */
};

struct bl_extern {
	const char *name;		/* the ELF symbol's */
	enum bl_extern_kind kind;
	int is_weak;			/* STB_WEAK: missing means 0 */
	uint32_t btf_id;		/* its VAR or FUNC in obj->btf */
	uint32_t type_id;		/* the VAR's type or FUNC's FUNC_PROTO, as clang wrote it */
	enum bl_kconfig_type kcfg_type;	/* KCONFIG */
	uint32_t kcfg_size;		/* KCONFIG: bytes */
	int kcfg_signed;		/* KCONFIG: BL_KCFG_INT and _CHAR */
	/* found at load (bl_resolve_externs) */
	int is_set;			/* else: weak and missing, so 0 */
	uint32_t kcfg_offset;		/* KCONFIG: in the .kconfig map's value */
	uint64_t addr;			/* typeless KSYM: from kallsyms */
	uint32_t kernel_btf_id;		/* typed KSYM, KFUNC: VAR or FUNC in the kernel's BTF */
	int kernel_btf_fd;		/* ... of this module (0: vmlinux); the object holds it */
	int fd_array_index;		/* KFUNC of a module: insn.off */
};

struct bl_externs {
	struct bl_extern *list;
	size_t cnt;
	int kconfig_map;		/* inside obj->maps; -1: no .kconfig externs */
	int syscall_wrapper;		/* for LINUX_HAS_SYSCALL_WRAPPER, from kallsyms */
	int *fd_array;			/* for BPF_PROG_LOAD; [0] unused (off 0 is vmlinux) */
	size_t fd_array_cnt;
};

/* At open, before relocations: collect the externs from the ELF symbols
 * and the object's BTF, and add the .kconfig map when there are any. */
int bl_collect_externs(struct bl_object *obj, struct bl_err *err);

/* At open, for a relocation on undefined symbol name: the extern it
 * refers to (r->kind and r->extern_index).  is_call: a call instruction,
 * else an ld_imm64. */
int bl_extern_reloc(const struct bl_object *obj, const char *name, int is_call,
		    struct bl_reloc *r, struct bl_err *err);

/* At load, before maps are created: find every extern's value and fill
 * the .kconfig map's initial value. */
int bl_resolve_externs(struct bl_object *obj, struct bl_err *err);

/* At link: rewrite the instruction(s) at insn for relocation r. */
int bl_extern_patch(const struct bl_object *obj, const struct bl_reloc *r, struct bpf_insn *insn,
		    struct bl_err *err);

/* The fd_array BPF_PROG_LOAD needs, or NULL when no module kfunc is used. */
const int *bl_externs_fd_array(const struct bl_object *obj);

/* After a verifier rejection: when it is a poisoned call, say which
 * missing kfunc it was.  Changes err only then. */
void bl_externs_explain_rejection(const struct bl_object *obj, struct bl_err *err);

/* Close module BTF fds and free (NULL is fine). */
void bl_externs_free(struct bl_externs *ext);

/* ---- kconfig_map.c ---- */

/* The C type of a .kconfig extern (set at open). */
int bl_kconfig_extern_type(const struct bl_object *obj, struct bl_extern *e, struct bl_err *err);

/* Every .kconfig extern's value into value (the map's initial value). */
int bl_fill_kconfig_externs(struct bl_object *obj, unsigned char *value, uint32_t size,
			    struct bl_err *err);

/* ---- ksyms.c ---- */

/* Every .ksyms extern: from kallsyms or the kernel's BTF; the same pass
 * over kallsyms answers LINUX_HAS_SYSCALL_WRAPPER (ext->syscall_wrapper).
 * Runs before bl_fill_kconfig_externs(). */
int bl_resolve_ksyms(struct bl_object *obj, struct bl_err *err);

#endif
