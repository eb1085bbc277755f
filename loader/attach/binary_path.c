// SPDX-License-Identifier: BSD-2-Clause
/*
 * binary_path.c - finding the file behind a library or program name.
 *
 * Syscalls: reads of /etc/ld.so.cache (sys/file.c) and /proc/PID/maps,
 * access(2) and stat(2) of candidate paths.
 *
 * /etc/ld.so.cache, as glibc 2.32 and later write it (and as Debian 12
 * has it), begins with the "new" header; older glibc put an "old" table
 * ("ld.so-1.7.0") first and the new one after it.  The new format:
 *   char magic[17] "glibc-ld.so.cache", char version[3] "1.1",
 *   u32 nlibs, u32 len_strings, 20 bytes of flags and extensions,
 *   then nlibs entries of 24 bytes:
 *     i32 flags, u32 key, u32 value, u32 osversion, u64 hwcap
 * key (the soname) and value (the path) are offsets of strings counted
 * from the start of the new header.  The flags' low byte is the kind of
 * library (3: ELF for glibc), the next byte the ABI (0x03 x86-64,
 * 0x0a AArch64), which keeps i386 libraries on multilib systems apart.
 */
#include "attach/binary_path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/bounds.h"
#include "sys/file.h"

#define CACHE_OLD_MAGIC "ld.so-1.7.0"
#define CACHE_NEW_MAGIC "glibc-ld.so.cache1.1"
#define CACHE_NEW_HEADER 48
#define CACHE_NEW_ENTRY 24
#define CACHE_OLD_HEADER 16	/* magic[11], padding, u32 nlibs */
#define CACHE_OLD_ENTRY 12	/* i32 flags, u32 key, u32 value */
#define CACHE_FLAG_ELF_LIBC6 0x0003
#define CACHE_MAX_SIZE (64u << 20)

#if defined(__x86_64__)
#define CACHE_ABI_FLAG 0x0300
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define CACHE_ABI_FLAG 0x0a00
#define MULTIARCH "aarch64-linux-gnu"
#else
#define CACHE_ABI_FLAG (-1)	/* unknown here: accept any ABI */
#define MULTIARCH ""
#endif

/* Where the new-format header starts, or -1. */
static long new_header_offset(const unsigned char *buf, size_t size)
{
	uint64_t nlibs, at;

	if (size >= CACHE_NEW_HEADER && memcmp(buf, CACHE_NEW_MAGIC, strlen(CACHE_NEW_MAGIC)) == 0)
		return 0;
	if (size < CACHE_OLD_HEADER || memcmp(buf, CACHE_OLD_MAGIC, strlen(CACHE_OLD_MAGIC)) != 0)
		return -1;
	nlibs = bl_get_u32(buf + 12);
	at = CACHE_OLD_HEADER + nlibs * CACHE_OLD_ENTRY;
	at = (at + 7) & ~(uint64_t)7;	/* the new header is 8-byte aligned */
	if (at > size || size - at < CACHE_NEW_HEADER ||
	    memcmp(buf + at, CACHE_NEW_MAGIC, strlen(CACHE_NEW_MAGIC)) != 0)
		return -1;
	return (long)at;
}

static const char *cache_string(const unsigned char *buf, size_t size, size_t base, uint32_t off)
{
	uint64_t at = (uint64_t)base + off;

	if (!bl_range_ok(at, 1, size) || !memchr(buf + at, '\0', size - at))
		return NULL;
	return (const char *)buf + at;
}

static int search_cache(const unsigned char *buf, size_t size, const char *cache_path,
			const char *name, char *out, size_t out_size, struct bl_err *err)
{
	long base = new_header_offset(buf, size);
	uint64_t nlibs, i;
	const char *found = NULL;

	if (base < 0)
		return bl_fail(err, ENOEXEC, "%s is not an ld.so cache in a format we know (glibc's \"%s\")",
			       cache_path, CACHE_NEW_MAGIC);
	nlibs = bl_get_u32(buf + base + 20);
	if (nlibs > (size - (size_t)base - CACHE_NEW_HEADER) / CACHE_NEW_ENTRY)
		return bl_fail(err, ENOEXEC, "%s claims %llu libraries, more than the file holds",
			       cache_path, (unsigned long long)nlibs);
	for (i = 0; i < nlibs; i++) {
		const unsigned char *e = buf + base + CACHE_NEW_HEADER + i * CACHE_NEW_ENTRY;
		int32_t flags = (int32_t)bl_get_u32(e);
		uint64_t hwcap;
		const char *key = cache_string(buf, size, (size_t)base, bl_get_u32(e + 4));
		const char *value = cache_string(buf, size, (size_t)base, bl_get_u32(e + 8));

		if (!key || !value)
			return bl_fail(err, ENOEXEC, "%s: entry %llu names a string outside the file",
				       cache_path, (unsigned long long)i);
		if (strcmp(key, name) != 0 || (flags & 0xff) != CACHE_FLAG_ELF_LIBC6)
			continue;
		if (CACHE_ABI_FLAG != -1 && (flags & 0xff00) != CACHE_ABI_FLAG)
			continue;	/* another ABI's copy, e.g. i386 on x86-64 */
		memcpy(&hwcap, e + 16, sizeof(hwcap));
		/* copies for CPU variants (glibc-hwcaps) only when nothing else */
		if (!found || hwcap == 0)
			found = value;
		if (hwcap == 0)
			break;
	}
	if (!found)
		return -ENOENT;
	if (strlen(found) >= out_size)
		return bl_fail(err, ENAMETOOLONG, "%s: the path of %s is too long", cache_path, name);
	strcpy(out, found);
	return 0;
}

int bl_ld_so_cache_lookup(const char *cache_path, const char *name, char *out, size_t size,
			  struct bl_err *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int ret = bl_read_whole(cache_path, CACHE_MAX_SIZE, &buf, &len);

	if (ret)
		return bl_fail(err, -ret, "cannot read %s: %s", cache_path, strerror(-ret));
	ret = search_cache(buf, len, cache_path, name, out, size, err);
	free(buf);
	return ret;
}

static int is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/name in out, when that is a file (and executable when want_exec). */
static int try_dir(const char *dir, size_t dir_len, const char *name, int want_exec, char *out)
{
	size_t name_len = strlen(name);

	if (dir_len == 0 || dir_len + 1 + name_len >= BL_BINARY_PATH_MAX)
		return 0;
	memcpy(out, dir, dir_len);
	out[dir_len] = '/';
	memcpy(out + dir_len + 1, name, name_len + 1);
	return is_regular_file(out) && (!want_exec || access(out, X_OK) == 0);
}

/* Each directory of a ':'-separated list (ld.so also takes ';'). */
static int search_list(const char *list, const char *name, int want_exec, char *out)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ":;");

		if (try_dir(p, len, name, want_exec, out))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

static int find_library(const char *name, char *out)
{
	static const char *const defaults[] = {
		"/lib/" MULTIARCH, "/usr/lib/" MULTIARCH, "/lib64", "/usr/lib64", "/lib", "/usr/lib",
	};
	const char *env = getenv("LD_LIBRARY_PATH");
	size_t i;

	if (env && search_list(env, name, 0, out))
		return 1;
	if (bl_ld_so_cache_lookup("/etc/ld.so.cache", name, out, BL_BINARY_PATH_MAX, NULL) == 0 &&
	    is_regular_file(out))
		return 1;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (try_dir(defaults[i], strlen(defaults[i]), name, 0, out))
			return 1;
	return 0;
}

/* The mapped file of the process whose last path component is name.  The
 * path is seen from the process's root: through /proc/PID/root when that
 * is not ours (a container). */
static int find_in_maps(int pid, const char *name, char *out)
{
	char path[64], line[BL_BINARY_PATH_MAX + 128], root[64];
	struct stat ours, theirs;
	FILE *f;
	int found = 0, same_root;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	snprintf(root, sizeof(root), "/proc/%d/root", pid);
	same_root = stat("/", &ours) == 0 && stat(root, &theirs) == 0 &&
		    ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *file = strchr(line, '/'), *base;

		if (!file)
			continue;
		file[strcspn(file, "\n")] = '\0';
		base = strrchr(file, '/') + 1;
		if (strcmp(base, name) != 0)
			continue;
		if (same_root)
			found = snprintf(out, BL_BINARY_PATH_MAX, "%s", file) < BL_BINARY_PATH_MAX;
		else
			found = snprintf(out, BL_BINARY_PATH_MAX, "%s%s", root, file) < BL_BINARY_PATH_MAX;
	}
	fclose(f);
	return found;
}

int bl_binary_path(const char *name, int pid, char *out, struct bl_err *err)
{
	int library = strstr(name, ".so") != NULL;
	const char *path_env = getenv("PATH");

	if (!name[0])
		return bl_fail(err, EINVAL, "no binary given for the uprobe");
	if (strchr(name, '/')) {
		if (strlen(name) >= BL_BINARY_PATH_MAX)
			return bl_fail(err, ENAMETOOLONG, "path %.60s... is too long", name);
		if (!is_regular_file(name))
			return bl_fail(err, ENOENT, "%s: %s", name,
				       access(name, F_OK) ? strerror(errno) : "not a regular file");
		strcpy(out, name);
		return 0;
	}
	if (pid > 0 && find_in_maps(pid, name, out))
		return 0;
	if (library && find_library(name, out))
		return 0;
	if (!library && search_list(path_env ? path_env : "/usr/local/bin:/usr/bin:/bin", name, 1, out))
		return 0;
	if (library)
		return bl_fail(err, ENOENT, "library %s not found%s (searched LD_LIBRARY_PATH, /etc/ld.so.cache and /lib, /usr/lib); give its full path",
			       name, pid > 0 ? " in the process's mappings," : "");
	return bl_fail(err, ENOENT, "program %s not found%s in $PATH; give its full path", name,
		       pid > 0 ? " among the process's mappings or" : "");
}
