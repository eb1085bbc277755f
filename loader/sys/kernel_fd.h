/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/kernel_fd.h - the fds the kernel hands out for its objects (maps,
 * programs, links, perf events, BTF): mapping their memory with mmap(2),
 * taking a second reference with fcntl(F_DUPFD_CLOEXEC), and letting
 * them go with close(2).
 *
 * These are the plain system calls, with the narration of sys/trace.h
 * added: what = a few words on what is mapped or closed ("perf ring of
 * CPU 1", "BPF link of count_calls: the program leaves its hook"), shown
 * only when narrating.  Closing is what detaches and frees in BPF: the
 * kernel drops an object when its last fd (or pin, or link) goes.
 */
#ifndef BL_SYS_KERNEL_FD_H
#define BL_SYS_KERNEL_FD_H

#include <stddef.h>
#include <sys/types.h>

/* mmap(NULL, len, prot, flags, fd, offset): MAP_FAILED with errno set
 * on failure, as mmap(2). */
void *bl_sys_mmap(size_t len, int prot, int flags, int fd, off_t offset, const char *what);

/* munmap(2), returning 0 or -errno. */
int bl_sys_munmap(void *addr, size_t len, const char *what);

/* close(2) of a kernel object's fd, returning 0 or -errno. */
int bl_sys_close(int fd, const char *what);

/* fcntl(fd, F_DUPFD_CLOEXEC): a second fd of the same object (a reader's
 * own reference to a map), or -errno. */
int bl_sys_dup(int fd, const char *what);

#endif
