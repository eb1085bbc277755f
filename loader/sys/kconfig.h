/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kconfig.h - the running kernel's build configuration and version, as
 * BPF programs see them through libbpf's __kconfig externs.
 *
 * A kernel's configuration is the text file its build left behind
 * (".config"): one "CONFIG_NAME=value" line per option that has a value,
 * "# CONFIG_NAME is not set" for a bool or tristate option that is off,
 * and other comments.  Values are y (built in), m (a module), a number
 * (decimal, or hexadecimal with 0x; negative ones too) or a string in
 * double quotes with \" and \\ escaped.  Distributions install it as
 * /boot/config-$(uname -r); a kernel built with CONFIG_IKCONFIG_PROC
 * (2.6) also carries it gzip-compressed in /proc/config.gz.
 *
 * Syscalls: uname; open/read of the config file, /proc/version_signature.
 */
#ifndef BL_KCONFIG_H
#define BL_KCONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* Where the running kernel's configuration is looked for, in order. */
#define BL_KCONFIG_PROC "/proc/config.gz"

enum bl_kconfig_kind {
	BL_KCONFIG_TRISTATE,	/* y, m, or n ("is not set") */
	BL_KCONFIG_NUMBER,
	BL_KCONFIG_STRING,
};

struct bl_kconfig_entry {
	const char *name;		/* "CONFIG_HZ" */
	enum bl_kconfig_kind kind;
	char tristate;			/* 'y', 'm' or 'n' */
	uint64_t magnitude;		/* NUMBER: the absolute value... */
	int negative;			/* ... and its sign */
	const char *string;		/* STRING: without quotes and escapes, NUL-terminated */
	size_t string_len;
	unsigned int line;		/* where it was set (the last time) */
};

struct bl_kconfig;

/* Parse configuration text (not NUL-terminated; len bytes).  A line that
 * is neither empty, a comment nor CONFIG_NAME=value is refused with its
 * number; an option set twice keeps its last value, as kconfig does. */
struct bl_kconfig *bl_kconfig_parse(const char *text, size_t len, struct bl_err *err);

/* Read and parse a config file, plain or gzip-compressed. */
struct bl_kconfig *bl_kconfig_read_file(const char *path, struct bl_err *err);

/* The running kernel's: /boot/config-$(uname -r), else /proc/config.gz.
 * path (may be NULL) receives the file that was read.  ENOENT when
 * neither exists. */
struct bl_kconfig *bl_kconfig_read_running(char *path, size_t path_size, struct bl_err *err);

void bl_kconfig_free(struct bl_kconfig *kc);	/* NULL is fine */

/* An option by its full name ("CONFIG_HZ"), or NULL when the file does
 * not mention it. */
const struct bl_kconfig_entry *bl_kconfig_find(const struct bl_kconfig *kc, const char *name);

/* All options, in name order (for listing and tests). */
size_t bl_kconfig_count(const struct bl_kconfig *kc);
const struct bl_kconfig_entry *bl_kconfig_entry(const struct bl_kconfig *kc, size_t i);

/*
 * LINUX_KERNEL_VERSION as libbpf computes it: KERNEL_VERSION(a, b, c) =
 * a << 16 | b << 8 | c, the sublevel c saturating at 255, taken from
 *  1. Ubuntu's /proc/version_signature ("Ubuntu 5.15.0-91.101-generic
 *     5.15.131"): its third word;
 *  2. else Debian's `uname -v` ("#1 SMP Debian 6.1.192-3 (...)"): the
 *     numbers after "Debian ", since `uname -r` says 6.1.0-57;
 *  3. else `uname -r` ("6.18.44-fc-v1098"), which needs all three numbers.
 * 0 when none gives three numbers.  The function of the three texts
 * (any may be NULL) is separate so that tests can try each rule.
 */
uint32_t bl_kernel_version_code(const char *version_signature, const char *uts_version,
				const char *uts_release);
uint32_t bl_linux_kernel_version(void);

#endif
