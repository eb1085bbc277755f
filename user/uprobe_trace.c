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
 * The seed: bcc's bashreadline and gethostlatency, and Learning eBPF's
 * uprobe examples (chapter 7).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach.h"
#include "attach/uprobe.h"
#include "attach/uprobe_target.h"
#include "embedded.h"
#include "events/ringbuf.h"
#include "object/global_data.h"
#include "object/object.h"
#include "tool_common.h"
#include "uprobe_trace_common.h"

EMBEDDED_OBJECT(uprobe_trace_bpf);

struct options {
	char binary[BL_BINARY_PATH_MAX];
	const char *func;
	int args;		/* how many to print */
	uint32_t string_arg;	/* 1..6, or 0 */
	uint32_t ret_string;
	int hex;
	int show_time;
	int pid;		/* 0: every process */
	int64_t duration_ms;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: uprobe_trace [options] BINARY:FUNCTION\n"
		"Print \"comm pid FUNCTION(args) = ret\" for each call of FUNCTION in BINARY: a\n"
		"path, a library (libc.so.6) or a program on $PATH (bash).\n"
		"\n"
		"  -a, --args N          arguments to print, 0 to 6 (default 3)\n"
		"  -s, --string N        argument N (1-6) is a C string: print its text\n"
		"  -r, --ret-string      the return value is a C string\n"
		"  -x, --hex             numbers in hexadecimal (default: signed decimal)\n"
		"  -T, --time            print how long each call took\n"
		"  -p, --pid PID         only this process (filtered by the kernel)\n"
		"  -d, --duration SECONDS  stop after this long (default: until Ctrl-C)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Examples:\n"
		"  uprobe_trace --string 1 --ret-string /bin/bash:readline\n"
		"  uprobe_trace --args 2 --string 1 libc.so.6:getaddrinfo\n"
		"  uprobe_trace --args 1 --hex --pid 1234 libc.so.6:malloc\n");
}

static int parse_target(const char *arg, struct options *o)
{
	const char *colon = strrchr(arg, ':');

	if (!colon || colon == arg || !colon[1] || (size_t)(colon - arg) >= sizeof(o->binary)) {
		fprintf(stderr, "uprobe_trace: expected BINARY:FUNCTION, got '%s'; see --help\n", arg);
		return -1;
	}
	memcpy(o->binary, arg, (size_t)(colon - arg));
	o->binary[colon - arg] = '\0';
	o->func = colon + 1;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "args", required_argument, NULL, 'a' },
		{ "string", required_argument, NULL, 's' },
		{ "ret-string", no_argument, NULL, 'r' },
		{ "hex", no_argument, NULL, 'x' },
		{ "time", no_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bad = NULL;
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->args = 3;
	while ((c = getopt_long(argc, argv, "a:s:rxTp:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->args = (int)(v = tool_parse_int(optarg, 0, UT_MAX_ARGS));
			if (v < 0)
				bad = "args (0 to 6)";
			break;
		case 's':
			o->string_arg = (uint32_t)(v = tool_parse_int(optarg, 1, UT_MAX_ARGS));
			if (v < 0)
				bad = "string (1 to 6)";
			break;
		case 'r':
			o->ret_string = 1;
			break;
		case 'x':
			o->hex = 1;
			break;
		case 'T':
			o->show_time = 1;
			break;
		case 'p':
			o->pid = (int)(v = tool_parse_int(optarg, 1, 0x7fffffff));
			if (v < 0)
				bad = "pid";
			break;
		case 'd':
			o->duration_ms = tool_parse_seconds(optarg);
			if (o->duration_ms < 0)
				bad = "duration";
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
		if (bad) {
			fprintf(stderr, "uprobe_trace: bad value '%s' for --%s; see --help\n", optarg, bad);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "uprobe_trace: %s; see --help\n",
			optind < argc ? "one BINARY:FUNCTION only" : "give BINARY:FUNCTION");
		return -1;
	}
	if (o->string_arg > (uint32_t)o->args)
		o->args = (int)o->string_arg;	/* a string is shown in its place */
	return parse_target(argv[optind], o);
}

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
		if ((uint32_t)i + 1 == o->string_arg)
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

static int run(struct options *o, struct bl_err *err)
{
	struct bl_uprobe_opts uo = { .pid = o->pid };
	struct bl_uprobe_target where;
	struct bl_object *obj;
	struct bl_program *entry, *ret_prog;
	struct bl_map *events;
	struct bl_link *entry_link = NULL, *ret_link = NULL;
	struct bl_ringbuf *rb = NULL;
	uint64_t lost = 0;
	int ret = -1, e1, e2;

	/* 1. Open: the BPF object linked into this binary, told which
	 * argument is a string; and where FUNCTION is, by name. */
	if (bl_uprobe_resolve(o->binary, o->func, 0, o->pid, &where, err))
		return -1;
	obj = bl_object_open_mem(uprobe_trace_bpf, EMBEDDED_SIZE(uprobe_trace_bpf),
				 "uprobe_trace.bpf.o", err);
	if (!obj)
		return -1;
	entry = bl_object_program(obj, "trace_entry");
	ret_prog = bl_object_program(obj, "trace_return");
	events = bl_object_map(obj, "events");
	if (!entry || !ret_prog || !events) {
		bl_fail(err, ENOENT, "the embedded BPF object lacks a program or map it should have");
		goto out;
	}
	if (bl_object_var_write(obj, "string_arg", &o->string_arg, sizeof(o->string_arg), err) ||
	    bl_object_var_write(obj, "ret_string", &o->ret_string, sizeof(o->ret_string), err))
		goto out;

	/* 2. Load: create the maps, let the verifier check the programs. */
	if (bl_object_load(obj, err)) {
		if (entry->verifier_log || ret_prog->verifier_log)
			fprintf(stderr, "%s\n", entry->verifier_log ? entry->verifier_log : ret_prog->verifier_log);
		goto out;
	}

	/* 3. Attach: the ring first, then the return probe, then the entry
	 * (so that no entry waits for a return program not yet there). */
	rb = bl_ringbuf_open(events->fd, print_call, o, err);
	if (!rb ||
	    !(ret_link = bl_attach_uprobe(ret_prog, where.path, o->func, 0, 1, &uo, err)) ||
	    !(entry_link = bl_attach_uprobe(entry, where.path, o->func, 0, 0, &uo, err)))
		goto out;
	if (o->pid)
		fprintf(stderr, "Tracing %s in %s, process %d... Hit Ctrl-C to end.\n", o->func, where.path,
			o->pid);
	else
		fprintf(stderr, "Tracing %s in %s... Hit Ctrl-C to end.\n", o->func, where.path);

	/* 4. Read: one line per call that returned. */
	if (print_calls(rb, o->duration_ms ? tool_now_ms() + o->duration_ms : 0, err))
		goto out;

	/* 5. Detach, then print what is still in the ring. */
	e1 = bl_link_destroy(entry_link, err);
	e2 = bl_link_destroy(ret_link, e1 ? NULL : err);
	entry_link = ret_link = NULL;
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
	bl_link_destroy(entry_link, NULL);
	bl_link_destroy(ret_link, NULL);
	bl_ringbuf_free(rb);
	bl_object_close(obj);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	struct bl_err err = { 0, "" };

	if (parse_options(argc, argv, &o))
		return 2;
	tool_catch_stop_signals();
	if (run(&o, &err)) {
		fprintf(stderr, "uprobe_trace: %s\n", err.msg[0] ? err.msg : "failed");
		return 1;
	}
	return 0;
}
