// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_tp_format.c - the tracefs events/CATEGORY/NAME/format parser on any
 * bytes.  Every field it returns must lie inside the record it describes
 * and be found again by name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/tracepoint_format.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_tp_format *fmt = calloc(1, sizeof(*fmt));
	struct bl_err err = { 0 };
	size_t i;

	if (!fmt)
		return 0;
	if (bl_tp_format_parse((const char *)data, size, fmt, &err) < 0) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		free(fmt);
		return 0;
	}
	if (fmt->field_cnt > BL_TP_FIELDS_MAX)
		__builtin_trap();
	for (i = 0; i < fmt->field_cnt; i++) {
		const struct bl_tp_field *f = &fmt->fields[i];
		const struct bl_tp_field *scalar;

		if ((uint64_t)f->offset + f->size > fmt->record_size)
			__builtin_trap();
		if (!bl_tp_format_field(fmt, f->name))
			__builtin_trap();
		bl_tp_format_scalar(fmt, f->name, &scalar, &err);
	}
	free(fmt);
	return 0;
}
