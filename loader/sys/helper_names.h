/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * helper_names.h - BPF helper functions by number, for messages: the
 * verifier names a helper it does not know only as "unknown#173".
 */
#ifndef BL_HELPER_NAMES_H
#define BL_HELPER_NAMES_H

/* "get_func_ip" for 173 (without the bpf_ prefix), as this build's
 * <linux/bpf.h> numbers them; NULL for a number it does not list. */
const char *bl_helper_name(unsigned int id);

#endif
