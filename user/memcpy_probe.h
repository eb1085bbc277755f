/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memcpy_probe.h - attaching the memcpy tools' program, with the fallback
 * for kernels that refuse to kprobe memcpy (see README, "memcpy on modern
 * kernels").
 */
#ifndef MEMCPY_PROBE_H
#define MEMCPY_PROBE_H

#include <stdint.h>
#include <stdio.h>

#include <bpfload/attach.h>
#include <bpfload/object.h>

#include "../kern/memcpy_common.h"
#include "tool_main.h"

struct memcpy_probe_request {
	const char *tool;	/* program name for messages: "memcpy_stat" */
	const char *func;	/* --func, or NULL: memcpy, else a fallback */
	int arg;		/* --arg, or 0: the function's size argument */
	int force_legacy;	/* use tracefs kprobe_events */
};

/* The options both memcpy tools take. */
struct memcpy_options {
	int64_t interval_ms;	/* memcpy_stat's -i/--interval (default 2 s) */
	int64_t duration_ms;	/* 0: until Ctrl-C */
	const char *func;	/* --func, or NULL */
	long arg;		/* --arg, or 0 */
};

/* What both tools' --help says after the options. */
#define MEMCPY_EPILOG \
	"Kernels since 5.1 refuse to kprobe memcpy; then a copy routine whose\n" \
	"size argument means the same is traced instead, and named.\n" \
	"Set BPFLOAD_LEGACY_KPROBES=1 to create kprobes through tracefs.\n"

/* -f/--func and -a/--arg, which both tools take (see tool_main.h). */
#define MEMCPY_FUNC_OPTIONS(arg_help) \
	TOOL_STRING('f', "func", "NAME", "trace NAME instead of memcpy", \
		    struct memcpy_options, func), \
	TOOL_LONG('a', "arg", "N", arg_help, struct memcpy_options, arg, 1, 6)

/* Write the config map and attach prog to the requested function, or to
 * memcpy or the first fallback the kernel accepts (saying so on stderr).
 * *used receives the function and argument actually traced. */
struct bl_attachment *memcpy_probe_attach(const struct bl_object *obj, const struct bl_program *prog,
				    const struct memcpy_probe_request *req,
				    struct memcpy_config *used, struct bl_err *err);

#endif
