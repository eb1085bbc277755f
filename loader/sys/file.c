// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/file.c - bounded file reads.
 *
 * Syscalls: open(O_RDONLY | O_CLOEXEC), fstat, read, close.
 */
#include "sys/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* read(2) until count bytes or end of file; a signal is not an error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t count)
{
	size_t done = 0;

	while (done < count) {
		ssize_t n = read(fd, buf + done, count - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int bl_read_text(const char *path, char *buf, size_t size, int too_long_is_error)
{
	unsigned char extra;
	ssize_t n;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_full(fd, (unsigned char *)buf, size - 1);
	if (n >= 0 && (size_t)n == size - 1 && too_long_is_error && read_full(fd, &extra, 1) == 1)
		n = -EFBIG;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return (int)n;
}

int bl_read_fd(int fd, size_t hint, size_t max, unsigned char **buf, size_t *size)
{
	size_t cap = hint && hint < max ? hint + 1 : 1 << 16, len = 0;
	unsigned char *data = NULL;
	int ret = 0;

	/* The size is a hint: one read more sees the end of file. */
	for (;;) {
		ssize_t n;

		if (!data || len == cap) {
			unsigned char *bigger;

			if (data && cap > max) {
				ret = -EFBIG;
				break;
			}
			if (data)
				cap = cap > max / 2 ? max + 1 : cap * 2;
			bigger = realloc(data, cap);
			if (!bigger) {
				ret = -ENOMEM;
				break;
			}
			data = bigger;
		}
		n = read_full(fd, data + len, cap - len);
		if (n < 0) {
			ret = (int)n;
			break;
		}
		len += (size_t)n;
		if (len < cap)
			break;		/* short read: the end of the file */
	}
	if (!ret && len > max)
		ret = -EFBIG;
	if (ret) {
		free(data);
		return ret;
	}
	*buf = data;
	*size = len;
	return 0;
}

int bl_read_whole(const char *path, size_t max, unsigned char **buf, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
		close(fd);
		return -EINVAL;
	}
	/* a regular file's size is believed when it is past max: refused unread */
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	ret = bl_read_fd(fd, st.st_size > 0 ? (size_t)st.st_size : 0, max, buf, size);
	close(fd);
	return ret;
}
