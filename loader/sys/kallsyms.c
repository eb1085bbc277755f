// SPDX-License-Identifier: BSD-2-Clause
/*
 * kallsyms.c - reading /proc/kallsyms line by line.
 *
 * Syscalls: open/read/close of the file.  It is large (megabytes: every
 * function and variable of the kernel), so it is streamed in chunks and
 * each line checked on its own.
 */
#include "sys/kallsyms.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* address, type, name, module: far more than any real line */
#define MAX_LINE (16 + 3 + BL_KSYM_NAME_MAX + 2 + 256)
#define CHUNK 65536

struct walker {
	bl_ksym_fn fn;
	void *ctx;
	unsigned int line;
	struct bl_err *err;
};

static int bad_line(struct walker *w, const char *why)
{
	return bl_fail(w->err, EINVAL, "kallsyms line %u: %s", w->line, why);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* "ADDR T NAME" or "ADDR T NAME\t[MODULE]", NUL-terminated in s. */
static int parse_line(struct walker *w, char *s, struct bl_ksym *sym)
{
	char *name, *end, *module, *close;
	int digits = 0, d;

	memset(sym, 0, sizeof(*sym));
	for (; (d = hex_digit(*s)) >= 0; s++) {
		if (++digits > 16)
			return bad_line(w, "the address has more than 16 hex digits");
		sym->addr = sym->addr << 4 | (uint64_t)d;
	}
	if (!digits || s[0] != ' ' || s[1] <= ' ' || s[1] > '~' || s[2] != ' ')
		return bad_line(w, "expected an address, a type letter and a name");
	sym->type = s[1];
	name = s + 3;
	end = name + strcspn(name, " \t");
	if (end == name || end - name > BL_KSYM_NAME_MAX)
		return bad_line(w, "the name is empty or longer than the kernel allows");
	sym->name = name;
	if (!*end)
		return 0;
	/* a module's symbol: a tab, "[module]", nothing after */
	if (end[0] != '\t' || end[1] != '[')
		return bad_line(w, "expected a tab and [module] after the name");
	module = end + 2;
	close = strchr(module, ']');
	if (!close || close == module || close[1] ||
	    strcspn(module, " \t[") < (size_t)(close - module))
		return bad_line(w, "expected a tab and [module] after the name");
	*end = '\0';
	*close = '\0';
	sym->module = module;
	return 0;
}

/* One line of len bytes (no newline), copied so it can be cut up. */
static int feed_line(struct walker *w, const char *line, size_t len)
{
	char copy[MAX_LINE + 1];
	struct bl_ksym sym;
	int ret;

	w->line++;
	if (len > MAX_LINE)
		return bad_line(w, "the line is too long");
	if (memchr(line, '\0', len))
		return bad_line(w, "a NUL byte inside the line");
	memcpy(copy, line, len);
	copy[len] = '\0';
	if ((ret = parse_line(w, copy, &sym)))
		return ret;
	return w->fn(w->ctx, &sym);
}

/* The complete lines of buf[0..len); returns how many bytes they took,
 * or a negative errno. */
static long feed_lines(struct walker *w, const char *buf, size_t len)
{
	size_t pos = 0;
	int ret;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);

		if (!nl)
			break;
		ret = feed_line(w, buf + pos, (size_t)(nl - buf) - pos);
		if (ret)
			return ret;
		pos = (size_t)(nl - buf) + 1;
	}
	return (long)pos;
}

int bl_kallsyms_parse(const char *text, size_t len, bl_ksym_fn fn, void *ctx, struct bl_err *err)
{
	struct walker w = { fn, ctx, 0, err };
	long used = feed_lines(&w, text, len);

	if (used < 0 || (size_t)used == len)
		return used < 0 ? (int)used : 0;
	return feed_line(&w, text + used, len - (size_t)used);	/* the last, without newline */
}

int bl_kallsyms_read(const char *path, bl_ksym_fn fn, void *ctx, struct bl_err *err)
{
	struct walker w = { fn, ctx, 0, err };
	char *buf = malloc(CHUNK + MAX_LINE);
	size_t have = 0;
	long used;
	ssize_t n;
	int fd, ret = 0;

	if (!buf)
		return bl_fail(err, ENOMEM, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = bl_fail(err, errno, "cannot open %s: %s%s", path, strerror(errno), bl_errno_hint(errno));
		free(buf);
		return ret;
	}
	for (;;) {
		n = read(fd, buf + have, CHUNK + MAX_LINE - have);
		if (n < 0) {
			ret = bl_fail(err, errno, "reading %s failed: %s", path, strerror(errno));
			break;
		}
		if (n == 0) {
			if (have)	/* a last line without newline */
				ret = feed_line(&w, buf, have);
			break;
		}
		have += (size_t)n;
		used = feed_lines(&w, buf, have);
		if (used < 0) {
			ret = (int)used;
			break;
		}
		if (used == 0 && have == CHUNK + MAX_LINE) {
			w.line++;
			ret = bad_line(&w, "the line is too long");
			break;
		}
		memmove(buf, buf + used, have - (size_t)used);
		have -= (size_t)used;
	}
	close(fd);
	free(buf);
	if (ret < 0 && err && !strstr(err->msg, path))
		bl_err_context(err, "%s", path);
	return ret;
}

/* ---- lookups ------------------------------------------------------------------------ */

struct lookup {
	struct bl_ksym_query *q;
	size_t n;
	int any_address;
};

static int match(void *ctx, const struct bl_ksym *sym)
{
	struct lookup *l = ctx;
	size_t i;

	if (sym->addr)
		l->any_address = 1;
	for (i = 0; i < l->n; i++) {
		struct bl_ksym_query *q = &l->q[i];

		if (strcmp(q->name, sym->name) != 0)
			continue;
		if (q->found++ == 0) {
			q->addr = sym->addr;
			snprintf(q->module, sizeof(q->module), "%s", sym->module ? sym->module : "");
		} else if (sym->addr != q->addr && !q->other_addr) {
			q->other_addr = sym->addr;
		}
	}
	return 0;
}

int bl_kallsyms_lookup(const char *path, struct bl_ksym_query *q, size_t n, int *hidden,
		       struct bl_err *err)
{
	struct lookup l = { q, n, 0 };
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		q[i].found = 0;
		q[i].addr = q[i].other_addr = 0;
		q[i].module[0] = '\0';
	}
	ret = bl_kallsyms_read(path, match, &l, err);
	if (hidden)
		*hidden = !l.any_address;
	return ret;
}

const char *bl_kallsyms_hidden_hint(void)
{
	return "the kernel shows kallsyms addresses only to readers with CAP_SYSLOG, and to none when kernel.kptr_restrict is 2; run as root, with kernel.kptr_restrict at 0 or 1";
}

const char *bl_syscall_wrapper_prefix(void)
{
#if defined(__x86_64__)
	return "x64";
#elif defined(__i386__)
	return "ia32";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__mips__)
	return "mips";
#elif defined(__riscv)
	return "riscv";
#else
	return NULL;
#endif
}
