// SPDX-License-Identifier: BSD-2-Clause
/*
 * attach.c - program attachment to kprobes (and system calls through
 * them), tracepoints and raw tracepoints.
 *
 * Uprobes (uprobe.c, uprobe_multi.c), USDT probes (usdt.c) and the
 * BTF-typed hooks (tracing.c: fentry, fexit, fmod_ret, tp_btf, lsm) have
 * files of their own; bl_program_attach() dispatches to them by section
 * name.
 *
 * Syscalls: perf_event_open(2) and ioctl(2) via perf_event.c and kprobe.c,
 * bpf(BPF_LINK_CREATE, BPF_RAW_TRACEPOINT_OPEN), close(2) to detach,
 * tracefs writes to remove legacy kprobe events, a read of /proc/kallsyms
 * for a system call's entry function.  The public functions
 * mark the narration's phase (attach, detach; sys/trace.h).
 */
#include "attach/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach/uprobe.h"
#include "attach/uprobe_multi.h"
#include "attach/usdt.h"
#include "sys/kallsyms.h"
#include "sys/kernel_fd.h"
#include "sys/perf_event.h"
#include "sys/trace.h"
#include "sys/tracefs.h"

struct bl_attachment *bl_attachment_new(const char *fmt_target, const char *a, const char *b)
{
	struct bl_attachment *att = calloc(1, sizeof(*att));

	if (att) {
		att->perf_fd = -1;
		att->bpf_fd = -1;
		snprintf(att->target, sizeof(att->target), fmt_target, a, b);
	}
	return att;
}

int bl_attachment_check_prog(const struct bl_program *prog, enum bpf_prog_type type,
			const char *target, struct bl_err *err)
{
	if (prog->fd < 0)
		return bl_fail(err, EBADF, "attaching %s to %s: the program is not loaded",
			       prog->name, target);
	if (prog->kind->prog_type != type)
		return bl_fail(err, EINVAL, "attaching %s to %s: it is a %s program, this needs %s",
			       prog->name, target, bl_prog_type_name(prog->kind->prog_type),
			       bl_prog_type_name(type));
	return 0;
}

/* Give the perf event the program: through a BPF link when the kernel
 * can (one failed syscall on kernels before 5.15), else the ioctl. */
struct bl_attachment *bl_attachment_give_prog(struct bl_attachment *att, const struct bl_program *prog,
				     struct bl_err *err)
{
	int ret;

	att->bpf_fd = bl_bpf_link_create(prog->fd, att->perf_fd, BPF_PERF_EVENT);
	if (att->bpf_fd >= 0)
		ret = bl_perf_event_enable(att->perf_fd, att->target, err);
	else
		ret = bl_perf_event_set_bpf(att->perf_fd, prog->fd, att->target, err);
	if (ret < 0) {
		bl_attachment_destroy(att, NULL);
		return NULL;
	}
	return att;
}

struct bl_attachment *bl_attach_kprobe(const struct bl_program *prog, const char *func,
				 int retprobe, const struct bl_attach_opts *opts,
				 struct bl_err *err)
{
	struct bl_attachment *att;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_KPROBE, func, err))
		return NULL;
	att = bl_attachment_new(retprobe ? "kretprobe %s%s" : "kprobe %s%s", func, "");
	if (!att) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	att->perf_fd = bl_kprobe_open(func, retprobe, opts && opts->force_legacy_kprobe,
				       att->legacy_event, err);
	if (att->perf_fd < 0) {
		free(att);
		return NULL;
	}
	return bl_attachment_give_prog(att, prog, err);
}

/*
 * The function a system call enters the kernel through: __PREFIX_sys_NAME
 * where calls go through wrappers taking the caller's struct pt_regs
 * (x86-64 4.17, arm64 4.19; the program then reads the arguments from
 * those registers, as BPF_KSYSCALL() does with LINUX_HAS_SYSCALL_WRAPPER),
 * else sys_NAME.  One pass over /proc/kallsyms, whose names are listed
 * even where addresses are hidden.
 */
static int ksyscall_function(const char *name, char *func, size_t size, struct bl_err *err)
{
	const char *prefix = bl_syscall_wrapper_prefix();
	char wrapper[128], bare[128];
	struct bl_ksym_query q[2] = { { .name = wrapper }, { .name = bare } };
	int hidden = 0, ret;

	snprintf(wrapper, sizeof(wrapper), "__%s_sys_%s", prefix ? prefix : "", name);
	snprintf(bare, sizeof(bare), "sys_%s", name);
	ret = bl_kallsyms_lookup(BL_KALLSYMS_PATH, q, prefix ? 2 : 1, &hidden, err);
	if (ret)
		return bl_err_context(err, "finding system call %s", name);
	if (prefix && q[0].found)
		snprintf(func, size, "%s", wrapper);
	else if (q[prefix ? 1 : 0].found)
		snprintf(func, size, "%s", bare);
	else
		return bl_fail(err, ENOENT, "no system call %s: neither %s nor %s is in /proc/kallsyms",
			       name, wrapper, bare);
	return 0;
}

struct bl_attachment *bl_attach_ksyscall(const struct bl_program *prog, const char *name,
				   int retprobe, const struct bl_attach_opts *opts,
				   struct bl_err *err)
{
	char func[128];

	bl_trace_enter(BL_TRACE_ATTACH);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_KPROBE, name, err))
		return NULL;
	if (ksyscall_function(name, func, sizeof(func), err))
		return NULL;
	return bl_attach_kprobe(prog, func, retprobe, opts, err);
}

struct bl_attachment *bl_attach_tracepoint(const struct bl_program *prog, const char *category,
				     const char *name, struct bl_err *err)
{
	struct perf_event_attr attr;
	struct bl_attachment *att;
	int id;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_TRACEPOINT, name, err))
		return NULL;
	id = bl_tracepoint_id(category, name, err);
	if (id < 0)
		return NULL;
	att = bl_attachment_new("tracepoint %s/%s", category, name);
	if (!att) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	att->perf_fd = bl_perf_event_open_tracing(&attr, att->target, err);
	if (att->perf_fd < 0) {
		free(att);
		return NULL;
	}
	return bl_attachment_give_prog(att, prog, err);
}

struct bl_attachment *bl_attach_raw_tracepoint(const struct bl_program *prog, const char *name,
					 struct bl_err *err)
{
	struct bl_attachment *att;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_RAW_TRACEPOINT, name, err))
		return NULL;
	att = bl_attachment_new("raw tracepoint %s%s", name, "");
	if (!att) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	att->bpf_fd = bl_raw_tracepoint_open(name, prog->fd);
	if (att->bpf_fd < 0) {
		int e = -att->bpf_fd;

		free(att);
		bl_fail(err, e, "attaching %s to raw tracepoint %s failed: %s%s", prog->name, name,
			bl_errno_name(e),
			e == ENOENT ? "; no such tracepoint (see available_events in tracefs)" :
			bl_errno_hint(e));
		return NULL;
	}
	return att;
}

static struct bl_attachment *attach_tracepoint_target(const struct bl_program *prog, struct bl_err *err)
{
	char category[128];
	const char *slash = strchr(prog->attach_target, '/');
	size_t len = slash ? (size_t)(slash - prog->attach_target) : 0;

	if (!slash || len == 0 || len >= sizeof(category) || !slash[1]) {
		bl_fail(err, EINVAL, "section %s: expected tracepoint/CATEGORY/NAME", prog->section_name);
		return NULL;
	}
	memcpy(category, prog->attach_target, len);
	category[len] = '\0';
	return bl_attach_tracepoint(prog, category, slash + 1, err);
}

struct bl_attachment *bl_program_attach(const struct bl_program *prog,
				  const struct bl_attach_opts *opts, struct bl_err *err)
{
	bl_trace_enter(BL_TRACE_ATTACH);
	if (prog->kind->attach != BL_ATTACH_NONE && prog->kind->attach != BL_ATTACH_PERF_EVENT &&
	    !prog->attach_target[0]) {
		bl_fail(err, EINVAL, "section %s names nothing to attach %s to; attach it by hand (it is loaded)",
			prog->section_name, prog->name);
		return NULL;
	}
	switch (prog->kind->attach) {
	case BL_ATTACH_KPROBE:
	case BL_ATTACH_KRETPROBE:
		return bl_attach_kprobe(prog, prog->attach_target,
					prog->kind->attach == BL_ATTACH_KRETPROBE, opts, err);
	case BL_ATTACH_TRACEPOINT:
		return attach_tracepoint_target(prog, err);
	case BL_ATTACH_RAW_TRACEPOINT:
		return bl_attach_raw_tracepoint(prog, prog->attach_target, err);
	case BL_ATTACH_UPROBE:
	case BL_ATTACH_URETPROBE:
		return bl_attach_uprobe_spec(prog, prog->attach_target,
					     prog->kind->attach == BL_ATTACH_URETPROBE, err);
	case BL_ATTACH_UPROBE_MULTI:
	case BL_ATTACH_URETPROBE_MULTI:
		return bl_attach_uprobe_multi_spec(prog, prog->attach_target,
						   prog->kind->attach == BL_ATTACH_URETPROBE_MULTI, err);
	case BL_ATTACH_USDT:
		return bl_attach_usdt_spec(prog, prog->attach_target, err);
	case BL_ATTACH_KPROBE_MULTI:
	case BL_ATTACH_KRETPROBE_MULTI:
		return bl_attach_kprobe_multi(prog, prog->attach_target,
					      prog->kind->attach == BL_ATTACH_KRETPROBE_MULTI, err);
	case BL_ATTACH_PERF_EVENT:
		return bl_attach_perf_event_section(prog, opts, err);
	case BL_ATTACH_KSYSCALL:
	case BL_ATTACH_KRETSYSCALL:
		return bl_attach_ksyscall(prog, prog->attach_target,
					  prog->kind->attach == BL_ATTACH_KRETSYSCALL, opts, err);
	case BL_ATTACH_TRACING:
		return bl_attach_tracing(prog, err);
	case BL_ATTACH_ITER:
		return bl_attach_iter(prog, -1, err);
	case BL_ATTACH_NONE:
	default:
		bl_fail(err, ENOTSUP, "section %s: this loader cannot attach %s programs automatically",
			prog->section_name, bl_prog_type_name(prog->kind->prog_type));
		return NULL;
	}
}

static int destroy_one(struct bl_attachment *att, struct bl_err *err)
{
	int ret = 0;

	if (att->usdt)
		ret = bl_usdt_detach(att->usdt, err);
	if (att->bpf_fd >= 0)	/* detaches the program */
		bl_sys_close(att->bpf_fd, att->perf_fd >= 0 ? "the BPF link: the program leaves the perf event" :
			     "the BPF link: the program leaves its hook");
	if (att->perf_fd >= 0)
		bl_sys_close(att->perf_fd, att->bpf_fd >= 0 ? "the perf event" :
			     "the perf event, and with it the program (PERF_EVENT_IOC_SET_BPF)");
	/* tracefs events outlive us unless removed, after the fd is closed */
	if (strncmp(att->legacy_event, "uprobes/", 8) == 0)
		ret = bl_uprobe_remove_legacy(att->legacy_event, ret ? NULL : err);
	else if (att->legacy_event[0])
		ret = bl_kprobe_remove_legacy(att->legacy_event, err);
	free(att);
	return ret;
}

int bl_attachment_destroy(struct bl_attachment *att, struct bl_err *err)
{
	int ret = 0;

	bl_trace_enter(BL_TRACE_DETACH);
	while (att) {
		struct bl_attachment *next = att->next;

		if (destroy_one(att, ret ? NULL : err))
			ret = -1;
		att = next;
	}
	return ret;
}
