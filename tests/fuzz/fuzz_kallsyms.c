// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_kallsyms.c - the /proc/kallsyms line parser on any bytes.  The
 * callback reads every name and module it is handed to the end.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sys/kallsyms.h"

static int each(void *ctx, const struct bl_ksym *sym)
{
	size_t *count = ctx;

	if (strlen(sym->name) >= BL_KSYM_NAME_MAX + 1)
		__builtin_trap();
	if (sym->module)
		(void)strlen(sym->module);
	++*count;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_err err = { 0 };
	size_t count = 0;

	if (bl_kallsyms_parse((const char *)data, size, each, &count, &err) < 0 &&
	    (!err.code || !err.msg[0]))
		__builtin_trap();
	return 0;
}
