/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt_specs.h - the two maps through which libbpf's <bpf/usdt.bpf.h>
 * learns where a USDT probe's arguments are.
 *
 *   __bpf_usdt_specs          array: spec id -> struct __bpf_usdt_spec
 *   __bpf_usdt_ip_to_spec_id  hash: probe address in the process -> spec id
 *
 * The BPF side finds its spec id in the BPF cookie of the attachment
 * (Linux 5.15), or, where the kernel has no cookies, by looking the
 * instruction pointer up in the second map.  Both maps are declared
 * __weak in the header, so an object has one pair shared by all its USDT
 * programs, and spec ids must be handed out without collisions.
 *
 * We find the maps from the loaded program itself: the kernel lists the
 * maps a program uses (bpf_prog_info.map_ids), and their names, cut to
 * 15 characters, are "__bpf_usdt_spec" and "__bpf_usdt_ip_t".  A slot of
 * __bpf_usdt_specs is free when all its bytes are zero; a slot we fill is
 * never all zero, for we mark the struct's tail padding, which the BPF
 * side never reads.
 */
#ifndef BL_USDT_SPECS_H
#define BL_USDT_SPECS_H

#include <stdint.h>

#include <bpfload/error.h>

struct bl_usdt_maps {
	int specs_fd;		/* __bpf_usdt_specs, or -1 when the program has none */
	uint32_t spec_size;	/* its value size: BL_USDT_SPEC_SIZE_V1 or _V2 */
	uint32_t spec_slots;	/* its max_entries */
	int ip_fd;		/* __bpf_usdt_ip_to_spec_id, or -1 */
};

/* Find the maps among those the loaded program prog_fd uses; a program
 * written without usdt.bpf.h has neither, which is not an error. */
int bl_usdt_maps_of_program(int prog_fd, struct bl_usdt_maps *maps, struct bl_err *err);

/* Close the map fds (a zeroed struct with fds -1 is fine). */
void bl_usdt_maps_close(struct bl_usdt_maps *maps);

/* Take a free slot of __bpf_usdt_specs and write value (spec_size bytes,
 * from bl_usdt_encode_spec(); marked in its tail padding on the way) into
 * it; *id receives the slot. */
int bl_usdt_spec_add(const struct bl_usdt_maps *maps, const unsigned char *value, uint32_t *id,
		     struct bl_err *err);

/* Give slot id back: zero it. */
int bl_usdt_spec_remove(const struct bl_usdt_maps *maps, uint32_t id);

#endif
