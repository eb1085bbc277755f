/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * global_data_mmap.h - a global-data map's value in user space's memory.
 *
 * Since Linux 5.5 an array map created with BPF_F_MMAPABLE can be
 * mapped with mmap(2) of its fd: the pages are the map's own, so user
 * space reads what programs wrote and programs see what user space
 * writes, with no syscall in between.  The loader asks for the flag on
 * every global-data map (.data, .bss, .rodata, .data.*, .rodata.*) and
 * maps each one once it is created and filled:
 *
 *   .data, .bss     read-write
 *   .rodata         read-only: it is frozen (BPF_MAP_FREEZE) first, and
 *                   the kernel never maps a BPF_F_RDONLY_PROG map
 *                   writable (EACCES), since the verifier trusts that
 *                   its contents do not change
 *
 * The mapping covers the map's value rounded up to whole pages, which
 * is what the kernel allocated (array elements are rounded up to 8
 * bytes, the array to pages).
 *
 * Where the kernel cannot map the map (before 5.5 it refuses the flag,
 * and the map is created without it), the value stays in the loader's
 * copy, and bl_map_data_pull()/push() move it with BPF_MAP_LOOKUP_ELEM
 * and BPF_MAP_UPDATE_ELEM.
 *
 * Syscalls: mmap(2) of the map fd (munmap(2) is in bl_object_close),
 * bpf(BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM) through bpf_syscall.c.
 */
#ifndef BL_GLOBAL_DATA_MMAP_H
#define BL_GLOBAL_DATA_MMAP_H

#include <bpfload/error.h>

#include "object/object.h"

/* The loader's copy of a section is its size rounded up to this, zeroed
 * beyond the section: a C struct laid over the section may round its
 * size up to its alignment (a u64 followed by a u32 is 16 bytes, the
 * section 12).  Mapped memory is whole pages, which covers it too. */
#define BL_DATA_COPY_ALIGN 16

/* Map a created and filled global-data map into memory (map->mapped);
 * 0, or -errno when the kernel cannot, leaving the loader's copy in use. */
int bl_data_map_mmap(struct bl_map *map);

#endif
