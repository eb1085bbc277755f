// SPDX-License-Identifier: BSD-2-Clause
/*
 * bench_core.c - what CO-RE costs: the kernel's BTF brought in and
 * checked (mmap'd, or read and copied as before), the lazy name index,
 * and the whole way from /sys/kernel/btf/vmlinux to resolved relocations
 * for each object given; peak resident size of a process that does only
 * that.  Timings are medians of several runs.  No root needed.
 *
 * Usage: bench_core [--runs N] OBJECT.bpf.o...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_names.h"
#include "btf/kernel_btf.h"
#include "object/core_relocate.h"
#include "object/object.h"

#define MAX_RUNS 101

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

/* One run of what is measured; returns 0 on success. */
typedef int (*step_fn)(const char *arg);

static int open_kernel(const char *arg)
{
	struct bl_err err;
	struct bl_kernel_btf *kb = bl_kernel_btf_open(NULL, &err);

	(void)arg;
	if (!kb)
		fprintf(stderr, "bench_core: %s\n", err.msg);
	bl_kernel_btf_close(kb);
	return kb ? 0 : -1;
}

static int read_copy(const char *arg)
{
	struct bl_err err;
	struct bl_btf *btf = bl_btf_parse_file(BL_KERNEL_BTF_DIR "/vmlinux", NULL, &err);

	(void)arg;
	bl_btf_free(btf);
	return btf ? 0 : -1;
}

static int open_and_index(const char *arg)
{
	static const char *const names[] = { "task_struct", "mm_struct", "trace_event_raw_sys_enter",
					     "trace_entry", "pid_type", "perf_callchain_context", NULL };
	struct bl_btf_names *idx;
	struct bl_kernel_btf *kb;
	struct bl_err err;
	const uint32_t *ids;
	uint32_t n;
	size_t i;

	(void)arg;
	kb = bl_kernel_btf_open(NULL, &err);
	if (!kb)
		return -1;
	bl_kernel_btf_get(kb, 0, NULL, &idx);
	for (i = 0; names[i]; i++)
		bl_btf_names_want(idx, names[i], &err);
	bl_btf_names_find(idx, names[0], &ids, &n, &err);
	bl_kernel_btf_close(kb);
	return 0;
}

static int resolve_object(const char *path)
{
	struct bl_err err;
	struct bl_object *obj = bl_object_open_file(path, NULL, &err);
	int ret = obj ? bl_object_core_resolve(obj, &err) : -1;

	if (ret)
		fprintf(stderr, "bench_core: %s: %s\n", path, err.msg);
	bl_object_close(obj);
	return ret;
}

static int open_object(const char *path)
{
	struct bl_err err;
	struct bl_object *obj = bl_object_open_file(path, NULL, &err);

	bl_object_close(obj);
	return obj ? 0 : -1;
}

static double time_step(step_fn fn, const char *arg, int runs)
{
	double t[MAX_RUNS];
	int i;

	for (i = 0; i < runs; i++) {
		double start = now_ms();

		if (fn(arg))
			return -1;
		t[i] = now_ms() - start;
	}
	return median(t, runs);
}

static int noop(const char *arg)
{
	(void)arg;
	return 0;
}

static const struct {
	const char *name;
	step_fn fn;
} steps[] = {
	{ "noop", noop }, { "read_copy", read_copy }, { "open_kernel", open_kernel },
	{ "open_and_index", open_and_index }, { "resolve_object", resolve_object },
};

/* Peak resident size (KiB) of a fresh process (this program, exec'd
 * again) that runs step once.  It reports its own VmHWM: the rusage of a
 * child counts the pages it had from us before exec. */
static long peak_rss(const char *step, const char *arg)
{
	const char *argv[] = { "/proc/self/exe", "--once", step, arg ? arg : "", NULL };
	int fds[2], status;
	long kib = -1;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	if (pid > 0) {
		char buf[32] = "";
		ssize_t n = read(fds[0], buf, sizeof(buf) - 1);

		if (n > 0)
			kib = strtol(buf, NULL, 10);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			kib = -1;
	}
	close(fds[0]);
	return kib;
}

static long vm_hwm_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

static int run_once(const char *step, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(steps[i].name, step) == 0) {
			if (steps[i].fn(arg))
				return 1;
			printf("%ld\n", vm_hwm_kib());
			return 0;
		}
	return 1;
}

int main(int argc, char **argv)
{
	int runs = 21, first = 1, i;
	long base;

	if (argc == 4 && strcmp(argv[1], "--once") == 0)
		return run_once(argv[2], argv[3]);
	if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
		runs = atoi(argv[2]);
		first = 3;
	}
	if (runs < 1 || runs > MAX_RUNS)
		runs = 21;
	base = peak_rss("noop", NULL);
	printf("median of %d runs; peak RSS of a process doing only that (an empty one: %ld KiB)\n", runs, base);
	printf("%-44s %9.2f ms %7ld KiB\n", "vmlinux BTF: read() + copy + check (before)",
	       time_step(read_copy, NULL, runs), peak_rss("read_copy", NULL));
	printf("%-44s %9.2f ms %7ld KiB\n", "vmlinux BTF: open (mmap or read) + check",
	       time_step(open_kernel, NULL, runs), peak_rss("open_kernel", NULL));
	printf("%-44s %9.2f ms %7ld KiB\n", "  ... + index 6 names (one scan)",
	       time_step(open_and_index, NULL, runs), peak_rss("open_and_index", NULL));
	for (i = first; i < argc; i++) {
		const char *base_name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		struct bl_object *obj = bl_object_open_file(argv[i], NULL, NULL);
		size_t n = obj ? bl_core_relo_count(obj) : 0;
		double open_ms = time_step(open_object, argv[i], runs);
		double all_ms = time_step(resolve_object, argv[i], runs);
		char label[128];

		bl_object_close(obj);
		snprintf(label, sizeof(label), "%s: open + %zu relocations", base_name, n);
		printf("%-44s %9.2f ms %7ld KiB   (of which reading the object %.2f ms)\n", label, all_ms,
		       peak_rss("resolve_object", argv[i]), open_ms);
	}
	return 0;
}
