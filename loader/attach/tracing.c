// SPDX-License-Identifier: BSD-2-Clause
/*
 * tracing.c - attaching the programs the kernel calls through a BPF
 * trampoline or a BTF-typed hook: fentry/, fexit/, fmod_ret/ (and their
 * sleepable .s forms), tp_btf/ and lsm/.
 *
 * Where such a program attaches was settled when it was loaded: its
 * attach_btf_id names the kernel function (or the btf_trace_ typedef of
 * a tracepoint, or the bpf_lsm_ hook) in the kernel's BTF.  So attaching
 * names nothing: BPF_RAW_TRACEPOINT_OPEN with no tracepoint name hands the
 * loaded program to its hook and returns a BPF link (Linux 5.5 for
 * fentry/fexit, 5.7 for lsm; the same call attaches tp_btf since 5.5).
 * Closing the link detaches.
 *
 * Syscalls: bpf(BPF_RAW_TRACEPOINT_OPEN); a read of
 * /sys/kernel/security/lsm to explain an LSM program that cannot run.
 */
#include "attach/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/bpf_syscall.h"
#include "sys/file.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"

static const char *hook_word(const struct bl_program *prog)
{
	if (prog->kind->prog_type == BPF_PROG_TYPE_LSM)
		return "lsm";
	switch (prog->kind->expected_attach_type) {
	case BPF_TRACE_FENTRY: return "fentry";
	case BPF_TRACE_FEXIT: return "fexit";
	case BPF_MODIFY_RETURN: return "fmod_ret";
	case BPF_TRACE_RAW_TP: return "tp_btf";
	default: return "tracing";
	}
}

/* An LSM program loads on any kernel with CONFIG_BPF_LSM, but runs only
 * where "bpf" is among the active LSMs (the lsm= boot parameter). */
static int bpf_lsm_inactive(void)
{
	char list[512];
	int n = bl_read_text("/sys/kernel/security/lsm", list, sizeof(list), 0);

	return n > 0 && !strstr(list, "bpf");
}

static int attach_failure(const struct bl_program *prog, const char *target, int code,
			  struct bl_err *err)
{
	const char *why = bl_errno_hint(code);

	if (code == ENOTSUPP_KERNEL || code == EOPNOTSUPP)
		why = "; this kernel cannot attach BPF trampolines here (they need CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, which arm64 has from Linux 6.4, and no lockdown forbidding them)";
	else if (code == EINVAL)
		why = "; a kernel before 5.5 (fentry, fexit, tp_btf) or 5.7 (lsm) cannot attach it this way";
	else if (code == EBUSY)
		why = "; the function already has as many BPF trampoline programs as it can take";
	return bl_fail(err, code, "attaching %s to %s failed: %s%s", prog->name, target,
		       bl_errno_name(code), why);
}

struct bl_attachment *bl_attach_tracing(const struct bl_program *prog, struct bl_err *err)
{
	struct bl_attachment *att;
	int fd;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (prog->kind->attach != BL_ATTACH_TRACING) {
		bl_fail(err, EINVAL, "attaching %s: section %s is not fentry/, fexit/, fmod_ret/, tp_btf/ or lsm/",
			prog->name, prog->section_name);
		return NULL;
	}
	if (prog->fd < 0) {
		bl_fail(err, EBADF, "attaching %s to %s: the program is not loaded", prog->name,
			prog->attach_target);
		return NULL;
	}
	att = calloc(1, sizeof(*att));
	if (!att) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	att->perf_fd = -1;
	snprintf(att->target, sizeof(att->target), "%s %s", hook_word(prog), prog->attach_target);
	if (prog->kind->prog_type == BPF_PROG_TYPE_LSM && bpf_lsm_inactive()) {
		bl_fail(err, ENOTSUP, "attaching %s to %s: the BPF LSM is not active (/sys/kernel/security/lsm does not list bpf); boot with lsm=...,bpf",
			prog->name, att->target);
		free(att);
		return NULL;
	}
	fd = bl_raw_tracepoint_open(NULL, prog->fd);
	if (fd < 0) {
		attach_failure(prog, att->target, -fd, err);
		free(att);
		return NULL;
	}
	att->bpf_fd = fd;
	return att;
}
