/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe_target.h - the functions and USDT probes of the programs the
 * uprobe tests trace (uprobe_target, libuprobe_target.so), and the values
 * they are called with, which the tests check arrive intact.
 */
#ifndef UPROBE_TARGET_H
#define UPROBE_TARGET_H

#include <stdint.h>

/* In libuprobe_target.so (a shared library, found through .dynsym). */
long bl_lib_mul(long a, long b);
void bl_lib_usdt(long i);	/* USDT probe bltest_lib:hello (i, -i) */

/* In uprobe_target (a PIE executable, found through .symtab). */
long bl_target_add(long a, long b);
long bl_target_copy(const char *buf, long len);
const char *bl_target_echo(const char *s);
int bl_multi_0(int x);
int bl_multi_1(int x);
int bl_multi_2(int x);
int bl_multi_3(int x);

/* The semaphore of USDT probe bltest:sema (usdt_sema.c). */
extern volatile unsigned short bltest_sema_semaphore;
/* Fire bltest:sema once if the semaphore is set; returns whether it was. */
int bl_usdt_sema(long i);
/* bltest:stack, from a file compiled without optimisation, so that its
 * arguments are read from the stack frame (-20(%rbp), [sp, 28]). */
void bl_usdt_stack(int i);

/* The string bl_target_copy() is given (the sleepable uprobe copies it). */
#define TARGET_COPY_TEXT "uprobe.s read me"
/* The string bl_target_echo() is given and returns. */
#define TARGET_ECHO_TEXT "hello \"uprobe\""

/* Argument values of USDT probe bltest:signs in round i: each size,
 * signed and unsigned, with the sign bit set where it can be. */
#define SIGNS_S8(i) ((int8_t)(-5 - (int)(i) % 100))
#define SIGNS_U8(i) ((uint8_t)(250 - (i) % 100))
#define SIGNS_S16(i) ((int16_t)(-300 - (int)(i)))
#define SIGNS_U16(i) ((uint16_t)(65000 - (i)))
#define SIGNS_S32(i) ((int32_t)(-70000 - (int32_t)(i)))
#define SIGNS_U32(i) ((uint32_t)(4000000000u - (uint32_t)(i)))
#define SIGNS_S64(i) ((int64_t)(-5000000000ll - (int64_t)(i)))

#endif
