// SPDX-License-Identifier: BSD-2-Clause
/*
 * helper_names.c - the names of BPF helpers, from <linux/bpf.h>'s
 * __BPF_FUNC_MAPPER list, whose order is the helpers' numbering (enum
 * bpf_func_id).  No syscalls.
 */
#include "sys/helper_names.h"

#include <linux/bpf.h>
#include <stddef.h>

#define BL_HELPER_NAME(x) #x	/* the list adds the commas */
static const char *const names[] = { __BPF_FUNC_MAPPER(BL_HELPER_NAME) };
#undef BL_HELPER_NAME

const char *bl_helper_name(unsigned int id)
{
	return id > 0 && id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}
