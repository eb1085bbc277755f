/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cpus.h - how many CPUs a per-CPU map holds values for, and which are online.
 *
 * A lookup in a BPF_MAP_TYPE_PERCPU_* map returns one value per *possible*
 * CPU (not online, not present), each padded to a multiple of 8 bytes.
 */
#ifndef BL_CPUS_H
#define BL_CPUS_H

#include <stddef.h>
#include <stdint.h>

#include "sys/error.h"

/* Number of possible CPUs, from /sys/devices/system/cpu/possible ("0-3"). */
int bl_possible_cpus(struct bl_err *err);

/* Mark online[cpu] (cpu < ncpus) for each CPU in
 * /sys/devices/system/cpu/online, clearing the rest. */
int bl_online_cpus(unsigned char *online, int ncpus, struct bl_err *err);

/* The u64 at key in a per-CPU map (BPF_MAP_TYPE_PERCPU_ARRAY or _HASH),
 * summed over ncpus (bl_possible_cpus()) values: how tools read counters
 * that programs bump without atomics. */
int bl_percpu_sum_u64(int map_fd, uint32_t key, int ncpus, uint64_t *sum, struct bl_err *err);

/* Bytes one per-CPU value takes in a lookup buffer. */
size_t bl_percpu_value_stride(size_t value_size);

#endif
