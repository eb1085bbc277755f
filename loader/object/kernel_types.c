// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_types.c - named types in the kernel's BTF and its modules'.
 *
 * Syscalls: see kernel_types.h.
 */
#include "object/kernel_types.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "sys/bpf_syscall.h"


struct bl_kernel_btf *bl_object_kernel_btf(struct bl_object *obj, int for_core, struct bl_err *err)
{
	struct bl_kernel_btf_opts opts = { .btf_path = obj->btf_path };

	if (for_core && obj->btf_path) {
		if (!obj->core_btf)
			obj->core_btf = bl_kernel_btf_open(&opts, err);
		return obj->core_btf;
	}
	/* its messages name the file and what is missing: no context needed */
	if (!obj->kernel_btf)
		obj->kernel_btf = bl_kernel_btf_open(NULL, err);
	return obj->kernel_btf;
}

int bl_kernel_btf_fd(const char *name, struct bl_err *err)
{
	uint32_t id = 0;
	int fd, ret, unnamed = 0;

	while ((ret = bl_btf_get_next_id(id, &id)) == 0) {
		struct bpf_btf_info info;
		char info_name[64] = "";
		uint32_t len = sizeof(info);
		int got;

		fd = bl_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* freed meanwhile */
		memset(&info, 0, sizeof(info));
		info.name = (uint64_t)(uintptr_t)info_name;
		info.name_len = sizeof(info_name);
		got = bl_obj_get_info(fd, &info, &len);
		if (got == 0 && info.kernel_btf && strcmp(info_name, name) == 0)
			return fd;
		/* A kernel whose struct bpf_btf_info ends before name refuses
		 * the fields it does not know (E2BIG). */
		unnamed |= got == -E2BIG;
		close(fd);
	}
	if (ret != -ENOENT)
		return bl_fail(err, -ret, "listing the kernel's BTF objects (BPF_BTF_GET_NEXT_ID) failed: %s%s",
			       bl_errno_name(-ret), bl_errno_hint(-ret));
	if (unnamed)
		return bl_fail(err, ENOENT, "this kernel does not name its BTF objects (bpf_btf_info.name and "
			       "module BTF came in Linux 5.11), so the BTF of %s cannot be found", name);
	return bl_fail(err, ENOENT, "the kernel has no BTF object named %s", name);
}

/* Only the ids a BTF defines itself (a module's, not its base's). */
static int64_t find_own(const struct bl_btf *btf, const char *name, unsigned int kind)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = bl_btf_start_id(btf); id < count; id++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		if (t && bl_btf_kind(t) == kind && strcmp(bl_btf_type_name(btf, id), name) == 0)
			return id;
	}
	return -ENOENT;
}

/* The fd the kernel wants with an id of module BTF i, opened once and
 * held by the object (obj->module_btf_fds). */
static int module_fd(struct bl_object *obj, size_t i, const char *module, struct bl_err *err)
{
	int fd;

	if (i >= obj->module_btf_fd_cnt) {
		int *more = realloc(obj->module_btf_fds, (i + 1) * sizeof(*more));

		if (!more)
			return bl_fail(err, ENOMEM, "out of memory");
		memset(more + obj->module_btf_fd_cnt, 0, (i + 1 - obj->module_btf_fd_cnt) * sizeof(*more));
		obj->module_btf_fds = more;
		obj->module_btf_fd_cnt = i + 1;
	}
	if (obj->module_btf_fds[i] > 0)
		return obj->module_btf_fds[i];
	fd = bl_kernel_btf_fd(module, err);
	if (fd >= 0)
		obj->module_btf_fds[i] = fd;
	return fd;
}

int bl_kernel_type_find(struct bl_object *obj, const char *name, unsigned int kind,
			struct bl_kernel_type *found, struct bl_err *err)
{
	struct bl_kernel_btf *kb = bl_object_kernel_btf(obj, 0, err);
	const char *module;
	int64_t id;
	size_t i, n;
	int ret, fd;

	if (!kb)
		return -err->code;
	memset(found, 0, sizeof(*found));
	found->btf = bl_kernel_btf_get(kb, 0, NULL, NULL);
	id = find_own(found->btf, name, kind);
	if (id > 0) {
		found->id = (uint32_t)id;
		return 0;
	}
	/* Not in vmlinux: the loaded modules' BTF, read now (once). */
	ret = bl_kernel_btf_read_modules(kb, err);
	if (ret < 0)
		return ret;
	n = bl_kernel_btf_count(kb);
	for (i = 1; i < n; i++) {
		const struct bl_btf *btf = bl_kernel_btf_get(kb, i, &module, NULL);

		if ((id = find_own(btf, name, kind)) < 0)
			continue;
		fd = module_fd(obj, i, module, err);
		if (fd < 0)
			return bl_err_context(err, "%s %s is in module %s", bl_btf_kind_str(kind), name, module);
		found->btf = btf;
		found->id = (uint32_t)id;
		found->module = module;
		found->btf_fd = fd;
		return 0;
	}
	return bl_fail(err, ENOENT, "the kernel's BTF has no %s named %s (in vmlinux or %zu module%s)",
		       bl_btf_kind_str(kind), name, n - 1, n == 2 ? "" : "s");
}
