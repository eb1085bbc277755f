/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * read_trace_common.h - what read_trace's programs and user space share:
 * where a tracepoint field lies (from tracefs, see
 * loader/tracepoint_format.h) and the event sent for each read().
 */
#ifndef READ_TRACE_COMMON_H
#define READ_TRACE_COMMON_H

#include <linux/types.h>

#define READ_COMM_LEN 16	/* TASK_COMM_LEN */

/* A field of a tracepoint's record, as its format file describes it. */
struct tp_field_loc {
	__u32 offset;		/* bytes from the start of the record */
	__u32 size;		/* 1, 2, 4 or 8; 0: not set, the field reads as 0 */
	__u32 is_signed;	/* sign-extend a field narrower than 8 bytes */
	__u32 pad;
};

/* One completed read(), sent from sys_exit_read. */
struct read_event {
	char comm[READ_COMM_LEN];
	__u32 pid;		/* process id (the kernel's tgid) */
	__u32 fd;		/* read()'s first argument is an unsigned int */
	__u64 count;		/* bytes asked for */
	__s64 ret;		/* bytes read, or -errno */
};

#endif
