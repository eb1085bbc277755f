// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt_stack.c - a USDT probe whose arguments live in the stack frame:
 * built with -O0, where every local is kept in memory, so the notes say
 * "-4@-20(%rbp)" on x86-64 and "-4@[sp, 12]" on arm64.
 */
#include <sys/sdt.h>

#include "uprobe_target.h"

void bl_usdt_stack(int i)
{
	int doubled = 2 * i;
	long negated = -(long)i;

	STAP_PROBE3(bltest, stack, i, doubled, negated);
}
