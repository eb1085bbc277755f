/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt_args.h - where a USDT probe's arguments are, and how libbpf's BPF
 * side (<bpf/usdt.bpf.h>) is told.
 *
 * <sys/sdt.h> lets the compiler choose where each argument is when the
 * probe fires, and writes its choice into the probe's note as assembler
 * operands, "SIZE@OPERAND" separated by spaces.  SIZE is the argument's
 * size in bytes, negative when it is signed.  On x86-64 (AT&T syntax):
 *     -4@$42              the constant 42
 *     8@%rdi  -1@%sil     a register (or part of one)
 *     -4@-20(%rbp)        memory at a register plus a displacement
 *     8@(%rax,%rdx,8)     memory at base + index * scale (+ displacement)
 *     -4@counter(%rip)    a global variable, relative to the instruction
 * On arm64:
 *     -4@42   8@x1   -4@w0   8@[sp, 16]   8@[x0]
 *
 * usdt.bpf.h reads arguments from an array map, __bpf_usdt_specs, whose
 * value, struct __bpf_usdt_spec, holds per argument its kind, the offset
 * of the register in the probe's struct pt_regs, a displacement or a
 * constant, and a bit shift that cuts the u64 it reads to SIZE bytes and
 * sign-extends it.  That struct has two layouts:
 *   v1, 208 bytes (libbpf 0.8 to 1.6): 16 bytes per argument;
 *   v2, 304 bytes (libbpf 1.7): 24 bytes per argument, adding SIB
 *       (base + index * scale) operands.
 * We tell them apart by the map's value size.
 */
#ifndef BL_USDT_ARGS_H
#define BL_USDT_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

#define BL_USDT_MAX_ARGS 12	/* BPF_USDT_MAX_ARG_CNT */
#define BL_USDT_SPEC_SIZE_V1 208
#define BL_USDT_SPEC_SIZE_V2 304

/* The values of usdt.bpf.h's enum __bpf_usdt_arg_type. */
enum bl_usdt_arg_kind {
	BL_USDT_ARG_CONST = 0,		/* value */
	BL_USDT_ARG_REG = 1,		/* the register at reg_off */
	BL_USDT_ARG_REG_DEREF = 2,	/* memory at register + value */
	BL_USDT_ARG_SIB = 3,		/* memory at register + index * scale + value */
};

struct bl_usdt_arg {
	enum bl_usdt_arg_kind kind;
	int size;		/* 1, 2, 4 or 8 bytes */
	int is_signed;
	int64_t value;		/* the constant, or the displacement */
	int reg_off;		/* offset of the (base) register in struct pt_regs */
	int index_reg_off;	/* SIB: the index register */
	int scale;		/* SIB: 1, 2, 4 or 8 */
	char text[48];		/* the operand as the note wrote it */
};

struct bl_usdt_args {
	struct bl_usdt_arg arg[BL_USDT_MAX_ARGS];
	size_t count;
};

/* The address of a symbol of the traced file, for "sym(%rip)" operands;
 * 0 or -errno. */
typedef int (*bl_usdt_symbol_fn)(const char *name, uint64_t *vaddr, void *ctx);

/* Parse a note's argument string for machine (EM_X86_64, EM_AARCH64).
 * probe_vaddr is the probe's address: a %rip-relative operand becomes
 * memory at the instruction pointer (which holds the probe's address
 * when it fires) plus symbol - probe_vaddr; symbol (may be NULL) finds
 * the symbols.  Fails, naming the operand, on anything it cannot
 * express. */
int bl_usdt_parse_args(const char *spec, uint16_t machine, uint64_t probe_vaddr,
		       bl_usdt_symbol_fn symbol, void *symbol_ctx, struct bl_usdt_args *out,
		       struct bl_err *err);

/* Write args and the user's cookie (bpf_usdt_cookie()) as a struct
 * __bpf_usdt_spec of value_size bytes (BL_USDT_SPEC_SIZE_V1 or _V2). */
int bl_usdt_encode_spec(const struct bl_usdt_args *args, uint64_t cookie, size_t value_size,
			unsigned char *value, struct bl_err *err);

#endif
