/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/trace_format.h - how narration lines are written: a bounded line
 * builder, the decoders of each interface's arguments (trace_bpf.c,
 * trace_perf.c), the names of the kernel's enums, and the table of what
 * an errno means for a given call (trace_errno.c).
 *
 * Only the narration (trace*.c) and the unit tests use this header; the
 * rest of the loader calls the narrators of sys/trace.h.  Nothing here
 * makes a kernel call.
 */
#ifndef BL_SYS_TRACE_FORMAT_H
#define BL_SYS_TRACE_FORMAT_H

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The longest narration line; longer ones end in "...". */
#define BL_TRACE_LINE_MAX 1024

/* Text built in a caller's buffer; never overflows, always terminated. */
struct bl_line {
	char *buf;
	size_t size;
	size_t len;
};

void bl_line_init(struct bl_line *l, char *buf, size_t size);
void bl_line_add(struct bl_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* s as a C string literal, reading at most max bytes of it (the most the
 * kernel reads there): "abc\n", or NULL for a null pointer. */
void bl_line_str(struct bl_line *l, const char *s, size_t max);

/* A bit set by the names of its bits ("BPF_F_RDONLY_PROG|BPF_F_MMAPABLE"),
 * the unknown rest in hex, or "0". */
struct bl_flag_name {
	uint64_t bit;
	const char *name;
};
void bl_line_flags(struct bl_line *l, uint64_t flags, const struct bl_flag_name *names, size_t n);

/* Every interface a narration line can be about, for the errno table. */
enum bl_trace_call {
	BL_CALL_ANY,		/* table rows that hold for every call */
	BL_CALL_BPF,		/* cmd: enum bpf_cmd */
	BL_CALL_PERF_OPEN,
	BL_CALL_PERF_IOCTL,	/* cmd: the request */
	BL_CALL_MMAP,
	BL_CALL_MUNMAP,
	BL_CALL_CLOSE,
	BL_CALL_WRITE,		/* tracefs and sysfs files */
	BL_CALL_READ,
	BL_CALL_OPEN,
	BL_CALL_MKDIR,
	BL_CALL_MOUNT,
	BL_CALL_MEMLOCK,	/* setrlimit(RLIMIT_MEMLOCK) */
};

/* What errno code means for this call, in a few words; NULL when the
 * table has nothing better than the errno's name. */
const char *bl_trace_meaning(enum bl_trace_call call, int cmd, int code);

/* Set by bl_trace_set(): whether the process runs as root, which
 * changes what EPERM means. */
extern int bl_trace_as_root;

/* " = ret" for a success, " = -ENAME (meaning)" for ret = -errno. */
void bl_line_result(struct bl_line *l, enum bl_trace_call call, int cmd, long ret);

/* ---- the kernel's names (NULL when this build's headers do not know
 * the value) ---- */
const char *bl_bpf_cmd_name(int cmd);			/* "BPF_MAP_CREATE" */
const char *bl_map_type_str(uint32_t type);		/* "percpu_array" */
const char *bl_prog_type_str(uint32_t type);		/* "tracepoint" */
const char *bl_attach_type_str(uint32_t type);		/* "perf_event" */

/* ---- decoders: the whole line, result included ---- */

/* bpf(2): only the fields of cmd, read from the first size bytes of
 * attr; strings behind pointers only where cmd makes the kernel read
 * them, and no further than it reads. */
void bl_trace_format_bpf(struct bl_line *l, int cmd, const union bpf_attr *attr,
			 unsigned int size, long ret);

void bl_trace_format_perf_event_open(struct bl_line *l, const struct perf_event_attr *attr,
				     pid_t pid, int cpu, int group_fd, unsigned long flags,
				     const char *pmu, long ret);
void bl_trace_format_perf_ioctl(struct bl_line *l, int fd, unsigned long request,
				unsigned long arg, long ret);
void bl_trace_format_mmap(struct bl_line *l, size_t len, int prot, int flags, int fd,
			  long long offset, const void *addr, int code, const char *what);

#endif
