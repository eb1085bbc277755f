// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_trace.c - narration against a real kernel, on the host and in
 * the qemu guests (which have no strace; htest_trace.c compares with
 * strace on the host).
 *
 *   trace/in-process   narrate.bpf.o opened, loaded, attached, read and
 *                      closed through the library with a hook that, at
 *                      each line, asks the kernel about the fd the line
 *                      says a call returned (/proc/self/fd: a bpf-map for
 *                      MAP_CREATE, a bpf-prog for PROG_LOAD, ...; gone
 *                      after close); then one MAP_CREATE per map and one
 *                      PROG_LOAD per program with the fds the object
 *                      holds, the attachments the loader must have made,
 *                      relocation lines with the real fds, phases in
 *                      order, every documented field; no line when off
 *   trace/bpfload      bpfload --trace --duration 1 narrate.bpf.o: the
 *                      same counts, read from its stderr
 *   trace/env          BPFLOAD_TRACE=1 makes another tool (hello_map)
 *                      narrate; without it, it says nothing of the kind
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/trace.h>

#include "../testlib.h"
#include "embedded.h"
#include "ktest_options.h"
#include "narration.h"
#include "spawn.h"

EMBEDDED_OBJECT(narrate_bpf);

static struct ktest_options opts;

/* ---- a hook that checks each line against the kernel ------------------------- */

struct recorder {
	char *all;		/* "[phase] text\n" for every line */
	size_t len, cap;
	int lines;
	char lie[512];		/* the first line the kernel contradicted */
};

static void fd_target(int fd, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
}

/* What /proc/self/fd/N must be after a line saying a call returned N. */
static const char *expected_inode(const char *text)
{
	if (strncmp(text, "bpf(BPF_MAP_CREATE,", 19) == 0)
		return "anon_inode:bpf-map";
	if (strncmp(text, "bpf(BPF_PROG_LOAD,", 18) == 0)
		return "anon_inode:bpf-prog";
	if (strncmp(text, "bpf(BPF_BTF_LOAD,", 17) == 0)
		return "anon_inode:btf";
	if (strncmp(text, "bpf(BPF_LINK_CREATE,", 20) == 0 ||
	    strncmp(text, "bpf(BPF_RAW_TRACEPOINT_OPEN,", 28) == 0)
		return "anon_inode:bpf";	/* bpf_link; bpf-raw-tracepoint before 5.7 */
	if (strncmp(text, "perf_event_open(", 16) == 0)
		return "anon_inode:[perf_event]";
	return NULL;
}

static void check_against_kernel(struct recorder *r, const char *text)
{
	const char *want = expected_inode(text);
	char result[64], target[128];
	int fd;

	if (r->lie[0])
		return;
	narration_result(text, result, sizeof(result));
	if (want && result[0] && result[0] != '-') {
		fd = atoi(result);
		fd_target(fd, target, sizeof(target));
		if (strncmp(target, want, strlen(want)))
			snprintf(r->lie, sizeof(r->lie), "fd %d is \"%s\", not %s, after: %.300s", fd, target,
				 want, text);
	}
	if (strncmp(text, "close(", 6) == 0 && strcmp(result, "0") == 0) {
		fd = atoi(text + 6);
		fd_target(fd, target, sizeof(target));
		if (target[0])
			snprintf(r->lie, sizeof(r->lie), "fd %d is still open (%s) after: %.300s", fd, target,
				 text);
	}
}

static void record(const struct bl_trace_event *ev, void *ctx)
{
	struct recorder *r = ctx;
	size_t need = strlen(ev->text) + 16;

	if (r->len + need >= r->cap) {
		size_t cap = (r->cap + need) * 2;
		char *all = realloc(r->all, cap);

		if (!all)
			return;
		r->all = all;
		r->cap = cap;
	}
	r->len += (size_t)snprintf(r->all + r->len, r->cap - r->len, "[%s] %s\n",
				   bl_trace_phase_name(ev->phase), ev->text);
	r->lines++;
	if (ev->kind == BL_TRACE_SYSCALL)
		check_against_kernel(r, ev->text);
}

/* ---- in process ----------------------------------------------------------------- */

static int tracepoint_id(const char *cat, const char *name)
{
	char path[256], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/%s/id", cat, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? atoi(buf) : -1;
}

/* One successful line with both texts in it. */
static int has_line(const struct narration *n, const char *prefix, const char *a, const char *b)
{
	size_t i;
	char result[64];

	for (i = 0; i < n->count; i++) {
		if (strncmp(n->lines[i].text, prefix, strlen(prefix)) || !strstr(n->lines[i].text, a) ||
		    (b && !strstr(n->lines[i].text, b)))
			continue;
		narration_result(n->lines[i].text, result, sizeof(result));
		if (result[0] != '-')
			return 1;
	}
	return 0;
}

/* Successful lines of phase starting with prefix and containing what. */
static size_t count_ok_with(const struct narration *n, const char *phase, const char *prefix,
			    const char *what)
{
	size_t i, count = 0;
	char result[64];

	for (i = 0; i < n->count; i++) {
		if (strcmp(n->lines[i].phase, phase) || strncmp(n->lines[i].text, prefix, strlen(prefix)) ||
		    !strstr(n->lines[i].text, what))
			continue;
		narration_result(n->lines[i].text, result, sizeof(result));
		count += result[0] && result[0] != '-';
	}
	return count;
}

/* Each map and program was created once, and the line says its fd. */
static int check_object_lines(const struct narration *n, const struct bl_object *obj,
			      char *why, size_t size)
{
	const struct bl_map *m = NULL;
	const struct bl_program *p = NULL;
	size_t maps = 0, progs = 0;
	char fd[32], reloc[96];

	while ((m = bl_object_next_map(obj, m))) {
		maps++;
		snprintf(fd, sizeof(fd), ") = %d", bl_map_fd(m));
		if (!has_line(n, "bpf(BPF_MAP_CREATE, ", fd, NULL)) {
			snprintf(why, size, "no MAP_CREATE line returning map %s's fd %d", bl_map_name(m), bl_map_fd(m));
			return -1;
		}
	}
	while ((p = bl_object_next_program(obj, p))) {
		char name[64];

		progs++;
		snprintf(name, sizeof(name), " name=%s ", bl_program_name(p));
		snprintf(fd, sizeof(fd), ") = %d", bl_program_fd(p));
		if (!has_line(n, "bpf(BPF_PROG_LOAD, ", name, fd)) {
			snprintf(why, size, "no PROG_LOAD line for %s returning its fd %d", bl_program_name(p),
				 bl_program_fd(p));
			return -1;
		}
	}
	if (narration_count(n, "load", "bpf(BPF_MAP_CREATE, ", 1) != maps ||
	    narration_count(n, "load", "bpf(BPF_PROG_LOAD, ", 1) != progs) {
		snprintf(why, size, "%zu maps and %zu programs, but %zu MAP_CREATE and %zu PROG_LOAD succeeded",
			 maps, progs, narration_count(n, NULL, "bpf(BPF_MAP_CREATE, ", 1),
			 narration_count(n, NULL, "bpf(BPF_PROG_LOAD, ", 1));
		return -1;
	}
	snprintf(reloc, sizeof(reloc), "= map calls_by_tgid (BPF_PSEUDO_MAP_FD %d)",
		 bl_map_fd(bl_object_map(obj, "calls_by_tgid")));
	if (!has_line(n, "insn ", reloc, NULL)) {
		snprintf(why, size, "no relocation line \"%s\"", reloc);
		return -1;
	}
	snprintf(reloc, sizeof(reloc), "(BPF_PSEUDO_MAP_VALUE fd %d, offset 0)",
		 bl_map_fd(bl_object_map(obj, ".bss")));
	if (!has_line(n, "insn ", "&getppid_calls, in .bss+0 ", reloc)) {
		snprintf(why, size, "no relocation line for getppid_calls with \"%s\"", reloc);
		return -1;
	}
	return 0;
}

/* The attachments bl_program_attach() must have made for a tracepoint
 * and a raw tracepoint: perf_event_open of the tracepoint's id, then a
 * BPF link or PERF_EVENT_IOC_SET_BPF (before 5.15), and ENABLE; one
 * BPF_RAW_TRACEPOINT_OPEN. */
static int check_attach_lines(const struct narration *n, char *why, size_t size)
{
	int id = tracepoint_id("syscalls", "sys_enter_getppid");
	char config[48];
	size_t links = narration_count(n, "attach", "bpf(BPF_LINK_CREATE, ", 1);
	size_t set_bpf = count_ok_with(n, "attach", "ioctl(", "PERF_EVENT_IOC_SET_BPF");

	snprintf(config, sizeof(config), "type=tracepoint(2) config=%d ", id);
	if (narration_count(n, "attach", "perf_event_open(", 1) != 1 ||
	    !has_line(n, "perf_event_open(", config, " pid=-1 cpu=0 ")) {
		snprintf(why, size, "expected one perf_event_open with \"%s\" (tracefs says id %d)", config, id);
		return -1;
	}
	if (links + set_bpf != 1 || count_ok_with(n, "attach", "ioctl(", "PERF_EVENT_IOC_ENABLE") != 1) {
		snprintf(why, size, "%zu BPF links and %zu PERF_EVENT_IOC_SET_BPF for one tracepoint, or no ENABLE",
			 links, set_bpf);
		return -1;
	}
	if (narration_count(n, "attach", "bpf(BPF_RAW_TRACEPOINT_OPEN, name=\"sys_enter\"", 1) != 1) {
		snprintf(why, size, "expected one BPF_RAW_TRACEPOINT_OPEN of sys_enter");
		return -1;
	}
	return 0;
}

static struct bl_object *load_and_attach(struct bl_attachment **atts, size_t *count,
					 struct bl_err *err)
{
	struct bl_object *obj = bl_object_open_mem(narrate_bpf, EMBEDDED_SIZE(narrate_bpf),
						   "narrate.bpf.o", NULL, err);
	const struct bl_program *p = NULL;
	uint32_t tgid = (uint32_t)getpid();

	*count = 0;
	if (!obj)
		return NULL;
	if (bl_object_var_write(obj, "target_tgid", &tgid, sizeof(tgid), err) || bl_object_load(obj, err)) {
		bl_object_close(obj);
		return NULL;
	}
	while ((p = bl_object_next_program(obj, p))) {
		atts[*count] = bl_program_attach(p, NULL, err);
		if (!atts[*count])
			return obj;
		(*count)++;
	}
	return obj;
}

static void test_in_process(void)
{
	const char *name = "trace/in-process";
	struct recorder r = { 0 };
	struct bl_attachment *atts[4];
	struct bl_object *obj;
	struct narration n;
	struct bl_err err;
	size_t count, i;
	uint64_t calls = 0;
	char why[512] = "";
	int lines_on;

	bl_trace_set(record, &r);
	obj = load_and_attach(atts, &count, &err);
	if (!obj || count != 2) {
		bl_trace_set(NULL, NULL);
		t_fail(name, "%s", err.msg);
		for (i = 0; i < count; i++)
			bl_attachment_destroy(atts[i], NULL);
		bl_object_close(obj);
		free(r.all);
		return;
	}
	for (i = 0; i < 5; i++)
		(void)getppid();
	bl_trace_phase(BL_TRACE_READ);
	(void)bl_object_var_read(obj, "getppid_calls", &calls, sizeof(calls), &err);
	{
		uint32_t tgid = (uint32_t)getpid();
		uint64_t v;

		(void)bl_map_lookup(bl_map_fd(bl_object_map(obj, "calls_by_tgid")), &tgid, &v);
	}
	narration_parse(r.all, &n);
	if (check_object_lines(&n, obj, why, sizeof(why)) == 0)
		check_attach_lines(&n, why, sizeof(why));
	narration_free(&n);
	for (i = 0; i < count; i++)
		bl_attachment_destroy(atts[i], NULL);
	bl_object_close(obj);
	bl_trace_set(NULL, NULL);
	lines_on = r.lines;

	narration_parse(r.all, &n);
	if (!why[0] && narration_phases_in_order(&n, why, sizeof(why)) == 0 &&
	    narration_count(&n, "open", "bpf(", 0) != 0)
		snprintf(why, sizeof(why), "a bpf(2) call narrated in the open phase");
	if (!why[0] && narration_count(&n, "read", "bpf(BPF_MAP_LOOKUP_ELEM, ", 1) == 0)
		snprintf(why, sizeof(why), "the map read after attaching is not narrated in the read phase");
	if (!why[0])
		narration_documented_fields(&n, 1, why, sizeof(why));
	narration_free(&n);

	/* off again: the same run says nothing */
	obj = load_and_attach(atts, &count, &err);
	for (i = 0; i < count; i++)
		bl_attachment_destroy(atts[i], NULL);
	bl_object_close(obj);

	if (calls != 5)
		t_fail(name, "the programs counted %llu getppid() calls, not 5", (unsigned long long)calls);
	else if (r.lie[0])
		t_fail(name, "the kernel contradicts a line: %s", r.lie);
	else if (why[0])
		t_fail(name, "%s", why);
	else if (r.lines != lines_on)
		t_fail(name, "%d lines narrated with no hook set", r.lines - lines_on);
	else
		t_pass(name);
	free(r.all);
}

/* ---- through the tools ----------------------------------------------------------- */

static int run_tool(const char *tool, const char *const *args, const char *const *env,
		    struct spawn_result *res)
{
	const char *argv[16];
	char path[512];
	size_t i;
	struct spawn_options o = { .argv = argv, .env = env, .timeout_ms = 60000 };

	snprintf(path, sizeof(path), "%s/%s", opts.bindir, tool);
	argv[0] = path;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	return spawn_run(&o, res);
}

static void test_bpfload(void)
{
	const char *name = "trace/bpfload";
	char obj[512], why[512] = "";
	const char *args[] = { "--trace", "--duration", "1", obj, NULL };
	struct spawn_result r;
	struct narration n;

	snprintf(obj, sizeof(obj), "%s/narrate.bpf.o", opts.objdir);
	T_EXPECT(name, run_tool("bpfload", args, NULL, &r) == 0, "cannot run bpfload");
	narration_parse(r.err, &n);
	if (r.exit_code != 0)
		snprintf(why, sizeof(why), "exit %d: %s", r.exit_code, r.err);
	else if (narration_count(&n, "load", "bpf(BPF_MAP_CREATE, ", 1) != 5 ||
		 narration_count(&n, "load", "bpf(BPF_PROG_LOAD, ", 1) != 2)
		snprintf(why, sizeof(why), "%zu maps created and %zu programs loaded, not 5 and 2",
			 narration_count(&n, "load", "bpf(BPF_MAP_CREATE, ", 1),
			 narration_count(&n, "load", "bpf(BPF_PROG_LOAD, ", 1));
	else if (narration_count(&n, "attach", "perf_event_open(", 1) != 1 ||
		 narration_count(&n, "attach", "bpf(BPF_RAW_TRACEPOINT_OPEN, ", 1) != 1)
		snprintf(why, sizeof(why), "not one perf_event_open and one raw tracepoint attached");
	else if (narration_count(&n, "read", "bpf(BPF_MAP_GET_NEXT_KEY, ", 0) == 0)
		snprintf(why, sizeof(why), "the maps printed at exit are not narrated as read");
	else if (narration_count(&n, "detach", "close(", 1) < 5 + 2 + 3)
		snprintf(why, sizeof(why), "only %zu fds closed when detaching and closing",
			 narration_count(&n, "detach", "close(", 1));
	else if (narration_phases_in_order(&n, why, sizeof(why)) == 0)
		narration_documented_fields(&n, 1, why, sizeof(why));
	if (why[0])
		t_fail(name, "%s", why);
	else
		t_pass(name);
	narration_free(&n);
	spawn_result_free(&r);
}

static void test_env(void)
{
	const char *name = "trace/env";
	const char *args[] = { "--duration", "1", "--interval", "0.5", NULL };
	const char *const on[] = { "BPFLOAD_TRACE=1", NULL };
	const char *const off[] = { "BPFLOAD_TRACE=0", NULL };
	struct spawn_result r1, r2;
	struct narration n;

	T_EXPECT(name, run_tool("hello_map", args, on, &r1) == 0, "cannot run hello_map");
	if (run_tool("hello_map", args, off, &r2)) {
		spawn_result_free(&r1);
		t_fail(name, "cannot run hello_map");
		return;
	}
	narration_parse(r1.err, &n);
	if (r1.exit_code != 0 || r2.exit_code != 0)
		t_fail(name, "exit %d and %d: %s%s", r1.exit_code, r2.exit_code, r1.err, r2.err);
	else if (narration_count(&n, "load", "bpf(BPF_PROG_LOAD, ", 1) == 0 ||
		 narration_count(&n, "read", "bpf(BPF_MAP_GET_NEXT_KEY, ", 0) == 0 ||
		 narration_count(&n, "detach", "close(", 1) == 0)
		t_fail(name, "BPFLOAD_TRACE=1: no load, read or detach lines in: %.400s", r1.err);
	else if (strstr(r2.err, "[load] ") || strstr(r2.err, "bpf(BPF_"))
		t_fail(name, "BPFLOAD_TRACE=0 narrates: %.200s", r2.err);
	else
		t_pass(name);
	narration_free(&n);
	spawn_result_free(&r1);
	spawn_result_free(&r2);
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP trace: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	test_in_process();
	test_bpfload();
	test_env();
	return t_exit_code();
}
