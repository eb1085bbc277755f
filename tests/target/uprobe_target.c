// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe_target - the program the uprobe and USDT tests trace.
 *
 * A PIE executable linked with libuprobe_target.so.  It prints
 *     ready PID SEMAPHORE_ADDRESS
 * then reads commands from stdin, one per line, runs them and answers
 * "ok ..." on stdout, until end of input:
 *     add N A B     bl_target_add(A + i, B) for i in 0..N-1
 *     mul N A B     bl_lib_mul(A + i, B), in the shared library
 *     getpid N      getpid() of libc, N times
 *     copy N        bl_target_copy(TARGET_COPY_TEXT, its length)
 *     echo N        bl_target_echo(TARGET_ECHO_TEXT), which returns it
 *     multi N       per round i: bl_multi_K(i) K + 1 times, K = 0..3
 *     usdt N        every USDT probe once per round; answers with how
 *                   many times bltest:sema fired (its semaphore was set)
 *     sema          answers with the semaphore's value, as seen here
 *
 * The functions are noipa: gcc must neither inline them nor change how
 * they take their arguments, which a uprobe reads from the registers the
 * ABI names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>
#include <unistd.h>

#include "uprobe_target.h"

static volatile long sink;

__attribute__((noipa)) long bl_target_add(long a, long b)
{
	return a + b;
}

__attribute__((noipa)) long bl_target_copy(const char *buf, long len)
{
	return buf[0] + len;
}

__attribute__((noipa)) const char *bl_target_echo(const char *s)
{
	return s;
}

__attribute__((noipa)) int bl_multi_0(int x) { return x; }
__attribute__((noipa)) int bl_multi_1(int x) { return x + 1; }
__attribute__((noipa)) int bl_multi_2(int x) { return x + 2; }
__attribute__((noipa)) int bl_multi_3(int x) { return x + 3; }

struct pair {
	long a;
	int b;
	short c;
};

/* Arguments in registers: "-4@%edi -8@%rsi 1@%dl", "-4@w0 -8@x1 1@w2" */
__attribute__((noipa)) static void usdt_regs(int x, long y, unsigned char z)
{
	STAP_PROBE3(bltest, regs, x, y, z);
}

/* Arguments in memory through a pointer: "-8@(%rdi) -4@8(%rdi)", "[x0, 8]" */
__attribute__((noipa)) static void usdt_deref(const struct pair *p)
{
	STAP_PROBE3(bltest, deref, p->a, p->b, p->c);
}

__attribute__((noipa)) static void usdt_signs(long i)
{
	STAP_PROBE7(bltest, signs, SIGNS_S8(i), SIGNS_U8(i), SIGNS_S16(i), SIGNS_U16(i),
		    SIGNS_S32(i), SIGNS_U32(i), SIGNS_S64(i));
}

__attribute__((noipa)) static void usdt_many(long i)
{
	STAP_PROBE12(bltest, many, i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8,
		     i + 9, i + 10, i + 11);
}

/* Global variables as arguments: on x86-64 the note names them
 * "-4@bl_global_counter(%rip) -8@16+bl_global_table(%rip)". */
int bl_global_counter;
long bl_global_table[4];

__attribute__((noipa)) static void set_globals(long i)
{
	bl_global_counter = (int)i;
	bl_global_table[2] = -5 * i;
}

__attribute__((noipa)) static void usdt_globals(void)
{
	STAP_PROBE2(bltest, globals, bl_global_counter, bl_global_table[2]);
}

/* One probe at two places: a USDT attachment covers both. */
static inline __attribute__((always_inline)) void usdt_twice(long v)
{
	STAP_PROBE1(bltest, twice, v);
}

static void run_usdt(long n)
{
	long i, fired = 0;

	for (i = 0; i < n; i++) {
		struct pair p = { .a = i * 7, .b = -(int)i, .c = (short)(i * 3) };

		STAP_PROBE3(bltest, consts, 42, -7, 100000);
		usdt_regs((int)i, i * 1000003L, (unsigned char)(i & 0xff));
		usdt_deref(&p);
		usdt_signs(i);
		usdt_many(i);
		set_globals(i);
		usdt_globals();
		usdt_twice(i);
		usdt_twice(i + 1000000);
		bl_usdt_stack((int)i);
		bl_lib_usdt(i);
		fired += bl_usdt_sema(i);
	}
	printf("ok usdt %ld\n", fired);
}

static void run(const char *cmd, long n, long a, long b)
{
	long i, k, r = 0;

	if (strcmp(cmd, "add") == 0) {
		for (i = 0; i < n; i++)
			r += bl_target_add(a + i, b);
	} else if (strcmp(cmd, "mul") == 0) {
		for (i = 0; i < n; i++)
			r += bl_lib_mul(a + i, b);
	} else if (strcmp(cmd, "getpid") == 0) {
		for (i = 0; i < n; i++)
			r += getpid();
	} else if (strcmp(cmd, "copy") == 0) {
		for (i = 0; i < n; i++)
			r += bl_target_copy(TARGET_COPY_TEXT, (long)strlen(TARGET_COPY_TEXT));
	} else if (strcmp(cmd, "echo") == 0) {
		for (i = 0; i < n; i++)
			r += bl_target_echo(TARGET_ECHO_TEXT)[0];
	} else if (strcmp(cmd, "multi") == 0) {
		int (*const fns[4])(int) = { bl_multi_0, bl_multi_1, bl_multi_2, bl_multi_3 };

		for (i = 0; i < n; i++)
			for (k = 0; k < 4; k++)
				for (long j = 0; j <= k; j++)
					r += fns[k]((int)i);
	} else if (strcmp(cmd, "usdt") == 0) {
		run_usdt(n);
		return;
	} else if (strcmp(cmd, "sema") == 0) {
		printf("ok sema %u\n", bltest_sema_semaphore);
		return;
	} else {
		printf("error unknown command %s\n", cmd);
		return;
	}
	sink = r;
	printf("ok %s\n", cmd);
}

int main(void)
{
	char line[256], cmd[32];
	long n, a, b;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d %p\n", (int)getpid(), (void *)&bltest_sema_semaphore);
	while (fgets(line, sizeof(line), stdin)) {
		n = a = b = 0;
		if (sscanf(line, "%31s %ld %ld %ld", cmd, &n, &a, &b) < 1)
			continue;
		run(cmd, n, a, b);
	}
	return 0;
}
