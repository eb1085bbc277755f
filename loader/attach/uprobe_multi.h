/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe_multi.h - one program on many functions of one file, with one
 * BPF link: bpf(BPF_LINK_CREATE, BPF_TRACE_UPROBE_MULTI), Linux 6.6.
 *
 * Where a uprobe per function costs a perf event (and with tracefs an
 * event) each, a uprobe_multi link takes an array of file offsets, and
 * optionally a cookie for each, in a single system call.  The program
 * must have been loaded for it (expected_attach_type
 * BPF_TRACE_UPROBE_MULTI), which the "uprobe.multi" sections ask for.
 */
#ifndef BL_UPROBE_MULTI_H
#define BL_UPROBE_MULTI_H

#include <stddef.h>
#include <stdint.h>

#include "sys/error.h"

struct bl_program;
struct bl_link;

struct bl_uprobe_multi_opts {
	int pid;			/* only this process; 0: every process */
	int retprobe;			/* on return instead of entry */
	const char *const *funcs;	/* func_cnt names, instead of a pattern */
	size_t func_cnt;
	const uint64_t *cookies;	/* one per name of funcs, or NULL */
};

/* Attach prog to every function of binary (a path or a name, see
 * binary_path.h) whose name matches the glob pattern (fnmatch(3): "*",
 * "?", "[abc]"), or to opts->funcs when pattern is NULL.  Aliases (names
 * of one address) are probed once.  opts may be NULL. */
struct bl_link *bl_attach_uprobe_multi(const struct bl_program *prog, const char *binary,
				       const char *pattern, const struct bl_uprobe_multi_opts *opts,
				       struct bl_err *err);

/* A section's target "PATH:PATTERN" (uprobe.multi/PATH:PATTERN). */
struct bl_link *bl_attach_uprobe_multi_spec(const struct bl_program *prog, const char *spec,
					    int retprobe, struct bl_err *err);

#endif
