// SPDX-License-Identifier: BSD-2-Clause
/*
 * iter.c - BPF iterators (iter/task, iter/bpf_map, iter/bpf_map_elem,
 * ...): a program the kernel runs once per object of a kind, writing text
 * (bpf_seq_printf) or bytes (bpf_seq_write) into a file user space reads.
 *
 * Two steps, as the kernel has them: the iterator's BPF link
 * (BPF_LINK_CREATE with BPF_TRACE_ITER, Linux 5.8) fixes the program and,
 * for iterators over one map's elements, the map; each BPF_ITER_CREATE on
 * that link is then a new file, read(2) to its end for one complete walk.
 * Which kind of object is walked was settled at load: the program's
 * attach_btf_id names the kernel function bpf_iter_<kind>.
 *
 * Syscalls: bpf(BPF_LINK_CREATE, BPF_ITER_CREATE).
 */
#include "attach/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/bpf_link.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"

static const char *iter_hint(int code, int map_fd)
{
	if (code == EINVAL || code == EBADF)
		return map_fd < 0 ? "; iterators over a map's elements need the map (bl_attach_iter() with its fd), and kernels before 5.8 have no iterators" :
				    "; is the map of a type this iterator walks?";
	return bl_errno_hint(code);
}

struct bl_attachment *bl_attach_iter(const struct bl_program *prog, int map_fd, struct bl_err *err)
{
	struct bl_attachment *att;
	int fd;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (prog->kind->attach != BL_ATTACH_ITER) {
		bl_fail(err, EINVAL, "attaching %s: section %s is not iter/", prog->name, prog->section_name);
		return NULL;
	}
	if (prog->fd < 0) {
		bl_fail(err, EBADF, "attaching %s to iterator %s: the program is not loaded", prog->name,
			prog->attach_target);
		return NULL;
	}
	fd = bl_link_create_iter(prog->fd, map_fd);
	if (fd < 0) {
		bl_fail(err, -fd, "creating the %s iterator's link for %s failed: %s%s", prog->attach_target,
			prog->name, bl_errno_name(-fd), iter_hint(-fd, map_fd));
		return NULL;
	}
	att = calloc(1, sizeof(*att));
	if (!att) {
		bl_sys_close(fd, "an iterator link");
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	att->perf_fd = -1;
	att->bpf_fd = fd;
	att->iterator = 1;
	snprintf(att->target, sizeof(att->target), "iterator %s", prog->attach_target);
	return att;
}

int bl_iter_open(const struct bl_attachment *att, struct bl_err *err)
{
	int fd;

	if (!att || !att->iterator)
		return bl_fail(err, EINVAL, "not an iterator's attachment");
	fd = bl_iter_create(att->bpf_fd);
	if (fd < 0)
		return bl_fail(err, -fd, "starting a run of the %s failed: %s", att->target,
			       bl_errno_name(-fd));
	return fd;
}
