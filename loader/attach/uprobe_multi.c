// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe_multi.c - uprobe_multi links: the functions matching a pattern
 * (or named) resolved to file offsets, then one bpf(BPF_LINK_CREATE).
 *
 * Syscalls: those of binary_path.c and elf_file.c, and BPF_LINK_CREATE.
 */
#include "attach/uprobe_multi.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attachment.h"
#include "attach/uprobe_target.h"
#include "elf/elf_file.h"
#include "elf/elf_segments.h"
#include "elf/elf_symbols.h"
#include "object/object.h"
#include "sys/bpf_link.h"

struct offsets {
	uint64_t *offsets;
	uint64_t *vaddrs;	/* to skip aliases */
	size_t count, cap;
	const struct bl_elf *elf;
	const char *pattern;
	const char *first_name;	/* for the link's description */
	struct bl_err *err;
};

static int push_offset(struct offsets *o, uint64_t vaddr, uint64_t offset)
{
	if (o->count == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		uint64_t *a = realloc(o->offsets, cap * sizeof(*a));
		uint64_t *b = a ? realloc(o->vaddrs, cap * sizeof(*b)) : NULL;

		if (a)
			o->offsets = a;
		if (!a || !b)
			return bl_fail(o->err, ENOMEM, "out of memory for %zu offsets", cap);
		o->vaddrs = b;
		o->cap = cap;
	}
	o->offsets[o->count] = offset;
	o->vaddrs[o->count] = vaddr;
	o->count++;
	return 0;
}

/* Once per address: aliases (two names, one function) would fire twice. */
static int add_offset(struct offsets *o, uint64_t vaddr, uint64_t offset)
{
	size_t i;

	for (i = 0; i < o->count; i++)
		if (o->vaddrs[i] == vaddr)
			return 0;
	return push_offset(o, vaddr, offset);
}

static int match_one(const struct bl_elf_func *f, void *ctx)
{
	struct offsets *o = ctx;
	uint64_t offset;

	/* old symbol versions and IFUNC resolvers are not what a pattern means */
	if (f->hidden_version || f->type == STT_GNU_IFUNC || fnmatch(o->pattern, f->name, 0) != 0)
		return 0;
	if (bl_elf_vaddr_to_offset(o->elf, f->vaddr, 1, &offset, NULL, o->err))
		return bl_err_context(o->err, "%s", f->name);
	if (!o->first_name)
		o->first_name = f->name;
	return add_offset(o, f->vaddr, offset);
}

static int collect(struct offsets *o, const char *path, const char *pattern,
		   const struct bl_uprobe_multi_opts *opts, struct bl_err *err)
{
	uint64_t offset, vaddr;
	size_t i;
	int ret;

	if (pattern) {
		o->pattern = pattern;
		ret = bl_elf_for_each_function(o->elf, match_one, o, err);
		if (!ret && o->count == 0)
			ret = bl_fail(err, ENOENT, "no function of %s matches %s", path, pattern);
		return ret;
	}
	if (opts->func_cnt == 0)
		return bl_fail(err, EINVAL, "uprobe.multi on %s: neither a pattern nor functions given", path);
	for (i = 0; i < opts->func_cnt; i++) {
		ret = bl_uprobe_func_offset(o->elf, path, opts->funcs[i], 0, &offset, &vaddr, err);
		if (ret)
			return ret;
		/* with cookies every name keeps its slot, aliases or not */
		ret = opts->cookies ? push_offset(o, vaddr, offset) : add_offset(o, vaddr, offset);
		if (ret)
			return ret;
	}
	o->first_name = opts->funcs[0];
	return 0;
}

static void link_failed(int code, const char *path, struct bl_err *err)
{
	uint32_t version = bl_running_kernel_version();

	if ((code == EINVAL || code == EOPNOTSUPP) && version && version < ((6u << 16) | (6u << 8)))
		bl_fail(err, code, "uprobe.multi on %s: this kernel (%u.%u) has no uprobe_multi links (BPF_TRACE_UPROBE_MULTI, Linux 6.6); use uprobe/ sections, one per function",
			path, version >> 16, (version >> 8) & 0xff);
	else
		bl_fail(err, code, "uprobe.multi link on %s failed: %s%s", path, bl_errno_name(code),
			code == EPERM || code == EACCES ? "; uprobes need root (CAP_BPF and CAP_PERFMON)" :
			code == ESRCH ? "; no such process" : bl_errno_hint(code));
}

struct bl_attachment *bl_attach_uprobe_multi(const struct bl_program *prog, const char *binary,
				       const char *pattern, const struct bl_uprobe_multi_opts *opts,
				       struct bl_err *err)
{
	static const struct bl_uprobe_multi_opts none;
	struct bl_uprobe_multi_spec spec;
	struct offsets o;
	struct bl_elf_file file;
	struct bl_attachment *link = NULL;
	char path[BL_BINARY_PATH_MAX];
	int fd;

	if (!opts)
		opts = &none;
	memset(&o, 0, sizeof(o));
	o.err = err;
	if (prog->fd < 0 || prog->kind->expected_attach_type != BL_BPF_TRACE_UPROBE_MULTI) {
		bl_fail(err, EINVAL, "attaching %s to %s: %s", prog->name, binary,
			prog->fd < 0 ? "the program is not loaded" :
			"it was not loaded for uprobe_multi links (its section must be uprobe.multi or uretprobe.multi)");
		return NULL;
	}
	if (bl_binary_path(binary, opts->pid, path, err) || bl_elf_file_open(&file, path, err))
		return NULL;
	o.elf = &file.elf;
	if (collect(&o, path, pattern, opts, err))
		goto out;
	spec = (struct bl_uprobe_multi_spec){
		.path = path, .offsets = o.offsets, .cookies = opts->cookies,
		.cnt = (uint32_t)o.count, .pid = opts->pid > 0 ? (uint32_t)opts->pid : 0,
		.flags = opts->retprobe ? BL_BPF_F_UPROBE_MULTI_RETURN : 0,
	};
	fd = bl_link_create_uprobe_multi(prog->fd, &spec);
	if (fd < 0) {
		link_failed(-fd, path, err);
		goto out;
	}
	link = calloc(1, sizeof(*link));
	if (!link) {
		bl_fail(err, ENOMEM, "out of memory");
		close(fd);
		goto out;
	}
	link->perf_fd = -1;
	link->bpf_fd = fd;
	snprintf(link->target, sizeof(link->target), "%s %.70s:%s (%zu functions)",
		 opts->retprobe ? "uretprobe.multi" : "uprobe.multi", path,
		 pattern ? pattern : o.first_name, o.count);
out:
	bl_elf_file_close(&file);
	free(o.offsets);
	free(o.vaddrs);
	return link;
}

struct bl_attachment *bl_attach_uprobe_multi_spec(const struct bl_program *prog, const char *spec,
					    int retprobe, struct bl_err *err)
{
	struct bl_uprobe_multi_opts opts = { .retprobe = retprobe };
	char buf[BL_BINARY_PATH_MAX + 256], *colon;

	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	if (strlen(spec) >= sizeof(buf) || !colon || colon == buf || !colon[1]) {
		bl_fail(err, EINVAL, "section %s: expected %s/PATH:PATTERN", prog->section_name,
			retprobe ? "uretprobe.multi" : "uprobe.multi");
		return NULL;
	}
	*colon = '\0';
	return bl_attach_uprobe_multi(prog, buf, colon + 1, &opts, err);
}
