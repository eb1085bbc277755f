/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/file.h - reading files: objects, BTF, and the kernel's small text
 * files in sysfs, procfs and tracefs.  The one place the loader reads a
 * file, so that every read is bounded and retried the same way.
 *
 * Raw wrappers: they return -errno and leave messages to their callers,
 * who know what the file was for.
 */
#ifndef BL_SYS_FILE_H
#define BL_SYS_FILE_H

#include <stddef.h>

/* Read a text file into buf (size bytes, size >= 1), NUL-terminated:
 * the file's length, or -errno.  A file longer than size - 1 bytes is
 * cut there (-EFBIG when too_long_is_error). */
int bl_read_text(const char *path, char *buf, size_t size, int too_long_is_error);

/* Read a whole file into a malloc'd buffer (*buf, *size; the caller
 * frees it); at most max bytes, else -EFBIG.  sysfs and procfs files
 * report sizes that are not theirs (4096, or 0), so the buffer grows
 * as the data arrives rather than trusting fstat.  A file that is not
 * a regular file (a directory, a FIFO) gives -EINVAL. */
int bl_read_whole(const char *path, size_t max, unsigned char **buf, size_t *size);

#endif
