/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/bounds.h - the one bounds check every parser uses, and reads of
 * unaligned little-endian words from file data.
 *
 * A file's offsets and sizes are attacker-controlled: "off + len <= size"
 * can wrap around, so the check is written without the addition.
 */
#ifndef BL_SYS_BOUNDS_H
#define BL_SYS_BOUNDS_H

#include <stdint.h>
#include <string.h>

/* Whether [off, off + len) lies inside [0, size). */
static inline int bl_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* A u32 at p, which may be unaligned (memcpy compiles to one load). */
static inline uint32_t bl_get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
