/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/trace.h - the narration hook as the loader's own files see it
 * (the public side is <bpfload/trace.h>).
 *
 * Every narrated call site reads:
 *
 *     ret = <the kernel call>;
 *     if (bl_tracing())
 *             bl_trace_<interface>(<what the kernel was given>, ret);
 *
 * after the call, so that the line carries the result, and behind one
 * test of a pointer, so that a loader nobody watches pays nothing more.
 * The bl_trace_*() functions below decode and hand the line to the hook
 * (trace.c; decoders in trace_bpf.c and trace_perf.c, meanings of errnos
 * in trace_errno.c).  They make no kernel calls and keep errno as it was.
 */
#ifndef BL_SYS_TRACE_H
#define BL_SYS_TRACE_H

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <sys/types.h>

#include <bpfload/trace.h>

/* The hook (NULL: narration off) and the phase last marked. */
extern bl_trace_fn bl_trace_hook;
extern enum bl_trace_phase bl_trace_current;

static inline int bl_tracing(void)
{
	return __builtin_expect(bl_trace_hook != NULL, 0);
}

/* Mark a phase: a plain store, whether or not anyone listens. */
static inline void bl_trace_enter(enum bl_trace_phase phase)
{
	bl_trace_current = phase;
}

/* One line of text to the hook (callers check bl_tracing() first). */
void bl_trace_emit(enum bl_trace_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- one narrator per interface (results as the wrappers return them:
 * a value, or -errno) ---- */

/* bpf(cmd, attr, size) = ret, from the attr the kernel was given. */
void bl_trace_bpf(int cmd, const union bpf_attr *attr, unsigned int size, long ret);

/* perf_event_open(attr, pid, cpu, group_fd, flags) = ret.  pmu names a
 * dynamic PMU whose type number came from sysfs ("kprobe", "uprobe"),
 * NULL for the fixed PERF_TYPE_* ones: it says how to read config1. */
void bl_trace_perf_event_open(const struct perf_event_attr *attr, pid_t pid, int cpu,
			      int group_fd, unsigned long flags, const char *pmu, long ret);

/* ioctl(fd, PERF_EVENT_IOC_*, arg) = ret. */
void bl_trace_perf_ioctl(int fd, unsigned long request, unsigned long arg, long ret);

/* mmap(NULL, len, prot, flags, fd, offset) = addr (NULL with code when
 * it failed), and munmap(addr, len) = ret; what says what was mapped. */
void bl_trace_mmap(size_t len, int prot, int flags, int fd, long long offset, const void *addr,
		   int code, const char *what);
void bl_trace_munmap(const void *addr, size_t len, long ret, const char *what);

/* close(fd) = ret, for the fd of a kernel object; what says what goes;
 * fcntl(fd, F_DUPFD_CLOEXEC) = ret, a second fd of the same object. */
void bl_trace_close(int fd, long ret, const char *what);
void bl_trace_dup(int fd, long ret, const char *what);

/* A file the loader wrote, read or opened to talk to the kernel
 * (tracefs, sysfs, bpffs): write(path, "text") = ret,
 * read(path) = "text", open(path, how) = fd, mkdir(path) = ret. */
void bl_trace_file_write(const char *path, const char *text, long ret);
void bl_trace_file_read(const char *path, const char *text, long ret);
void bl_trace_file_open(const char *path, const char *how, long ret, const char *what);
void bl_trace_mkdir(const char *path, unsigned int mode, long ret);

/* mount(source, target, fstype) = ret. */
void bl_trace_mount(const char *source, const char *target, const char *fstype, long ret);

/* setrlimit(RLIMIT_MEMLOCK, RLIM_INFINITY) = ret. */
void bl_trace_memlock(long ret);

#endif
