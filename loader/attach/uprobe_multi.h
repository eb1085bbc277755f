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

#include <bpfload/uprobe.h>

/* bl_attach_uprobe_multi() and its options are in <bpfload/uprobe.h>. */

/* Attach as a section's target "PATH:PATTERN" says (uprobe.multi/PATH:PATTERN). */
struct bl_attachment *bl_attach_uprobe_multi_spec(const struct bl_program *prog, const char *spec,
						  int retprobe, struct bl_err *err);

#endif
