/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * binary_path.h - which file "libc.so.6" or "bash" means to a uprobe.
 *
 * The kernel wants the path of the very file a process maps: a uprobe is
 * put on an inode.  A name with a '/' is taken as it is.  Other names are
 * looked up the way their users find them:
 *   - with a pid: the file of that name the process has mapped
 *     (/proc/PID/maps), which is exact, containers and all;
 *   - a shared library ("libc.so.6", anything with ".so"): as the dynamic
 *     loader ld.so does for a program that has no RPATH: LD_LIBRARY_PATH,
 *     then /etc/ld.so.cache (written by ldconfig), then the default
 *     directories;
 *   - a program ("bash"): through $PATH, as a shell does.
 */
#ifndef BL_BINARY_PATH_H
#define BL_BINARY_PATH_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/uprobe.h>

/* The entry for library name (e.g. "libc.so.6") in an ld.so.cache file
 * (normally /etc/ld.so.cache) for this machine's ABI, as out (size
 * bytes).  -ENOENT when the cache has no such library; other errors when
 * the file is missing or malformed. */
int bl_ld_so_cache_lookup(const char *cache_path, const char *name, char *out, size_t size,
			  struct bl_err *err);

#endif
