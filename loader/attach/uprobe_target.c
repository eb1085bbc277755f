// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe_target.c - resolving a uprobe's function to a file offset.
 *
 * Syscalls: those of binary_path.c and elf_file.c (open, fstat, mmap).
 */
#include "attach/uprobe_target.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "elf/elf_file.h"
#include "elf/elf_segments.h"
#include "elf/elf_symbols.h"

static int has_symbol_tables(const struct bl_elf *elf)
{
	struct bl_elf_section sec;
	size_t i;

	for (i = 1; i < elf->shnum; i++) {
		bl_elf_section(elf, i, &sec);
		if (sec.type == SHT_SYMTAB || sec.type == SHT_DYNSYM)
			return 1;
	}
	return 0;
}

static int no_such_function(const struct bl_elf *elf, const char *path, const char *func,
			    struct bl_err *err)
{
	char similar[200];

	if (!has_symbol_tables(elf))
		return bl_fail(err, ENOENT, "%s has no symbol tables (.symtab, .dynsym) to find %s in; give a file offset instead (uprobe/%s:+OFFSET)",
			       path, func, path);
	bl_elf_similar_functions(elf, func, similar, sizeof(similar));
	if (similar[0])
		return bl_fail(err, ENOENT, "no function %s in %s; similar names: %s", func, path, similar);
	return bl_fail(err, ENOENT, "no function %s in %s (nothing of a similar name either; static functions are only in .symtab, which strip removes)",
		       func, path);
}

int bl_uprobe_func_offset(const struct bl_elf *elf, const char *path, const char *func,
			  uint64_t add, uint64_t *offset, uint64_t *vaddr, struct bl_err *err)
{
	struct bl_elf_func f;
	int ret = bl_elf_find_function(elf, func, &f, err);

	if (ret == -ENOENT)
		return no_such_function(elf, path, func, err);
	if (ret)
		return bl_err_context(err, "%s", path);
	/* An IFUNC symbol is the resolver that picks an implementation
	 * (memcpy, strlen: one per CPU feature set) and runs once, when the
	 * program is linked at startup. */
	if (f.type == STT_GNU_IFUNC)
		return bl_fail(err, EINVAL, "%s in %s is an IFUNC: its symbol is the resolver that picks an implementation once at startup, not the function itself; probe the implementation (its name is in the library's debug symbols) or give its file offset",
			       func, path);
	if (f.size && add >= f.size)
		return bl_fail(err, ERANGE, "offset +0x%llx lies past the end of %s in %s (%llu bytes)",
			       (unsigned long long)add, func, path, (unsigned long long)f.size);
	ret = bl_elf_vaddr_to_offset(elf, f.vaddr + add, 1, offset, NULL, err);
	if (ret)
		return bl_err_context(err, "%s in %s", func, path);
	*vaddr = f.vaddr + add;
	return 0;
}

int bl_uprobe_resolve(const char *binary, const char *func, uint64_t offset, int pid,
		      struct bl_uprobe_target *t, struct bl_err *err)
{
	struct bl_elf_file file;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = bl_binary_path(binary, pid, t->path, err);
	if (ret)
		return ret;
	ret = bl_elf_file_open(&file, t->path, err);
	if (ret)
		return ret;
	t->elf_type = bl_elf_file_type(&file.elf);
	t->machine = bl_elf_machine(&file.elf);
	if (func && func[0]) {
		ret = bl_uprobe_func_offset(&file.elf, t->path, func, offset, &t->offset, &t->vaddr, err);
	} else {
		/* a file offset given directly: only check it is in the file */
		t->offset = offset;
		t->vaddr = 0;
		if (offset >= file.size)
			ret = bl_fail(err, ERANGE, "offset 0x%llx lies past the end of %s (%zu bytes)",
				      (unsigned long long)offset, t->path, file.size);
	}
	bl_elf_file_close(&file);
	return ret;
}
