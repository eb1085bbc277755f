// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf_segments.c - program headers and virtual address to file offset.
 * No syscalls: the file is already in memory (elf_file.c maps it).
 *
 * Headers are copied out with memcpy, as in elf_reader.c: a hostile file
 * may put them at an unaligned offset.
 */
#include "elf/elf_segments.h"

#include <errno.h>
#include <string.h>

#include "sys/bounds.h"

static void read_ehdr(const struct bl_elf *elf, Elf64_Ehdr *eh)
{
	/* bl_elf_open* checked that the header is there */
	memcpy(eh, elf->data, sizeof(*eh));
}

uint16_t bl_elf_file_type(const struct bl_elf *elf)
{
	Elf64_Ehdr eh;

	read_ehdr(elf, &eh);
	return eh.e_type;
}

uint16_t bl_elf_machine(const struct bl_elf *elf)
{
	Elf64_Ehdr eh;

	read_ehdr(elf, &eh);
	return eh.e_machine;
}

size_t bl_elf_segment_count(const struct bl_elf *elf)
{
	Elf64_Ehdr eh;

	read_ehdr(elf, &eh);
	return eh.e_phoff ? eh.e_phnum : 0;
}

int bl_elf_segment(const struct bl_elf *elf, size_t i, struct bl_elf_segment *seg,
		   struct bl_err *err)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t at;

	read_ehdr(elf, &eh);
	if (i >= bl_elf_segment_count(elf))
		return bl_fail(err, ERANGE, "ELF program header %zu does not exist", i);
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return bl_fail(err, ENOEXEC, "ELF program header size is %u, expected %zu",
			       eh.e_phentsize, sizeof(Elf64_Phdr));
	/* e_phnum is 16 bits: i * sizeof(ph) cannot overflow, the sum can */
	if (eh.e_phoff > UINT64_MAX - (uint64_t)i * sizeof(ph))
		return bl_fail(err, ENOEXEC, "ELF program header table offset %llu is out of range",
			       (unsigned long long)eh.e_phoff);
	at = eh.e_phoff + (uint64_t)i * sizeof(ph);
	if (!bl_range_ok(at, sizeof(ph), elf->size))
		return bl_fail(err, ENOEXEC, "ELF program header %zu at offset %llu lies outside the %zu-byte file",
			       i, (unsigned long long)at, elf->size);
	memcpy(&ph, elf->data + at, sizeof(ph));
	if (!bl_range_ok(ph.p_offset, ph.p_filesz, elf->size))
		return bl_fail(err, ENOEXEC, "ELF segment %zu: %llu bytes at offset %llu lie outside the %zu-byte file",
			       i, (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_offset,
			       elf->size);
	seg->type = ph.p_type;
	seg->flags = ph.p_flags;
	seg->offset = ph.p_offset;
	seg->vaddr = ph.p_vaddr;
	seg->filesz = ph.p_filesz;
	seg->memsz = ph.p_memsz;
	return 0;
}

int bl_elf_vaddr_to_offset(const struct bl_elf *elf, uint64_t vaddr, int want_exec,
			   uint64_t *offset, struct bl_elf_segment *seg_out, struct bl_err *err)
{
	struct bl_elf_segment seg;
	size_t i, count = bl_elf_segment_count(elf);
	int ret;

	if (count == 0)
		return bl_fail(err, ENOEXEC, "the ELF file has no program headers, so nothing in it is ever mapped");
	for (i = 0; i < count; i++) {
		ret = bl_elf_segment(elf, i, &seg, err);
		if (ret)
			return ret;
		/* Only bytes backed by the file: a uprobe (or a semaphore)
		 * lives in a page of the file, never in zero-filled .bss. */
		if (seg.type != PT_LOAD || vaddr < seg.vaddr || vaddr - seg.vaddr >= seg.filesz)
			continue;
		if (want_exec == 1 && !(seg.flags & PF_X))
			return bl_fail(err, ENOEXEC, "address 0x%llx lies in a segment that is not executable (flags 0x%x), so it is not code",
				       (unsigned long long)vaddr, seg.flags);
		if (want_exec == 0 && (seg.flags & PF_X))
			return bl_fail(err, ENOEXEC, "address 0x%llx lies in an executable segment, not in data",
				       (unsigned long long)vaddr);
		*offset = vaddr - seg.vaddr + seg.offset;
		if (seg_out)
			*seg_out = seg;
		return 0;
	}
	return bl_fail(err, ENOENT, "address 0x%llx lies in no loadable segment of the file",
		       (unsigned long long)vaddr);
}
