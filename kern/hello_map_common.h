/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello_map_common.h - what hello_map's BPF program and its user-space
 * half share: the maps' size and the value of the --struct map.
 */
#ifndef HELLO_MAP_COMMON_H
#define HELLO_MAP_COMMON_H

#include <linux/types.h>

/* Users each map can hold; an execve() by one more is counted in the
 * global not_counted instead, and hello_map reports it at exit. */
#define HELLO_MAP_MAX_USERS 10240

/* A value of counter_structs (hello_map --struct), keyed by uid. */
struct exec_record {
	__u32 uid;
	__u32 gid;		/* the group of the latest execve() counted */
	__u64 counter;
};

#endif
