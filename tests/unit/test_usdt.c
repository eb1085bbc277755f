// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_usdt.c - the USDT note and argument parsers without a kernel.
 *
 *   - every stapsdt note of the test target (built for x86-64 and, when
 *     the cross compiler is there, arm64), of its shared library, and of
 *     Debian's own libpython3 and libstdc++ when installed, against
 *     readelf -n; their places in the file against libelf's program
 *     headers and section headers;
 *   - every argument string of those notes parses, and the target's
 *     probes give exactly the kinds, sizes, registers and displacements
 *     its source implies; x86-64 register offsets against <asm/ptrace.h>;
 *   - argument strings written by hand, good and bad, for both machines;
 *   - the two layouts of libbpf's struct __bpf_usdt_spec, compared with
 *     the compiler's own layout of structs declared as usdt.bpf.h does;
 *   - damaged notes are refused with a message, never read out of
 *     bounds (built with AddressSanitizer).
 *
 * Usage: test_usdt [ignored...]   (the targets are found next to it)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <asm/ptrace.h>
#endif

#include "attach/usdt_args.h"
#include "attach/usdt_notes.h"
#include "elf/elf_file.h"
#include "elf/elf_notes.h"
#include "elf/elf_segments.h"
#include "elf/elf_symbols.h"
#include "../testlib.h"

static char bindir[PATH_MAX];

/* The file's name, with "arm64-" for the cross-compiled target. */
static const char *base_name(const char *path)
{
	static char label[PATH_MAX];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	snprintf(label, sizeof(label), "%s%s", strstr(path, "/arm64/") ? "arm64-" : "", base);
	return label;
}

/* ---- notes against readelf -------------------------------------------- */

struct ref_note {
	char provider[64], name[64], args[512];
	unsigned long long pc, base, sema;
};

/* The stapsdt notes as readelf -n prints them, in file order. */
static size_t readelf_notes(const char *path, struct ref_note *out, size_t max)
{
	char cmd[PATH_MAX + 64], line[1024];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -n --wide '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p)) {
		char *v;

		line[strcspn(line, "\n")] = '\0';
		if ((v = strstr(line, "Provider: ")) && n < max) {
			memset(&out[n], 0, sizeof(out[n]));
			snprintf(out[n].provider, sizeof(out[n].provider), "%s", v + 10);
			n++;
		} else if (n && (v = strstr(line, "    Name: "))) {
			snprintf(out[n - 1].name, sizeof(out[n - 1].name), "%s", v + 10);
		} else if (n && (v = strstr(line, "Location: "))) {
			sscanf(v, "Location: %llx, Base: %llx, Semaphore: %llx", &out[n - 1].pc,
			       &out[n - 1].base, &out[n - 1].sema);
		} else if (n && (v = strstr(line, "Arguments: "))) {
			size_t len;

			snprintf(out[n - 1].args, sizeof(out[n - 1].args), "%s", v + 11);
			len = strlen(out[n - 1].args);
			while (len && out[n - 1].args[len - 1] == ' ')
				out[n - 1].args[--len] = '\0';
		}
	}
	pclose(p);
	return n;
}

static void test_notes(const char *path)
{
	static struct ref_note ref[4096];
	char name[256];
	struct bl_elf_file f;
	struct bl_elf_section sec;
	struct bl_elf_note n;
	struct bl_usdt_note u;
	struct bl_err err;
	size_t want = readelf_notes(path, ref, 4096), got = 0, pos = 0, index;
	int ret;

	snprintf(name, sizeof(name), "usdt/%s/notes-readelf", base_name(path));
	if (want == 0) {
		t_skip(name, "readelf shows no stapsdt notes in %s", path);
		return;
	}
	T_EXPECT(name, bl_elf_file_open(&f, path, &err) == 0, "%s", err.msg);
	index = bl_elf_find_section(&f.elf, BL_USDT_NOTE_SECTION);
	bl_elf_section(&f.elf, index, &sec);
	while (index && (ret = bl_elf_next_note(&sec, &pos, &n, &err)) == 1) {
		struct ref_note *r = &ref[got];

		if (n.type != BL_USDT_NOTE_TYPE || strcmp(n.name, BL_USDT_NOTE_NAME))
			continue;
		if (got == want || bl_usdt_decode_note(n.desc, n.descsz, &u, &err)) {
			t_fail(name, "note %zu: %s", got, got == want ? "readelf shows fewer" : err.msg);
			bl_elf_file_close(&f);
			return;
		}
		if (strcmp(u.provider, r->provider) || strcmp(u.name, r->name) || strcmp(u.args, r->args) ||
		    u.pc != r->pc || u.base != r->base || u.semaphore != r->sema) {
			t_fail(name, "note %zu: %s:%s at 0x%llx \"%s\", readelf says %s:%s at 0x%llx \"%s\"",
			       got, u.provider, u.name, (unsigned long long)u.pc, u.args, r->provider,
			       r->name, r->pc, r->args);
			bl_elf_file_close(&f);
			return;
		}
		got++;
	}
	bl_elf_file_close(&f);
	T_EXPECT(name, got == want, "%zu notes, readelf shows %zu", got, want);
	printf("# %s: %zu USDT notes agree with readelf\n", base_name(path), got);
	t_pass(name);
}

/* ---- places against libelf -------------------------------------------- */

static int oracle_offset(Elf *e, uint64_t vaddr, uint64_t *offset)
{
	size_t n, i;

	elf_getphdrnum(e, &n);
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		gelf_getphdr(e, (int)i, &ph);
		if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*offset = vaddr - ph.p_vaddr + ph.p_offset;
			return 1;
		}
	}
	return 0;
}

static uint64_t oracle_base_addr(Elf *e)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	elf_getshdrstrndx(e, &shstrndx);
	while ((scn = elf_nextscn(e, scn))) {
		const char *s;

		gelf_getshdr(scn, &sh);
		s = elf_strptr(e, shstrndx, sh.sh_name);
		if (s && strcmp(s, BL_USDT_BASE_SECTION) == 0)
			return sh.sh_addr;
	}
	return 0;
}

static void test_places(const char *path)
{
	char name[256];
	struct bl_elf_file f;
	struct bl_usdt_probe *probes;
	struct bl_err err;
	size_t count, i, semas = 0;
	uint64_t base, off;
	int fd = open(path, O_RDONLY);
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;

	snprintf(name, sizeof(name), "usdt/%s/places-libelf", base_name(path));
	if (!e || bl_elf_file_open(&f, path, &err)) {
		t_fail(name, "cannot open %s", path);
		goto out;
	}
	base = oracle_base_addr(e);
	if (bl_usdt_find_probes(&f.elf, path, NULL, NULL, &probes, &count, &err)) {
		t_fail(name, "%s", err.msg);
		bl_elf_file_close(&f);
		goto out;
	}
	for (i = 0; i < count; i++) {
		const struct bl_usdt_probe *p = &probes[i];
		uint64_t shift = base && p->note.base ? base - p->note.base : 0;

		if (!oracle_offset(e, p->note.pc + shift, &off) || off != p->offset)
			break;
		if (p->note.semaphore) {
			semas++;
			if (!oracle_offset(e, p->note.semaphore + shift, &off) || off != p->sema_offset)
				break;
		}
	}
	if (i < count)
		t_fail(name, "probe %s:%s at 0x%llx: file offset 0x%llx (semaphore 0x%llx) differs from libelf's",
		       probes[i].note.provider, probes[i].note.name, (unsigned long long)probes[i].vaddr,
		       (unsigned long long)probes[i].offset, (unsigned long long)probes[i].sema_offset);
	else
		t_pass(name);
	printf("# %s: %zu probe places, %zu with semaphores\n", base_name(path), count, semas);
	free(probes);
	bl_elf_file_close(&f);
out:
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
}

/* ---- every argument string parses --------------------------------------- */

static int file_symbol(const char *sym, uint64_t *vaddr, void *ctx)
{
	return bl_elf_find_data_symbol(ctx, sym, vaddr, NULL);
}

static void test_all_args_parse(const char *path)
{
	char name[256];
	struct bl_elf_file f;
	struct bl_usdt_probe *probes;
	struct bl_usdt_args args;
	struct bl_err err;
	size_t count, i, total = 0;

	snprintf(name, sizeof(name), "usdt/%s/arguments-parse", base_name(path));
	T_EXPECT(name, bl_elf_file_open(&f, path, &err) == 0, "%s", err.msg);
	if (bl_usdt_find_probes(&f.elf, path, NULL, NULL, &probes, &count, &err)) {
		t_fail(name, "%s", err.msg);
		bl_elf_file_close(&f);
		return;
	}
	for (i = 0; i < count; i++) {
		if (bl_usdt_parse_args(probes[i].note.args, bl_elf_machine(&f.elf), probes[i].vaddr,
				       file_symbol, &f.elf, &args, &err)) {
			t_fail(name, "%s:%s \"%s\": %s", probes[i].note.provider, probes[i].note.name,
			       probes[i].note.args, err.msg);
			break;
		}
		total += args.count;
	}
	if (i == count) {
		printf("# %s: %zu arguments of %zu probes parsed\n", base_name(path), total, count);
		t_pass(name);
	}
	free(probes);
	bl_elf_file_close(&f);
}

/* ---- what the target's probes must give ----------------------------------- */

struct target {
	struct bl_elf_file f;
	struct bl_usdt_probe *probes;
	size_t count;
	uint16_t machine;
};

static int target_args(struct target *t, const char *probe, struct bl_usdt_args *args,
		       uint64_t *vaddr, struct bl_err *err)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (strcmp(t->probes[i].note.name, probe) == 0) {
			if (vaddr)
				*vaddr = t->probes[i].vaddr;
			return bl_usdt_parse_args(t->probes[i].note.args, t->machine, t->probes[i].vaddr,
						  file_symbol, &t->f.elf, args, err);
		}
	return bl_fail(err, ENOENT, "no probe %s", probe);
}

#define X86_DI 112
#define X86_BP 32
#define X86_IP 128
#define ARM64_SP 248

static void check_target(const char *path, const char *arch)
{
	static const int sign_sizes[7] = { -1, 1, -2, 2, -4, 4, -8 };
	char name[256];
	struct target t;
	struct bl_usdt_args a;
	struct bl_err err;
	uint64_t vaddr, counter, table;
	int first_arg = 0, i, x86;

	snprintf(name, sizeof(name), "usdt/target-%s/argument-kinds", arch);
	T_EXPECT(name, bl_elf_file_open(&t.f, path, &err) == 0, "%s", err.msg);
	if (bl_usdt_find_probes(&t.f.elf, path, "bltest", NULL, &t.probes, &t.count, &err)) {
		bl_elf_file_close(&t.f);
		t_fail(name, "%s", err.msg);
		return;
	}
	t.machine = bl_elf_machine(&t.f.elf);
	x86 = t.machine == EM_X86_64;
	first_arg = x86 ? X86_DI : 0;	/* where a function's first argument is */
#define CHECK(cond, ...) do { if (!(cond)) { t_fail(name, __VA_ARGS__); goto out; } } while (0)
	CHECK(target_args(&t, "consts", &a, NULL, &err) == 0, "%s", err.msg);
	CHECK(a.count == 3 && a.arg[0].kind == BL_USDT_ARG_CONST && a.arg[0].value == 42 &&
	      a.arg[1].value == -7 && a.arg[2].value == 100000 && a.arg[0].size == 4 && a.arg[0].is_signed,
	      "consts: \"%s %s %s\"", a.arg[0].text, a.arg[1].text, a.arg[2].text);
	CHECK(target_args(&t, "regs", &a, NULL, &err) == 0, "%s", err.msg);
	CHECK(a.count == 3 && a.arg[0].kind == BL_USDT_ARG_REG && a.arg[1].kind == BL_USDT_ARG_REG &&
	      a.arg[2].kind == BL_USDT_ARG_REG && a.arg[0].size == 4 && a.arg[1].size == 8 &&
	      a.arg[2].size == 1 && !a.arg[2].is_signed, "regs: \"%s %s %s\"", a.arg[0].text,
	      a.arg[1].text, a.arg[2].text);
	CHECK(target_args(&t, "deref", &a, NULL, &err) == 0, "%s", err.msg);
	/* struct pair { long a; int b; short c; } through the first argument */
	CHECK(a.count == 3 && a.arg[0].kind == BL_USDT_ARG_REG_DEREF && a.arg[0].reg_off == first_arg &&
	      a.arg[0].value == 0 && a.arg[1].value == 8 && a.arg[2].value == 12 && a.arg[2].size == 2,
	      "deref: \"%s %s %s\"", a.arg[0].text, a.arg[1].text, a.arg[2].text);
	CHECK(target_args(&t, "stack", &a, NULL, &err) == 0, "%s", err.msg);
	for (i = 0; i < 3; i++)
		CHECK(a.arg[i].kind == BL_USDT_ARG_REG_DEREF &&
		      (x86 ? a.arg[i].reg_off == X86_BP : a.arg[i].reg_off == ARM64_SP || a.arg[i].reg_off == 29 * 8),
		      "stack: \"%s\" is not in the frame", a.arg[i].text);
	CHECK(target_args(&t, "signs", &a, NULL, &err) == 0, "%s", err.msg);
	for (i = 0; i < 7; i++)
		CHECK((a.arg[i].is_signed ? -a.arg[i].size : a.arg[i].size) == sign_sizes[i],
		      "signs: argument %d \"%s\", expected size %d", i + 1, a.arg[i].text, sign_sizes[i]);
	CHECK(target_args(&t, "many", &a, NULL, &err) == 0 && a.count == 12, "many: %zu arguments (%s)",
	      a.count, err.msg);
	CHECK(target_args(&t, "globals", &a, &vaddr, &err) == 0, "%s", err.msg);
	if (x86) {
		CHECK(bl_elf_find_data_symbol(&t.f.elf, "bl_global_counter", &counter, &err) == 0 &&
		      bl_elf_find_data_symbol(&t.f.elf, "bl_global_table", &table, &err) == 0,
		      "the target's globals are not in its symbol table");
		CHECK(a.arg[0].kind == BL_USDT_ARG_REG_DEREF && a.arg[0].reg_off == X86_IP &&
		      a.arg[0].value == (int64_t)(counter - vaddr) &&
		      a.arg[1].value == (int64_t)(table + 16 - vaddr),
		      "globals: \"%s %s\" not relative to the probe's address", a.arg[0].text, a.arg[1].text);
	}
	for (i = 0; i < (int)t.count; i++)
		if (strcmp(t.probes[i].note.name, "sema") == 0)
			break;
	CHECK(i < (int)t.count && t.probes[i].sema_offset &&
	      bl_elf_find_data_symbol(&t.f.elf, "bltest_sema_semaphore", &vaddr, &err) == 0 &&
	      t.probes[i].sema_vaddr == vaddr, "sema: the semaphore is not bltest_sema_semaphore");
	t_pass(name);
#undef CHECK
out:
	free(t.probes);
	bl_elf_file_close(&t.f);
}

static void test_x86_register_offsets(void)
{
#if defined(__x86_64__)
	static const struct { const char *arg; size_t off; } regs[] = {
		{ "8@%rdi", offsetof(struct pt_regs, rdi) }, { "4@%esi", offsetof(struct pt_regs, rsi) },
		{ "2@%dx", offsetof(struct pt_regs, rdx) }, { "1@%cl", offsetof(struct pt_regs, rcx) },
		{ "8@%r8", offsetof(struct pt_regs, r8) }, { "4@%r9d", offsetof(struct pt_regs, r9) },
		{ "2@%r10w", offsetof(struct pt_regs, r10) }, { "1@%r11b", offsetof(struct pt_regs, r11) },
		{ "8@%r12", offsetof(struct pt_regs, r12) }, { "8@%r13", offsetof(struct pt_regs, r13) },
		{ "8@%r14", offsetof(struct pt_regs, r14) }, { "8@%r15", offsetof(struct pt_regs, r15) },
		{ "8@%rax", offsetof(struct pt_regs, rax) }, { "1@%bl", offsetof(struct pt_regs, rbx) },
		{ "8@%rbp", offsetof(struct pt_regs, rbp) }, { "8@%rsp", offsetof(struct pt_regs, rsp) },
		{ "1@%sil", offsetof(struct pt_regs, rsi) }, { "1@%dil", offsetof(struct pt_regs, rdi) },
		{ "8@%rip", offsetof(struct pt_regs, rip) },
	};
	struct bl_usdt_args a;
	struct bl_err err;
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		T_EXPECT("usdt/x86-64/register-offsets",
			 bl_usdt_parse_args(regs[i].arg, EM_X86_64, 0, NULL, NULL, &a, &err) == 0 &&
			 a.arg[0].reg_off == (int)regs[i].off,
			 "%s: offset %d, <asm/ptrace.h> says %zu", regs[i].arg, a.arg[0].reg_off, regs[i].off);
	t_pass("usdt/x86-64/register-offsets");
#else
	t_skip("usdt/x86-64/register-offsets", "<asm/ptrace.h> here is not x86-64's");
#endif
}

/* ---- argument strings by hand --------------------------------------------- */

struct good_case {
	uint16_t machine;
	const char *spec;
	enum bl_usdt_arg_kind kind;
	int size, is_signed;
	int64_t value;
	int reg_off, index_off, scale;
};

static const struct good_case good[] = {
	{ EM_X86_64, "-4@$-9", BL_USDT_ARG_CONST, 4, 1, -9, 0, 0, 0 },
	{ EM_X86_64, "8@$0x10", BL_USDT_ARG_CONST, 8, 0, 16, 0, 0, 0 },
	{ EM_X86_64, "8@%rdx", BL_USDT_ARG_REG, 8, 0, 0, 96, 0, 0 },
	{ EM_X86_64, "-4@-1204(%rbp)", BL_USDT_ARG_REG_DEREF, 4, 1, -1204, 32, 0, 0 },
	{ EM_X86_64, "2@(%rsp)", BL_USDT_ARG_REG_DEREF, 2, 0, 0, 152, 0, 0 },
	{ EM_X86_64, "-1@-96(%rbp,%rax,8)", BL_USDT_ARG_SIB, 1, 1, -96, 32, 80, 8 },
	{ EM_X86_64, "8@(%rdi,%rsi)", BL_USDT_ARG_SIB, 8, 0, 0, 112, 104, 1 },
	{ EM_X86_64, "4@16(%r12,%r13,4)", BL_USDT_ARG_SIB, 4, 0, 16, 24, 16, 4 },
	{ EM_AARCH64, "-4@w3", BL_USDT_ARG_REG, 4, 1, 0, 24, 0, 0 },
	{ EM_AARCH64, "8@x30", BL_USDT_ARG_REG, 8, 0, 0, 240, 0, 0 },
	{ EM_AARCH64, "8@sp", BL_USDT_ARG_REG, 8, 0, 0, 248, 0, 0 },
	{ EM_AARCH64, "-8@[sp, 96]", BL_USDT_ARG_REG_DEREF, 8, 1, 96, 248, 0, 0 },
	{ EM_AARCH64, "4@[x19, -8]", BL_USDT_ARG_REG_DEREF, 4, 0, -8, 152, 0, 0 },
	{ EM_AARCH64, "2@[x2, #4]", BL_USDT_ARG_REG_DEREF, 2, 0, 4, 16, 0, 0 },
	{ EM_AARCH64, "1@[x0]", BL_USDT_ARG_REG_DEREF, 1, 0, 0, 0, 0, 0 },
	{ EM_AARCH64, "-4@-100", BL_USDT_ARG_CONST, 4, 1, -100, 0, 0, 0 },
};

static const struct { uint16_t machine; const char *spec, *says; } bad_specs[] = {
	{ EM_X86_64, "%rdi", "SIZE@OPERAND" },
	{ EM_X86_64, "3@%rdi", "1, 2, 4 or 8" },
	{ EM_X86_64, "8@%xyz", "unknown register" },
	{ EM_X86_64, "1@%ah", "high-byte" },
	{ EM_X86_64, "8@$", "number" },
	{ EM_X86_64, "8@8(%rdi", "')'" },
	{ EM_X86_64, "8@(%rdi,%rsi,3)", "scale" },
	{ EM_X86_64, "8@%rdi junk@", "SIZE@OPERAND" },
	{ EM_X86_64, "8@sym(%rbp)", "%rip-relative" },
	{ EM_X86_64, "8@sym(%rip)", "no symbol table" },
	{ EM_AARCH64, "8@x31", "unknown register" },
	{ EM_AARCH64, "8@[x1, ]", "offset" },
	{ EM_AARCH64, "8@[x1", "']'" },
	{ EM_AARCH64, "8@q0", "unknown register" },
	{ EM_X86_64, "8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi 8@%rdi "
		     "8@%rdi 8@%rdi", "more than 12" },
	{ EM_ARM, "4@r0", "only x86-64 and arm64" },
};

static void test_handwritten(void)
{
	struct bl_usdt_args a;
	struct bl_err err;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good_case *g = &good[i];
		const struct bl_usdt_arg *x = &a.arg[0];

		T_EXPECT("usdt/handwritten/good",
			 bl_usdt_parse_args(g->spec, g->machine, 0, NULL, NULL, &a, &err) == 0 && a.count == 1,
			 "%s: %s", g->spec, err.msg);
		T_EXPECT("usdt/handwritten/good",
			 x->kind == g->kind && x->size == g->size && x->is_signed == g->is_signed &&
			 x->value == g->value && (g->kind == BL_USDT_ARG_CONST || x->reg_off == g->reg_off) &&
			 (g->kind != BL_USDT_ARG_SIB || (x->index_reg_off == g->index_off && x->scale == g->scale)),
			 "%s: kind %d size %d signed %d value %lld reg %d index %d scale %d", g->spec, x->kind,
			 x->size, x->is_signed, (long long)x->value, x->reg_off, x->index_reg_off, x->scale);
	}
	t_pass("usdt/handwritten/good");
	for (i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		err.msg[0] = '\0';
		T_EXPECT("usdt/handwritten/refused",
			 bl_usdt_parse_args(bad_specs[i].spec, bad_specs[i].machine, 0, NULL, NULL, &a, &err) < 0,
			 "\"%s\" was accepted", bad_specs[i].spec);
		T_EXPECT("usdt/handwritten/refused", strstr(err.msg, bad_specs[i].says),
			 "\"%s\": message \"%s\" does not say \"%s\"", bad_specs[i].spec, err.msg,
			 bad_specs[i].says);
	}
	t_pass("usdt/handwritten/refused");
}

static int fake_symbol(const char *name, uint64_t *vaddr, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "table") == 0)
		*vaddr = 0x4020;
	else if (strcmp(name, "counter") == 0)
		*vaddr = 0x4010;
	else
		return -ENOENT;
	return 0;
}

static void test_rip_symbols(void)
{
	static const struct { const char *spec; int64_t value; } cases[] = {
		{ "-4@counter(%rip)", 0x4010 - 0x1150 },
		{ "-8@16+table(%rip)", 0x4020 + 16 - 0x1150 },
		{ "-8@table+16(%rip)", 0x4020 + 16 - 0x1150 },
		{ "-8@table-8(%rip)", 0x4020 - 8 - 0x1150 },
	};
	struct bl_usdt_args a;
	struct bl_err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_EXPECT("usdt/handwritten/rip-symbols",
			 bl_usdt_parse_args(cases[i].spec, EM_X86_64, 0x1150, fake_symbol, NULL, &a, &err) == 0 &&
			 a.arg[0].kind == BL_USDT_ARG_REG_DEREF && a.arg[0].reg_off == X86_IP &&
			 a.arg[0].value == cases[i].value,
			 "%s: value %lld, expected %lld (%s)", cases[i].spec, (long long)a.arg[0].value,
			 (long long)cases[i].value, err.msg);
	T_EXPECT("usdt/handwritten/rip-symbols",
		 bl_usdt_parse_args("-4@missing(%rip)", EM_X86_64, 0, fake_symbol, NULL, &a, &err) < 0 &&
		 strstr(err.msg, "missing"), "an unknown symbol was accepted");
	t_pass("usdt/handwritten/rip-symbols");
}

/* ---- struct __bpf_usdt_spec ------------------------------------------------ */

/* As <bpf/usdt.bpf.h> of libbpf 1.1 (Debian 12) declares them. */
struct v1_arg_spec {
	uint64_t val_off;
	enum bl_usdt_arg_kind arg_type;
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};
struct v1_spec {
	struct v1_arg_spec args[12];
	uint64_t usdt_cookie;
	short arg_cnt;
};

/* As libbpf 1.7's declares them, little-endian. */
struct v2_arg_spec {
	uint64_t val_off;
	enum bl_usdt_arg_kind arg_type : 8;
	uint16_t idx_reg_off : 12;
	uint16_t scale_bitshift : 4;
	uint8_t reserved : 8;
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};
struct v2_spec {
	struct v2_arg_spec args[12];
	uint64_t usdt_cookie;
	short arg_cnt;
};

static void test_spec_layouts(void)
{
	const char *spec = "-4@$-9 8@%rdx -1@-96(%rbp) 2@(%rsi,%rcx,4)";
	struct bl_usdt_args a;
	struct bl_err err;
	struct v1_spec v1;
	struct v2_spec v2;

	T_EXPECT("usdt/spec-layouts", sizeof(v1) == BL_USDT_SPEC_SIZE_V1 && sizeof(v2) == BL_USDT_SPEC_SIZE_V2,
		 "the compiler lays the structs out in %zu and %zu bytes", sizeof(v1), sizeof(v2));
	T_EXPECT("usdt/spec-layouts", bl_usdt_parse_args(spec, EM_X86_64, 0, NULL, NULL, &a, &err) == 0,
		 "%s", err.msg);
	T_EXPECT("usdt/spec-layouts", bl_usdt_encode_spec(&a, 0x1122334455667788ull, sizeof(v2),
							  (unsigned char *)&v2, &err) == 0, "%s", err.msg);
	T_EXPECT("usdt/spec-layouts",
		 v2.arg_cnt == 4 && v2.usdt_cookie == 0x1122334455667788ull &&
		 v2.args[0].arg_type == BL_USDT_ARG_CONST && v2.args[0].val_off == (uint64_t)-9 &&
		 v2.args[0].arg_signed && v2.args[0].arg_bitshift == 32 &&
		 v2.args[1].arg_type == BL_USDT_ARG_REG && v2.args[1].reg_off == 96 && v2.args[1].arg_bitshift == 0 &&
		 v2.args[2].arg_type == BL_USDT_ARG_REG_DEREF && v2.args[2].reg_off == 32 &&
		 v2.args[2].val_off == (uint64_t)-96 && v2.args[2].arg_bitshift == 56 &&
		 v2.args[3].arg_type == BL_USDT_ARG_SIB && v2.args[3].reg_off == 104 &&
		 v2.args[3].idx_reg_off == 88 && v2.args[3].scale_bitshift == 2 && v2.args[3].arg_bitshift == 48,
		 "the v2 (libbpf 1.7) encoding reads back wrong");
	/* v1 has no SIB: the first three only, and SIB refused */
	a.count = 3;
	T_EXPECT("usdt/spec-layouts", bl_usdt_encode_spec(&a, 7, sizeof(v1), (unsigned char *)&v1, &err) == 0,
		 "%s", err.msg);
	T_EXPECT("usdt/spec-layouts",
		 v1.arg_cnt == 3 && v1.usdt_cookie == 7 && v1.args[0].arg_type == BL_USDT_ARG_CONST &&
		 v1.args[0].val_off == (uint64_t)-9 && v1.args[0].arg_signed && v1.args[0].arg_bitshift == 32 &&
		 v1.args[1].reg_off == 96 && v1.args[2].arg_type == BL_USDT_ARG_REG_DEREF &&
		 v1.args[2].reg_off == 32 && v1.args[2].arg_bitshift == 56,
		 "the v1 (libbpf 1.1) encoding reads back wrong");
	a.count = 4;
	T_EXPECT("usdt/spec-layouts", bl_usdt_encode_spec(&a, 7, sizeof(v1), (unsigned char *)&v1, &err) < 0 &&
		 strstr(err.msg, "libbpf 1.7"), "a SIB argument was encoded into the v1 layout");
	T_EXPECT("usdt/spec-layouts", bl_usdt_encode_spec(&a, 7, 200, (unsigned char *)&v1, &err) < 0,
		 "a 200-byte spec was accepted");
	t_pass("usdt/spec-layouts");
}

/* ---- damaged notes ----------------------------------------------------------- */

static void test_bad_notes(void)
{
	unsigned char desc[64];
	struct bl_usdt_note u;
	struct bl_err err;

	memset(desc, 0, sizeof(desc));
	T_EXPECT("usdt/bad-notes/short", bl_usdt_decode_note(desc, 20, &u, &err) < 0 &&
		 strstr(err.msg, "too short"), "a 20-byte note was accepted");
	memset(desc + 24, 'a', 40);
	T_EXPECT("usdt/bad-notes/no-nul", bl_usdt_decode_note(desc, sizeof(desc), &u, &err) < 0 &&
		 strstr(err.msg, "does not end"), "strings without NUL were accepted");
	memset(desc + 24, 0, 40);
	T_EXPECT("usdt/bad-notes/empty-provider", bl_usdt_decode_note(desc, 30, &u, &err) < 0 &&
		 strstr(err.msg, "empty provider"), "an empty provider was accepted");
	t_pass("usdt/bad-notes");
}

/* Cuts and random damage of the target's .note.stapsdt, in a copy. */
static void test_damaged_sections(const char *path)
{
	struct bl_elf_file f;
	struct bl_elf_section sec;
	struct bl_usdt_probe *probes;
	struct bl_err err;
	unsigned char *copy;
	size_t count, index, i, ok = 0, refused = 0;

	T_EXPECT("usdt/damaged-notes", bl_elf_file_open(&f, path, &err) == 0, "%s", err.msg);
	index = bl_elf_find_section(&f.elf, BL_USDT_NOTE_SECTION);
	bl_elf_section(&f.elf, index, &sec);
	copy = malloc(sec.size);
	srand(3);
	for (i = 0; i < 4000; i++) {
		struct bl_elf_section damaged = sec;
		struct bl_elf_note n;
		struct bl_usdt_note u;
		size_t pos = 0;
		int ret;

		memcpy(copy, sec.data, sec.size);
		damaged.data = copy;
		if (i < sec.size)
			damaged.size = i;	/* every cut */
		else
			for (int k = 0; k < 1 + (int)(i % 8); k++)
				copy[(size_t)rand() % sec.size] = (unsigned char)rand();
		while ((ret = bl_elf_next_note(&damaged, &pos, &n, &err)) == 1)
			if (n.type == BL_USDT_NOTE_TYPE &&
			    bl_usdt_decode_note(n.desc, n.descsz, &u, &err) == 0) {
				struct bl_usdt_args a;

				bl_usdt_parse_args(u.args, EM_X86_64, u.pc, NULL, NULL, &a, &err);
				bl_usdt_parse_args(u.args, EM_AARCH64, u.pc, NULL, NULL, &a, &err);
			}
		if (ret < 0)
			refused++;
		else
			ok++;
	}
	free(copy);
	count = 0;
	T_EXPECT("usdt/damaged-notes", bl_usdt_find_probes(&f.elf, path, "bltest", "none", &probes, &count, &err) < 0 &&
		 strstr(err.msg, "it has bltest:"), "an absent probe was found, or the message lists no probes: %s",
		 err.msg);
	bl_elf_file_close(&f);
	printf("# damaged .note.stapsdt sections: %zu refused, %zu read to the end\n", refused, ok);
	t_pass("usdt/damaged-notes");
}

int main(void)
{
	char x86[PATH_MAX + 32], arm64[PATH_MAX + 64], lib[PATH_MAX + 32], *slash;
	const char *extra[] = {
		"/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
	};
	size_t i;

	elf_version(EV_CURRENT);
	if (!realpath("/proc/self/exe", bindir) || !(slash = strrchr(bindir, '/'))) {
		t_fail("usdt/setup", "cannot find my own directory");
		return t_exit_code();
	}
	*slash = '\0';
	snprintf(x86, sizeof(x86), "%s/uprobe_target", bindir);
	snprintf(lib, sizeof(lib), "%s/libuprobe_target.so", bindir);
	snprintf(arm64, sizeof(arm64), "%s/../arm64/uprobe_target", bindir);
	test_notes(x86);
	test_places(x86);
	test_all_args_parse(x86);
	check_target(x86, "native");
	test_notes(lib);
	test_places(lib);
	if (access(arm64, R_OK) == 0) {
		test_notes(arm64);
		test_places(arm64);
		test_all_args_parse(arm64);
		check_target(arm64, "arm64");
	} else {
		t_skip("usdt/target-arm64", "no arm64 build of the target (install gcc-aarch64-linux-gnu)");
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		if (access(extra[i], R_OK) != 0)
			continue;	/* real-world notes, where installed */
		test_notes(extra[i]);
		test_places(extra[i]);
		test_all_args_parse(extra[i]);
	}
	test_x86_register_offsets();
	test_handwritten();
	test_rip_symbols();
	test_spec_layouts();
	test_bad_notes();
	test_damaged_sections(x86);
	return t_exit_code();
}
