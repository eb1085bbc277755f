// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe_trace - each call of a function in a user program or library:
 * who called it, with which arguments, and what it returned.
 *
 *   $ sudo ./uprobe_trace --string 1 --ret-string /bin/bash:readline
 *   bash 4242 readline("$ ") = "ls -l"
 *   $ sudo ./uprobe_trace --args 1 --hex libc.so.6:malloc --pid 4242
 *   bash 4242 malloc(0x20) = 0x55d0c2a4e2a0
 *
 * BINARY is a path, a library name found as the dynamic loader finds it
 * (libc.so.6), or a program on $PATH (bash).  FUNCTION is looked up in
 * its symbol tables (loader/elf/elf_symbols.c) and turned into a file
 * offset (loader/attach/uprobe_target.c); a uprobe there runs
 * kern/uprobe_trace.bpf.c's trace_entry, and a uretprobe trace_return,
 * which sends one event per completed call through a BPF ring buffer.
 *
 * The seed: bcc's bashreadline and gethostlatency, the classic uprobes on
 * bash's readline() and libc's getaddrinfo().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/object.h>
#include <bpfload/ringbuf.h>
#include <bpfload/uprobe.h>

#include "embedded.h"
#include "tool_common.h"
#include "tool_main.h"
#include "uprobe_trace_common.h"

EMBEDDED_OBJECT(uprobe_trace_bpf);

struct options {
	char binary[BL_BINARY_PATH_MAX];
	const char *func;
	long args;		/* how many to print */
	long string_arg;	/* 1..6, or 0 */
	int ret_string;
	int hex;
	int show_time;
	long pid;		/* 0: every process */
	int64_t duration_ms;	/* 0: until Ctrl-C */
};

/* ---- printing calls ------------------------------------------------------ */

static void print_number(const struct options *o, uint64_t v)
{
	if (o->hex)
		printf("0x%" PRIx64, v);
	else
		printf("%" PRId64, (int64_t)v);
}

/* A string as C would write it, so that the line stays one line. */
static void print_string(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch == '\n')
			printf("\\n");
		else if (ch < 32 || ch >= 127)
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static int print_call(void *ctx, const void *data, uint32_t size)
{
	const struct options *o = ctx;
	struct ut_event e;
	int i;

	if (size < sizeof(e))
		return -EPROTO;		/* not our event: stop */
	memcpy(&e, data, sizeof(e));
	printf("%.*s %u %s(", UT_COMM_LEN, e.comm, e.pid, o->func);
	for (i = 0; i < o->args; i++) {
		if (i)
			printf(", ");
		if (i + 1 == o->string_arg)
			print_string(e.arg_str, sizeof(e.arg_str));
		else
			print_number(o, e.args[i]);
	}
	printf(") = ");
	if (o->ret_string && e.ret)
		print_string(e.ret_str, sizeof(e.ret_str));
	else
		print_number(o, (uint64_t)e.ret);
	if (o->show_time)
		printf(" (%.3f us)", (double)e.duration_ns / 1000.0);
	putchar('\n');
	return 0;
}

static int explain(int ret, struct bl_err *err)
{
	if (ret == -EPROTO)
		return bl_fail(err, EPROTO, "an event shorter than struct ut_event (%zu bytes) arrived",
			       sizeof(struct ut_event));
	return ret;
}

static int print_calls(struct bl_ringbuf *rb, int64_t end_ms, struct bl_err *err)
{
	int timeout, n;

	while ((timeout = tool_next_timeout(end_ms)) >= 0) {
		n = explain(bl_ringbuf_poll(rb, timeout, err), err);
		if (n < 0 && n != -EINTR)
			return n;
		fflush(stdout);
	}
	return 0;
}

static int run(void *opts, struct bl_err *err)
{
	struct options *o = opts;
	struct bl_uprobe_opts uo = { .pid = (int)o->pid };
	uint32_t string_arg = (uint32_t)o->string_arg, ret_string = (uint32_t)o->ret_string;
	char path[BL_BINARY_PATH_MAX];
	struct bl_object *obj;
	struct bl_program *entry, *ret_prog;
	struct bl_map *events;
	struct bl_attachment *entry_att = NULL, *ret_att = NULL;
	struct bl_ringbuf *rb = NULL;
	uint64_t lost = 0;
	int ret = -1, e1, e2;

	/* 1. Open: the BPF object linked into this binary, told which
	 * argument is a string; and which file BINARY names. */
	if (bl_binary_path(o->binary, (int)o->pid, path, err))
		return -1;
	obj = bl_object_open_mem(uprobe_trace_bpf, EMBEDDED_SIZE(uprobe_trace_bpf),
				 "uprobe_trace.bpf.o", NULL, err);
	if (!obj)
		return -1;
	entry = bl_object_program(obj, "trace_entry");
	ret_prog = bl_object_program(obj, "trace_return");
	events = bl_object_map(obj, "events");
	if (!entry || !ret_prog || !events) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks a program or map it should have");
		goto out;
	}
	if (bl_object_var_write(obj, "string_arg", &string_arg, sizeof(string_arg), err) ||
	    bl_object_var_write(obj, "ret_string", &ret_string, sizeof(ret_string), err))
		goto out;

	/* 2. Load: create the maps, let the verifier check the programs. */
	if (tool_load(obj, err))
		goto out;

	/* 3. Attach: the ring first, then the return probe, then the entry
	 * (so that no entry waits for a return program not yet there).  The
	 * function is looked up in the file's symbol tables here. */
	rb = bl_ringbuf_open(bl_map_fd(events), print_call, o, err);
	if (!rb ||
	    !(ret_att = bl_attach_uprobe(ret_prog, path, o->func, 0, 1, &uo, err)) ||
	    !(entry_att = bl_attach_uprobe(entry, path, o->func, 0, 0, &uo, err)))
		goto out;
	if (o->pid)
		fprintf(stderr, "Tracing %s in %s, process %ld... Hit Ctrl-C to end.\n", o->func, path,
			o->pid);
	else
		fprintf(stderr, "Tracing %s in %s... Hit Ctrl-C to end.\n", o->func, path);

	/* 4. Read: one line per call that returned. */
	if (print_calls(rb, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, then print what is still in the ring. */
	e1 = bl_attachment_destroy(entry_att, err);
	e2 = bl_attachment_destroy(ret_att, e1 ? NULL : err);
	entry_att = ret_att = NULL;
	if (e1 || e2 || explain(bl_ringbuf_consume(rb, err), err) < 0)
		goto out;
	fflush(stdout);
	if (bl_object_var_read(obj, "lost", &lost, sizeof(lost), err))
		goto out;
	if (lost)
		fprintf(stderr, "uprobe_trace: %" PRIu64 " calls not shown: the ring buffer was full\n", lost);
	ret = 0;
out:
	/* 6. Close: detach if still attached, unmap the ring, free the rest. */
	bl_attachment_destroy(entry_att, NULL);
	bl_attachment_destroy(ret_att, NULL);
	bl_ringbuf_free(rb);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_LONG('a', "args", "N", "arguments to print, 0 to 6 (default 3)", struct options, args, 0,
		  UT_MAX_ARGS),
	TOOL_LONG('s', "string", "N", "argument N (1-6) is a C string: print its text",
		  struct options, string_arg, 1, UT_MAX_ARGS),
	TOOL_FLAG('r', "ret-string", "the return value is a C string", struct options, ret_string),
	TOOL_FLAG('x', "hex", "numbers in hexadecimal (default: signed decimal)", struct options, hex),
	TOOL_FLAG('T', "time", "print how long each call took", struct options, show_time),
	TOOL_LONG('p', "pid", "PID", "only this process (filtered by the kernel)", struct options, pid,
		  1, 0x7fffffff),
	TOOL_DURATION(struct options, duration_ms),
	{ 0 }
};

/* BINARY:FUNCTION, split at the last ':' (a path may hold one, a C name not). */
static int take_args(void *opts, int argc, char **argv)
{
	struct options *o = opts;
	const char *colon = argc == 1 ? strrchr(argv[0], ':') : NULL;

	if (!colon || colon == argv[0] || !colon[1] || (size_t)(colon - argv[0]) >= sizeof(o->binary)) {
		fprintf(stderr, "uprobe_trace: expected one BINARY:FUNCTION; see --help\n");
		return -1;
	}
	memcpy(o->binary, argv[0], (size_t)(colon - argv[0]));
	o->binary[colon - argv[0]] = '\0';
	o->func = colon + 1;
	if (o->string_arg > o->args)
		o->args = o->string_arg;	/* a string is shown in its place */
	return 0;
}

static const struct tool uprobe_trace = {
	.name = "uprobe_trace",
	.args = "BINARY:FUNCTION",
	.summary = "Print \"comm pid FUNCTION(args) = ret\" for each call of FUNCTION in BINARY: a\n"
		   "path, a library (libc.so.6) or a program on $PATH (bash).",
	.epilog = "Examples:\n"
		  "  uprobe_trace --args 1 --string 1 --ret-string /bin/bash:readline\n"
		  "  uprobe_trace --args 2 --string 1 libc.so.6:getaddrinfo\n"
		  "  uprobe_trace --args 1 --hex --pid 1234 libc.so.6:malloc\n",
	.options = options,
	.take_args = take_args,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { .args = 3 };

	return tool_main(&uprobe_trace, &o, argc, argv);
}
