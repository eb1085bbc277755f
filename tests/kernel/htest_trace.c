// SPDX-License-Identifier: BSD-2-Clause
/*
 * htest_trace.c - narration against strace (host only: the guests have
 * no strace).  A tool runs under
 *
 *   strace -f -qq -e trace=bpf,perf_event_open,ioctl,mmap -o FILE TOOL ...
 *
 * with narration on, and what it narrated must be what the kernel saw,
 * call by call, in order, with the same results:
 *   - every bpf(2) call: its command and its result (fd, 0, or errno);
 *   - every perf_event_open(2) and its result;
 *   - every ioctl(PERF_EVENT_IOC_*) and its result (strace also sees the
 *     C library's terminal ioctls, which are not the loader's);
 *   - every MAP_SHARED mmap(2) and the address it returned (the loader's
 *     mappings of kernel objects; the C library maps private memory).
 * Runs: bpfload --trace on narrate.bpf.o (maps, BTF, subprograms, global
 * data, a tracepoint and a raw tracepoint, maps read at exit) and on
 * core_subprog.bpf.o (CO-RE, when built); hello_buffer with
 * BPFLOAD_TRACE=1, through a perf buffer and through a BPF ring buffer.
 * For narrate.bpf.o also: phases in order, every documented field.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testlib.h"
#include "ktest_options.h"
#include "narration.h"
#include "spawn.h"

static struct ktest_options opts;

/* The calls compared, one string each: "bpf BPF_MAP_CREATE = 4",
 * "perf_event_open = 9", "ioctl PERF_EVENT_IOC_ENABLE = 0", "mmap = 0x7f...". */
struct calls {
	char **items;
	size_t count;
};

static void add_call(struct calls *c, const char *what, const char *result)
{
	char **items = realloc(c->items, (c->count + 1) * sizeof(*items));
	size_t len = strlen(what) + strlen(result) + 4;

	if (!items)
		return;
	c->items = items;
	c->items[c->count] = malloc(len);
	if (c->items[c->count])
		snprintf(c->items[c->count++], len, "%s = %s", what, result);
}

static void free_calls(struct calls *c)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		free(c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/* "bpf(BPF_MAP_CREATE, ..." -> "bpf BPF_MAP_CREATE"; "ioctl(12, PERF_EVENT_IOC_ENABLE, 0)"
 * -> "ioctl PERF_EVENT_IOC_ENABLE"; NULL for a call not compared. */
static int classify(const char *call, char *what, size_t size)
{
	const char *p;

	if (strncmp(call, "bpf(", 4) == 0) {
		snprintf(what, size, "bpf %.*s", (int)strcspn(call + 4, ","), call + 4);
		return 1;
	}
	if (strncmp(call, "perf_event_open(", 16) == 0) {
		snprintf(what, size, "perf_event_open");
		return 1;
	}
	if (strncmp(call, "ioctl(", 6) == 0 && (p = strstr(call, ", PERF_EVENT_IOC_"))) {
		snprintf(what, size, "ioctl %.*s", (int)strcspn(p + 2, ","), p + 2);
		return 1;
	}
	if (strncmp(call, "mmap(", 5) == 0 && strstr(call, "MAP_SHARED")) {
		snprintf(what, size, "mmap");
		return 1;
	}
	return 0;
}

/* strace's "= 4", "= -1 EINVAL (Invalid argument)", "= 0x7f..." as the
 * narration writes results: "4", "-EINVAL", "0x7f...". */
static void strace_result(const char *line, char *out, size_t size)
{
	const char *eq = NULL, *p;

	for (p = strstr(line, ") = "); p; p = strstr(p + 1, ") = "))
		eq = p;
	out[0] = '\0';
	if (!eq)
		return;
	eq += 4;
	if (strncmp(eq, "-1 ", 3) == 0)
		snprintf(out, size, "-%.*s", (int)strcspn(eq + 3, " \n"), eq + 3);
	else
		snprintf(out, size, "%.*s", (int)strcspn(eq, " \n"), eq);
}

static int read_strace(const char *path, struct calls *c)
{
	FILE *f = fopen(path, "re");
	char line[16384], what[128], result[64];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *call = line;

		call += strspn(call, "0123456789");	/* the pid -f puts first */
		call += strspn(call, " ");
		if (classify(call, what, sizeof(what))) {
			strace_result(call, result, sizeof(result));
			add_call(c, what, result);
		}
	}
	fclose(f);
	return 0;
}

static void narrated_calls(const struct narration *n, struct calls *c)
{
	char what[128], result[64];
	size_t i;

	for (i = 0; i < n->count; i++)
		if (classify(n->lines[i].text, what, sizeof(what))) {
			narration_result(n->lines[i].text, result, sizeof(result));
			add_call(c, what, result);
		}
}

/* 0 when equal, else -1 with the first difference in why. */
static int compare(const struct calls *seen, const struct calls *told, char *why, size_t size)
{
	size_t i;

	for (i = 0; i < seen->count && i < told->count; i++)
		if (strcmp(seen->items[i], told->items[i])) {
			snprintf(why, size, "call %zu: strace saw \"%s\", the narration says \"%s\"", i + 1,
				 seen->items[i], told->items[i]);
			return -1;
		}
	if (seen->count != told->count) {
		snprintf(why, size, "strace saw %zu calls, the narration tells %zu (next: \"%s\")", seen->count,
			 told->count, i < seen->count ? seen->items[i] : told->items[i]);
		return -1;
	}
	return 0;
}

static const char *find_in_path(const char *prog, char *buf, size_t size)
{
	const char *dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin", NULL };
	size_t i;

	for (i = 0; dirs[i]; i++) {
		snprintf(buf, size, "%s/%s", dirs[i], prog);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

/* Run tool args under strace; check; extra(n) adds its own checks. */
static void run_compared(const char *name, const char *tool, const char *const *args,
			 const char *const *env, int (*extra)(const struct narration *, char *, size_t))
{
	char strace[256], out[64], path[512], why[768] = "";
	const char *argv[24];
	struct spawn_options o = { .argv = argv, .env = env, .timeout_ms = 60000 };
	struct calls seen = { 0 }, told = { 0 };
	struct spawn_result r;
	struct narration n;
	size_t i = 0, k;

	if (!find_in_path("strace", strace, sizeof(strace))) {
		t_skip(name, "strace is not installed (apt-get install strace; tests/install-deps.sh does)");
		return;
	}
	snprintf(out, sizeof(out), "/tmp/bl-htest-trace-%d.txt", (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", opts.bindir, tool);
	argv[i++] = strace;
	argv[i++] = "-f";
	argv[i++] = "-qq";
	argv[i++] = "-e";
	argv[i++] = "trace=bpf,perf_event_open,ioctl,mmap";
	argv[i++] = "-o";
	argv[i++] = out;
	argv[i++] = path;
	for (k = 0; args[k] && i < 23; k++)
		argv[i++] = args[k];
	argv[i] = NULL;
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run strace");
	narration_parse(r.err, &n);
	if (r.exit_code != 0) {
		snprintf(why, sizeof(why), "exit %d: %.400s", r.exit_code, r.err);
	} else if (read_strace(out, &seen)) {
		snprintf(why, sizeof(why), "strace wrote no %s", out);
	} else {
		narrated_calls(&n, &told);
		if (told.count == 0)
			snprintf(why, sizeof(why), "nothing narrated: %.300s", r.err);
		else if (compare(&seen, &told, why, sizeof(why)) == 0 && extra)
			extra(&n, why, sizeof(why));
	}
	if (why[0])
		t_fail(name, "%s", why);
	else
		t_pass(name);
	unlink(out);
	free_calls(&seen);
	free_calls(&told);
	narration_free(&n);
	spawn_result_free(&r);
}

static int narrate_checks(const struct narration *n, char *why, size_t size)
{
	if (narration_phases_in_order(n, why, size))
		return -1;
	return narration_documented_fields(n, 1, why, size);
}

static int core_checks(const struct narration *n, char *why, size_t size)
{
	const char *const fields[] = { ": CO-RE field byte offset ", " -> ", NULL };
	const char *missing;

	if (narration_with_fields(n, "insn ", fields, &missing))
		return 0;
	snprintf(why, size, "no CO-RE relocation line (\"%s\")", missing);
	return -1;
}

int main(int argc, char **argv)
{
	const char *const trace_on[] = { "BPFLOAD_TRACE=1", NULL };
	char narrate[512], core[512];
	const char *bpfload_narrate[] = { "--trace", "--duration", "1", narrate, NULL };
	const char *bpfload_core[] = { "--trace", "--duration", "1", core, NULL };
	const char *perf_buffer[] = { "--duration", "1", NULL };
	const char *ringbuf[] = { "--ringbuf", "--duration", "1", NULL };

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP trace-strace: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	snprintf(narrate, sizeof(narrate), "%s/narrate.bpf.o", opts.objdir);
	snprintf(core, sizeof(core), "%s/core_subprog.bpf.o", opts.objdir);
	run_compared("trace-strace/bpfload-narrate", "bpfload", bpfload_narrate, NULL, narrate_checks);
	if (access(core, R_OK) == 0)
		run_compared("trace-strace/bpfload-core", "bpfload", bpfload_core, NULL, core_checks);
	else
		t_skip("trace-strace/bpfload-core", "no %s (tests/kern/core_*.bpf.o need bpftool for vmlinux.h)", core);
	run_compared("trace-strace/hello-buffer-perf", "hello_buffer", perf_buffer, trace_on, NULL);
	run_compared("trace-strace/hello-buffer-ringbuf", "hello_buffer", ringbuf, trace_on, NULL);
	return t_exit_code();
}
