// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/kernel_fd.c - mmap(2), munmap(2) and close(2) of kernel objects'
 * fds, each narrated (sys/trace.h) when someone listens.
 *
 * Syscalls: mmap(2), munmap(2), close(2), fcntl(F_DUPFD_CLOEXEC).
 *
 * What gets mapped, and why it is shared memory rather than a copy:
 * a perf ring (perf_buffer.c: one metadata page, then 2^n data pages the
 * kernel writes samples into), a BPF ring buffer (ringbuf.c: a consumer
 * page we write, then the producer page and the data the kernel writes,
 * mapped twice in a row), an array map created BPF_F_MMAPABLE (global
 * data, Linux 5.5), and the kernel's BTF file (read only, private).
 */
#include "sys/kernel_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sys/trace.h"

void *bl_sys_mmap(size_t len, int prot, int flags, int fd, off_t offset, const char *what)
{
	void *addr = mmap(NULL, len, prot, flags, fd, offset);
	int code = errno;

	if (bl_tracing())
		bl_trace_mmap(len, prot, flags, fd, (long long)offset,
			      addr == MAP_FAILED ? NULL : addr, code, what);
	errno = code;	/* callers explain a failure from it */
	return addr;
}

int bl_sys_munmap(void *addr, size_t len, const char *what)
{
	int ret = munmap(addr, len) < 0 ? -errno : 0;

	if (bl_tracing())
		bl_trace_munmap(addr, len, ret, what);
	return ret;
}

int bl_sys_dup(int fd, const char *what)
{
	int ret = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (ret < 0)
		ret = -errno;
	if (bl_tracing())
		bl_trace_dup(fd, ret, what);
	return ret;
}

int bl_sys_close(int fd, const char *what)
{
	int ret = close(fd) < 0 ? -errno : 0;

	if (bl_tracing())
		bl_trace_close(fd, ret, what);
	return ret;
}
