/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memcpy_common.h - what memcpy_kprobe and memcpy_stat share between
 * their BPF programs and their user-space halves.
 */
#ifndef MEMCPY_COMMON_H
#define MEMCPY_COMMON_H

#include <linux/types.h>

/* Set by user space in the one-entry "config" array before attaching. */
struct memcpy_config {
	__u32 arg;		/* which argument holds the size, 1..6 */
	__u32 only_if_arg;	/* 0, or count a call only when this argument is non-zero */
	char func[32];		/* the function actually probed, for messages */
};

/* learn-bpf's buckets: 0, then 1-64, 65-128, ..., 961-1024, where the last
 * one also takes every size above 1024. */
#define MEMCPY_BUCKET_WIDTH 64
#define MEMCPY_BUCKET_MAX_SIZE 1024
#define MEMCPY_BUCKETS (MEMCPY_BUCKET_MAX_SIZE / MEMCPY_BUCKET_WIDTH + 1)

/* One more slot after the buckets: calls left out by only_if_arg, so that
 * all slots together count every run of the program. */
#define MEMCPY_SLOT_NOT_COUNTED MEMCPY_BUCKETS
#define MEMCPY_SLOTS (MEMCPY_BUCKETS + 1)

static inline __u32 memcpy_bucket(__u64 size)
{
	if (size > MEMCPY_BUCKET_MAX_SIZE)
		return MEMCPY_BUCKETS - 1;
	return (__u32)((size + MEMCPY_BUCKET_WIDTH - 1) / MEMCPY_BUCKET_WIDTH);
}

#endif
