/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sparse_file.h - a file of any size that takes no disk (ftruncate), for
 * the tests of size caps (test_bounds.c, test_limits.c).
 */
#ifndef SPARSE_FILE_H
#define SPARSE_FILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../testlib.h"

/* /tmp/bl-sparse-PID<suffix>, of size bytes, its path into path: 0, or -1
 * with test `name` failed. */
static inline int sparse_file(const char *name, char *path, size_t path_size, const char *suffix,
			      uint64_t size)
{
	int fd;

	snprintf(path, path_size, "/tmp/bl-sparse-%d%s", (int)getpid(), suffix);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		t_fail(name, "cannot make a %llu-byte file %s: %s", (unsigned long long)size, path,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

#endif
