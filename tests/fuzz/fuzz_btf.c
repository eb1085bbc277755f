// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_btf.c - a raw BTF blob (a .BTF section, a /sys/kernel/btf file)
 * through everything the loader does with one before BPF_BTF_LOAD, and
 * what `bpfload btf FILE` prints of it:
 *   bl_btf_parse             the header, strings and every type checked
 *   bl_btf_fixup_datasecs    DATASEC sizes and variable offsets filled in,
 *                            from a made-up ELF (sizes and offsets derived
 *                            from the names, some sections absent)
 *   bl_btf_sanitize          every kind a kernel may lack rewritten at once
 *   bl_btf_dump_c/_raw       the C header and bpftool-style listing
 * Oracles beyond the sanitizers: what fixup and sanitize produce must
 * parse again, the sanitized copy must use none of the kinds it was asked
 * to remove, and every refusal must say why.  No syscalls.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "btf/btf.h"
#include "btf/btf_dump.h"
#include "btf/btf_fixup.h"
#include "btf/btf_load.h"

#define ALL_FEATURES                                                                        \
	(BL_BTF_FEAT_FUNC | BL_BTF_FEAT_DATASEC | BL_BTF_FEAT_GLOBAL_FUNC | BL_BTF_FEAT_FLOAT | \
	 BL_BTF_FEAT_DECL_TAG | BL_BTF_FEAT_TYPE_TAG | BL_BTF_FEAT_ENUM64)

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* A section exists unless its name hashes to a multiple of 5; its size is
 * up to 64 KiB, sometimes 0. */
static int section_size(void *ctx, const char *section, uint32_t *size)
{
	uint32_t h = name_hash(section);

	(void)ctx;
	if (h % 5 == 0)
		return -ENOENT;
	*size = (h >> 8) % 65537;
	return 0;
}

/* Variables have symbols unless the name hashes odd; offsets may lie
 * outside the section, which fixup must refuse. */
static int var_offset(void *ctx, const char *section, const char *var, uint32_t *offset)
{
	uint32_t h = name_hash(var) ^ name_hash(section);

	(void)ctx;
	if (h & 1)
		return -ENOENT;
	*offset = (h >> 4) % 70000;
	return 0;
}

static void must_say_why(int failed, const struct bl_err *err)
{
	if (failed && (!err->code || !err->msg[0]))
		__builtin_trap();
}

/* The blob btf holds now must parse again; returns the reparsed copy. */
static struct bl_btf *reparse(const struct bl_btf *btf)
{
	struct bl_err err = { 0 };
	uint32_t size = 0;
	const void *raw = bl_btf_raw(btf, &size);
	struct bl_btf *again = bl_btf_parse(raw, size, NULL, &err);

	if (!again)
		__builtin_trap();	/* we wrote BTF we would refuse */
	return again;
}

static void dump(const struct bl_btf *btf, FILE *out)
{
	struct bl_err err = { 0 };

	must_say_why(bl_btf_dump_c(btf, out, &err) < 0, &err);
	memset(&err, 0, sizeof(err));
	must_say_why(bl_btf_dump_raw(btf, out, &err) < 0, &err);
}

static void sanitize(const struct bl_btf *btf)
{
	struct bl_err err = { 0 };
	struct bl_btf *clean = bl_btf_sanitize(btf, ALL_FEATURES, &err), *again;

	must_say_why(!clean, &err);
	if (!clean)
		return;
	again = reparse(clean);
	if (bl_btf_features_used(again) & ALL_FEATURES)
		__builtin_trap();	/* a kind the kernel lacks survived */
	bl_btf_free(again);
	bl_btf_free(clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct bl_btf_elf_info elf = { section_size, var_offset, NULL };
	struct bl_err err = { 0 };
	struct bl_btf *btf, *fixed;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	btf = bl_btf_parse(data, size, NULL, &err);
	must_say_why(!btf, &err);
	if (!btf)
		return 0;
	dump(btf, devnull);
	sanitize(btf);
	memset(&err, 0, sizeof(err));
	if (bl_btf_fixup_datasecs(btf, &elf, &err) < 0) {
		must_say_why(1, &err);
	} else {
		fixed = reparse(btf);
		dump(fixed, devnull);
		sanitize(fixed);
		bl_btf_free(fixed);
	}
	bl_btf_free(btf);
	return 0;
}
