// SPDX-License-Identifier: BSD-2-Clause
/*
 * kconfig.c - reading a kernel configuration file, and the kernel's
 * version number.
 *
 * Syscalls: uname; open/fstat/read/close of /boot/config-*, /proc/config.gz
 * (inflated with sys/inflate.c) and /proc/version_signature.
 */
#include "sys/kconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/file.h"
#include "sys/inflate.h"

/* Far above any real configuration (a distribution's is ~300 KB). */
#define MAX_CONFIG_SIZE (64u << 20)

struct bl_kconfig {
	char *text;		/* our copy; names and strings point into it */
	struct bl_kconfig_entry *entries;
	size_t cnt;
};

/* ---- one line ---------------------------------------------------------------------- */

static int is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the option name at p ("CONFIG_" and at least one more
 * character), or 0. */
static size_t name_length(const char *p)
{
	size_t n = 0;

	if (strncmp(p, "CONFIG_", 7) != 0)
		return 0;
	while (is_name_char(p[n]))
		n++;
	return n > 7 ? n : 0;
}

static int bad_line(struct bl_err *err, unsigned int line, const char *why)
{
	return bl_fail(err, EINVAL, "line %u: %s", line, why);
}

/* A number: decimal or 0x hexadecimal, optionally negative, the whole
 * value. */
static int parse_number(const char *v, struct bl_kconfig_entry *e, unsigned int line,
			struct bl_err *err)
{
	unsigned int base = 10, digit;
	uint64_t n = 0;
	const char *p = v;

	e->negative = *p == '-';
	p += e->negative;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return bad_line(err, line, "the value is neither y, m, n, a number nor a quoted string");
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = (unsigned int)(*p - '0');
		else if (base == 16 && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f'))
			digit = (unsigned int)((*p | 0x20) - 'a' + 10);
		else
			return bad_line(err, line, "the value is neither y, m, n, a number nor a quoted string");
		if (n > (UINT64_MAX - digit) / base)
			return bad_line(err, line, "the number does not fit in 64 bits");
		n = n * base + digit;
	}
	e->kind = BL_KCONFIG_NUMBER;
	e->magnitude = n;
	return 0;
}

/* A quoted string, unescaped in place: \x stands for x. */
static int parse_string(char *v, struct bl_kconfig_entry *e, unsigned int line, struct bl_err *err)
{
	char *in = v + 1, *out = v;

	while (*in && *in != '"') {
		if (*in == '\\' && !*++in)
			break;
		*out++ = *in++;
	}
	if (*in != '"')
		return bad_line(err, line, "the string has no closing quote");
	if (in[1])
		return bad_line(err, line, "text after the closing quote");
	*out = '\0';
	e->kind = BL_KCONFIG_STRING;
	e->string = v;
	e->string_len = (size_t)(out - v);
	return 0;
}

static int parse_value(char *v, struct bl_kconfig_entry *e, unsigned int line, struct bl_err *err)
{
	if ((v[0] == 'y' || v[0] == 'm' || v[0] == 'n') && !v[1]) {
		e->kind = BL_KCONFIG_TRISTATE;
		e->tristate = v[0];
		return 0;
	}
	if (v[0] == '"')
		return parse_string(v, e, line, err);
	return parse_number(v, e, line, err);
}

/*
 * One NUL-terminated line.  Returns 1 when it set an option (*e filled),
 * 0 for an empty line or a comment, or a negative errno.
 */
static int parse_line(char *s, unsigned int line, struct bl_kconfig_entry *e, struct bl_err *err)
{
	size_t n;

	memset(e, 0, sizeof(*e));
	e->line = line;
	if (!*s)
		return 0;
	if (s[0] == '#') {
		/* "# CONFIG_FOO is not set": the option is off */
		if (strncmp(s, "# ", 2) || !(n = name_length(s + 2)) || strcmp(s + 2 + n, " is not set"))
			return 0;
		s[2 + n] = '\0';
		e->name = s + 2;
		e->kind = BL_KCONFIG_TRISTATE;
		e->tristate = 'n';
		return 1;
	}
	n = name_length(s);
	if (!n || s[n] != '=')
		return bad_line(err, line, "expected CONFIG_NAME=value, a comment or nothing");
	s[n] = '\0';
	e->name = s;
	if (parse_value(s + n + 1, e, line, err))
		return -EINVAL;
	return 1;
}

/* ---- the whole file ---------------------------------------------------------------- */

/* By name; the same name by line, so that the last setting comes last. */
static int compare_entries(const void *a, const void *b)
{
	const struct bl_kconfig_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort and keep the last setting of each option. */
static void sort_entries(struct bl_kconfig *kc)
{
	size_t i, kept = 0;

	if (!kc->cnt)
		return;
	qsort(kc->entries, kc->cnt, sizeof(kc->entries[0]), compare_entries);
	for (i = 0; i < kc->cnt; i++) {
		if (kept && strcmp(kc->entries[kept - 1].name, kc->entries[i].name) == 0)
			kept--;
		kc->entries[kept++] = kc->entries[i];
	}
	kc->cnt = kept;
}

static int parse_lines(struct bl_kconfig *kc, size_t len, struct bl_err *err)
{
	size_t pos = 0, cap = 0;
	unsigned int line = 0;

	while (pos < len) {
		char *s = kc->text + pos, *nl = memchr(s, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - kc->text) : len;
		struct bl_kconfig_entry e;
		int ret;

		line++;
		if (memchr(s, '\0', end - pos))
			return bad_line(err, line, "a NUL byte inside the line; this is not a text file");
		kc->text[end] = '\0';	/* the copy has a byte to spare at len */
		pos = end + 1;
		ret = parse_line(s, line, &e, err);
		if (ret < 0)
			return ret;
		if (!ret)
			continue;
		if (kc->cnt == cap) {
			struct bl_kconfig_entry *more;

			cap = cap ? cap * 2 : 1024;
			more = realloc(kc->entries, cap * sizeof(*more));
			if (!more)
				return bl_fail(err, ENOMEM, "out of memory");
			kc->entries = more;
		}
		kc->entries[kc->cnt++] = e;
	}
	sort_entries(kc);
	return 0;
}

struct bl_kconfig *bl_kconfig_parse(const char *text, size_t len, struct bl_err *err)
{
	struct bl_kconfig *kc = calloc(1, sizeof(*kc));

	if (!kc || !(kc->text = malloc(len + 1))) {
		free(kc);
		bl_fail(err, ENOMEM, "out of memory for %zu bytes of configuration", len);
		return NULL;
	}
	memcpy(kc->text, text, len);
	kc->text[len] = '\0';
	if (parse_lines(kc, len, err)) {
		bl_kconfig_free(kc);
		return NULL;
	}
	return kc;
}

void bl_kconfig_free(struct bl_kconfig *kc)
{
	if (!kc)
		return;
	free(kc->entries);
	free(kc->text);
	free(kc);
}

const struct bl_kconfig_entry *bl_kconfig_find(const struct bl_kconfig *kc, const char *name)
{
	size_t lo = 0, hi = kc->cnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, kc->entries[mid].name);

		if (c == 0)
			return &kc->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t bl_kconfig_count(const struct bl_kconfig *kc)
{
	return kc->cnt;
}

const struct bl_kconfig_entry *bl_kconfig_entry(const struct bl_kconfig *kc, size_t i)
{
	return i < kc->cnt ? &kc->entries[i] : NULL;
}

/* ---- files ----------------------------------------------------------------------- */

/* The whole file, which may be a /proc file that reports size 0 (read by
 * bl_read_fd, to max bytes).  A regular file's size is believed when it
 * is past max: refused unread. */
static int read_small_file(const char *path, size_t max, char **buf, size_t *len, struct bl_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	unsigned char *data = NULL;
	struct stat st;
	size_t hint;

	*len = 0;
	*buf = NULL;
	if (fd < 0)
		return bl_fail(err, errno, "cannot open %s: %s%s", path, strerror(errno), bl_errno_hint(errno));
	hint = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	ret = hint > max ? -EFBIG : bl_read_fd(fd, hint, max, &data, len);
	close(fd);
	if (ret == -EFBIG)
		return bl_fail(err, E2BIG, "%s is larger than %zu bytes", path, max);
	if (ret == -ENOMEM)
		return bl_fail(err, ENOMEM, "out of memory reading %s", path);
	if (ret)
		return bl_fail(err, -ret, "reading %s failed: %s", path, strerror(-ret));
	*buf = (char *)data;
	return 0;
}

struct bl_kconfig *bl_kconfig_read_file(const char *path, struct bl_err *err)
{
	struct bl_kconfig *kc;
	unsigned char *text = NULL;
	size_t len, text_len;
	char *raw;

	if (read_small_file(path, MAX_CONFIG_SIZE, &raw, &len, err))
		return NULL;
	if (bl_is_gzip(raw, len)) {
		if (bl_gunzip(raw, len, MAX_CONFIG_SIZE, &text, &text_len, err)) {
			free(raw);
			bl_err_context(err, "%s", path);
			return NULL;
		}
		free(raw);
		raw = (char *)text;
		len = text_len;
	}
	kc = bl_kconfig_parse(raw, len, err);
	free(raw);
	if (!kc)
		bl_err_context(err, "%s", path);
	return kc;
}

struct bl_kconfig *bl_kconfig_read_running(char *path, size_t path_size, struct bl_err *err)
{
	char boot[sizeof(((struct utsname *)0)->release) + 16];
	struct utsname u;

	if (uname(&u) < 0) {
		bl_fail(err, errno, "uname failed: %s", strerror(errno));
		return NULL;
	}
	snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
	if (access(boot, F_OK) == 0) {
		if (path)
			snprintf(path, path_size, "%s", boot);
		return bl_kconfig_read_file(boot, err);
	}
	if (access(BL_KCONFIG_PROC, F_OK) == 0) {
		if (path)
			snprintf(path, path_size, "%s", BL_KCONFIG_PROC);
		return bl_kconfig_read_file(BL_KCONFIG_PROC, err);
	}
	bl_fail(err, ENOENT, "the running kernel's configuration is in neither %s nor %s; install the file the kernel came with as %s, or build the kernel with CONFIG_IKCONFIG_PROC (or modprobe configs)",
		boot, BL_KCONFIG_PROC, boot);
	return NULL;
}

/* ---- the kernel's version ----------------------------------------------------------- */

/* "a.b.c" at s, each a decimal number (what follows c does not matter). */
static int three_numbers(const char *s, unsigned int v[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long n = 0;

		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9') {
			n = n * 10 + (unsigned long)(*s++ - '0');
			if (n > 0xffffffffu)
				return -1;
		}
		v[i] = (unsigned int)n;
		if (i < 2 && *s++ != '.')
			return -1;
	}
	return 0;
}

static uint32_t version_code(const unsigned int v[3])
{
	/* KERNEL_VERSION() has 8 bits for the sublevel: 4.19.300 is 4.19.255 */
	return (v[0] << 16) + (v[1] << 8) + (v[2] > 255 ? 255 : v[2]);
}

/* The third whitespace-separated word of s. */
static const char *third_word(const char *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		while (*s == ' ' || *s == '\t')
			s++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

uint32_t bl_kernel_version_code(const char *version_signature, const char *uts_version,
				const char *uts_release)
{
	unsigned int v[3];
	const char *debian;

	if (version_signature && three_numbers(third_word(version_signature), v) == 0)
		return version_code(v);
	debian = uts_version ? strstr(uts_version, "Debian ") : NULL;
	if (debian && three_numbers(debian + 7, v) == 0)
		return version_code(v);
	if (uts_release && three_numbers(uts_release, v) == 0)
		return version_code(v);
	return 0;
}

uint32_t bl_linux_kernel_version(void)
{
	char signature[256] = "";
	struct utsname u;
	ssize_t n;
	int fd = open("/proc/version_signature", O_RDONLY | O_CLOEXEC);

	/* only Ubuntu kernels have this file */
	if (fd >= 0) {
		n = read(fd, signature, sizeof(signature) - 1);
		signature[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	if (uname(&u) < 0)
		return 0;
	return bl_kernel_version_code(signature[0] ? signature : NULL, u.version, u.release);
}
