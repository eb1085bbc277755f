/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testlib.h - result lines for our C tests.
 *
 * Every test case prints exactly one line:
 *   PASS name
 *   FAIL name: why
 *   SKIP name: why
 * tests/run-all.sh (and the qemu harness) count these lines; a binary
 * exits 1 when any case failed.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stdarg.h>
#include <stdio.h>

static int t_failures;

static inline void t_pass(const char *name)
{
	printf("PASS %s\n", name);
	fflush(stdout);
}

static inline void t_report(const char *word, const char *name, const char *fmt, va_list ap)
{
	char why[1024];

	vsnprintf(why, sizeof(why), fmt, ap);
	for (char *p = why; *p; p++)	/* one line per result */
		if (*p == '\n')
			*p = ' ';
	printf("%s %s: %s\n", word, name, why);
	fflush(stdout);
}

static inline __attribute__((format(printf, 2, 3))) void t_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_report("FAIL", name, fmt, ap);
	va_end(ap);
	t_failures++;
}

static inline __attribute__((format(printf, 2, 3))) void t_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_report("SKIP", name, fmt, ap);
	va_end(ap);
}

/* In a void test function: fail the case and return unless cond holds. */
#define T_EXPECT(name, cond, ...)                 \
	do {                                      \
		if (!(cond)) {                    \
			t_fail(name, __VA_ARGS__); \
			return;                   \
		}                                 \
	} while (0)

static inline int t_exit_code(void)
{
	return t_failures ? 1 : 0;
}

#endif
