// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt_sema.c - a USDT probe with a semaphore.  <sys/sdt.h> puts a
 * semaphore's address in the probe's note when _SDT_HAS_SEMAPHORES is
 * defined, for every probe of the file, so this probe has a file of its
 * own.  The kernel counts attached uprobes in the semaphore of every
 * process (ref_ctr_offset), and the program fires the probe only while it
 * is non-zero, as programs do to skip preparing costly arguments.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

#include "uprobe_target.h"

volatile unsigned short bltest_sema_semaphore __attribute__((section(".probes")));

__attribute__((noipa)) int bl_usdt_sema(long i)
{
	if (!bltest_sema_semaphore)
		return 0;
	STAP_PROBE1(bltest, sema, i);
	return 1;
}
