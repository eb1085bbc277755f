// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_btf_dump.c - the BTF writer (loader/btf/btf_dump*.c) and the BTF
 * file reader (loader/btf/btf_file.c) on real and on hostile input,
 * built with AddressSanitizer and UBSan.  How good the headers are
 * (compared with bpftool's, compiled, checked against BTF) is
 * test_vmlinux_h.sh's business, and hand-made hostile BTF
 * test_btf_dump_loops.c's; this test makes sure that nothing real or
 * damaged makes the writer read out of bounds, crash or hang:
 *   - vmlinux and every test object: C and raw dumps succeed, and the
 *     same BTF always gives the same text;
 *   - every truncation and thousands of random damages of a BPF object's
 *     BTF, and some of vmlinux's: either the reader refuses them with one
 *     line, or the writer writes them or refuses them with one line; and
 *     type ids rewired at random (still valid BTF to the reader, full of
 *     cycles) in both: the writer refuses or writes each, in bounded time;
 *   - files that are not BTF, ELF without .BTF, a module without base;
 *   - the course's kprobe program, built against our vmlinux.h: the CO-RE
 *     relocations clang recorded name the fields it reads.
 *
 * Usage: test_btf_dump OBJECT.bpf.o...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_dump.h"
#include "btf/btf_ext.h"
#include "btf/btf_file.h"
#include "elf/elf_reader.h"
#include "../testlib.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"
#ifndef COURSE_DIR
#define COURSE_DIR "build/tests/course"
#endif

/* Every case must end long before this; a hang fails the whole binary. */
#define WATCHDOG_SECONDS 600

/* ---- helpers ------------------------------------------------------------ */

static unsigned char *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		if (len == cap) {
			unsigned char *p = realloc(buf, cap = cap ? cap * 2 : 1 << 20);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	*size = len;
	return buf;
}

/* The dump as a string (malloc'd), or NULL with err filled. */
static char *dump(const struct bl_btf *btf, int raw, struct bl_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ret;

	if (!out) {
		bl_fail(err, errno, "open_memstream failed");
		return NULL;
	}
	ret = raw ? bl_btf_dump_raw(btf, out, err) : bl_btf_dump_c(btf, out, err);
	fclose(out);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

static int one_line(const struct bl_err *err)
{
	return err->msg[0] && !strchr(err->msg, '\n');
}

/* The .BTF section of an ELF object, or NULL. */
static const unsigned char *object_btf(const unsigned char *data, size_t size, size_t *btf_size)
{
	struct bl_elf_section sec;
	struct bl_err err;
	struct bl_elf elf;
	size_t i;

	if (bl_elf_open(&elf, data, size, &err) || !(i = bl_elf_find_section(&elf, ".BTF")))
		return NULL;
	bl_elf_section(&elf, i, &sec);
	*btf_size = (size_t)sec.size;
	return sec.data;
}

/* memmem with lengths: ASan's strstr measures the whole text each call. */
static int count_occurrences(const char *text, const char *needle)
{
	size_t len = strlen(text), nlen = strlen(needle);
	const char *p = text, *end = text + len;
	int n = 0;

	while ((p = memmem(p, (size_t)(end - p), needle, nlen))) {
		n++;
		p += nlen;
	}
	return n;
}

/* ---- real BTF ------------------------------------------------------------- */

static void test_vmlinux(void)
{
	const char *name = "btf_dump/vmlinux";
	struct bl_err err = { 0, "" };
	struct bl_btf *btf;
	char *c1, *c2, *raw;

	if (access(VMLINUX, R_OK)) {
		t_skip(name, "%s is missing (kernel without CONFIG_DEBUG_INFO_BTF)", VMLINUX);
		return;
	}
	btf = bl_btf_parse_any_file(VMLINUX, NULL, &err);
	T_EXPECT(name, btf, "%s", err.msg);
	c1 = dump(btf, 0, &err);
	c2 = c1 ? dump(btf, 0, &err) : NULL;
	raw = c2 ? dump(btf, 1, &err) : NULL;
	if (!raw)
		t_fail(name, "%s", err.msg);
	else if (strcmp(c1, c2))
		t_fail(name, "two dumps of the same BTF differ");
	else if (strncmp(c1, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n", 44) ||
		 !count_occurrences(c1, "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)") ||
		 !count_occurrences(c1, "#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n"))
		t_fail(name, "the guard or the preserve_access_index block is missing");
	else if (count_occurrences(c1, "\nstruct task_struct {\n") != 1 ||
		 count_occurrences(c1, "\nstruct task_struct;\n") > 1)
		t_fail(name, "struct task_struct is not defined exactly once");
	else if (count_occurrences(raw, "\n[") + 1 != (int)bl_btf_type_count(btf) - 1)
		t_fail(name, "the raw listing has %d types, the BTF %u", count_occurrences(raw, "\n[") + 1,
		       bl_btf_type_count(btf) - 1);
	else
		t_pass(name);
	free(c1);
	free(c2);
	free(raw);
	bl_btf_free(btf);
}

static void test_objects(int argc, char **argv)
{
	const char *name = "btf_dump/test-objects";
	int i, done = 0;

	for (i = 1; i < argc; i++) {
		struct bl_err err = { 0, "" };
		struct bl_btf *btf = bl_btf_parse_any_file(argv[i], NULL, &err);
		char *c, *raw;

		if (!btf) {
			t_fail(name, "%s", err.msg);
			return;
		}
		c = dump(btf, 0, &err);
		raw = c ? dump(btf, 1, &err) : NULL;
		bl_btf_free(btf);
		free(c);
		free(raw);
		if (!raw) {
			t_fail(name, "%s: %s", argv[i], err.msg);
			return;
		}
		done++;
	}
	if (!done)
		t_skip(name, "no test objects given");
	else
		t_pass(name);
}

/* ---- damaged BTF ---------------------------------------------------------- */

struct damage_stats {
	unsigned long refused, written, dump_refused;
	char bad[BL_ERR_MAX + 64];	/* the first problem, if any */
};

/* Parse, and when that succeeds dump both ways into /dev/null. */
static void try_blob(const unsigned char *data, size_t size, const struct bl_btf *base, FILE *null,
		     struct damage_stats *s)
{
	struct bl_err err = { 0, "" };
	struct bl_btf *btf = bl_btf_parse(data, size, base, &err);
	int c, raw;

	if (!btf) {
		s->refused++;
		if (!one_line(&err) && !s->bad[0])
			snprintf(s->bad, sizeof(s->bad), "refused without one line: \"%s\"", err.msg);
		return;
	}
	c = bl_btf_dump_c(btf, null, &err);
	if (c && !one_line(&err) && !s->bad[0])
		snprintf(s->bad, sizeof(s->bad), "dump failed without one line: \"%s\"", err.msg);
	raw = bl_btf_dump_raw(btf, null, &err);
	if (raw && !s->bad[0])
		snprintf(s->bad, sizeof(s->bad), "raw dump failed: %s", err.msg);
	bl_btf_free(btf);
	if (c)
		s->dump_refused++;
	else
		s->written++;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64: the same damages every run */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void damage(const char *name, const unsigned char *good, size_t size, size_t step,
		   unsigned long rounds, const struct bl_btf *base)
{
	struct damage_stats s = { 0 };
	unsigned char *copy = malloc(size);
	FILE *null = fopen("/dev/null", "w");
	unsigned long r;
	size_t len;

	T_EXPECT(name, copy && null, "out of memory or no /dev/null");
	for (len = 0; len < size; len += step)	/* truncations */
		try_blob(good, len, base, null, &s);
	for (r = 0; r < rounds; r++) {		/* random damage */
		int flips = 1 + (int)(rng() % 8), i;

		memcpy(copy, good, size);
		for (i = 0; i < flips; i++) {
			/* mostly the type section, where a flip changes meaning */
			size_t at = rng() % 4 ? 24 + rng() % (size - 24) : rng() % 24;

			copy[at] = (unsigned char)rng();
		}
		try_blob(copy, size, base, null, &s);
	}
	if (s.bad[0])
		t_fail(name, "%s", s.bad);
	else
		printf("# %s: %lu refused by the reader, %lu written, %lu refused by the writer\n", name,
		       s.refused, s.written, s.dump_refused), t_pass(name);
	fclose(null);
	free(copy);
}

/* Where the raw blob keeps type ids: the type field of references,
 * array elements, members, return values and parameters. */
static size_t type_fields(const struct bl_btf *btf, size_t *offs, size_t max)
{
	uint32_t id, i, size;
	const unsigned char *raw = bl_btf_raw(btf, &size);
	size_t n = 0;

	for (id = bl_btf_start_id(btf); id < bl_btf_type_count(btf) && n < max; id++) {
		const struct btf_type *t = bl_btf_type(btf, id);
		size_t at = (size_t)((const unsigned char *)t - raw);

		switch (bl_btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			offs[n++] = at + 8;
			break;
		case BTF_KIND_ARRAY:
			offs[n++] = at + 12;
			break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			for (i = 0; i < bl_btf_vlen(t) && n < max; i++)
				offs[n++] = at + 12 + 12 * i + 4;
			break;
		case BTF_KIND_FUNC_PROTO:
			offs[n++] = at + 8;
			for (i = 0; i < bl_btf_vlen(t) && n < max; i++)
				offs[n++] = at + 12 + 8 * i + 4;
			break;
		}
	}
	return n;
}

/*
 * Damage that the reader cannot see: type ids pointed elsewhere, all in
 * range, so the BTF still parses, but now with cycles through typedefs,
 * pointers, arrays and structs, structs embedding each other, and
 * anonymous types used many times.  The writer must refuse or write
 * each in bounded time.
 */
static void rewire(const char *name, const unsigned char *good, size_t size, unsigned long rounds)
{
	struct damage_stats s = { 0 };
	struct bl_err err = { 0, "" };
	struct bl_btf *btf = bl_btf_parse(good, size, NULL, &err);
	size_t max = size / 4, n, *offs = malloc(max * sizeof(*offs));
	unsigned char *copy = malloc(size);
	FILE *null = fopen("/dev/null", "w");
	const unsigned char *raw;
	unsigned long r;
	uint32_t count, raw_size;

	T_EXPECT(name, btf && offs && copy && null, "cannot parse the good BTF: %s", err.msg);
	raw = bl_btf_raw(btf, &raw_size);
	count = bl_btf_type_count(btf);
	n = type_fields(btf, offs, max);
	for (r = 0; r < rounds && n; r++) {
		int changes = 1 + (int)(rng() % 16), i;

		memcpy(copy, raw, raw_size);
		for (i = 0; i < changes; i++) {
			size_t at = offs[rng() % n];
			uint32_t id = (uint32_t)(rng() % count);

			memcpy(copy + at, &id, sizeof(id));
		}
		try_blob(copy, raw_size, NULL, null, &s);
	}
	if (s.bad[0])
		t_fail(name, "%s", s.bad);
	else
		printf("# %s: %lu refused by the reader, %lu written, %lu refused by the writer\n", name,
		       s.refused, s.written, s.dump_refused), t_pass(name);
	fclose(null);
	free(copy);
	free(offs);
	bl_btf_free(btf);
}

static void test_damage(int argc, char **argv)
{
	const unsigned char *btf = NULL;
	unsigned char *obj = NULL, *vml;
	size_t obj_size = 0, btf_size = 0, vml_size;
	int i;

	for (i = 1; i < argc && !btf; i++) {
		if (!strstr(argv[i], "btf_types.bpf.o"))
			continue;
		obj = read_whole(argv[i], &obj_size);
		btf = obj ? object_btf(obj, obj_size, &btf_size) : NULL;
	}
	if (btf) {
		damage("btf_dump/damaged-object-btf", btf, btf_size, 1, 5000, NULL);
		rewire("btf_dump/rewired-object-btf", btf, btf_size, 5000);
	} else {
		t_skip("btf_dump/damaged-object-btf", "btf_types.bpf.o was not given");
	}
	free(obj);
	vml = read_whole(VMLINUX, &vml_size);
	if (vml && vml_size > 1024) {
		damage("btf_dump/damaged-vmlinux-btf", vml, vml_size, vml_size / 20 + 1, 10, NULL);
		rewire("btf_dump/rewired-vmlinux-btf", vml, vml_size, 40);
	} else {
		t_skip("btf_dump/damaged-vmlinux-btf", "%s is missing", VMLINUX);
	}
	free(vml);
}

/* ---- files ------------------------------------------------------------------ */

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data, 1, size, f) == size;

	return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

/* Parsing path must fail with one line containing `expect`. */
static void expect_file_refused(const char *name, const char *path, const struct bl_btf *base,
				const char *expect)
{
	struct bl_err err = { 0, "" };
	struct bl_btf *btf = bl_btf_parse_any_file(path, base, &err);

	if (btf)
		t_fail(name, "%s was read as BTF", path);
	else if (!one_line(&err) || !strstr(err.msg, expect))
		t_fail(name, "message \"%s\" does not say \"%s\" on one line", err.msg, expect);
	else
		t_pass(name);
	bl_btf_free(btf);
}

/* Rename one section of an ELF object in place (same length). */
static int rename_section(unsigned char *data, size_t size, const char *from, const char *to)
{
	struct bl_elf_section sec;
	struct bl_err err;
	struct bl_elf elf;
	size_t i = 0;

	if (bl_elf_open(&elf, data, size, &err) || !(i = bl_elf_find_section(&elf, from)) ||
	    strlen(from) != strlen(to))
		return -1;
	bl_elf_section(&elf, i, &sec);
	memcpy((char *)sec.name, to, strlen(to));	/* the name lives in data */
	return 0;
}

static void test_files(int argc, char **argv)
{
	char dir[] = "/tmp/test_btf_dump.XXXXXX", path[256];
	unsigned char junk[4096], *obj = NULL;
	size_t obj_size = 0, i;
	int a;

	if (!mkdtemp(dir)) {
		t_fail("btf_dump/files", "mkdtemp failed: %s", strerror(errno));
		return;
	}
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rng();
	snprintf(path, sizeof(path), "%s/junk", dir);
	write_file(path, junk, sizeof(junk));
	expect_file_refused("btf_dump/file-junk", path, NULL, "neither BTF");
	snprintf(path, sizeof(path), "%s/empty", dir);
	write_file(path, "", 0);
	expect_file_refused("btf_dump/file-empty", path, NULL, "neither BTF");
	expect_file_refused("btf_dump/file-missing", "/nonexistent/btf", NULL, "No such file");

	for (a = 1; a < argc && !obj; a++)
		if (strstr(argv[a], "btf_types.bpf.o"))
			obj = read_whole(argv[a], &obj_size);
	if (!obj) {
		t_skip("btf_dump/file-elf", "btf_types.bpf.o was not given");
	} else {
		snprintf(path, sizeof(path), "%s/truncated.o", dir);
		write_file(path, obj, obj_size / 3);
		expect_file_refused("btf_dump/file-elf-truncated", path, NULL, "truncated.o");
		/* ".BTF.ext" -> ".modinfo": what makes an ELF file a module */
		if (rename_section(obj, obj_size, ".BTF.ext", ".modinfo") == 0) {
			snprintf(path, sizeof(path), "%s/module.ko", dir);
			write_file(path, obj, obj_size);
			expect_file_refused("btf_dump/file-module-without-base", path, NULL, "base");
		}
		if (rename_section(obj, obj_size, ".BTF", ".XTF") == 0) {
			snprintf(path, sizeof(path), "%s/nobtf.o", dir);
			write_file(path, obj, obj_size);
			expect_file_refused("btf_dump/file-elf-without-btf", path, NULL, "no .BTF section");
		}
	}
	free(obj);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		printf("# could not remove %s\n", dir);
}

/* ---- the course's CO-RE program -------------------------------------------------- */

/* "type.member" that CO-RE access string `access` ("0:1:2") reaches from
 * struct type id, or "" when it cannot be followed. */
static void access_path(const struct bl_btf *btf, uint32_t id, const char *access, char *out, size_t size)
{
	const char *p = strchr(access, ':');
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, id));
	const char *type_name = bl_btf_type_name(btf, bl_btf_skip_modifiers(btf, id));

	out[0] = '\0';
	while (p && t) {
		unsigned long idx = strtoul(p + 1, NULL, 10);

		if ((bl_btf_kind(t) != BTF_KIND_STRUCT && bl_btf_kind(t) != BTF_KIND_UNION) || idx >= bl_btf_vlen(t))
			return;
		snprintf(out, size, "%s.%s", type_name, bl_btf_name(btf, bl_btf_members(t)[idx].name_off));
		t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, bl_btf_members(t)[idx].type));
		p = strchr(p + 1, ':');
	}
}

static void test_course_core(void)
{
	const char *name = "btf_dump/course-kprobe-core-relocations";
	const char *path = COURSE_DIR "/course_kprobe.bpf.o";
	const char *want[] = { "task_struct.real_parent", "task_struct.tgid", "filename.name" };
	int found[3] = { 0 };
	struct bl_err err = { 0, "" };
	struct bl_btf_ext *ext = NULL;
	struct bl_btf *btf = NULL;
	const unsigned char *e = NULL;
	struct bl_elf_section sec;
	unsigned char *obj;
	struct bl_elf elf;
	size_t size, s, i, relos = 0;

	obj = read_whole(path, &size);
	T_EXPECT(name, obj, "%s is missing (make builds it against build/gen/vmlinux.h)", path);
	if (bl_elf_open(&elf, obj, size, &err) == 0 && (i = bl_elf_find_section(&elf, ".BTF.ext"))) {
		bl_elf_section(&elf, i, &sec);
		e = sec.data;
		btf = bl_btf_parse_any_file(path, NULL, &err);
		ext = btf ? bl_btf_ext_parse(e, (size_t)sec.size, btf, &err) : NULL;
	}
	if (!ext) {
		t_fail(name, "%s: %s", path, err.msg[0] ? err.msg : "no .BTF.ext");
		goto out;
	}
	for (s = 0; s < bl_btf_ext_sec_count(ext, BL_BTF_EXT_CORE_RELO); s++) {
		const struct bl_btf_ext_sec *sec_relos = bl_btf_ext_sec(ext, BL_BTF_EXT_CORE_RELO, s);

		for (i = 0; i < sec_relos->count; i++) {
			struct bpf_core_relo r;
			char reached[256];
			int w;

			bl_btf_ext_record(sec_relos, (uint32_t)i, &r, sizeof(r));
			access_path(btf, r.type_id, bl_btf_name(btf, r.access_str_off), reached, sizeof(reached));
			for (w = 0; w < 3; w++)
				found[w] |= strcmp(reached, want[w]) == 0;
			relos++;
		}
	}
	if (!found[0] || !found[1] || !found[2])
		t_fail(name, "%zu relocations, but not all of task_struct.real_parent, task_struct.tgid, filename.name among them",
		       relos);
	else
		printf("# %s: %zu CO-RE relocations\n", name, relos), t_pass(name);
out:
	bl_btf_ext_free(ext);
	bl_btf_free(btf);
	free(obj);
}

static void watchdog(int sig)
{
	static const char msg[] = "FAIL btf_dump/watchdog: a case ran for more than 600 s (a loop?)\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

int main(int argc, char **argv)
{
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	test_vmlinux();
	test_objects(argc, argv);
	test_damage(argc, argv);
	test_files(argc, argv);
	test_course_core();
	return t_exit_code();
}
