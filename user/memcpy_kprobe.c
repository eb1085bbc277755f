// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy_kprobe - print the size of every kernel memcpy, as it happens.
 *
 * The BPF program (kern/memcpy_kprobe.bpf.c) calls bpf_trace_printk() on
 * each call; we stream tracefs's trace_pipe to stdout, lines like
 *   "  cat-24908 [005] d... 151374.866218: bpf_trace_printk: memcpy size 2"
 * trace_pipe is shared by the whole system: lines printed by other BPF
 * programs appear too (learn-bpf's memcpy_kprobe read the same file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/object.h>
#include <bpfload/trace_pipe.h>

#include "embedded.h"
#include "memcpy_probe.h"
#include "tool_common.h"
#include "tool_main.h"

EMBEDDED_OBJECT(memcpy_kprobe_bpf);

static int run(void *opts, struct bl_err *err)
{
	const struct memcpy_options *o = opts;
	struct memcpy_probe_request req = {
		.tool = "memcpy_kprobe", .func = o->func, .arg = (int)o->arg,
		.force_legacy = getenv("BPFLOAD_LEGACY_KPROBES") != NULL,
	};
	struct bl_trace_pipe tp = { .fd = -1 };
	struct memcpy_config traced;
	struct bl_object *obj;
	struct bl_program *prog;
	struct bl_attachment *att = NULL;
	int ret = -1;

	/* 1. Open: parse the BPF object linked into this binary. */
	obj = bl_object_open_mem(memcpy_kprobe_bpf, EMBEDDED_SIZE(memcpy_kprobe_bpf),
				 "memcpy_kprobe.bpf.o", NULL, err);
	if (!obj)
		return -1;
	prog = bl_object_program(obj, "memcpy_kprobe");
	if (!prog) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks program memcpy_kprobe");
		goto out;
	}

	/* 2. Load: create the config map, let the verifier check the program. */
	if (tool_load(obj, err))
		goto out;

	/* 3. Attach: a kprobe on memcpy, or on the routine standing in.
	 * (Lines printed before trace_pipe is open wait in the kernel's buffer.) */
	att = memcpy_probe_attach(obj, prog, &req, &traced, err);
	if (!att || bl_trace_pipe_open(&tp, err))
		goto out;
	fprintf(stderr, "Tracing %s (size: argument %u)... Hit Ctrl-C to end.\n",
		traced.func, traced.arg);

	/* 4. Read: stream the program's lines. */
	ret = tool_stream_trace_pipe(&tp, o->duration_ms ? tool_now_ms() + o->duration_ms : 0,
				     NULL, NULL, err);
	if (bl_attachment_destroy(att, err) && ret == 0)
		ret = -1;
	att = NULL;
out:
	/* 5. Close: detach, then free maps and programs. */
	bl_attachment_destroy(att, NULL);
	bl_trace_pipe_close(&tp);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_DURATION(struct memcpy_options, duration_ms),
	MEMCPY_FUNC_OPTIONS("print argument N (1-6) of the function"),
	{ 0 }
};

static const struct tool memcpy_kprobe = {
	.name = "memcpy_kprobe",
	.summary = "Print \"memcpy size N\" for every kernel memcpy, from trace_pipe.",
	.epilog = MEMCPY_EPILOG,
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct memcpy_options o = { 0 };

	return tool_main(&memcpy_kprobe, &o, argc, argv);
}
