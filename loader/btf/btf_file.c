// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_file.c - finding the BTF in a file: the file itself, or its ELF
 * .BTF section.
 *
 * Syscalls: open, fstat, read, close (sys/file.c).  The whole file is
 * read; a vmlinux image is some tens of megabytes, which is fine for a
 * tool that reads it once.
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
#include "sys/file.h"

/* A vmlinux image is some tens of megabytes; nothing BTF is larger. */
#define BTF_SOURCE_MAX (1u << 30)

static unsigned char *read_all(const char *path, size_t *size, struct bl_err *err)
{
	unsigned char *buf = NULL;
	int ret = bl_read_whole(path, BTF_SOURCE_MAX, &buf, size);

	if (ret) {
		bl_fail(err, -ret, "cannot read %s: %s", path, strerror(-ret));
		return NULL;
	}
	return buf;
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
