/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uprobe_test_common.h - what uprobe_test.bpf.c and ktest_uprobe.c share.
 */
#ifndef UPROBE_TEST_COMMON_H
#define UPROBE_TEST_COMMON_H

#define COPY_MAX 32

/* Slots of the programs whose sections say where they attach; the bare
 * ones use their BPF cookie as slot. */
#define SLOT_LIB_MUL_RETURN 100
#define SLOT_LIBC_GETPID 101
#define SLOT_COPY 102
#define SLOT_COPY_RETURN 103
#define SLOT_PLAIN_RETURN 104	/* on_return_plain: no cookies before 5.15 */

struct call_key {
	__u32 tgid;
	__u32 slot;
};

struct call_stats {
	__u64 hits;
	__u64 sum_a;
	__u64 sum_b;
	__u64 sum_ret;
};

#endif
