// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_elf.c - the ELF reader and object parser against clang-built objects
 * (with libelf as an independent oracle), and against broken copies of
 * them, which must be rejected with a message and never read out of
 * bounds (this test is built with AddressSanitizer).
 *
 * Usage: test_elf OBJECT.bpf.o...   (the first object gets the corruptions)
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testlib.h"
#include "elf/elf_reader.h"
#include "object/assemble.h"
#include "object/object.h"
#include "object/object_btf.h"

struct file {
	const char *path;
	const char *base;
	unsigned char *data;
	size_t size;
};

static int load_file(const char *path, struct file *f)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	f->path = path;
	f->base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	f->size = (size_t)st.st_size;
	f->data = malloc(f->size);
	if (!f->data || read(fd, f->data, f->size) != (ssize_t)f->size) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* ---- the reader against libelf -------------------------------------- */

static void test_sections(const struct file *f, Elf *oracle)
{
	char name[256];
	struct bl_elf elf;
	struct bl_err err;
	size_t shnum, shstrndx, i;

	snprintf(name, sizeof(name), "elf/%s/sections", f->base);
	T_EXPECT(name, bl_elf_open(&elf, f->data, f->size, &err) == 0, "open: %s", err.msg);
	T_EXPECT(name, elf_getshdrnum(oracle, &shnum) == 0 && elf_getshdrstrndx(oracle, &shstrndx) == 0,
		 "libelf: %s", elf_errmsg(-1));
	T_EXPECT(name, elf.shnum == shnum, "%zu sections, libelf says %zu", elf.shnum, shnum);
	for (i = 1; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(oracle, i);
		struct bl_elf_section ours;
		GElf_Shdr sh;
		const char *want;

		gelf_getshdr(scn, &sh);
		want = elf_strptr(oracle, shstrndx, sh.sh_name);
		bl_elf_section(&elf, i, &ours);
		T_EXPECT(name, want && strcmp(ours.name, want) == 0, "section %zu named %s, libelf says %s",
			 i, ours.name, want ? want : "(null)");
		T_EXPECT(name, ours.type == sh.sh_type && ours.flags == sh.sh_flags &&
			 ours.size == sh.sh_size && ours.link == sh.sh_link && ours.info == sh.sh_info,
			 "section %zu (%s): header fields differ from libelf", i, want);
		if (sh.sh_type != SHT_NOBITS && sh.sh_size) {
			Elf_Data *d = elf_rawdata(scn, NULL);

			T_EXPECT(name, d && d->d_size == ours.size && memcmp(d->d_buf, ours.data, d->d_size) == 0,
				 "section %zu (%s): contents differ from libelf's", i, want);
		}
	}
	t_pass(name);
}

static void test_symbols(const struct file *f, Elf *oracle)
{
	char name[256];
	struct bl_elf elf;
	struct bl_err err;
	Elf_Scn *scn = NULL;
	size_t i;

	snprintf(name, sizeof(name), "elf/%s/symbols", f->base);
	T_EXPECT(name, bl_elf_open(&elf, f->data, f->size, &err) == 0, "open: %s", err.msg);
	while ((scn = elf_nextscn(oracle, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		T_EXPECT(name, elf_ndxscn(scn) == elf.symtab_index && n == elf.symbol_count,
			 "%zu symbols in section %zu, libelf says %zu in %zu", elf.symbol_count,
			 elf.symtab_index, n, elf_ndxscn(scn));
		for (i = 0; i < n; i++) {
			struct bl_elf_symbol ours;
			GElf_Sym sym;
			const char *want;

			gelf_getsym(d, (int)i, &sym);
			want = elf_strptr(oracle, sh.sh_link, sym.st_name);
			bl_elf_symbol(&elf, i, &ours);
			T_EXPECT(name, want && strcmp(ours.name, want) == 0 && ours.value == sym.st_value &&
				 ours.size == sym.st_size && ours.shndx == sym.st_shndx &&
				 ours.type == GELF_ST_TYPE(sym.st_info) && ours.bind == GELF_ST_BIND(sym.st_info),
				 "symbol %zu (%s) differs from libelf's", i, want ? want : "(null)");
		}
		t_pass(name);
		return;
	}
	t_fail(name, "libelf finds no symbol table");
}

static void test_relocations(const struct file *f, Elf *oracle)
{
	char name[256];
	struct bl_elf elf;
	struct bl_err err;
	Elf_Scn *scn = NULL;
	size_t total = 0, i;

	snprintf(name, sizeof(name), "elf/%s/relocations", f->base);
	T_EXPECT(name, bl_elf_open(&elf, f->data, f->size, &err) == 0, "open: %s", err.msg);
	while ((scn = elf_nextscn(oracle, scn))) {
		struct bl_elf_section ours;
		GElf_Shdr sh;
		Elf_Data *d;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_REL)
			continue;
		d = elf_getdata(scn, NULL);
		bl_elf_section(&elf, elf_ndxscn(scn), &ours);
		T_EXPECT(name, bl_elf_rel_count(&ours) == sh.sh_size / sh.sh_entsize,
			 "section %s: %zu relocations, libelf says %zu", ours.name,
			 bl_elf_rel_count(&ours), (size_t)(sh.sh_size / sh.sh_entsize));
		for (i = 0; i < bl_elf_rel_count(&ours); i++) {
			GElf_Rel want;
			Elf64_Rel got;

			gelf_getrel(d, (int)i, &want);
			T_EXPECT(name, bl_elf_rel(&elf, &ours, i, &got, &err) == 0, "%s", err.msg);
			T_EXPECT(name, got.r_offset == want.r_offset && got.r_info == want.r_info,
				 "section %s: relocation %zu differs from libelf's", ours.name, i);
			total++;
		}
	}
	T_EXPECT(name, total > 0, "no relocations found at all");
	t_pass(name);
}

/* ---- the object parser: maps, programs, relocations ------------------ */

struct expected_object {
	size_t programs, maps, relocs;
	size_t maps_index;
};

/* What libelf says the object holds, by the conventions object.c follows. */
static void expect_from_libelf(Elf *oracle, struct expected_object *want)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	memset(want, 0, sizeof(*want));
	elf_getshdrstrndx(oracle, &shstrndx);
	while ((scn = elf_nextscn(oracle, scn))) {
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(oracle, shstrndx, sh.sh_name), "maps") == 0)
			want->maps_index = elf_ndxscn(scn);
	}
	while ((scn = elf_nextscn(oracle, scn))) {
		GElf_Shdr sh, target;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t i;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_SYMTAB) {
			for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				GElf_Sym sym;
				GElf_Shdr home;

				gelf_getsym(d, (int)i, &sym);
				if (sym.st_shndx == want->maps_index && want->maps_index &&
				    GELF_ST_TYPE(sym.st_info) == STT_OBJECT)
					want->maps++;
				/* programs: global functions outside .text */
				if (GELF_ST_TYPE(sym.st_info) == STT_FUNC && GELF_ST_BIND(sym.st_info) == STB_GLOBAL &&
				    gelf_getshdr(elf_getscn(oracle, sym.st_shndx), &home) &&
				    (home.sh_flags & SHF_EXECINSTR) &&
				    strcmp(elf_strptr(oracle, shstrndx, home.sh_name), ".text") != 0)
					want->programs++;
			}
		}
		if (sh.sh_type == SHT_REL) {
			gelf_getshdr(elf_getscn(oracle, sh.sh_info), &target);
			if (!(target.sh_flags & SHF_EXECINSTR))
				continue;
			/* every relocation of code becomes one record */
			want->relocs += sh.sh_size / sh.sh_entsize;
		}
	}
}

/* Objects that use what the loader does not support yet, and the word
 * its error must contain. */
static const char *expected_refusal(const char *base)
{
	if (strncmp(base, "externs_bad_type", 16) == 0)
		return "__kconfig has type STRUCT";
	if (strncmp(base, "externs_bad_name", 16) == 0)
		return "only CONFIG_* options";
	if (strncmp(base, "externs_bad_size", 16) == 0)
		return "the .kconfig externs take 2097152 bytes; more than 1048576";
	if (strncmp(base, "custom_section", 14) == 0)
		return "unknown program type";	/* needs a type from the caller */
	return NULL;
}

static void test_object(const struct file *f, Elf *oracle)
{
	struct expected_object want;
	struct bl_object *obj;
	struct bl_err err;
	char name[256];
	const char *refusal = expected_refusal(f->base);
	size_t i, relocs = 0, legacy_maps = 0;

	snprintf(name, sizeof(name), "object/%s", f->base);
	expect_from_libelf(oracle, &want);
	obj = bl_object_open_file(f->path, NULL, &err);
	if (refusal) {
		if (obj)
			t_fail(name, "opened, but it uses what the loader cannot do");
		else if (!strstr(err.msg, refusal))
			t_fail(name, "refused without naming the %s: %s", refusal, err.msg);
		else
			t_pass(name);
		bl_object_close(obj);
		return;
	}
	T_EXPECT(name, obj, "open: %s", err.msg);
	for (i = 0; i < obj->func_cnt; i++)
		relocs += obj->funcs[i].reloc_cnt;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (!obj->progs[i].kind) {
			t_fail(name, "program %s has no kind", obj->progs[i].name);
			goto out;
		}
	}
	for (i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].origin == BL_MAP_LEGACY)
			legacy_maps++;
	if (obj->prog_cnt != want.programs || legacy_maps != want.maps || relocs != want.relocs)
		t_fail(name, "%zu programs, %zu legacy maps, %zu relocations; libelf says %zu, %zu, %zu",
		       obj->prog_cnt, legacy_maps, relocs, want.programs, want.maps, want.relocs);
	else if (strcmp(obj->license, "GPL") != 0)
		t_fail(name, "license \"%s\", expected GPL", obj->license);
	else
		t_pass(name);
out:
	bl_object_close(obj);
}

/* probes.bpf.c specifics: two programs share one section, every map is
 * referenced by ld_imm64s, section names map to the right program types. */
static void test_probes_details(const struct file *f)
{
	const char *name = "object/probes.bpf.o/details";
	struct bl_object *obj = bl_object_open_file(f->path, NULL, &(struct bl_err){ 0, "" });
	struct bl_program *p1, *p2, *kp, *krp;
	struct bl_map *hits;

	T_EXPECT(name, obj, "cannot open");
	p1 = bl_object_program(obj, "count_getppid");
	p2 = bl_object_program(obj, "print_getppid");
	kp = bl_object_program(obj, "count_open_entry");
	krp = bl_object_program(obj, "count_open_return");
	hits = bl_object_map(obj, "hits");
	if (!p1 || !p2 || !kp || !krp || !hits) {
		t_fail(name, "programs or map hits missing");
	} else if (obj->funcs[p1->entry_func].section_index != obj->funcs[p2->entry_func].section_index ||
		   obj->funcs[p2->entry_func].section_offset == 0) {
		t_fail(name, "count_getppid and print_getppid should share a section at different offsets");
	} else if (p1->kind->prog_type != BPF_PROG_TYPE_TRACEPOINT ||
		   kp->kind->attach != BL_ATTACH_KPROBE || krp->kind->attach != BL_ATTACH_KRETPROBE ||
		   strcmp(kp->attach_target, "do_sys_openat2") != 0 ||
		   strcmp(p1->attach_target, "syscalls/sys_enter_getppid") != 0) {
		t_fail(name, "section kinds or targets wrong");
	} else if (hits->spec.type != BPF_MAP_TYPE_ARRAY || hits->spec.key_size != 4 ||
		   hits->spec.value_size != 8 || hits->spec.max_entries != 4) {
		t_fail(name, "map hits read as type %u key %u value %u entries %u", hits->spec.type,
		       hits->spec.key_size, hits->spec.value_size, hits->spec.max_entries);
	} else {
		const struct bl_function *f = &obj->funcs[p2->entry_func];
		size_t i, ok = 1;

		for (i = 0; i < f->reloc_cnt; i++)
			if (f->code[f->relocs[i].insn_index * 8] != (BPF_LD | BPF_IMM | BPF_DW) ||
			    f->relocs[i].kind != BL_RELOC_MAP_FD)
				ok = 0;
		if (ok && f->reloc_cnt)
			t_pass(name);
		else
			t_fail(name, "print_getppid's relocations do not all point at ld_imm64");
	}
	bl_object_close(obj);
}

static void test_legacy_map_def(const char *path)
{
	const char *name = "object/legacy_map_def.bpf.o/28-byte-definitions";
	struct bl_err err;
	struct bl_object *obj = bl_object_open_file(path, NULL, &err);
	struct bl_map *first, *second;

	T_EXPECT(name, obj, "open: %s", err.msg);
	first = bl_object_map(obj, "first");
	second = bl_object_map(obj, "second");
	if (!first || !second || first->offset != 0 || second->offset != 28 ||
	    first->spec.max_entries != 128 || second->spec.type != BPF_MAP_TYPE_PERCPU_ARRAY ||
	    second->spec.max_entries != 8 || obj->kern_version != 0x060100)
		t_fail(name, "maps or version read wrong");
	else
		t_pass(name);
	bl_object_close(obj);
}

/* ---- broken copies ---------------------------------------------------- */

/* Parse a copy in a buffer of exactly its size, so that AddressSanitizer
 * catches any read past the end.  Returns 0 if it parsed. */
/* What load does before the kernel sees a program: link it (appending
 * subprograms, resolving relocations) and cut out its func_info and
 * line_info; with made-up map and BTF fds, since no kernel is involved. */
static void link_without_kernel(struct bl_object *obj)
{
	struct bl_btf_ext_info func_info, line_info;
	struct bl_err err;
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		obj->maps[i].fd = 1000 + (int)i;
	obj->btf_fd = 999;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (bl_program_assemble(obj, &obj->progs[i], &err) == 0 &&
		    bl_program_btf_info(obj, &obj->progs[i], &func_info, &line_info, &err) == 0) {
			bl_btf_ext_info_free(&func_info);
			bl_btf_ext_info_free(&line_info);
		}
	}
	for (i = 0; i < obj->map_cnt; i++)
		obj->maps[i].fd = -1;	/* not ours to close */
	obj->btf_fd = -1;
}

static int parse_copy(const unsigned char *data, size_t size, struct bl_err *err)
{
	unsigned char *copy = malloc(size ? size : 1);
	struct bl_object *obj;

	memcpy(copy, data, size);
	err->msg[0] = '\0';
	obj = bl_object_open_mem(copy, size, "broken.o", NULL, err);
	if (obj)
		link_without_kernel(obj);
	bl_object_close(obj);
	free(copy);
	return obj ? 0 : -1;
}

static void test_truncations(const struct file *f)
{
	char name[128];
	struct bl_err err;
	size_t len;

	snprintf(name, sizeof(name), "corrupt/%s/every-truncation", f->base);
	for (len = 0; len < f->size; len++) {
		T_EXPECT(name, parse_copy(f->data, len, &err) != 0,
			 "a copy cut to %zu of %zu bytes parsed", len, f->size);
		T_EXPECT(name, err.msg[0], "no message for a copy cut to %zu bytes", len);
	}
	t_pass(name);
}

struct layout {
	Elf64_Ehdr eh;
	size_t symtab, maps, rel, prog;	/* section indexes */
};

static void find_layout(const struct file *f, struct layout *l)
{
	struct bl_elf elf;
	struct bl_elf_section s;
	size_t i;

	memset(l, 0, sizeof(*l));
	memcpy(&l->eh, f->data, sizeof(l->eh));
	bl_elf_open(&elf, f->data, f->size, NULL);
	for (i = 1; i < elf.shnum; i++) {
		bl_elf_section(&elf, i, &s);
		if (s.type == SHT_SYMTAB)
			l->symtab = i;
		if (strcmp(s.name, "maps") == 0)
			l->maps = i;
		if (s.type == SHT_REL && strncmp(s.name, ".reltracepoint/", 15) == 0)
			l->rel = i;
		if (strncmp(s.name, "tracepoint/", 11) == 0)
			l->prog = i;
	}
}

static Elf64_Shdr *shdr_in(unsigned char *copy, const struct layout *l, size_t index)
{
	return (Elf64_Shdr *)(copy + l->eh.e_shoff + index * sizeof(Elf64_Shdr));
}

/* One corruption: a name, an edit of the copy, and words the error must contain. */
static void expect_rejected(const struct file *f, const char *what, const char *want,
			    void (*edit)(unsigned char *copy, const struct layout *l, size_t size))
{
	char name[128];
	unsigned char *copy = malloc(f->size);
	struct layout l;
	struct bl_err err;

	snprintf(name, sizeof(name), "corrupt/%s", what);
	find_layout(f, &l);
	memcpy(copy, f->data, f->size);
	edit(copy, &l, f->size);
	if (parse_copy(copy, f->size, &err) == 0)
		t_fail(name, "the broken copy parsed");
	else if (!strstr(err.msg, want))
		t_fail(name, "message \"%s\" lacks \"%s\"", err.msg, want);
	else
		t_pass(name);
	free(copy);
}

#define EDIT(fn_name, body) \
	static void fn_name(unsigned char *c, const struct layout *l, size_t size) \
	{ (void)c; (void)l; (void)size; body; }

EDIT(bad_magic, c[1] = 'X')
EDIT(class32, c[EI_CLASS] = ELFCLASS32)
EDIT(big_endian, c[EI_DATA] = ELFDATA2MSB)
EDIT(wrong_machine, ((Elf64_Ehdr *)c)->e_machine = EM_X86_64)
EDIT(shoff_past_end, ((Elf64_Ehdr *)c)->e_shoff = size + 100)
EDIT(shoff_overflow, ((Elf64_Ehdr *)c)->e_shoff = UINT64_MAX - 10)
EDIT(shnum_huge, ((Elf64_Ehdr *)c)->e_shnum = 0xfff0)
EDIT(shstrndx_out_of_range, ((Elf64_Ehdr *)c)->e_shstrndx = l->eh.e_shnum)
EDIT(shentsize_wrong, ((Elf64_Ehdr *)c)->e_shentsize = 32)
EDIT(section_offset_past_end, shdr_in(c, l, l->maps)->sh_offset = size)
EDIT(section_size_huge, shdr_in(c, l, l->maps)->sh_size = UINT64_MAX / 2)
EDIT(section_name_offset, shdr_in(c, l, l->maps)->sh_name = 0xffffff)
EDIT(symtab_link, shdr_in(c, l, l->symtab)->sh_link = 999)
EDIT(symtab_entsize, shdr_in(c, l, l->symtab)->sh_entsize = 0)
EDIT(rel_target_index, shdr_in(c, l, l->rel)->sh_info = 999)
EDIT(maps_size_indivisible, shdr_in(c, l, l->maps)->sh_size = 7)

static Elf64_Sym *symbol_in(unsigned char *c, const struct layout *l, const char *want)
{
	Elf64_Shdr *st = shdr_in(c, l, l->symtab), *str = shdr_in(c, l, st->sh_link);
	size_t i;

	for (i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++) {
		Elf64_Sym *s = (Elf64_Sym *)(c + st->sh_offset) + i;

		if (strcmp((char *)c + str->sh_offset + s->st_name, want) == 0)
			return s;
	}
	abort();
}

static Elf64_Rel *first_rel(unsigned char *c, const struct layout *l)
{
	return (Elf64_Rel *)(c + shdr_in(c, l, l->rel)->sh_offset);
}

EDIT(symbol_name_offset, symbol_in(c, l, "hits")->st_name = 0xfffffff)
EDIT(symbol_section_index, symbol_in(c, l, "hits")->st_shndx = 0x7000)
EDIT(function_size_partial, symbol_in(c, l, "count_getppid")->st_size = 7)
EDIT(map_symbol_misaligned, symbol_in(c, l, "hits")->st_value = 3)
EDIT(rel_symbol_index, first_rel(c, l)->r_info = ELF64_R_INFO(99999, R_BPF_64_64))
EDIT(rel_offset_unaligned, first_rel(c, l)->r_offset += 3)
EDIT(rel_offset_outside, first_rel(c, l)->r_offset = 1u << 30)
EDIT(rel_unknown_type, first_rel(c, l)->r_info = ELF64_R_INFO(ELF64_R_SYM(first_rel(c, l)->r_info), 99))
EDIT(rel_not_ld_imm64,
     c[shdr_in(c, l, l->prog)->sh_offset + first_rel(c, l)->r_offset] = BPF_ALU64 | BPF_MOV | BPF_K)

static void test_corruptions(const struct file *f)
{
	expect_rejected(f, "bad-magic", "not an ELF file", bad_magic);
	expect_rejected(f, "elfclass32", "not a 64-bit", class32);
	expect_rejected(f, "big-endian", "big-endian", big_endian);
	expect_rejected(f, "not-bpf-machine", "not a BPF object", wrong_machine);
	expect_rejected(f, "shoff-past-end", "lie outside", shoff_past_end);
	expect_rejected(f, "shoff-overflow", "lie outside", shoff_overflow);
	expect_rejected(f, "shnum-huge", "do not fit", shnum_huge);
	expect_rejected(f, "shstrndx-out-of-range", "out of range", shstrndx_out_of_range);
	expect_rejected(f, "shentsize-wrong", "section header size", shentsize_wrong);
	expect_rejected(f, "section-offset-past-end", "lie outside", section_offset_past_end);
	expect_rejected(f, "section-size-huge", "lie outside", section_size_huge);
	expect_rejected(f, "section-name-offset", "name offset", section_name_offset);
	expect_rejected(f, "symtab-link", "does not exist", symtab_link);
	expect_rejected(f, "symtab-entsize", "entry size", symtab_entsize);
	expect_rejected(f, "rel-target-index", "malformed", rel_target_index);
	expect_rejected(f, "maps-size-indivisible", "do not divide", maps_size_indivisible);
	expect_rejected(f, "symbol-name-offset", "outside the string table", symbol_name_offset);
	expect_rejected(f, "symbol-section-index", "section index", symbol_section_index);
	expect_rejected(f, "function-size-partial", "not whole instructions", function_size_partial);
	expect_rejected(f, "map-symbol-misaligned", "does not start", map_symbol_misaligned);
	expect_rejected(f, "rel-symbol-index", "names symbol", rel_symbol_index);
	expect_rejected(f, "rel-offset-unaligned", "not at an instruction", rel_offset_unaligned);
	expect_rejected(f, "rel-offset-outside", "not at an instruction", rel_offset_outside);
	expect_rejected(f, "rel-unknown-type", "relocation type 99", rel_unknown_type);
	expect_rejected(f, "rel-not-ld-imm64", "not an ld_imm64", rel_not_ld_imm64);
}

/* Flip random bytes (fixed seed: the same copies every run); whatever
 * the result, it must be a clean parse or a clean error. */
static void test_random_damage(const struct file *f)
{
	char name[128];
	unsigned char *copy = malloc(f->size);
	uint64_t state = 0x9e3779b97f4a7c15ull;
	int round, rejected = 0;
	struct bl_err err;

	snprintf(name, sizeof(name), "corrupt/%s/random-bytes", f->base);
	for (round = 0; round < 3000; round++) {
		int flips = 1 + round % 8, i;

		memcpy(copy, f->data, f->size);
		for (i = 0; i < flips; i++) {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			copy[state % f->size] = (unsigned char)(state >> 32);
		}
		if (parse_copy(copy, f->size, &err) != 0) {
			rejected++;
			if (!err.msg[0]) {
				t_fail(name, "round %d: rejected without a message", round);
				free(copy);
				return;
			}
		}
	}
	free(copy);
	printf("# %s: %d of 3000 damaged copies rejected, the rest parsed and linked cleanly\n", name, rejected);
	t_pass(name);
}

/* A .bss is SHT_NOBITS: its size is a header field, not bytes of the file.
 * A claim of 1.6 GB (what fuzzing found, tests/fuzz/regress/object_open)
 * is refused before anything is allocated; 4 MiB, the most an array map
 * value can hold with 4 KiB pages, still opens. */
static void test_bss_size(const struct file *f)
{
	static const struct { uint64_t size; const char *want; } cases[] = {
		{ 0x68000000, "more than an array map value can hold" },
		{ 4u << 20, NULL },
	};
	struct bl_elf elf;
	struct bl_err err;
	size_t i, bss = bl_elf_open(&elf, f->data, f->size, NULL) ? 0 :
				bl_elf_find_section(&elf, ".bss");
	unsigned char *copy = malloc(f->size);

	if (!bss) {
		t_fail("corrupt/bss-size", "%s has no .bss", f->base);
		free(copy);
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(copy, f->data, f->size);
		((Elf64_Shdr *)(copy + elf.shoff))[bss].sh_size = cases[i].size;
		if ((parse_copy(copy, f->size, &err) == 0) != !cases[i].want ||
		    (cases[i].want && !strstr(err.msg, cases[i].want))) {
			t_fail("corrupt/bss-size", ".bss of %llu bytes: %s",
			       (unsigned long long)cases[i].size, err.msg[0] ? err.msg : "opened");
			free(copy);
			return;
		}
	}
	free(copy);
	t_pass("corrupt/bss-size");
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: test_elf OBJECT.bpf.o...\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	for (i = 1; i < argc; i++) {
		struct file f;
		Elf *oracle;
		int fd;

		if (load_file(argv[i], &f)) {
			t_fail(argv[i], "cannot read: %s", strerror(errno));
			continue;
		}
		fd = open(argv[i], O_RDONLY);
		oracle = elf_begin(fd, ELF_C_READ, NULL);
		test_sections(&f, oracle);
		test_symbols(&f, oracle);
		test_relocations(&f, oracle);
		test_object(&f, oracle);
		if (strcmp(f.base, "probes.bpf.o") == 0) {
			test_probes_details(&f);
			test_truncations(&f);
			test_corruptions(&f);
			test_random_damage(&f);
		}
		if (strcmp(f.base, "modern.bpf.o") == 0) {
			/* BTF, .BTF.ext, BTF-defined maps with .values, subprograms */
			test_truncations(&f);
			test_random_damage(&f);
		}
		if (strcmp(f.base, "legacy_map_def.bpf.o") == 0)
			test_legacy_map_def(f.path);
		if (strcmp(f.base, "skel_globals.bpf.o") == 0)
			test_bss_size(&f);
		elf_end(oracle);
		close(fd);
		free(f.data);
	}
	return t_exit_code();
}
