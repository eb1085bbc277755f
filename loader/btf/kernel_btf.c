// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_btf.c - finding and reading the kernel's BTF.
 *
 * Syscalls: open, fstat, mmap (PROT_READ, MAP_PRIVATE) or read, munmap,
 * close; opendir/readdir of /sys/kernel/btf for module BTF.
 *
 * mmap of /sys/kernel/btf/vmlinux came with Linux 6.16; before, the
 * kernel refuses it (the sysfs file has no mmap), and we read() it into
 * memory.  A user's file is mapped the same way.  The BTF is parsed in
 * place: a user's file with every check bl_btf_parse() makes, the
 * kernel's own (which the kernel verified) with its records bounded and
 * indexed and every later access checked (bl_btf_parse_kernel).
 */
#include "btf/kernel_btf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/btf_file.h"
#include "sys/file.h"
#include "sys/trace.h"

/* BTF ids and string offsets are bounded (BTF_MAX_TYPE, BTF_MAX_NAME_OFFSET):
 * no BTF file is larger than this. */
#define KERNEL_BTF_MAX (256u << 20)

/* One BTF and the memory it lives in. */
struct part {
	char name[64];
	struct bl_btf *btf;
	struct bl_btf_names *names;
	void *map;		/* mmap'd file, or NULL */
	size_t map_len;
	unsigned char *buf;	/* read() file, or NULL */
};

struct bl_kernel_btf {
	char dir[256];
	int user_file;		/* vmlinux is a user-given file: no modules */
	int modules_read;
	struct part *parts;	/* parts[0] is vmlinux */
	size_t count;
};

static void part_release(struct part *p)
{
	bl_btf_names_free(p->names);
	bl_btf_free(p->btf);
	if (p->map)
		munmap(p->map, p->map_len);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/* The file's bytes: mapped when the kernel lets us, else read. */
static int load_file(const char *path, int try_mmap, struct part *p, const unsigned char **data,
		     size_t *size, struct bl_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret, mmap_errno = 0;

	if (fd < 0) {
		int e = errno;

		return bl_fail(err, e, "cannot open %s: %s%s", path, strerror(e), bl_errno_hint(e));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return bl_fail(err, EINVAL, "%s is not a regular file", path);
	}
	if (try_mmap && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			p->map = m;
			p->map_len = (size_t)st.st_size;
			*data = m;
			*size = p->map_len;
			if (bl_tracing())
				bl_trace_emit(BL_TRACE_NOTE, "%s: %zu bytes of BTF, mmap'd read-only", path, *size);
			return 0;
		}
		mmap_errno = errno;
	}
	ret = bl_read_fd(fd, (size_t)st.st_size, KERNEL_BTF_MAX, &p->buf, size);
	close(fd);
	if (ret)
		return bl_fail(err, -ret, "reading %s failed: %s", path, strerror(-ret));
	if (bl_tracing() && !ret)
		bl_trace_emit(BL_TRACE_NOTE, "%s: %zu bytes of BTF, read into memory%s%s%s", path, *size,
			      mmap_errno ? " (mmap refused it: " : "",
			      mmap_errno ? bl_errno_name(mmap_errno) : "",
			      mmap_errno ? "; sysfs maps BTF since Linux 6.16)" : "");
	*data = p->buf;
	return ret;
}

static int read_part(const char *path, const char *name, int try_mmap, int user_file,
		     const struct bl_btf *base, struct part *p, struct bl_err *err)
{
	const unsigned char *data = NULL;
	size_t size = 0;

	snprintf(p->name, sizeof(p->name), "%s", name);
	if (user_file) {
		/* raw BTF or an ELF file's .BTF, checked in full */
		p->btf = bl_btf_parse_any_file(path, base, err);
	} else {
		/* the kernel's own BTF was verified by the kernel when it loaded it */
		if (load_file(path, try_mmap, p, &data, &size, err))
			return -err->code;
		p->btf = bl_btf_parse_kernel(data, size, base, err);
		if (!p->btf)
			bl_err_context(err, "%s", path);
	}
	if (!p->btf)
		return -err->code;
	p->names = bl_btf_names_new(p->btf, BL_BTF_NAMES_DATA_KINDS, err);
	return p->names ? 0 : -err->code;
}

static int vmlinux_missing(const char *path, struct bl_err *err)
{
	return bl_fail(err, ENOENT, "the kernel has no BTF: %s does not exist (a kernel built without CONFIG_DEBUG_INFO_BTF, or older than 5.4); give its BTF in a file instead (bpfload --btf FILE, e.g. from BTFHub)",
		       path);
}

struct bl_kernel_btf *bl_kernel_btf_open(const struct bl_kernel_btf_opts *opts, struct bl_err *err)
{
	struct bl_kernel_btf *kb = calloc(1, sizeof(*kb));
	const char *file = opts ? opts->btf_path : NULL;
	char path[512];
	int ret;

	if (!kb || !(kb->parts = calloc(1, sizeof(*kb->parts)))) {
		free(kb);
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	kb->count = 1;
	snprintf(kb->dir, sizeof(kb->dir), "%s",
		 opts && opts->sysfs_dir ? opts->sysfs_dir : BL_KERNEL_BTF_DIR);
	kb->user_file = file != NULL;
	if (file) {
		ret = read_part(file, file, 1, 1, NULL, &kb->parts[0], err);
	} else {
		snprintf(path, sizeof(path), "%s/vmlinux", kb->dir);
		ret = read_part(path, "vmlinux", 1, 0, NULL, &kb->parts[0], err);
		if (ret == -ENOENT && access(path, F_OK) != 0)
			ret = vmlinux_missing(path, err);
	}
	if (ret) {
		bl_kernel_btf_close(kb);
		return NULL;
	}
	return kb;
}

void bl_kernel_btf_close(struct bl_kernel_btf *kb)
{
	size_t i;

	if (!kb)
		return;
	/* modules first: their BTF refers to vmlinux's */
	for (i = kb->count; i-- > 0;)
		part_release(&kb->parts[i]);
	free(kb->parts);
	free(kb);
}

size_t bl_kernel_btf_count(const struct bl_kernel_btf *kb)
{
	return kb->count;
}

const struct bl_btf *bl_kernel_btf_get(const struct bl_kernel_btf *kb, size_t i, const char **name,
				       struct bl_btf_names **names)
{
	if (i >= kb->count)
		return NULL;
	if (name)
		*name = kb->parts[i].name;
	if (names)
		*names = kb->parts[i].names;
	return kb->parts[i].btf;
}

const char *bl_kernel_btf_how(const struct bl_kernel_btf *kb)
{
	return kb->parts[0].map ? "mmap" : "read";
}

static int add_module(struct bl_kernel_btf *kb, const char *name, struct bl_err *err)
{
	struct part *more = realloc(kb->parts, (kb->count + 1) * sizeof(*more));
	char path[512];

	if (!more)
		return bl_fail(err, ENOMEM, "out of memory");
	kb->parts = more;
	memset(&kb->parts[kb->count], 0, sizeof(kb->parts[0]));
	snprintf(path, sizeof(path), "%s/%s", kb->dir, name);
	/* only vmlinux can be mapped (6.16); modules are small anyway */
	if (read_part(path, name, 0, 0, kb->parts[0].btf, &kb->parts[kb->count], err)) {
		part_release(&kb->parts[kb->count]);
		return bl_err_context(err, "module %s's BTF", name);
	}
	kb->count++;
	return 0;
}

int bl_kernel_btf_read_modules(struct bl_kernel_btf *kb, struct bl_err *err)
{
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	if (kb->user_file || kb->modules_read)
		return (int)kb->count - 1;
	kb->modules_read = 1;
	dir = opendir(kb->dir);
	if (!dir)
		return 0;	/* no modules to look at is no error */
	while (!ret && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || strcmp(d->d_name, "vmlinux") == 0)
			continue;
		ret = add_module(kb, d->d_name, err);
	}
	closedir(dir);
	return ret ? ret : (int)kb->count - 1;
}
