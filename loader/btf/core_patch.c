// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_patch.c - writing a CO-RE relocation's value into its instruction.
 * No syscalls.
 *
 * clang puts the value where the instruction keeps a constant:
 *   rX = *(size *)(rY + off)      LDX, ST, STX: the offset (16 bits)
 *   rX = imm, rX += imm, ...      ALU, ALU64 with BPF_K: the immediate
 *   rX = imm64 ll                 ld_imm64: both halves of the immediate
 * and we check that it holds the value we computed from the object's own
 * BTF before replacing it: a mismatch means we misread the relocation.
 *
 * A relocation that found nothing turns the instruction into a call of
 * helper 195896080 (0xbad2310, "bad relo"), as libbpf does: the verifier
 * removes it when it is dead code (behind a bpf_core_field_exists()
 * check) and otherwise stops there with "invalid func unknown#195896080".
 */
#include "btf/core.h"

#include <errno.h>
#include <limits.h>

static int is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static void poison(struct bpf_insn *insn)
{
	insn->code = BPF_JMP | BPF_CALL;
	insn->dst_reg = 0;
	insn->src_reg = 0;
	insn->off = 0;
	insn->imm = BL_CORE_POISON_IMM;
}

int bl_core_insn_is_poisoned(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
	       insn->imm == BL_CORE_POISON_IMM;
}

static int bpf_size_bytes(const struct bpf_insn *insn)
{
	switch (BPF_SIZE(insn->code)) {
	case BPF_DW: return 8;
	case BPF_W: return 4;
	case BPF_H: return 2;
	default: return 1;	/* BPF_B */
	}
}

static int bytes_bpf_size(uint32_t bytes)
{
	switch (bytes) {
	case 8: return BPF_DW;
	case 4: return BPF_W;
	case 2: return BPF_H;
	case 1: return BPF_B;
	default: return -1;
	}
}

static int unexpected(size_t idx, const char *what, long long got, const struct bl_core_result *res,
		      struct bl_err *err)
{
	return bl_fail(err, EINVAL, "instruction %zu (%s) holds %lld, not the %llu the object's BTF gives; the relocation does not describe it",
		       idx, what, got, (unsigned long long)res->local_val);
}

static int patch_mem(struct bpf_insn *insn, size_t idx, const struct bl_core_result *res,
		     struct bl_err *err)
{
	int size;

	if (res->validate && (uint64_t)(int64_t)insn->off != res->local_val)
		return unexpected(idx, "load/store offset", insn->off, res, err);
	if (res->target_val > SHRT_MAX)
		return bl_fail(err, ERANGE, "instruction %zu: offset %llu does not fit a load/store's 16 bits",
			       idx, (unsigned long long)res->target_val);
	if (res->bad_size) {
		poison(insn);
		return 0;
	}
	insn->off = (int16_t)res->target_val;
	if (res->target_size == res->local_size)
		return 0;
	if (bpf_size_bytes(insn) != (int)res->local_size)
		return bl_fail(err, EINVAL, "instruction %zu moves %d bytes, but the field has %u",
			       idx, bpf_size_bytes(insn), res->local_size);
	size = bytes_bpf_size(res->target_size);
	if (size < 0)
		return bl_fail(err, EINVAL, "instruction %zu: the kernel's field has %u bytes, which no load moves",
			       idx, res->target_size);
	insn->code = (uint8_t)(BPF_MODE(insn->code) | size | BPF_CLASS(insn->code));
	return 0;
}

static int patch_ld_imm64(struct bpf_insn *insn, size_t idx, size_t insn_cnt,
			  const struct bl_core_result *res, struct bl_err *err)
{
	uint64_t imm;

	if (idx + 1 >= insn_cnt || insn[0].src_reg || insn[0].off || insn[1].code || insn[1].dst_reg ||
	    insn[1].src_reg || insn[1].off)
		return bl_fail(err, EINVAL, "instruction %zu is no plain ld_imm64", idx);
	imm = (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
	if (res->validate && imm != res->local_val)
		return unexpected(idx, "ld_imm64", (long long)imm, res, err);
	insn[0].imm = (int32_t)(uint32_t)res->target_val;
	insn[1].imm = (int32_t)(uint32_t)(res->target_val >> 32);
	return 0;
}

int bl_core_patch_insn(struct bpf_insn *insns, size_t insn_cnt, size_t idx,
		       const struct bl_core_result *res, struct bl_err *err)
{
	struct bpf_insn *insn;

	if (idx >= insn_cnt)
		return bl_fail(err, EINVAL, "instruction %zu is past the end of the code (%zu instructions)",
			       idx, insn_cnt);
	insn = &insns[idx];
	if (res->poison) {
		/* both halves, or the verifier complains of "unknown opcode 00" */
		if (is_ld_imm64(insn) && idx + 1 < insn_cnt)
			poison(insn + 1);
		poison(insn);
		return 0;
	}
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return bl_fail(err, EINVAL, "instruction %zu is an ALU operation on registers, not on an immediate",
				       idx);
		if (res->validate && (uint64_t)(int64_t)insn->imm != res->local_val)
			return unexpected(idx, "immediate", insn->imm, res, err);
		insn->imm = (int32_t)(uint32_t)res->target_val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return patch_mem(insn, idx, res, err);
	case BPF_LD:
		if (is_ld_imm64(insn))
			return patch_ld_imm64(insn, idx, insn_cnt, res, err);
		break;
	}
	return bl_fail(err, EINVAL, "instruction %zu (opcode 0x%02x) is not one a CO-RE relocation can patch",
		       idx, insn->code);
}
