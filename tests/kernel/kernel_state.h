/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel_state.h - what the kernel holds that a test can check was left
 * behind: loaded programs (BPF_PROG_GET_NEXT_ID) and kprobe events
 * (tracefs kprobe_events).
 */
#ifndef KERNEL_STATE_H
#define KERNEL_STATE_H

#include <stddef.h>
#include <stdint.h>

/* Whether program id is gone (waiting out the kernel's RCU-delayed free). */
int program_gone(uint32_t id);

/* The highest program id now loaded (0 if none). */
uint32_t highest_prog_id(void);

/* Programs with an id above `after` that stay loaded for a second: their
 * count, and the first one's id and name in found. */
int programs_left_after(uint32_t after, char *found, size_t size);

/* Number of kprobe events our loaders created ("bl_" names) still in
 * kprobe_events; the last one is copied to found. */
int leftover_kprobe_events(char *found, size_t size);

#endif
