// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_limits.c - the bounds of docs/limits.md that test_bounds.c does
 * not reach, each met by an input one step past it:
 *   - files past their cap (sparse, so they take no disk): a kernel
 *     configuration past MAX_CONFIG_SIZE (64 MiB), a BTF source past
 *     BTF_SOURCE_MAX (1 GiB), an ld.so.cache past CACHE_MAX_SIZE (64 MiB);
 *   - a struct holding two of the next, 24 deep: the alignment walk stops
 *     after its 2^20 steps instead of taking 2^24 (18 deep, it finishes);
 *   - a tracepoint field type longer than BL_TP_TYPE_MAX: cut, not refused;
 *   - a trace_pipe line longer than the reader's 8 KiB buffer: passed on
 *     in pieces that add up to the line;
 *   - a uprobe target path of BL_BINARY_PATH_MAX bytes: ENAMETOOLONG;
 *   - a small file one byte too long for the caller's buffer: EFBIG or cut;
 *   - a perf buffer of more than 1 GiB per CPU: E2BIG before any mmap;
 *   - "did you mean" suggestions: a 64-character name is compared, a
 *     65-character one is not (NAME_CMP_MAX), and at most three are named;
 *   - a license string of 128 bytes (the kernel copies at most 127 and a
 *     NUL): the object is refused;
 *   - a subprogram of a million instructions: a program calling it is
 *     refused when assembled, before BPF_PROG_LOAD.
 * Usage: test_limits OBJECT.bpf.o...  (raw_tp.bpf.o for the license,
 * core_subprog.bpf.o for the subprogram)
 * No bpf(2) calls.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/object.h>
#include <bpfload/perf_buffer.h>
#include <bpfload/trace_pipe.h>
#include <bpfload/tracepoint_format.h>
#include <bpfload/uprobe.h>

#include "../testlib.h"
#include "btf_builder.h"
#include "sparse_file.h"
#include "attach/binary_path.h"
#include "object/assemble.h"
#include "object/object.h"
#include "btf/btf.h"
#include "btf/btf_file.h"
#include "elf/elf_file.h"
#include "elf/elf_symbols.h"
#include "sys/file.h"
#include "sys/kconfig.h"

/* ---- files past their cap ------------------------------------------------ */

static void expect_refusal(const char *name, int refused, const struct bl_err *err, int code,
			   const char *words)
{
	if (!refused)
		t_fail(name, "accepted");
	else if (err->code != code || !strstr(err->msg, words))
		t_fail(name, "refused as %d, not %d with \"%s\": %s", err->code, code, words, err->msg);
	else
		t_pass(name);
}

static void test_file_caps(void)
{
	char path[64], out[BL_BINARY_PATH_MAX];
	struct bl_err err = { 0 };
	struct bl_kconfig *kc;
	struct bl_btf *btf;
	int ret;

	if (sparse_file("limits/kconfig-over-64-MiB", path, sizeof(path), ".config", (64u << 20) + 1) == 0) {
		kc = bl_kconfig_read_file(path, &err);
		unlink(path);
		expect_refusal("limits/kconfig-over-64-MiB", kc == NULL, &err, E2BIG,
			       "is larger than 67108864 bytes");
		bl_kconfig_free(kc);
	}
	memset(&err, 0, sizeof(err));
	if (sparse_file("limits/btf-source-over-1-GiB", path, sizeof(path), ".btf", (1ull << 30) + 1) == 0) {
		btf = bl_btf_parse_any_file(path, NULL, &err);
		unlink(path);
		expect_refusal("limits/btf-source-over-1-GiB", btf == NULL, &err, EFBIG, "File too large");
		bl_btf_free(btf);
	}
	memset(&err, 0, sizeof(err));
	if (sparse_file("limits/ld-so-cache-over-64-MiB", path, sizeof(path), ".cache", (64u << 20) + 1) == 0) {
		ret = bl_ld_so_cache_lookup(path, "libc.so.6", out, sizeof(out), &err);
		unlink(path);
		expect_refusal("limits/ld-so-cache-over-64-MiB", ret < 0, &err, EFBIG, "File too large");
	}
}

/* ---- BTF: the alignment walk ------------------------------------------ */

/* int, then S1 { int a, b; } and S(k) { S(k-1) a, b; } up to S(levels),
 * S(k) being type k + 1: the walk over every member of S(levels) takes
 * 2^levels steps. */
static void *doubling_structs(int levels, size_t *size)
{
	static struct bb b;
	uint32_t member, half;

	bb_init(&b, 0, 0);
	member = bb_int(&b, "int", 4, 1);
	for (int k = 1; k <= levels; k++) {
		half = 4u << (k - 1);	/* the size of S(k - 1), or of int */
		bb_struct(&b, "", 0, 2, 2 * half, 0);
		bb_member(&b, "a", member, 0, 0);
		bb_member(&b, "b", member, half * 8, 0);
		member = (uint32_t)k + 1;
	}
	return bb_blob(&b, size);
}

static void test_alignment_walk(void)
{
	const char *name = "limits/btf-alignment-walk";
	const int levels = 24;	/* 2^24 steps wanted, 2^20 allowed; 64 MiB, within u32 */
	struct bl_err err = { 0 };
	uint32_t align = 0;
	struct bl_btf *btf;
	size_t size;
	void *blob = doubling_structs(levels, &size);
	int ret;

	T_EXPECT(name, blob != NULL, "out of memory");
	btf = bl_btf_parse(blob, size, NULL, &err);
	free(blob);
	T_EXPECT(name, btf != NULL, "the structs did not parse: %s", err.msg);
	/* S(18), 2^18 steps, is within the walk's budget */
	if (bl_btf_resolve_align(btf, 19, &align, &err) || align != 4)
		t_fail(name, "S(18)'s alignment: %u (%s)", align, err.msg);
	else {
		ret = bl_btf_resolve_align(btf, (uint32_t)levels + 1, &align, &err);
		expect_refusal(name, ret < 0, &err, E2BIG, "too many nested members");
	}
	bl_btf_free(btf);
}

/* ---- tracepoint format type text ---------------------------------------- */

static void test_tp_type_text(void)
{
	const char *name = "limits/tracepoint-type-text-cut";
	char text[1024], type[201];
	struct bl_tp_format fmt;
	struct bl_err err = { 0 };
	const struct bl_tp_field *f;

	memset(type, 'u', 200);
	type[200] = '\0';
	snprintf(text, sizeof(text), "name: limits\nID: 1\nformat:\n\tfield:%s x;\toffset:8;\tsize:4;\tsigned:0;\n",
		 type);
	if (bl_tp_format_parse(text, strlen(text), &fmt, &err))
		t_fail(name, "a 200-character type refused: %s", err.msg);
	else if (!(f = bl_tp_format_field(&fmt, "x")))
		t_fail(name, "field x missing");
	else if (strlen(f->type) != BL_TP_TYPE_MAX - 1 || strncmp(f->type, type, BL_TP_TYPE_MAX - 1))
		t_fail(name, "type kept as %zu characters \"%.20s...\", expected the first %d", strlen(f->type),
		       f->type, BL_TP_TYPE_MAX - 1);
	else if (f->offset != 8 || f->size != 4)
		t_fail(name, "offset %u size %u after the cut type", f->offset, f->size);
	else
		t_pass(name);
}

/* ---- trace_pipe: a line longer than the buffer ------------------------- */

struct pieces {
	char text[32768];
	size_t len;
	int calls;
	char last[64];
};

static void collect(const char *line, void *ctx)
{
	struct pieces *p = ctx;
	size_t n = strlen(line);

	p->calls++;
	snprintf(p->last, sizeof(p->last), "%s", line);
	if (p->len + n < sizeof(p->text)) {
		memcpy(p->text + p->len, line, n);
		p->len += n;
	}
}

static void test_trace_pipe_long_line(void)
{
	const char *name = "limits/trace-pipe-line-in-pieces";
	static struct bl_trace_pipe tp;
	static struct pieces got;
	static char line[20001];
	int fds[2], n;

	memset(line, 'x', 20000);
	T_EXPECT(name, pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	memset(&tp, 0, sizeof(tp));
	tp.fd = fds[0];
	/* the line, then "end": the long line must not swallow the next */
	if (write(fds[1], line, 20000) != 20000 || write(fds[1], "\nend\n", 5) != 5) {
		t_fail(name, "cannot fill the pipe: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	close(fds[1]);
	while ((n = bl_trace_pipe_read(&tp, 0, collect, &got)) > 0)
		;
	close(fds[0]);
	if (n < 0)
		t_fail(name, "read: %s", strerror(-n));
	else if (got.len != 20000 + 3 || strspn(got.text, "x") != 20000 || strcmp(got.last, "end"))
		t_fail(name, "%zu bytes in %d calls, last \"%s\"; expected 20000 x's then \"end\"", got.len,
		       got.calls, got.last);
	else if (got.calls < 4)
		t_fail(name, "a 20000-byte line in %d calls: not cut to the %zu-byte buffer", got.calls,
		       sizeof(tp.buf));
	else
		t_pass(name);
}

/* ---- uprobe path and perf buffer size ------------------------------------- */

static void test_uprobe_path(void)
{
	static char path[BL_BINARY_PATH_MAX + 1], out[BL_BINARY_PATH_MAX];
	struct bl_err err = { 0 };
	int ret;

	path[0] = '/';
	memset(path + 1, 'p', BL_BINARY_PATH_MAX - 1);	/* strlen == BL_BINARY_PATH_MAX */
	ret = bl_binary_path(path, 0, out, &err);
	expect_refusal("limits/uprobe-path-too-long", ret < 0, &err, ENAMETOOLONG, "is too long");
}

static void test_perf_buffer_size(void)
{
	size_t pages = ((size_t)1 << 30) / (size_t)sysconf(_SC_PAGESIZE) * 2;
	struct bl_perf_buffer_callbacks cb = { 0 };
	struct bl_err err = { 0 };
	struct bl_perf_buffer *pb;

	/* fd -1: the size must be refused before the map is looked at */
	pb = bl_perf_buffer_open(-1, pages, &cb, NULL, &err);
	expect_refusal("limits/perf-buffer-over-1-GiB", pb == NULL, &err, E2BIG, "more than 1 GiB");
	bl_perf_buffer_free(pb);
}

/* ---- objects with one section grown -------------------------------------- */

struct grown {
	unsigned char *data;
	size_t size;
};

static Elf64_Shdr *section_named(unsigned char *data, const char *want)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
	Elf64_Shdr *sh = (Elf64_Shdr *)(data + eh->e_shoff);
	const char *names = (const char *)data + sh[eh->e_shstrndx].sh_offset;

	for (size_t i = 1; i < eh->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, want) == 0)
			return &sh[i];
	return NULL;
}

/* The object at path with section `name` moved to the end of the file and
 * grown to size bytes: its old bytes first, then fill(to, old, size).  When
 * symbol is given, that symbol's st_size becomes size too. */
static int grow_section(const char *path, const char *name, size_t size, const char *symbol,
			void (*fill)(unsigned char *to, size_t old, size_t size), struct grown *g)
{
	FILE *f = fopen(path, "rb");
	Elf64_Shdr *sec, *symtab;
	long len;

	g->data = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(g->data = calloc(1, (size_t)len + size)) || fread(g->data, 1, (size_t)len, f) != (size_t)len) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	g->size = (size_t)len + size;
	if (!(sec = section_named(g->data, name)) || sec->sh_size > size)
		return -1;
	memcpy(g->data + len, g->data + sec->sh_offset, sec->sh_size);
	fill(g->data + len, sec->sh_size, size);
	sec->sh_offset = (uint64_t)len;
	sec->sh_size = size;
	if (!symbol)
		return 0;
	if (!(symtab = section_named(g->data, ".symtab")))
		return -1;
	for (size_t i = 1; i < symtab->sh_size / sizeof(Elf64_Sym); i++) {
		Elf64_Sym *sym = (Elf64_Sym *)(g->data + symtab->sh_offset) + i;
		Elf64_Shdr *strtab = (Elf64_Shdr *)(g->data + ((Elf64_Ehdr *)g->data)->e_shoff) + symtab->sh_link;

		if (strcmp((const char *)g->data + strtab->sh_offset + sym->st_name, symbol) == 0) {
			sym->st_size = size;
			return 0;
		}
	}
	return -1;
}

/* 128 characters, then the NUL calloc left */
static void long_license(unsigned char *to, size_t old, size_t size)
{
	(void)old;
	memset(to, 'G', size - 1);
}

/* raw_tp.bpf.o with a 128-byte license string: one byte more than the
 * kernel takes. */
static void test_license_length(const char *obj_path)
{
	const char *name = "limits/license-string-too-long";
	struct bl_err err = { 0 };
	struct bl_object *obj;
	struct grown g;

	if (grow_section(obj_path, "license", 129, NULL, long_license, &g)) {
		t_fail(name, "cannot rewrite the license section of %s", obj_path);
		free(g.data);
		return;
	}
	obj = bl_object_open_mem(g.data, g.size, "long_license.bpf.o", NULL, &err);
	expect_refusal(name, obj == NULL, &err, ENOEXEC, "string of 128 bytes is too long");
	bl_object_close(obj);
	free(g.data);
}

/* After the function's own instructions, r0 = 0 to the end. */
static void mov_r0_0(unsigned char *to, size_t old, size_t size)
{
	static const struct bpf_insn mov = { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 };

	for (size_t at = old; at + sizeof(mov) <= size; at += sizeof(mov))
		memcpy(to + at, &mov, sizeof(mov));
}

/* core_subprog.bpf.o with its subprogram parent_tgid (in .text) grown to
 * 1,000,000 instructions: a program calling it would pass the kernel's
 * BPF_COMPLEXITY_LIMIT_INSNS with its own, and assembling it must say so
 * (nothing is loaded: no bpf(2) call). */
static void test_program_size(const char *obj_path)
{
	const char *name = "limits/program-over-1000000-instructions";
	struct bl_err err = { 0 };
	struct bl_program *prog;
	struct bl_object *obj;
	struct grown g;
	int ret;

	if (grow_section(obj_path, ".text", 1000000 * sizeof(struct bpf_insn), "parent_tgid", mov_r0_0, &g)) {
		t_fail(name, "cannot grow .text of %s", obj_path);
		free(g.data);
		return;
	}
	obj = bl_object_open_mem(g.data, g.size, "huge_subprog.bpf.o", NULL, &err);
	if (!obj) {
		t_fail(name, "the grown object did not open: %s", err.msg);
	} else if (!(prog = bl_object_program(obj, "tp_getppid"))) {
		t_fail(name, "no program tp_getppid");
	} else {
		ret = bl_program_assemble(obj, prog, &err);
		expect_refusal(name, ret < 0, &err, E2BIG, "would exceed 1000000 instructions with its subprograms");
	}
	bl_object_close(obj);
	free(g.data);
}

/* ---- small files read into the caller's buffer -------------------------- */

/* bl_read_text into 1024 bytes: 1023 bytes fit with their NUL; 1024 are
 * refused as EFBIG where the whole file matters (a CPU list), and cut to
 * 1023 where it does not. */
static void test_read_text(void)
{
	const char *name = "limits/read-text-buffer";
	char path[64], buf[1024], text[1024];
	int fits, refused, cut, fd;

	memset(text, '7', sizeof(text));
	snprintf(path, sizeof(path), "/tmp/bl-limits-text-%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	T_EXPECT(name, fd >= 0 && write(fd, text, 1023) == 1023, "cannot write %s: %s", path, strerror(errno));
	fits = bl_read_text(path, buf, sizeof(buf), 1);
	if (write(fd, text, 1) != 1)
		fits = -EIO;
	close(fd);
	refused = bl_read_text(path, buf, sizeof(buf), 1);
	cut = bl_read_text(path, buf, sizeof(buf), 0);
	unlink(path);
	if (fits != 1023)
		t_fail(name, "1023 bytes into 1024: %d", fits);
	else if (refused != -EFBIG)
		t_fail(name, "1024 bytes into 1024, the whole needed: %d, not -EFBIG", refused);
	else if (cut != 1023 || strlen(buf) != 1023)
		t_fail(name, "1024 bytes into 1024, cut: %d", cut);
	else
		t_pass(name);
}

/* ---- "did you mean": names compared up to NAME_CMP_MAX ------------------ */

/* Functions of this very binary, found again in /proc/self/exe: a name of
 * 64 characters (NAME_CMP_MAX), one of 65, and five that differ from
 * limits_near_0 in one character each. */
#define NAME_64 "limits_name_of_sixty_four_characters_xxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define NAME_65 "limits_name_of_sixty_five_characters_xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define DEFINE_FN(fn) __attribute__((noinline, used)) int fn(void) { return __LINE__; }
DEFINE_FN(limits_name_of_sixty_four_characters_xxxxxxxxxxxxxxxxxxxxxxxxxxx)
DEFINE_FN(limits_name_of_sixty_five_characters_xxxxxxxxxxxxxxxxxxxxxxxxxxxx)
DEFINE_FN(limits_near_1)
DEFINE_FN(limits_near_2)
DEFINE_FN(limits_near_3)
DEFINE_FN(limits_near_4)
DEFINE_FN(limits_near_5)

static void similar_to(const struct bl_elf *elf, const char *name, int typo_at, char *out, size_t size)
{
	char typo[80];

	snprintf(typo, sizeof(typo), "%s", name);
	typo[typo_at] = typo[typo_at] == 'Q' ? 'R' : 'Q';
	bl_elf_similar_functions(elf, typo, out, size);
}

static void test_similar_names(void)
{
	const char *name = "limits/similar-names-compared-up-to-64";
	struct bl_elf_file file;
	struct bl_err err = { 0 };
	char got64[512], got65[512], near[512];
	int commas = 0;

	_Static_assert(sizeof(NAME_64) == 65 && sizeof(NAME_65) == 66, "the names' lengths");
	T_EXPECT(name, bl_elf_file_open(&file, "/proc/self/exe", &err) == 0, "%s", err.msg);
	similar_to(&file.elf, NAME_64, 30, got64, sizeof(got64));
	similar_to(&file.elf, NAME_65, 30, got65, sizeof(got65));
	bl_elf_similar_functions(&file.elf, "limits_near_0", near, sizeof(near));
	bl_elf_file_close(&file);
	for (const char *p = near; *p; p++)
		commas += *p == ',';
	if (!strstr(got64, NAME_64))
		t_fail(name, "a one-letter typo of the 64-character name suggested \"%s\"", got64);
	else if (strstr(got65, NAME_65))
		t_fail(name, "the 65-character name, past NAME_CMP_MAX, was compared: \"%s\"", got65);
	else if (commas != 2 || !strstr(near, "limits_near_"))
		t_fail(name, "five near names gave \"%s\"; expected three (SIMILAR_MAX)", near);
	else
		t_pass(name);
}

static const char *object_arg(int argc, char **argv, const char *base)
{
	size_t n = strlen(base);

	for (int i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (len >= n && strcmp(argv[i] + len - n, base) == 0 &&
		    (len == n || argv[i][len - n - 1] == '/'))
			return argv[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *raw_tp = object_arg(argc, argv, "raw_tp.bpf.o");
	const char *subprog = object_arg(argc, argv, "core_subprog.bpf.o");

	test_file_caps();
	test_alignment_walk();
	test_tp_type_text();
	test_trace_pipe_long_line();
	test_uprobe_path();
	test_perf_buffer_size();
	test_similar_names();
	test_read_text();
	if (raw_tp)
		test_license_length(raw_tp);
	else
		t_skip("limits/license-string-too-long", "raw_tp.bpf.o not given (test_limits OBJECT.bpf.o...)");
	if (subprog)
		test_program_size(subprog);
	else
		t_skip("limits/program-over-1000000-instructions",
		       "core_subprog.bpf.o not given (test_limits OBJECT.bpf.o...)");
	return t_exit_code();
}
