// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy_kprobe - print the size of every kernel memcpy, as it happens.
 *
 * The BPF program (kern/memcpy_kprobe.bpf.c) calls bpf_trace_printk() on
 * each call; we stream tracefs's trace_pipe to stdout, lines like
 *   "  cat-24908 [005] d... 151374.866218: bpf_trace_printk: memcpy size 2"
 * trace_pipe is shared by the whole system: lines printed by other BPF
 * programs appear too, as they did with the seed.
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

EMBEDDED_OBJECT(memcpy_kprobe_bpf);

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: memcpy_kprobe [options]\n"
		"Print \"memcpy size N\" for every kernel memcpy, from trace_pipe.\n"
		"\n"
		"  -d, --duration SECONDS  stop after this long (default: until Ctrl-C)\n"
		"  -f, --func NAME         trace NAME instead of memcpy\n"
		"  -a, --arg N             print argument N (1-6) of the function\n"
		"  -h, --help              show this help\n"
		"\n"
		"Kernels since 5.1 refuse to kprobe memcpy; then a copy routine whose\n"
		"size argument means the same is traced instead, and named.\n"
		"Set BPFLOAD_LEGACY_KPROBES=1 to create kprobes through tracefs.\n");
}

static int run(const struct memcpy_options *o, struct bl_err *err)
{
	struct memcpy_probe_request req = {
		.tool = "memcpy_kprobe", .func = o->func, .arg = o->arg,
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

int main(int argc, char **argv)
{
	struct memcpy_options o;
	struct bl_err err = { 0, "" };

	if (memcpy_parse_options(argc, argv, "memcpy_kprobe", 0, usage, &o))
		return 2;
	tool_catch_stop_signals();
	if (run(&o, &err)) {
		fprintf(stderr, "memcpy_kprobe: %s\n", err.msg[0] ? err.msg : "failed");
		return 1;
	}
	return 0;
}
