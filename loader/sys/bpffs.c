// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpffs.c - BPF file system directories and pins.
 *
 * Syscalls: statfs(2) to recognise bpffs by its magic number, mkdir(2),
 * mount(2) of bpffs, bpf(BPF_OBJ_PIN).  Narrated (sys/trace.h): the mount
 * and each mkdir.
 */
#include "sys/bpffs.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "sys/bpf_syscall.h"
#include "sys/caps.h"
#include "sys/trace.h"

static int on_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

static int mkdir_parents(const char *dir, struct bl_err *err)
{
	char path[512];
	size_t i, len = strlen(dir);
	int ret;

	if (len == 0 || len >= sizeof(path))
		return bl_fail(err, ENAMETOOLONG, "bad pin directory \"%s\"", dir);
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		ret = mkdir(path, 0700) < 0 ? -errno : 0;
		if (bl_tracing())
			bl_trace_mkdir(path, 0700, ret);
		if (ret && ret != -EEXIST)
			return bl_fail(err, -ret, "cannot create %s: %s", path, strerror(-ret));
		path[i] = dir[i];
	}
	return 0;
}

int bl_bpffs_prepare_dir(const char *dir, struct bl_err *err)
{
	const char *root = BL_BPFFS_DEFAULT;
	size_t root_len = strlen(root);

	if (strncmp(dir, root, root_len) == 0 && (dir[root_len] == '/' || dir[root_len] == '\0') &&
	    !on_bpffs(root)) {
		int ret = mount("bpf", root, "bpf", 0, "mode=0700") < 0 ? -errno : 0;

		if (bl_tracing())
			bl_trace_mount("bpf", root, "bpf", ret);
		if (ret)
			return bl_fail(err, -ret, "no BPF file system at %s and mounting one failed: %s%s",
				       root, strerror(-ret), bl_mount_hint(-ret));
	}
	if (mkdir_parents(dir, err))
		return -err->code;
	if (!on_bpffs(dir))
		return bl_fail(err, EINVAL, "%s is not on a BPF file system; pin under %s, or mount one there with: mount -t bpf bpf DIR",
			       dir, root);
	return 0;
}

int bl_pin(int fd, const char *path, struct bl_err *err)
{
	int ret = bl_obj_pin(fd, path);

	if (ret)
		return bl_fail(err, -ret, "pinning %s failed: %s%s", path, bl_errno_name(-ret),
			       ret == -EEXIST ? "; something is pinned there already (remove it with rm)" :
			       ret == -EACCES ? "; the directory's mode does not let this process create a pin in it "
						"(root passes only with CAP_DAC_OVERRIDE)" :
			       bl_errno_hint(-ret));
	return 0;
}
