/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/maps.h - reading and writing a loaded map while its programs
 * run: the BPF_MAP_*_ELEM commands of bpf(2), and per-CPU values.
 *
 * Get the fd from bl_map_fd() (bpfload/object.h).  These are raw
 * wrappers: each returns 0 (or a count) on success and -errno on
 * failure (-ENOENT: no such key), and fills no message.
 *
 * A lookup in a BPF_MAP_TYPE_PERCPU_* map returns one value per
 * *possible* CPU (not online, not present), each padded to a multiple
 * of 8 bytes: size the buffer with bl_possible_cpus() and
 * bl_percpu_value_stride().
 */
#ifndef BPFLOAD_MAPS_H
#define BPFLOAD_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM (flags: BPF_ANY, BPF_NOEXIST,
 * BPF_EXIST) / DELETE_ELEM / GET_NEXT_KEY (key NULL gives the first
 * key; -ENOENT after the last). */
int bl_map_lookup(int map_fd, const void *key, void *value);
int bl_map_update(int map_fd, const void *key, const void *value, uint64_t flags);
int bl_map_delete(int map_fd, const void *key);
int bl_map_next_key(int map_fd, const void *key, void *next_key);

/* Number of possible CPUs, from /sys/devices/system/cpu/possible ("0-3"). */
int bl_possible_cpus(struct bl_err *err);

/* Mark online[cpu] (cpu < ncpus) for each CPU in
 * /sys/devices/system/cpu/online, clearing the rest. */
int bl_online_cpus(unsigned char *online, int ncpus, struct bl_err *err);

/* Bytes one per-CPU value takes in a lookup buffer. */
size_t bl_percpu_value_stride(size_t value_size);

/* The u64 at key in a per-CPU map (BPF_MAP_TYPE_PERCPU_ARRAY or _HASH),
 * summed over ncpus (bl_possible_cpus()) values: how tools read counters
 * that programs bump without atomics. */
int bl_percpu_sum_u64(int map_fd, uint32_t key, int ncpus, uint64_t *sum, struct bl_err *err);

#endif
