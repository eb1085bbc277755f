// SPDX-License-Identifier: BSD-2-Clause
/*
 * libuprobe_target.c - a shared library for the uprobe tests: a function
 * exported through .dynsym, and a USDT probe in a library (whose address
 * differs in each process that maps it).
 */
#include <sys/sdt.h>

#include "uprobe_target.h"

__attribute__((noipa)) long bl_lib_mul(long a, long b)
{
	return a * b;
}

__attribute__((noipa)) void bl_lib_usdt(long i)
{
	STAP_PROBE2(bltest_lib, hello, i, -i);
}
