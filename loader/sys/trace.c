// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/trace.c - the narration hook (<bpfload/trace.h>), the line
 * builder every decoder writes with, and the narrators of the small
 * interfaces: files of tracefs, sysfs and bpffs, mounts, mkdir, close
 * and dup, setrlimit.
 *
 * Syscalls: geteuid(2), once, when a hook is set; none while narrating.
 *
 * The hook is the library's one piece of process-wide state; the header
 * says why.  Each narrator formats into a buffer on its own stack and
 * calls the hook once, so a line is whole however the tool writes it,
 * and keeps errno as the call left it, because the loader's callers
 * still read it after a failed mmap or write.
 */
#include "sys/trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/error.h>

#include "sys/trace_format.h"

bl_trace_fn bl_trace_hook;
static void *hook_ctx;
enum bl_trace_phase bl_trace_current = BL_TRACE_NONE;
int bl_trace_as_root;

void bl_trace_set(bl_trace_fn fn, void *ctx)
{
	if (fn)
		bl_trace_as_root = geteuid() == 0;
	hook_ctx = ctx;
	bl_trace_hook = fn;
}

void bl_trace_phase(enum bl_trace_phase phase)
{
	bl_trace_enter(phase);
}

const char *bl_trace_phase_name(enum bl_trace_phase phase)
{
	switch (phase) {
	case BL_TRACE_OPEN: return "open";
	case BL_TRACE_LOAD: return "load";
	case BL_TRACE_ATTACH: return "attach";
	case BL_TRACE_READ: return "read";
	case BL_TRACE_DETACH: return "detach";
	case BL_TRACE_NONE:
	default: return "-";
	}
}

static void deliver(enum bl_trace_kind kind, const char *text)
{
	struct bl_trace_event ev = { bl_trace_current, kind, text };
	bl_trace_fn fn = bl_trace_hook;
	int saved = errno;

	if (fn)
		fn(&ev, hook_ctx);
	errno = saved;
}

void bl_trace_emit(enum bl_trace_kind kind, const char *fmt, ...)
{
	char buf[BL_TRACE_LINE_MAX];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	errno = saved;
	deliver(kind, buf);
}

/* ---- the line builder ------------------------------------------------------ */

void bl_line_init(struct bl_line *l, char *buf, size_t size)
{
	l->buf = buf;
	l->size = size;
	l->len = 0;
	if (size)
		buf[0] = '\0';
}

void bl_line_add(struct bl_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len + 1 >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= l->size - l->len) {
		l->len = l->size - 1;
		if (l->size > 4)	/* say that it was cut */
			memcpy(l->buf + l->size - 4, "...", 4);
		return;
	}
	l->len += (size_t)n;
}

/* Quoted strings show at most this much; the rest is "...". */
#define SHOWN_STRING_MAX 200

void bl_line_str(struct bl_line *l, const char *s, size_t max)
{
	size_t i, len;

	if (!s) {
		bl_line_add(l, "NULL");
		return;
	}
	len = strnlen(s, max);
	bl_line_add(l, "\"");
	for (i = 0; i < len && i < SHOWN_STRING_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			bl_line_add(l, "\\n");
		else if (c == '\t')
			bl_line_add(l, "\\t");
		else if (c == '"' || c == '\\')
			bl_line_add(l, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			bl_line_add(l, "\\x%02x", c);
		else
			bl_line_add(l, "%c", c);
	}
	bl_line_add(l, len > SHOWN_STRING_MAX ? "\"..." : "\"");
}

void bl_line_flags(struct bl_line *l, uint64_t flags, const struct bl_flag_name *names, size_t n)
{
	uint64_t rest = flags;
	size_t i;
	int first = 1;

	if (flags == 0) {
		bl_line_add(l, "0");
		return;
	}
	for (i = 0; i < n; i++) {
		if (!(rest & names[i].bit))
			continue;
		bl_line_add(l, "%s%s", first ? "" : "|", names[i].name);
		rest &= ~names[i].bit;
		first = 0;
	}
	if (rest)
		bl_line_add(l, "%s%#llx", first ? "" : "|", (unsigned long long)rest);
}

/* "-EINVAL" ("-errno N" for one sys/error.c does not name). */
static void add_errno(struct bl_line *l, int code)
{
	bl_line_add(l, "-%s", bl_errno_name(code));
}

void bl_line_result(struct bl_line *l, enum bl_trace_call call, int cmd, long ret)
{
	const char *meaning;

	if (ret >= 0) {
		bl_line_add(l, " = %ld", ret);
		return;
	}
	bl_line_add(l, " = ");
	add_errno(l, (int)-ret);
	meaning = bl_trace_meaning(call, cmd, (int)-ret);
	if (meaning)
		bl_line_add(l, " (%s)", meaning);
}

/* ---- small interfaces ------------------------------------------------------ */

static void emit_line(struct bl_line *l)
{
	deliver(BL_TRACE_SYSCALL, l->buf);
}

void bl_trace_file_write(const char *path, const char *text, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "write(%s, ", path);
	bl_line_str(&l, text, strlen(text));
	bl_line_add(&l, ")");
	bl_line_result(&l, BL_CALL_WRITE, 0, ret < 0 ? ret : 0);
	emit_line(&l);
}

void bl_trace_file_read(const char *path, const char *text, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;
	size_t len = text ? strlen(text) : 0;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "read(%s)", path);
	if (ret < 0) {
		bl_line_result(&l, BL_CALL_READ, 0, ret);
	} else {
		while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
			len--;	/* sysfs values end in a newline */
		bl_line_add(&l, " = ");
		bl_line_str(&l, text, len);
	}
	emit_line(&l);
}

void bl_trace_file_open(const char *path, const char *how, long ret, const char *what)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "open(%s, %s)", path, how);
	bl_line_result(&l, BL_CALL_OPEN, 0, ret);
	if (what && ret >= 0)
		bl_line_add(&l, "  # %s", what);
	emit_line(&l);
}

void bl_trace_mkdir(const char *path, unsigned int mode, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "mkdir(%s, 0%o)", path, mode);
	bl_line_result(&l, BL_CALL_MKDIR, 0, ret);
	emit_line(&l);
}

void bl_trace_mount(const char *source, const char *target, const char *fstype, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "mount(%s, %s, type=%s)", source, target, fstype);
	bl_line_result(&l, BL_CALL_MOUNT, 0, ret);
	emit_line(&l);
}

void bl_trace_memlock(long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "setrlimit(RLIMIT_MEMLOCK, unlimited)");
	bl_line_result(&l, BL_CALL_MEMLOCK, 0, ret);
	emit_line(&l);
}

void bl_trace_close(int fd, long ret, const char *what)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "close(%d)", fd);
	bl_line_result(&l, BL_CALL_CLOSE, 0, ret);
	if (what)
		bl_line_add(&l, "  # %s", what);
	emit_line(&l);
}

void bl_trace_dup(int fd, long ret, const char *what)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "fcntl(%d, F_DUPFD_CLOEXEC)", fd);
	bl_line_result(&l, BL_CALL_CLOSE, 0, ret);
	if (what && ret >= 0)
		bl_line_add(&l, "  # %s", what);
	emit_line(&l);
}

void bl_trace_bpf(int cmd, const union bpf_attr *attr, unsigned int size, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_trace_format_bpf(&l, cmd, attr, size, ret);
	emit_line(&l);
}

void bl_trace_perf_event_open(const struct perf_event_attr *attr, pid_t pid, int cpu,
			      int group_fd, unsigned long flags, const char *pmu, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_trace_format_perf_event_open(&l, attr, pid, cpu, group_fd, flags, pmu, ret);
	emit_line(&l);
}

void bl_trace_perf_ioctl(int fd, unsigned long request, unsigned long arg, long ret)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_trace_format_perf_ioctl(&l, fd, request, arg, ret);
	emit_line(&l);
}

void bl_trace_mmap(size_t len, int prot, int flags, int fd, long long offset, const void *addr,
		   int code, const char *what)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_trace_format_mmap(&l, len, prot, flags, fd, offset, addr, code, what);
	emit_line(&l);
}

void bl_trace_munmap(const void *addr, size_t len, long ret, const char *what)
{
	char buf[BL_TRACE_LINE_MAX];
	struct bl_line l;

	bl_line_init(&l, buf, sizeof(buf));
	bl_line_add(&l, "munmap(%p, %zu)", addr, len);
	bl_line_result(&l, BL_CALL_MUNMAP, 0, ret);
	if (what)
		bl_line_add(&l, "  # %s", what);
	emit_line(&l);
}
