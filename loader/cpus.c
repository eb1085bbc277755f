// SPDX-License-Identifier: BSD-2-Clause
/*
 * cpus.c - counting possible CPUs.  Syscalls: open/read of sysfs.
 */
#include "cpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file is a list of ranges such as "0-3,8-11"; the count is the
 * highest CPU number plus one, because the kernel sizes per-CPU values by
 * the highest possible CPU id. */
static int highest_cpu_plus_one(const char *list)
{
	const char *p = list;
	long highest = -1;

	while (*p) {
		char *end;
		long n = strtol(p, &end, 10);

		if (end == p)
			break;
		if (n > highest)
			highest = n;
		p = end;
		while (*p == '-' || *p == ',' || *p == '\n')
			p++;
	}
	return highest < 0 ? -EINVAL : (int)(highest + 1);
}

int bl_possible_cpus(struct bl_err *err)
{
	const char *path = "/sys/devices/system/cpu/possible";
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), count;

	if (fd < 0)
		return bl_fail(err, errno, "cannot open %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return bl_fail(err, n < 0 ? errno : EIO, "cannot read %s", path);
	buf[n] = '\0';
	count = highest_cpu_plus_one(buf);
	if (count < 0)
		return bl_fail(err, EINVAL, "%s holds no CPU list: \"%s\"", path, buf);
	return count;
}

size_t bl_percpu_value_stride(size_t value_size)
{
	return (value_size + 7) & ~(size_t)7;
}
