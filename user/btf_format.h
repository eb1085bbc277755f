/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_format.h - printing a value the way its C type says, using BTF.
 */
#ifndef BTF_FORMAT_H
#define BTF_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "btf/btf.h"

/* Print size bytes at data as a value of BTF type id: numbers, enums by
 * name, char arrays as strings, structs as {field=value, ...}.  Falls
 * back to hex bytes for what it cannot show.  Never reads past size. */
void btf_print_value(FILE *out, const struct bl_btf *btf, uint32_t type_id,
		     const unsigned char *data, size_t size);

#endif
