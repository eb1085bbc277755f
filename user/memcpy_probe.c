// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy_probe.c - choose and attach the function the memcpy tools trace.
 */
#include "memcpy_probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kprobe.h"

struct copy_routine {
	const char *func;
	int size_arg;
	const char *what;	/* what its size argument counts */
};

/* memcpy first, then the copy routines that can stand in for it when the
 * kernel refuses memcpy.  The order was chosen by measuring Debian's 6.1
 * kernels (README, "memcpy on modern kernels"). */
static const struct copy_routine routines[] = {
	{ "memcpy", 3, "bytes copied" },
	{ "_copy_to_user", 3, "bytes copied to user space" },
	{ "_copy_from_user", 3, "bytes copied from user space" },
};

static int write_config(const struct bl_object *obj, const char *func, int arg,
			struct memcpy_config *cfg, struct bl_err *err)
{
	struct bl_map *map = bl_object_map(obj, "config");
	uint32_t zero = 0;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->arg = (uint32_t)arg;
	snprintf(cfg->func, sizeof(cfg->func), "%s", func);
	if (!map)
		return bl_fail(err, ENOENT, "the BPF object has no config map");
	ret = bl_map_update(map->fd, &zero, cfg, BPF_ANY);
	if (ret)
		return bl_fail(err, -ret, "writing the config map failed: %s", bl_errno_name(-ret));
	return 0;
}

static struct bl_link *attach_to(const struct bl_object *obj, const struct bl_program *prog,
				 const char *func, int arg, int force_legacy,
				 struct memcpy_config *used, struct bl_err *err)
{
	struct bl_attach_opts opts = { .force_legacy_kprobe = force_legacy };

	if (write_config(obj, func, arg, used, err))
		return NULL;
	return bl_attach_kprobe(prog, func, 0, &opts, err);
}

struct bl_link *memcpy_probe_attach(const struct bl_object *obj, const struct bl_program *prog,
				    const struct memcpy_probe_request *req,
				    struct memcpy_config *used, struct bl_err *err)
{
	struct bl_err memcpy_err, last_err = { 0, "" };
	struct bl_link *link;
	size_t i;

	if (!bl_kprobes_available()) {
		bl_fail(err, ENOTSUP, "this kernel has no kprobes (CONFIG_KPROBES is off), so %s cannot be traced here; run on a kernel built with CONFIG_KPROBES=y",
			req->func ? req->func : "memcpy");
		return NULL;
	}
	if (req->func)
		return attach_to(obj, prog, req->func, req->arg ? req->arg : 3,
				 req->force_legacy, used, err);

	link = attach_to(obj, prog, routines[0].func, req->arg ? req->arg : routines[0].size_arg,
			 req->force_legacy, used, &memcpy_err);
	for (i = 1; !link && i < sizeof(routines) / sizeof(routines[0]); i++) {
		link = attach_to(obj, prog, routines[i].func,
				 req->arg ? req->arg : routines[i].size_arg,
				 req->force_legacy, used, &last_err);
		if (link)
			fprintf(stderr, "%s: %s; tracing %s instead (argument %u: %s)\n",
				req->tool, memcpy_err.msg, routines[i].func, used->arg,
				routines[i].what);
	}
	if (!link)
		bl_fail(err, memcpy_err.code, "%s, and no fallback copy routine could be probed either (last: %s)",
			memcpy_err.msg, last_err.msg);
	return link;
}
