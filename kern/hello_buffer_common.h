/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello_buffer_common.h - the event hello_buffer's programs send on every
 * execve, shared by kern/hello_buffer.bpf.c and user/hello_buffer.c.
 */
#ifndef HELLO_BUFFER_COMMON_H
#define HELLO_BUFFER_COMMON_H

#include <linux/types.h>

#define HELLO_COMM_LEN 16	/* TASK_COMM_LEN */
#define HELLO_MESSAGE_LEN 12	/* "Hello World" and its NUL */

struct hello_event {
	__u32 pid;		/* process id (the kernel's tgid) */
	__u32 uid;
	char comm[HELLO_COMM_LEN];	/* the process before it execs */
	char message[HELLO_MESSAGE_LEN];
};

#endif
