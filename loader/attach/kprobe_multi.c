// SPDX-License-Identifier: BSD-2-Clause
/*
 * kprobe_multi.c - one program on many kernel functions at once: the
 * kprobe.multi/GLOB and kretprobe.multi/GLOB sections.
 *
 * A kprobe_multi link (Linux 5.18) hooks a program to a list of kernel
 * functions in one bpf(BPF_LINK_CREATE) call.  It is built on fprobe,
 * ftrace's function entry and exit hooks, not on kprobes: the kernel
 * needs CONFIG_FPROBE (Debian has it from 6.12), and the functions it
 * can hook are the ones ftrace can, listed in tracefs's
 * available_filter_functions.  So the glob is matched against that list,
 * never against /proc/kallsyms, which also holds notrace and inlined-away
 * names the kernel would refuse.
 *
 * Syscalls: a read of available_filter_functions (tracefs),
 * bpf(BPF_LINK_CREATE) with BPF_TRACE_KPROBE_MULTI; close(2) detaches.
 */
#include "attach/attach.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/bpf_link.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"
#include "sys/tracefs.h"

struct names {
	char **v;
	size_t cnt, cap;
};

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->cnt; i++)
		free(n->v[i]);
	free(n->v);
}

static int names_add(struct names *n, const char *name)
{
	if (n->cnt == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 64;
		char **v = realloc(n->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		n->v = v;
		n->cap = cap;
	}
	if (!(n->v[n->cnt] = strdup(name)))
		return -ENOMEM;
	n->cnt++;
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A static function's name can be listed once per file defining it; the
 * kernel resolves each name to one address and refuses a list naming one
 * twice, so keep one of each. */
static void names_sort_unique(struct names *n)
{
	size_t kept = 0;

	qsort(n->v, n->cnt, sizeof(*n->v), compare_names);
	for (size_t i = 0; i < n->cnt; i++) {
		if (kept && strcmp(n->v[kept - 1], n->v[i]) == 0) {
			free(n->v[i]);
			continue;
		}
		n->v[kept++] = n->v[i];
	}
	n->cnt = kept;
}

/* Each line of available_filter_functions is "name" or "name [module]";
 * ftrace lists a function it lost track of as __ftrace_invalid_address___N. */
static int match_line(char *line, const char *glob, struct names *n)
{
	line[strcspn(line, " \t\n")] = '\0';
	if (!line[0] || strncmp(line, "__ftrace_invalid_address__", 26) == 0)
		return 0;
	if (fnmatch(glob, line, 0) != 0)
		return 0;
	return names_add(n, line);
}

static int matching_functions(const char *glob, struct names *n, struct bl_err *err)
{
	char dir[BL_PATH_MAX], path[BL_PATH_MAX + 32], line[512];
	FILE *f;
	int ret = 0, e;

	if (bl_tracefs_dir(dir, err))
		return -1;
	snprintf(path, sizeof(path), "%s/available_filter_functions", dir);
	f = fopen(path, "re");
	e = f ? 0 : errno;
	if (bl_tracing())
		bl_trace_file_open(path, "O_RDONLY", f ? fileno(f) : -e,
				   "the functions ftrace (and so fprobe) can hook, to match the glob against");
	if (!f)
		return bl_fail(err, e, "cannot read %s: %s%s", path, strerror(e),
			       e == ENOENT ? " (a kernel without CONFIG_FUNCTION_TRACER has no kprobe.multi)" :
			       e == EPERM || e == EACCES ? " (tracefs lets only root read it, and lockdown may forbid it)" : "");
	while (ret == 0 && fgets(line, sizeof(line), f))
		ret = match_line(line, glob, n);
	fclose(f);
	if (ret)
		return bl_fail(err, -ret, "out of memory listing the functions %s matches", glob);
	names_sort_unique(n);
	if (n->cnt == 0)
		return bl_fail(err, ENOENT, "the glob %s matches no function in %s (notrace and inlined functions are not there)",
			       glob, path);
	return 0;
}

static void explain_refusal(int e, char *why, size_t size)
{
	switch (e) {
	case EOPNOTSUPP:
		snprintf(why, size, "; this kernel has no kprobe_multi links (they need CONFIG_FPROBE, Linux 5.18); "
			 "use a kprobe/FUNC section per function instead");
		break;
	case EINVAL:
		snprintf(why, size, "; kernels before 5.18 do not know kprobe_multi links, and the program must "
			 "come from a kprobe.multi/ section (loaded with that attach type)");
		break;
	case ESRCH:
	case ENOENT:
		snprintf(why, size, "; a matched function is not in the kernel's symbol table");
		break;
	case EBUSY:
		snprintf(why, size, "; a matched function is already hooked in a way fprobe cannot share");
		break;
	default:
		snprintf(why, size, "%s", bl_errno_hint(e));
	}
}

struct bl_attachment *bl_attach_kprobe_multi(const struct bl_program *prog, const char *glob,
				       int retprobe, struct bl_err *err)
{
	const char *kind = retprobe ? "kretprobe.multi" : "kprobe.multi";
	struct names n = { 0 };
	struct bl_attachment *att = NULL;
	char count[32], why[192];
	int fd;

	bl_trace_enter(BL_TRACE_ATTACH);
	if (bl_attachment_check_prog(prog, BPF_PROG_TYPE_KPROBE, glob, err) ||
	    matching_functions(glob, &n, err))
		goto out;
	snprintf(count, sizeof(count), "%zu function%s", n.cnt, n.cnt == 1 ? "" : "s");
	fd = bl_link_create_kprobe_multi(prog->fd, (const char *const *)n.v, NULL, (uint32_t)n.cnt,
					 retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0);
	if (fd < 0) {
		explain_refusal(-fd, why, sizeof(why));
		bl_fail(err, -fd, "attaching %s to %s %s (%s) failed: %s%s", prog->name, kind, glob, count,
			bl_errno_name(-fd), why);
		goto out;
	}
	att = bl_attachment_new(retprobe ? "kretprobe.multi %s (%s)" : "kprobe.multi %s (%s)", glob, count);
	if (!att) {
		bl_sys_close(fd, "the kprobe_multi link: out of memory");
		bl_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	att->bpf_fd = fd;
out:
	names_free(&n);
	return att;
}
