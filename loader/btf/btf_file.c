// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_file.c - finding the BTF in a file: the file itself, or its ELF
 * .BTF section.
 *
 * Syscalls: open, fstat, read, close.  The whole file is read (sysfs
 * files report a size of 0, so up to EOF); a vmlinux image is some tens
 * of megabytes, which is fine for a tool that reads it once.
 */
#include "btf/btf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/elf_reader.h"

static int grow(unsigned char **buf, size_t *cap)
{
	size_t bigger = *buf ? *cap * 2 : *cap;
	unsigned char *p = realloc(*buf, bigger);

	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = bigger;
	return 0;
}

static unsigned char *read_all(const char *path, size_t *size, struct bl_err *err)
{
	unsigned char *buf = NULL;
	size_t cap = 1 << 16, len = 0;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		bl_fail(err, e, "cannot open %s: %s", path, strerror(e));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		cap = (size_t)st.st_size + 1;	/* one more byte sees EOF at once */
	for (;;) {
		ssize_t n;

		if ((!buf || len == cap) && grow(&buf, &cap)) {
			bl_fail(err, ENOMEM, "%s: out of memory", path);
			goto fail;
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			bl_fail(err, e, "reading %s failed: %s", path, strerror(e));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	*size = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static struct bl_btf *parse_elf(const char *path, const unsigned char *data, size_t size,
				const struct bl_btf *base, struct bl_err *err)
{
	struct bl_elf_section sec;
	struct bl_btf *btf;
	struct bl_elf elf;
	size_t i;

	if (bl_elf_open_any_machine(&elf, data, size, err)) {
		bl_err_context(err, "%s", path);
		return NULL;
	}
	i = bl_elf_find_section(&elf, ".BTF");
	if (!i) {
		bl_fail(err, ENOENT, "%s has no .BTF section (objects need clang -g; kernels CONFIG_DEBUG_INFO_BTF)",
			path);
		return NULL;
	}
	/* a module's BTF continues vmlinux's ids and strings */
	if (!base && bl_elf_find_section(&elf, ".modinfo")) {
		bl_fail(err, EINVAL, "%s is a kernel module: its .BTF is split BTF on top of its kernel's vmlinux BTF, which must be given as the base",
			path);
		return NULL;
	}
	bl_elf_section(&elf, i, &sec);
	if (!sec.data) {
		bl_fail(err, EINVAL, "%s: its .BTF section is empty", path);
		return NULL;
	}
	btf = bl_btf_parse(sec.data, (size_t)sec.size, base, err);
	if (!btf)
		bl_err_context(err, "%s, section .BTF", path);
	return btf;
}

struct bl_btf *bl_btf_parse_any_file(const char *path, const struct bl_btf *base,
				     struct bl_err *err)
{
	unsigned char *data;
	struct bl_btf *btf;
	uint16_t magic = 0;
	size_t size;

	data = read_all(path, &size, err);
	if (!data)
		return NULL;
	if (size >= sizeof(magic))
		memcpy(&magic, data, sizeof(magic));
	if (size >= 4 && memcmp(data, "\177ELF", 4) == 0) {
		btf = parse_elf(path, data, size, base, err);
	} else if (magic == BTF_MAGIC || magic == 0x9feb) {	/* 0x9feb: other byte order */
		btf = bl_btf_parse(data, size, base, err);
		if (!btf)
			bl_err_context(err, "%s", path);
	} else {
		btf = NULL;
		bl_fail(err, EINVAL, "%s is neither BTF (it does not start with the magic 0x%04x) nor an ELF file",
			path, BTF_MAGIC);
	}
	free(data);
	return btf;
}
