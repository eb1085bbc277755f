// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_uprobe_offset.c - where a uprobe goes, on any bytes: the ELF checks
 * for executables and libraries, every function of .symtab and .dynsym
 * (versions, aliases, IFUNCs), each one looked up again by name and its
 * address turned into a file offset through the PT_LOAD headers, as
 * bl_uprobe_resolve() does for "uprobe/PATH:FUNC[+OFFSET]".
 *
 * Checked beyond "no crash": a failure carries a message; an offset the
 * resolver returns lies inside the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attach/uprobe_target.h"
#include "elf/elf_symbols.h"

struct walk {
	const struct bl_elf *elf;
	size_t size;
	int seen;
};

static void resolve(const struct bl_elf *elf, size_t size, const char *name, uint64_t add)
{
	struct bl_err err = { 0 };
	uint64_t offset, vaddr;

	if (bl_uprobe_func_offset(elf, "fuzz", name, add, &offset, &vaddr, &err) < 0) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return;
	}
	if (offset >= size)
		__builtin_trap();	/* a probe outside the file */
}

static int each_function(const struct bl_elf_func *f, void *ctx)
{
	struct walk *w = ctx;

	if (!f->name)
		__builtin_trap();
	resolve(w->elf, w->size, f->name, 0);
	resolve(w->elf, w->size, f->name, f->size ? f->size - 1 : 0);
	resolve(w->elf, w->size, f->name, 1ull << 40);	/* far past its end */
	return ++w->seen >= 64;	/* enough names per input */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_elf elf;
	struct bl_err err = { 0 };
	struct walk w = { &elf, size, 0 };

	if (bl_elf_open_binary(&elf, data, size, &err) < 0) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return 0;
	}
	if (bl_elf_for_each_function(&elf, each_function, &w, &err) < 0 && (!err.code || !err.msg[0]))
		__builtin_trap();
	resolve(&elf, size, "main", 0);
	resolve(&elf, size, "", 0);
	return 0;
}
