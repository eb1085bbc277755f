// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_types.c - named types in the kernel's BTF and its modules'.
 *
 * Syscalls: see kernel_types.h.
 */
#include "object/kernel_types.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "object/externs.h"

#define VMLINUX_BTF BL_KERNEL_BTF_DIR "/vmlinux"

struct module_btf {
	char name[64];
	struct bl_btf *btf;	/* NULL until searched */
	int fd;			/* 0 until a type of it is used */
	int unreadable;
};

struct bl_kernel_modules {
	struct module_btf *list;
	size_t cnt;
};

void bl_kernel_modules_free(struct bl_kernel_modules *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cnt; i++) {
		bl_btf_free(m->list[i].btf);
		if (m->list[i].fd > 0)
			close(m->list[i].fd);
	}
	free(m->list);
	free(m);
}

/* The names in /sys/kernel/btf other than vmlinux: the loaded modules
 * that have BTF.  None is fine (no modules, or CONFIG_DEBUG_INFO_BTF_MODULES off). */
static int list_modules(struct bl_object *obj, struct bl_err *err)
{
	struct bl_externs *x = obj->externs;
	struct bl_kernel_modules *m;
	struct dirent *de;
	DIR *d;

	if (x->modules)
		return 0;
	m = x->modules = calloc(1, sizeof(*m));
	if (!m)
		return bl_fail(err, ENOMEM, "out of memory");
	d = opendir(BL_KERNEL_BTF_DIR);
	while (d && (de = readdir(d))) {
		struct module_btf *more;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0 ||
		    strlen(de->d_name) >= sizeof(m->list[0].name))
			continue;
		more = realloc(m->list, (m->cnt + 1) * sizeof(*more));
		if (!more) {
			closedir(d);
			return bl_fail(err, ENOMEM, "out of memory");
		}
		m->list = more;
		memset(&m->list[m->cnt], 0, sizeof(m->list[0]));
		memcpy(m->list[m->cnt++].name, de->d_name, strlen(de->d_name) + 1);	/* length checked */
	}
	if (d)
		closedir(d);
	return 0;
}

static int read_vmlinux(struct bl_object *obj, struct bl_err *err)
{
	if (obj->vmlinux_btf)
		return 0;
	obj->vmlinux_btf = bl_btf_parse_file(VMLINUX_BTF, NULL, err);
	if (!obj->vmlinux_btf)
		return bl_err_context(err, "reading the kernel's BTF%s",
				      err->code == ENOENT ? " (this kernel lacks CONFIG_DEBUG_INFO_BTF)" : "");
	return 0;
}

/* Only the ids a BTF defines itself (a module's, not its base's). */
static int64_t find_own(const struct bl_btf *btf, const char *name, unsigned int kind)
{
	uint32_t id, count = bl_btf_type_count(btf);

	for (id = bl_btf_start_id(btf); id < count; id++)
		if (bl_btf_kind(bl_btf_type(btf, id)) == kind &&
		    strcmp(bl_btf_type_name(btf, id), name) == 0)
			return id;
	return -ENOENT;
}

int bl_kernel_btf_fd(const char *name, struct bl_err *err)
{
	uint32_t id = 0;
	int fd, ret;

	while ((ret = bl_btf_get_next_id(id, &id)) == 0) {
		struct bpf_btf_info info;
		char info_name[64] = "";
		uint32_t len = sizeof(info);

		fd = bl_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* freed meanwhile */
		memset(&info, 0, sizeof(info));
		info.name = (uint64_t)(uintptr_t)info_name;
		info.name_len = sizeof(info_name);
		if (bl_obj_get_info(fd, &info, &len) == 0 && info.kernel_btf &&
		    strcmp(info_name, name) == 0)
			return fd;
		close(fd);
	}
	if (ret != -ENOENT)
		return bl_fail(err, -ret, "listing the kernel's BTF objects (BPF_BTF_GET_NEXT_ID) failed: %s%s",
			       bl_errno_name(-ret), bl_privilege_hint(-ret));
	return bl_fail(err, ENOENT, "the kernel has no BTF object named %s", name);
}

static int search_module(struct bl_object *obj, struct module_btf *mod, const char *name,
			 unsigned int kind, struct bl_kernel_type *found, struct bl_err *err)
{
	char path[sizeof(BL_KERNEL_BTF_DIR) + 80];
	struct bl_err parse_err;
	int64_t id;

	if (mod->unreadable)
		return -ENOENT;
	if (!mod->btf) {
		snprintf(path, sizeof(path), "%s/%s", BL_KERNEL_BTF_DIR, mod->name);
		mod->btf = bl_btf_parse_file(path, obj->vmlinux_btf, &parse_err);
		if (!mod->btf) {
			/* an unloaded module, or BTF we cannot read: not this one */
			mod->unreadable = 1;
			return -ENOENT;
		}
	}
	id = find_own(mod->btf, name, kind);
	if (id < 0)
		return -ENOENT;
	if (!mod->fd) {
		int fd = bl_kernel_btf_fd(mod->name, err);

		if (fd < 0)
			return bl_err_context(err, "%s %s is in module %s", bl_btf_kind_str(kind), name, mod->name);
		mod->fd = fd;
	}
	found->btf = mod->btf;
	found->id = (uint32_t)id;
	found->module = mod->name;
	found->btf_fd = mod->fd;
	return 0;
}

int bl_kernel_type_find(struct bl_object *obj, const char *name, unsigned int kind,
			struct bl_kernel_type *found, struct bl_err *err)
{
	struct bl_kernel_modules *m;
	int64_t id;
	size_t i;
	int ret;

	if ((ret = read_vmlinux(obj, err)))
		return ret;
	id = bl_btf_find(obj->vmlinux_btf, name, kind);
	if (id > 0) {
		memset(found, 0, sizeof(*found));
		found->btf = obj->vmlinux_btf;
		found->id = (uint32_t)id;
		return 0;
	}
	if ((ret = list_modules(obj, err)))
		return ret;
	m = obj->externs->modules;
	for (i = 0; i < m->cnt; i++) {
		ret = search_module(obj, &m->list[i], name, kind, found, err);
		if (ret != -ENOENT)
			return ret;
	}
	return bl_fail(err, ENOENT, "the kernel's BTF has no %s named %s (in vmlinux or %zu module%s)",
		       bl_btf_kind_str(kind), name, m->cnt, m->cnt == 1 ? "" : "s");
}
