// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf_file.c - mapping a binary for reading.
 *
 * Syscalls: open(2), fstat(2), mmap(2), munmap(2), close(2).
 *
 * MAP_PRIVATE with PROT_READ: we never write.  A file truncated by
 * someone else while it is mapped would raise SIGBUS on access; binaries
 * being probed are normally in use and not rewritten in place (package
 * managers write a new file and rename it over the old one).
 */
#include "elf/elf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int bl_elf_file_open(struct bl_elf_file *file, const char *path, struct bl_err *err)
{
	struct stat st;
	int fd, ret;

	memset(file, 0, sizeof(*file));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bl_fail(err, errno, "cannot open %s: %s%s", path, strerror(errno), bl_errno_hint(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return bl_fail(err, EINVAL, "%s is not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return bl_fail(err, ENOEXEC, "%s is empty, not an ELF file", path);
	}
	file->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);	/* the mapping keeps the file */
	if (file->map == MAP_FAILED) {
		file->map = NULL;
		return bl_fail(err, errno, "cannot map %s: %s", path, strerror(errno));
	}
	file->size = (size_t)st.st_size;
	ret = bl_elf_open_binary(&file->elf, file->map, file->size, err);
	if (ret) {
		bl_err_context(err, "%s", path);
		bl_elf_file_close(file);
	}
	return ret;
}

void bl_elf_file_close(struct bl_elf_file *file)
{
	if (file->map)
		munmap(file->map, file->size);
	memset(file, 0, sizeof(*file));
}
