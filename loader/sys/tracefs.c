// SPDX-License-Identifier: BSD-2-Clause
/*
 * tracefs.c - finding, mounting and using tracefs.
 *
 * Syscalls: open/read/write/close on tracefs files, mount(2) of tracefs
 * when it is missing, access(2).  Narrated (sys/trace.h): the mount,
 * every write, and each tracepoint id read.
 */
#include "sys/tracefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"
#include "sys/caps.h"
#include "sys/file.h"
#include "sys/trace.h"

static const char *const usual_places[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",	/* kernels before 4.1, or debugfs users */
};

static int is_tracefs(const char *dir)
{
	char probe[BL_PATH_MAX + 32];

	snprintf(probe, sizeof(probe), "%s/trace_pipe", dir);
	return access(probe, F_OK) == 0;
}

int bl_tracefs_mounted(void)
{
	for (size_t i = 0; i < sizeof(usual_places) / sizeof(usual_places[0]); i++)
		if (is_tracefs(usual_places[i]))
			return 1;
	return 0;
}

int bl_tracefs_dir(char *dir, struct bl_err *err)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(usual_places) / sizeof(usual_places[0]); i++) {
		if (is_tracefs(usual_places[i])) {
			snprintf(dir, BL_PATH_MAX, "%s", usual_places[i]);
			return 0;
		}
	}
	/* tracefs is mounted 0700: another user cannot even look inside */
	if (access(usual_places[0], X_OK) < 0 && errno == EACCES)
		return bl_fail(err, EACCES, "cannot enter %s: %s; tracefs is open to root only (mode 0700): run as root",
			       usual_places[0], strerror(EACCES));
	ret = mount("tracefs", usual_places[0], "tracefs", 0, NULL) < 0 ? -errno : 0;
	if (bl_tracing())
		bl_trace_mount("tracefs", usual_places[0], "tracefs", ret);
	if (ret) {
		int e = -ret;

		return bl_fail(err, e, "tracefs is not mounted and mounting it at %s failed: %s%s",
			       usual_places[0], strerror(e),
			       e == ENODEV ? "; this kernel has no tracefs (CONFIG_TRACING is off)" : bl_mount_hint(e));
	}
	snprintf(dir, BL_PATH_MAX, "%s", usual_places[0]);
	return 0;
}

static int tracefs_path(const char *rel, char *path, size_t size)
{
	char dir[BL_PATH_MAX];
	int ret = bl_tracefs_dir(dir, NULL);

	if (ret)
		return ret;
	if ((size_t)snprintf(path, size, "%s/%s", dir, rel) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int bl_tracefs_has(const char *rel)
{
	char path[BL_PATH_MAX * 2];

	return tracefs_path(rel, path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

int bl_tracefs_read(const char *rel, char *buf, size_t size)
{
	char path[BL_PATH_MAX * 2];
	int ret = tracefs_path(rel, path, sizeof(path));

	return ret ? ret : bl_read_text(path, buf, size, 0);
}

int bl_tracefs_append(const char *rel, const char *line, struct bl_err *err)
{
	char path[BL_PATH_MAX * 2];
	size_t len = strlen(line);
	int fd, ret = tracefs_path(rel, path, sizeof(path));

	if (ret)
		return bl_fail(err, -ret, "cannot find tracefs to write %s", rel);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return bl_fail(err, errno, "cannot open %s: %s%s", path, strerror(errno), bl_errno_hint(errno));
	if (write(fd, line, len) != (ssize_t)len) {
		ret = errno ? errno : EIO;
		close(fd);
		if (bl_tracing())
			bl_trace_file_write(path, line, -ret);
		return bl_fail(err, ret, "writing \"%s\" to %s failed: %s", line, path, strerror(ret));
	}
	close(fd);
	if (bl_tracing())
		bl_trace_file_write(path, line, 0);
	return 0;
}

int bl_tracepoint_id(const char *category, const char *name, struct bl_err *err)
{
	char rel[BL_PATH_MAX], buf[32], dir[BL_PATH_MAX];
	int ret = bl_tracefs_dir(dir, err);

	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "events/%s/%s/id", category, name);
	ret = bl_tracefs_read(rel, buf, sizeof(buf));
	if (bl_tracing()) {
		char path[BL_PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s/%s", dir, rel);
		bl_trace_file_read(path, buf, ret);
	}
	if (ret == -ENOENT)
		return bl_fail(err, ENOENT, "tracepoint %s/%s does not exist on this kernel (no %s/%s); see %s/available_events",
			       category, name, dir, rel, dir);
	if (ret < 0)
		return bl_fail(err, -ret, "reading %s/%s failed: %s%s", dir, rel,
			       strerror(-ret), bl_errno_hint(-ret));
	return atoi(buf);
}
