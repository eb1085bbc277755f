/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpffs.h - pinning maps and programs in the BPF file system.
 *
 * A BPF object lives while some fd refers to it.  BPF_OBJ_PIN (Linux 4.4)
 * gives it a name in a bpffs mount (conventionally /sys/fs/bpf) that
 * keeps it alive after the loader exits, and lets other programs, such
 * as bpftool, open it again with BPF_OBJ_GET.
 */
#ifndef BL_BPFFS_H
#define BL_BPFFS_H

#include <bpfload/error.h>

#define BL_BPFFS_DEFAULT "/sys/fs/bpf"

/* Create dir (and its parents) on a BPF file system, mounting bpffs at
 * /sys/fs/bpf first when dir lies there and nothing is mounted. */
int bl_bpffs_prepare_dir(const char *dir, struct bl_err *err);

/* Pin fd at path (whose directory must be on bpffs). */
int bl_pin(int fd, const char *path, struct bl_err *err);

#endif
