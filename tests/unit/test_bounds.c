// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_bounds.c - inputs with absurd but well-formed counts, each
 * refused with its limit named or parsed to the end (in linear time: a
 * quadratic pass would run for hours here and the suite's timeout would
 * say so):
 *   - BTF with the kernel's most types (BTF_MAX_TYPE, 0xfffff), and one
 *     more, which the kernel would refuse too;
 *   - a chain of 100000 typedefs: resolving its size stops at MAX_DEPTH;
 *   - BTF strings past the kernel's 16 MiB, a 64-character tracepoint
 *     field name, object and BTF files past their 256 MiB (sparse);
 *   - a real object given a million more section headers (ELF extended
 *     numbering: e_shnum 0, the count in section header 0);
 *   - a real object given a million relocations more for one program.
 * Usage: test_bounds OBJECT.bpf.o...  (raw_tp.bpf.o is the one used)
 * See docs/limits.md for the constants.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/object.h>
#include <bpfload/tracepoint_format.h>

#include "../testlib.h"
#include "sparse_file.h"
#include "btf/btf.h"

#ifndef MILLION
#define MILLION 1000000u
#endif

/* ---- BTF ------------------------------------------------------------ */

/* A BTF blob of n types: "int" first, then n - 1 anonymous types made by
 * one(i, words) (3 words each). */
static void *btf_of(uint32_t n, void (*one)(uint32_t id, uint32_t *w), size_t *size)
{
	static const char strs[] = "\0int";
	size_t types_len = (size_t)(n - 1) * 12 + 16;
	struct btf_header *h;
	uint32_t *w, id;
	unsigned char *blob;

	*size = sizeof(*h) + types_len + sizeof(strs);
	blob = calloc(1, *size);
	if (!blob)
		return NULL;
	h = (struct btf_header *)blob;
	h->magic = BTF_MAGIC;
	h->version = BTF_VERSION;
	h->hdr_len = sizeof(*h);
	h->type_len = (uint32_t)types_len;
	h->str_off = (uint32_t)types_len;
	h->str_len = sizeof(strs);
	w = (uint32_t *)(blob + sizeof(*h));
	w[0] = 1;			/* "int" */
	w[1] = BTF_KIND_INT << 24;
	w[2] = 4;
	w[3] = 32;			/* signed-ness 0, offset 0, 32 bits */
	for (id = 2; id <= n; id++)
		one(id, w + 4 + (size_t)(id - 2) * 3);
	memcpy(blob + sizeof(*h) + types_len, strs, sizeof(strs));
	return blob;
}

static void pointer_to_int(uint32_t id, uint32_t *w)
{
	(void)id;
	w[0] = 0;
	w[1] = BTF_KIND_PTR << 24;
	w[2] = 1;
}

/* typedef [id] -> [id - 1] -> ... -> int */
static void typedef_of_previous(uint32_t id, uint32_t *w)
{
	w[0] = 0;
	w[1] = BTF_KIND_TYPEDEF << 24;
	w[2] = id - 1;
}

static void test_btf_type_count(void)
{
	const uint32_t kernel_max = 0xfffff;	/* BTF_MAX_TYPE in the kernel's btf.h */
	struct bl_err err = { 0 };
	struct bl_btf *btf;
	size_t size;
	void *blob = btf_of(kernel_max, pointer_to_int, &size);

	T_EXPECT("bounds/btf-most-types", blob != NULL, "out of memory");
	btf = bl_btf_parse(blob, size, NULL, &err);
	if (!btf)
		t_fail("bounds/btf-most-types", "%u types refused: %s", kernel_max, err.msg);
	else if (bl_btf_type_count(btf) != kernel_max + 1)
		t_fail("bounds/btf-most-types", "%u types, expected %u", bl_btf_type_count(btf), kernel_max + 1);
	else
		t_pass("bounds/btf-most-types");
	bl_btf_free(btf);
	free(blob);

	blob = btf_of(kernel_max + 1, pointer_to_int, &size);
	T_EXPECT("bounds/btf-too-many-types", blob != NULL, "out of memory");
	btf = bl_btf_parse(blob, size, NULL, &err);
	if (btf)
		t_fail("bounds/btf-too-many-types", "%u types accepted", kernel_max + 1);
	else if (err.code != E2BIG || !strstr(err.msg, "more than 1048575 types"))
		t_fail("bounds/btf-too-many-types", "unclear refusal: %s", err.msg);
	else
		t_pass("bounds/btf-too-many-types");
	bl_btf_free(btf);
	free(blob);
}

static void test_btf_typedef_chain(void)
{
	const char *name = "bounds/btf-typedef-chain";
	struct bl_err err = { 0 };
	uint32_t n = 100000, bytes = 0;
	size_t size;
	void *blob = btf_of(n, typedef_of_previous, &size);
	struct bl_btf *btf = blob ? bl_btf_parse(blob, size, NULL, &err) : NULL;

	T_EXPECT(name, btf != NULL, "the chain did not parse: %s", err.msg);
	if (bl_btf_resolve_size(btf, 20, &bytes, &err) != 0 || bytes != 4)
		t_fail(name, "a chain of 19 typedefs (within the limit): size %u: %s", bytes, err.msg);
	else if (bl_btf_resolve_size(btf, n, &bytes, &err) == 0)
		t_fail(name, "a chain of %u typedefs resolved (to %u bytes) without a limit", n - 1, bytes);
	else if (err.code != ELOOP || !strstr(err.msg, "in a row"))
		t_fail(name, "unclear refusal: %s", err.msg);
	else
		t_pass(name);
	bl_btf_free(btf);
	free(blob);
}

/* Strings past the kernel's BTF_MAX_NAME_OFFSET (16 MiB, MAX_STR). */
static void test_btf_string_size(void)
{
	const char *name = "bounds/btf-strings-over-kernel-limit";
	size_t strs = (16u << 20) + 1, size = sizeof(struct btf_header) + strs;
	unsigned char *blob = calloc(1, size);
	struct btf_header *h = (struct btf_header *)blob;
	struct bl_err err = { 0 };
	struct bl_btf *btf;

	T_EXPECT(name, blob != NULL, "out of memory");
	h->magic = BTF_MAGIC;
	h->version = BTF_VERSION;
	h->hdr_len = sizeof(*h);
	h->str_off = 0;
	h->str_len = (uint32_t)strs;	/* all "" strings, no types */
	btf = bl_btf_parse(blob, size, NULL, &err);
	if (btf)
		t_fail(name, "%zu bytes of strings accepted", strs);
	else if (!strstr(err.msg, "larger than the kernel's limit"))
		t_fail(name, "unclear refusal: %s", err.msg);
	else
		t_pass(name);
	bl_btf_free(btf);
	free(blob);
}

/* A tracepoint field name of 64 characters, one more than BL_TP_NAME_MAX
 * holds with its NUL. */
static void test_tp_field_name(void)
{
	const char *name = "bounds/tracepoint-field-name";
	char text[512], field[65];
	struct bl_tp_format fmt;
	struct bl_err err = { 0 };

	memset(field, 'f', 64);
	field[64] = '\0';
	snprintf(text, sizeof(text), "name: bounds\nID: 1\nformat:\n\tfield:int %s;\toffset:8;\tsize:4;\tsigned:1;\n", field);
	if (bl_tp_format_parse(text, strlen(text), &fmt, &err) == 0)
		t_fail(name, "a 64-character field name accepted");
	else if (err.code != E2BIG || !strstr(err.msg, "longer than 63 characters"))
		t_fail(name, "unclear refusal: %s", err.msg);
	else
		t_pass(name);
}

/* ---- ELF ------------------------------------------------------------ */

struct file {
	unsigned char *data;
	size_t size;
};

static int read_object(const char *path, struct file *f)
{
	FILE *in = fopen(path, "rb");
	long len;

	if (!in)
		return -1;
	fseek(in, 0, SEEK_END);
	len = ftell(in);
	rewind(in);
	f->data = malloc((size_t)len);
	f->size = (size_t)len;
	if (!f->data || fread(f->data, 1, f->size, in) != f->size) {
		fclose(in);
		return -1;
	}
	fclose(in);
	return 0;
}

/*
 * The object with extra section headers appended after its own table,
 * the table moved to the end of the file; extra[i] = make(i).  With more
 * than SHN_LORESERVE sections in all, the count moves to section 0.
 */
static struct file with_sections(const struct file *obj, size_t extra,
				 void (*make)(const struct file *obj, size_t i, Elf64_Shdr *sh))
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj->data;
	size_t own = eh->e_shnum, total = own + extra, i;
	struct file out = { 0 };
	Elf64_Ehdr *neh;
	Elf64_Shdr *sh;

	out.size = obj->size + total * sizeof(Elf64_Shdr);
	out.data = calloc(1, out.size);
	if (!out.data)
		return out;
	memcpy(out.data, obj->data, obj->size);
	sh = (Elf64_Shdr *)(out.data + obj->size);
	memcpy(sh, obj->data + eh->e_shoff, own * sizeof(Elf64_Shdr));
	for (i = 0; i < extra; i++)
		make(obj, i, &sh[own + i]);
	neh = (Elf64_Ehdr *)out.data;
	neh->e_shoff = obj->size;
	if (total >= SHN_LORESERVE) {
		neh->e_shnum = 0;
		sh[0].sh_size = total;
	} else {
		neh->e_shnum = (Elf64_Half)total;
	}
	return out;
}

static void empty_section(const struct file *obj, size_t i, Elf64_Shdr *sh)
{
	(void)obj;
	(void)i;
	memset(sh, 0, sizeof(*sh));
	sh->sh_type = SHT_PROGBITS;	/* named "", 0 bytes: nothing to load */
}

/* The object's first SHT_REL section, for a program's relocations. */
static const Elf64_Shdr *first_rel(const struct file *obj)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj->data;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(obj->data + eh->e_shoff);
	size_t i;

	for (i = 1; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_REL && sh[i].sh_size >= sizeof(Elf64_Rel))
			return &sh[i];
	return NULL;
}

static size_t count_programs(struct bl_object *obj)
{
	struct bl_program *p = NULL;
	size_t n = 0;

	while ((p = bl_object_next_program(obj, p)))
		n++;
	return n;
}

/* Files larger than OBJECT_FILE_MAX and BTF_FILE_MAX. */
static void test_file_sizes(void)
{
	const char *name = "bounds/object-file-over-256-MiB", *btf_name = "bounds/btf-file-over-256-MiB";
	char path[64];
	struct bl_err err = { 0 };
	struct bl_object *o;
	struct bl_btf *btf;

	if (sparse_file(name, path, sizeof(path), ".bpf.o", (256u << 20) + 1) == 0) {
		o = bl_object_open_file(path, NULL, &err);
		unlink(path);
		if (o)
			t_fail(name, "a 256 MiB + 1 file opened");
		else if (err.code != EFBIG || !strstr(err.msg, "OBJECT_FILE_MAX"))
			t_fail(name, "unclear refusal: %s", err.msg);
		else
			t_pass(name);
		bl_object_close(o);
	}
	if (sparse_file(btf_name, path, sizeof(path), ".btf", (256u << 20) + 1) == 0) {
		btf = bl_btf_parse_file(path, NULL, &err);
		unlink(path);
		if (btf)
			t_fail(btf_name, "a 256 MiB + 1 file parsed");
		else if (err.code != EFBIG || !strstr(err.msg, "BTF_FILE_MAX"))
			t_fail(btf_name, "unclear refusal: %s", err.msg);
		else
			t_pass(btf_name);
		bl_btf_free(btf);
	}
}

static void test_million_sections(const struct file *obj, size_t programs)
{
	const char *name = "bounds/object-with-a-million-more-sections";
	struct file big = with_sections(obj, MILLION, empty_section);
	struct bl_err err = { 0 };
	struct bl_object *o;

	T_EXPECT(name, big.data != NULL, "out of memory");
	o = bl_object_open_mem(big.data, big.size, "big.bpf.o", NULL, &err);
	if (!o && (!err.code || !err.msg[0]))
		t_fail(name, "refused without a reason");
	else if (!o)
		t_fail(name, "refused: %s", err.msg);
	else if (count_programs(o) != programs)
		t_fail(name, "%zu programs, the object has %zu", count_programs(o), programs);
	else
		t_pass(name);
	bl_object_close(o);
	free(big.data);
}

/*
 * A million relocations for the program of the object's first SHT_REL
 * section, each a copy of its first: the same instruction, the same
 * symbol.  Parsed to the end, or refused with the reason.
 */
static void test_million_relocations(const struct file *obj)
{
	const char *name = "bounds/a-million-relocations";
	const Elf64_Shdr *rel = first_rel(obj);
	struct bl_err err = { 0 };
	struct file big = { 0 };
	struct bl_object *o;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	size_t i, table;

	T_EXPECT(name, rel != NULL, "the object has no relocations to copy");
	/* the relocations go after the file, the section table after them */
	big.size = obj->size + MILLION * sizeof(Elf64_Rel);
	big.data = malloc(big.size);
	T_EXPECT(name, big.data != NULL, "out of memory");
	memcpy(big.data, obj->data, obj->size);
	for (i = 0; i < MILLION; i++)
		memcpy(big.data + obj->size + i * sizeof(Elf64_Rel), obj->data + rel->sh_offset, sizeof(Elf64_Rel));
	eh = (Elf64_Ehdr *)big.data;
	table = (size_t)((const unsigned char *)rel - (obj->data + eh->e_shoff)) / sizeof(Elf64_Shdr);
	sh = (Elf64_Shdr *)(big.data + eh->e_shoff);
	sh[table].sh_offset = obj->size;
	sh[table].sh_size = MILLION * sizeof(Elf64_Rel);
	o = bl_object_open_mem(big.data, big.size, "relocs.bpf.o", NULL, &err);
	if (!o && (!err.code || !err.msg[0]))
		t_fail(name, "refused without a reason");
	else if (!o)
		t_fail(name, "refused: %s", err.msg);
	else
		t_pass(name);
	bl_object_close(o);
	free(big.data);
}

int main(int argc, char **argv)
{
	struct file obj = { 0 };
	struct bl_err err = { 0 };
	struct bl_object *o;
	const char *path = NULL;
	size_t programs;
	int i;

	test_btf_type_count();
	test_btf_typedef_chain();
	test_btf_string_size();
	test_tp_field_name();
	test_file_sizes();
	for (i = 1; i < argc; i++)
		if (strstr(argv[i], "/raw_tp.bpf.o") || strcmp(argv[i], "raw_tp.bpf.o") == 0)
			path = argv[i];
	if (!path || read_object(path, &obj)) {
		t_skip("bounds/objects", "raw_tp.bpf.o not given (test_bounds OBJECT.bpf.o...)");
		return t_exit_code();
	}
	o = bl_object_open_mem(obj.data, obj.size, "raw_tp.bpf.o", NULL, &err);
	if (!o) {
		t_fail("bounds/objects", "raw_tp.bpf.o itself: %s", err.msg);
		return t_exit_code();
	}
	programs = count_programs(o);
	bl_object_close(o);
	test_million_sections(&obj, programs);
	test_million_relocations(&obj);
	free(obj.data);
	return t_exit_code();
}
