// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/features.c - feature probes: each loads the smallest program that
 * needs the feature, as a tracepoint program (the type every kernel we
 * run on has), and closes it at once.  A refusal that is about
 * privileges (EPERM, EACCES) is no answer.
 *
 * Syscalls: bpf(BPF_PROG_LOAD), close.
 */
#include <bpfload/features.h>

#include <errno.h>
#include <linux/bpf.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"

struct probe {
	const char *name;
	const char *since;
	struct bpf_insn insns[5];
	size_t insn_cnt;
};

static const struct probe probes[BL_FEAT_COUNT] = {
	/* *(u64 *)(r10 - 8) = 0; r1 = 1; r1 = atomic_fetch_add(r10 - 8, r1):
	 * before 5.12 a BPF_ATOMIC whose imm is not plain BPF_ADD uses
	 * "reserved fields" */
	[BL_FEAT_ATOMIC_FETCH] = { "BPF_ATOMIC with BPF_FETCH", "5.12", {
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_DW | BPF_ATOMIC, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_ADD | BPF_FETCH },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	}, 5 },
	/* call bpf_get_attach_cookie (helper 174); exit */
	[BL_FEAT_BPF_COOKIE] = { "BPF cookies (bpf_get_attach_cookie)", "5.15", {
		{ .code = BPF_JMP | BPF_CALL, .imm = 174 },
		{ .code = BPF_JMP | BPF_EXIT },
	}, 2 },
};

int bl_kernel_has(enum bl_feature feature)
{
	struct bl_prog_spec spec = { .name = "bl_probe", .type = BPF_PROG_TYPE_TRACEPOINT,
				     .license = "GPL" };
	int fd;

	if ((unsigned int)feature >= BL_FEAT_COUNT)
		return -EINVAL;
	spec.insns = probes[feature].insns;
	spec.insn_cnt = probes[feature].insn_cnt;
	fd = bl_prog_load(&spec, NULL);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return fd == -EPERM || fd == -EACCES ? fd : 0;
}

const char *bl_feature_name(enum bl_feature feature)
{
	return (unsigned int)feature < BL_FEAT_COUNT ? probes[feature].name : "?";
}

const char *bl_feature_since(enum bl_feature feature)
{
	return (unsigned int)feature < BL_FEAT_COUNT ? probes[feature].since : "?";
}
