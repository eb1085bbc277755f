/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/grow.h - room for one more element in an array read from a file.
 *
 * The capacity doubles, so that n appends copy O(n) elements in all:
 * growing by one element a time is quadratic wherever realloc() moves
 * the block (an allocator under ASan always does), and a file can ask for
 * a million relocations.  No syscalls.
 */
#ifndef BL_SYS_GROW_H
#define BL_SYS_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* array (NULL at first) with room for *cap elements of elem_size bytes,
 * resized for at least need; the new block, or NULL (array untouched)
 * when out of memory. */
static inline void *bl_grow(void *array, size_t *cap, size_t need, size_t elem_size)
{
	size_t n = *cap ? *cap : 8;
	void *bigger;

	if (need <= *cap)
		return array;
	while (n < need && n <= SIZE_MAX / 2)
		n *= 2;
	if (n < need || n > SIZE_MAX / elem_size)
		return NULL;
	bigger = realloc(array, n * elem_size);
	if (bigger)
		*cap = n;
	return bigger;
}

#endif
