// SPDX-License-Identifier: BSD-2-Clause
/*
 * memcpy_probe.c - choose and attach the function the memcpy tools trace.
 */
#include "memcpy_probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>

#include "tool_common.h"

struct copy_routine {
	const char *func;
	int size_arg;
	int only_if_arg;	/* count only calls where this argument is non-zero */
	const char *what;	/* what is counted */
};

/*
 * memcpy first, then the routines that stand in for it when the kernel
 * refuses memcpy, in the order measured best on Debian's 6.1 kernels
 * (x86_64 and arm64; README, "memcpy on modern kernels"):
 *
 *  - __check_object_size(ptr, n, to_user): hardened usercopy's check, run
 *    before every copy to or from user space whose size is not a
 *    compile-time constant.  n is the copy's size in bytes, except that
 *    strncpy_from_user() passes its limit (4064 for every path lookup),
 *    so only copies to user space (to_user != 0) are counted.
 *  - copy_from_kernel_nofault(dst, src, size): memcpy's own signature,
 *    but rarely called.
 *
 * memcpy, __memcpy, memmove, _copy_to_user, _copy_from_user, _copy_to_iter
 * and copy_page_to_iter are all refused (notrace, or not unique on arm64).
 */
static const struct copy_routine routines[] = {
	{ "memcpy", 3, 0, "bytes copied" },
	{ "__check_object_size", 2, 3, "bytes of each copy to user space" },
	{ "copy_from_kernel_nofault", 3, 0, "bytes copied" },
};

static int write_config(const struct bl_object *obj, const char *func, int arg, int only_if_arg,
			struct memcpy_config *cfg, struct bl_err *err)
{
	struct bl_map *map = bl_object_map(obj, "config");
	uint32_t zero = 0;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->arg = (uint32_t)arg;
	cfg->only_if_arg = (uint32_t)only_if_arg;
	snprintf(cfg->func, sizeof(cfg->func), "%s", func);
	if (!map)
		return bl_fail(err, ENOENT, "the BPF object has no config map");
	ret = bl_map_update(bl_map_fd(map), &zero, cfg, BPF_ANY);
	if (ret)
		return bl_fail(err, -ret, "writing the config map failed: %s", bl_errno_name(-ret));
	return 0;
}

static struct bl_attachment *attach_to(const struct bl_object *obj, const struct bl_program *prog,
				 const char *func, int arg, int only_if_arg, int force_legacy,
				 struct memcpy_config *used, struct bl_err *err)
{
	struct bl_attach_opts opts = { .force_legacy_kprobe = force_legacy };

	if (write_config(obj, func, arg, only_if_arg, used, err))
		return NULL;
	return bl_attach_kprobe(prog, func, 0, &opts, err);
}

struct bl_attachment *memcpy_probe_attach(const struct bl_object *obj, const struct bl_program *prog,
				    const struct memcpy_probe_request *req,
				    struct memcpy_config *used, struct bl_err *err)
{
	struct bl_err memcpy_err, last_err = { 0, "" };
	struct bl_attachment *att;
	size_t i;

	if (!bl_kprobes_available()) {
		bl_fail(err, ENOTSUP, "this kernel has no kprobes (CONFIG_KPROBES is off), so %s cannot be traced here; run on a kernel built with CONFIG_KPROBES=y",
			req->func ? req->func : "memcpy");
		return NULL;
	}
	if (req->func)
		return attach_to(obj, prog, req->func, req->arg ? req->arg : 3, 0,
				 req->force_legacy, used, err);

	att = attach_to(obj, prog, routines[0].func, req->arg ? req->arg : routines[0].size_arg,
			 0, req->force_legacy, used, &memcpy_err);
	for (i = 1; !att && i < sizeof(routines) / sizeof(routines[0]); i++) {
		att = attach_to(obj, prog, routines[i].func,
				 req->arg ? req->arg : routines[i].size_arg,
				 routines[i].only_if_arg, req->force_legacy, used, &last_err);
		if (att)
			fprintf(stderr, "%s: %s; tracing %s instead (argument %u: %s)\n",
				req->tool, memcpy_err.msg, routines[i].func, used->arg,
				routines[i].what);
	}
	if (!att)
		bl_fail(err, memcpy_err.code, "%s, and no fallback copy routine could be probed either (last: %s)",
			memcpy_err.msg, last_err.msg);
	return att;
}

