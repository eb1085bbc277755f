/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syscall_tail_common.h - what syscall_tail's BPF programs and its
 * user-space half share.
 */
#ifndef SYSCALL_TAIL_COMMON_H
#define SYSCALL_TAIL_COMMON_H

/* Slots of the prog array, indexed by system call number: above the
 * highest number of any architecture we build for (about 470). */
#define SYSCALL_TAIL_SLOTS 1024

/* The line the main program prints for a system call whose slot is
 * empty; user space replaces the number with the name. */
#define SYSCALL_TAIL_OTHER "Another syscall: "

#endif
