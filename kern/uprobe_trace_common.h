/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe_trace_common.h - what uprobe_trace's programs and user space
 * share: the event sent for each call that returns.
 */
#ifndef UPROBE_TRACE_COMMON_H
#define UPROBE_TRACE_COMMON_H

#include <linux/types.h>

#define UT_COMM_LEN 16		/* TASK_COMM_LEN */
#define UT_MAX_ARGS 6		/* passed in registers on x86-64 and arm64 */
#define UT_STR_LEN 128

struct ut_event {
	char comm[UT_COMM_LEN];
	__u32 pid;		/* process id (the kernel's tgid) */
	__u32 tid;
	__u64 args[UT_MAX_ARGS];
	__s64 ret;
	__u64 duration_ns;	/* from entry to return */
	char arg_str[UT_STR_LEN];	/* argument string_arg, as it was at entry */
	char ret_str[UT_STR_LEN];	/* the string returned, with ret_string */
};

#endif
