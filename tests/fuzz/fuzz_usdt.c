// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_usdt.c - USDT probes of an executable or library on any bytes:
 * the ELF checks for binaries, the .note.stapsdt notes, the prelink
 * correction and file offsets, then every probe's argument string parsed
 * for the file's machine and written as both layouts of struct
 * __bpf_usdt_spec.
 *
 * Input that is not an ELF file is taken as an argument string itself
 * (first byte: 0 x86-64, else arm64), so that the operand parser is
 * reached without the fuzzer having to build a note first.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attach/usdt_args.h"
#include "attach/usdt_notes.h"

static int fake_symbol(const char *name, uint64_t *vaddr, void *ctx)
{
	(void)ctx;
	*vaddr = 0x401000 + strlen(name);
	return 0;
}

static void args(const char *spec, uint16_t machine, uint64_t vaddr)
{
	unsigned char value[BL_USDT_SPEC_SIZE_V2];
	struct bl_usdt_args out;
	struct bl_err err = { 0 };

	if (bl_usdt_parse_args(spec, machine, vaddr, fake_symbol, NULL, &out, &err) < 0) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return;
	}
	if (out.count > BL_USDT_MAX_ARGS)
		__builtin_trap();
	bl_usdt_encode_spec(&out, 42, BL_USDT_SPEC_SIZE_V1, value, &err);
	bl_usdt_encode_spec(&out, 42, BL_USDT_SPEC_SIZE_V2, value, &err);
}

static void probes(const struct bl_elf *elf)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
	struct bl_usdt_probe *p = NULL;
	struct bl_err err = { 0 };
	size_t n = 0, i;

	if (bl_usdt_find_probes(elf, "fuzz", NULL, NULL, &p, &n, &err) < 0)
		return;
	for (i = 0; i < n; i++)
		args(p[i].note.args, eh->e_machine, p[i].vaddr);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_elf elf;
	struct bl_err err = { 0 };
	char *spec;

	if (bl_elf_open_binary(&elf, data, size, &err) == 0) {
		probes(&elf);
		return 0;
	}
	if (!size || !(spec = malloc(size)))
		return 0;
	memcpy(spec, data + 1, size - 1);	/* NUL-terminated, as in a note */
	spec[size - 1] = 0;
	args(spec, data[0] ? EM_AARCH64 : EM_X86_64, 0x401000);
	free(spec);
	return 0;
}
