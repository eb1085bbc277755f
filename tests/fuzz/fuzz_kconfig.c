// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_kconfig.c - the kernel configuration reader on any bytes: a gzip
 * stream (0x1f 0x8b) goes through bl_gunzip() and its output through the
 * .config parser, as /proc/config.gz does; anything else is parsed as
 * .config text and also fed to the raw DEFLATE decoder.  Every entry the
 * parser returns is looked up again by name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sys/inflate.h"
#include "sys/kconfig.h"

#define OUT_MAX (1u << 20)	/* a real config is ~250 KB */

static void parse(const char *text, size_t len)
{
	struct bl_err err = { 0 };
	struct bl_kconfig *kc = bl_kconfig_parse(text, len, &err);
	size_t i, n;

	if (!kc) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return;
	}
	n = bl_kconfig_count(kc);
	for (i = 0; i < n; i++) {
		const struct bl_kconfig_entry *e = bl_kconfig_entry(kc, i);

		if (bl_kconfig_find(kc, e->name) != e)
			__builtin_trap();
		if (e->kind == BL_KCONFIG_STRING && strlen(e->string) > e->string_len)
			__builtin_trap();
	}
	bl_kconfig_free(kc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_err err = { 0 };
	unsigned char *out = NULL;
	size_t out_len = 0, used = 0;

	if (bl_is_gzip(data, size)) {
		if (bl_gunzip(data, size, OUT_MAX, &out, &out_len, &err) == 0) {
			if (out_len > OUT_MAX)
				__builtin_trap();
			parse((const char *)out, out_len);
		}
		free(out);
		return 0;
	}
	parse((const char *)data, size);
	if (bl_inflate(data, size, OUT_MAX, &out, &out_len, &used, &err) == 0 &&
	    (out_len > OUT_MAX || used > size))
		__builtin_trap();
	free(out);
	return 0;
}
