// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_uprobe.c - where a uprobe goes, found without a kernel: program
 * headers, function symbols of .symtab and .dynsym, library and program
 * names, on real binaries (/bin/bash, libc.so.6, the test targets and a
 * stripped copy of them), with independent oracles: libelf for headers
 * and symbols, nm(1) for default symbol versions, the dynamic loader
 * itself (dlopen + dlinfo) for library names, the shell for $PATH.
 * Damaged copies must give errors, never crashes (built with ASan).
 *
 * Usage: test_uprobe [ignored...]   (the targets are found next to it)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach/binary_path.h"
#include "attach/uprobe_target.h"
#include "elf/elf_file.h"
#include "elf/elf_segments.h"
#include "elf/elf_symbols.h"
#include "../testlib.h"

static char bindir[PATH_MAX];
static char libc_path[PATH_MAX];	/* as the dynamic loader found it */

static const char *base_name(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static Elf *oracle_open(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY);
	return *fd < 0 ? NULL : elf_begin(*fd, ELF_C_READ, NULL);
}

static void oracle_close(Elf *e, int fd)
{
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
}

/* ---- program headers ------------------------------------------------- */

static void test_segments(const char *path)
{
	char name[256];
	struct bl_elf_file f;
	struct bl_err err;
	size_t n, i;
	int fd;
	Elf *e = oracle_open(path, &fd);

	snprintf(name, sizeof(name), "uprobe/%s/segments", base_name(path));
	if (!e || elf_getphdrnum(e, &n) != 0) {
		oracle_close(e, fd);
		t_fail(name, "libelf cannot read %s", path);
		return;
	}
	if (bl_elf_file_open(&f, path, &err)) {
		oracle_close(e, fd);
		t_fail(name, "%s", err.msg);
		return;
	}
	if (bl_elf_segment_count(&f.elf) != n)
		t_fail(name, "%zu program headers, libelf says %zu", bl_elf_segment_count(&f.elf), n);
	for (i = 0; i < n; i++) {
		struct bl_elf_segment s;
		GElf_Phdr ph;

		gelf_getphdr(e, (int)i, &ph);
		if (bl_elf_segment(&f.elf, i, &s, &err) || s.type != ph.p_type || s.flags != ph.p_flags ||
		    s.offset != ph.p_offset || s.vaddr != ph.p_vaddr || s.filesz != ph.p_filesz ||
		    s.memsz != ph.p_memsz) {
			t_fail(name, "program header %zu differs from libelf's", i);
			break;
		}
	}
	if (i == n)
		t_pass(name);
	bl_elf_file_close(&f);
	oracle_close(e, fd);
}

/* ---- function symbols --------------------------------------------------- */

struct oracle_func {
	const char *name;
	uint64_t vaddr;
	int hidden;
	int ifunc;
};

struct oracle_funcs {
	struct oracle_func *f;
	size_t n, cap;
};

/* Defined functions of one symbol table, as libelf reads them. */
static void oracle_table(Elf *e, Elf_Scn *scn, Elf_Scn *versym, struct oracle_funcs *o)
{
	GElf_Shdr sh;
	Elf_Data *d = elf_getdata(scn, NULL), *vd = versym ? elf_getdata(versym, NULL) : NULL;
	size_t i, n;

	gelf_getshdr(scn, &sh);
	n = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Versym ver = 0;
		int type;

		gelf_getsym(d, (int)i, &sym);
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF)
			continue;
		if (vd)
			gelf_getversym(vd, (int)i, &ver);
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 1024;
			o->f = realloc(o->f, o->cap * sizeof(*o->f));
		}
		o->f[o->n++] = (struct oracle_func){
			elf_strptr(e, sh.sh_link, sym.st_name), sym.st_value, (ver & 0x8000) != 0,
			type == STT_GNU_IFUNC,
		};
	}
}

static void oracle_functions(Elf *e, struct oracle_funcs *o)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL, *versym = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e, scn))) {
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_SYMTAB)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dynsym = scn;
		else if (sh.sh_type == SHT_GNU_versym)
			versym = scn;
	}
	if (symtab)
		oracle_table(e, symtab, NULL, o);
	if (dynsym)
		oracle_table(e, dynsym, versym, o);
}

static int count_ours(const struct bl_elf_func *f, void *ctx)
{
	(void)f;
	(*(size_t *)ctx)++;
	return 0;
}

/* What bl_elf_find_function() should answer for name, by the rules of
 * elf_symbols.h, worked out from libelf's symbols: 1 with *vaddr, 0 when
 * ambiguous. */
static int expected_address(const struct oracle_funcs *o, const char *name, uint64_t *vaddr)
{
	uint64_t visible = 0, hidden = 0;
	int have_visible = 0, have_hidden = 0;
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (strcmp(o->f[i].name, name) != 0)
			continue;
		if (o->f[i].hidden) {
			have_hidden = 1;
			hidden = o->f[i].vaddr;
		} else if (have_visible && visible != o->f[i].vaddr) {
			return 0;
		} else {
			have_visible = 1;
			visible = o->f[i].vaddr;
		}
	}
	*vaddr = have_visible ? visible : hidden;
	return have_visible || have_hidden;
}

/* The file offset of vaddr by libelf's program headers. */
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

static void test_functions(const char *path)
{
	char name[256];
	struct oracle_funcs o = { 0 };
	struct bl_elf_file f;
	struct bl_err err;
	size_t ours = 0, i, checked = 0, ambiguous = 0;
	int fd;
	Elf *e = oracle_open(path, &fd);

	snprintf(name, sizeof(name), "uprobe/%s/functions", base_name(path));
	if (!e || bl_elf_file_open(&f, path, &err)) {
		t_fail(name, "cannot open %s", path);
		oracle_close(e, fd);
		return;
	}
	oracle_functions(e, &o);
	bl_elf_for_each_function(&f.elf, count_ours, &ours, &err);
	if (ours != o.n) {
		t_fail(name, "%zu function symbols, libelf finds %zu", ours, o.n);
		goto out;
	}
	for (i = 0; i < o.n; i++) {
		struct bl_elf_func got;
		uint64_t want, want_off, off, vaddr;
		int expect = expected_address(&o, o.f[i].name, &want);
		int ret = bl_elf_find_function(&f.elf, o.f[i].name, &got, &err);

		if (!expect) {
			ambiguous++;
			if (ret != -EEXIST || !strstr(err.msg, "several functions")) {
				t_fail(name, "%s is defined at several addresses, yet the lookup answered %d", o.f[i].name, ret);
				goto out;
			}
			continue;
		}
		if (ret || got.vaddr != want) {
			t_fail(name, "%s: found at 0x%llx (%d), libelf's symbols say 0x%llx", o.f[i].name,
			       (unsigned long long)got.vaddr, ret, (unsigned long long)want);
			goto out;
		}
		/* an IFUNC (glibc's memcpy@@GLIBC_2.14) is refused; messages test that */
		if (got.type == STT_GNU_IFUNC || !oracle_offset(e, want, &want_off))
			continue;
		if (bl_uprobe_func_offset(&f.elf, path, o.f[i].name, 0, &off, &vaddr, &err) || off != want_off) {
			t_fail(name, "%s: file offset 0x%llx, libelf's program headers say 0x%llx",
			       o.f[i].name, (unsigned long long)off, (unsigned long long)want_off);
			goto out;
		}
		checked++;
	}
	if (checked == 0)
		t_fail(name, "no function of %s could be checked", path);
	else
		t_pass(name);
	printf("# %s: %zu function symbols, %zu file offsets checked, %zu ambiguous names\n",
	       base_name(path), o.n, checked, ambiguous);
out:
	free(o.f);
	bl_elf_file_close(&f);
	oracle_close(e, fd);
}

/* nm -D marks default versions "@@": those are what a lookup by bare name
 * must give, e.g. glibc's realpath@@GLIBC_2.3, not realpath@GLIBC_2.2.5. */
static void test_default_versions(const char *path)
{
	char name[256], cmd[PATH_MAX + 64], line[512];
	struct bl_elf_file f;
	struct bl_err err;
	size_t checked = 0, versioned_twice = 0;
	FILE *p;

	snprintf(name, sizeof(name), "uprobe/%s/default-versions-nm", base_name(path));
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s' 2>/dev/null", path);
	if (bl_elf_file_open(&f, path, &err)) {
		t_fail(name, "%s", err.msg);
		return;
	}
	p = popen(cmd, "r");
	if (!p) {
		t_skip(name, "cannot run nm");
		bl_elf_file_close(&f);
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		unsigned long long addr;
		char type, sym[400], *at;
		struct bl_elf_func got;

		if (sscanf(line, "%llx %c %399s", &addr, &type, sym) != 3 ||
		    (type != 'T' && type != 'W' && type != 'i' && type != 't'))
			continue;
		at = strstr(sym, "@@");
		if (!at)
			continue;
		*at = '\0';
		if (bl_elf_find_function(&f.elf, sym, &got, &err) || got.vaddr != addr) {
			t_fail(name, "%s: nm gives the default version at 0x%llx, we found 0x%llx",
			       sym, addr, (unsigned long long)got.vaddr);
			pclose(p);
			bl_elf_file_close(&f);
			return;
		}
		checked++;
		if (strcmp(sym, "realpath") == 0)
			versioned_twice++;
	}
	pclose(p);
	bl_elf_file_close(&f);
	if (checked == 0)
		t_skip(name, "nm printed no default versions for %s", path);
	else
		t_pass(name);
	printf("# %s: %zu default versions agree with nm%s\n", base_name(path), checked,
	       versioned_twice ? " (realpath among them)" : "");
}

/* ---- messages ---------------------------------------------------------- */

static void expect_error(const char *name, const char *binary, const char *func, uint64_t offset,
			 int code, const char *text)
{
	struct bl_uprobe_target t;
	struct bl_err err = { 0 };
	int ret = bl_uprobe_resolve(binary, func, offset, 0, &t, &err);

	T_EXPECT(name, ret == -code, "expected %s, got %d (%s)", bl_errno_name(code), ret, err.msg);
	T_EXPECT(name, strstr(err.msg, text), "message \"%s\" does not say \"%s\"", err.msg, text);
	t_pass(name);
}

static void test_messages(const char *target)
{
	Elf *e;
	int fd, is_ifunc = 0;
	struct oracle_funcs o = { 0 };
	size_t i;

	expect_error("uprobe/message/typo", target, "bl_target_ad", 0, ENOENT,
		     "similar names: bl_target_add");
	expect_error("uprobe/message/typo-libc", libc_path, "mallok", 0, ENOENT, "malloc");
	expect_error("uprobe/message/past-the-end", target, "bl_target_add", 1 << 20, ERANGE,
		     "past the end of bl_target_add");
	expect_error("uprobe/message/no-file", "/nonexistent/prog", "main", 0, ENOENT, "/nonexistent/prog");
	expect_error("uprobe/message/no-library", "libnot-there.so.9", "f", 0, ENOENT,
		     "library libnot-there.so.9 not found");
	expect_error("uprobe/message/no-program", "no-such-program-here", "f", 0, ENOENT,
		     "program no-such-program-here not found");
	expect_error("uprobe/message/not-elf", "/etc/passwd", "f", 0, ENOEXEC, "not an ELF file");

	/* memcpy is an IFUNC in x86-64's and arm64's glibc */
	e = oracle_open(libc_path, &fd);
	if (e)
		oracle_functions(e, &o);
	for (i = 0; i < o.n; i++)
		if (strcmp(o.f[i].name, "memcpy") == 0 && o.f[i].ifunc)
			is_ifunc = 1;
	free(o.f);
	oracle_close(e, fd);
	if (is_ifunc)
		expect_error("uprobe/message/ifunc", libc_path, "memcpy", 0, EINVAL, "is an IFUNC");
	else
		t_skip("uprobe/message/ifunc", "memcpy is not an IFUNC in this libc (libelf says so)");
}

/* ---- library and program names ---------------------------------------- */

static void test_library_names(void)
{
	char got[BL_BINARY_PATH_MAX], want[PATH_MAX + 32];
	struct bl_err err;
	const char *saved = getenv("LD_LIBRARY_PATH");
	char *saved_copy = saved ? strdup(saved) : NULL;

	T_EXPECT("uprobe/library/libc-like-ld.so", bl_binary_path("libc.so.6", 0, got, &err) == 0, "%s", err.msg);
	T_EXPECT("uprobe/library/libc-like-ld.so", same_file(got, libc_path),
		 "libc.so.6 is %s for us, %s for the dynamic loader", got, libc_path);
	t_pass("uprobe/library/libc-like-ld.so");

	if (access("/etc/ld.so.cache", R_OK) != 0) {
		t_skip("uprobe/library/ld.so.cache", "no /etc/ld.so.cache here");
	} else {
		T_EXPECT("uprobe/library/ld.so.cache",
			 bl_ld_so_cache_lookup("/etc/ld.so.cache", "libc.so.6", got, sizeof(got), &err) == 0,
			 "%s", err.msg);
		T_EXPECT("uprobe/library/ld.so.cache", same_file(got, libc_path),
			 "the cache says %s, the dynamic loader used %s", got, libc_path);
		t_pass("uprobe/library/ld.so.cache");
	}

	T_EXPECT("uprobe/library/process-maps", bl_binary_path("libc.so.6", getpid(), got, &err) == 0,
		 "%s", err.msg);
	T_EXPECT("uprobe/library/process-maps", same_file(got, libc_path),
		 "our own mappings give %s, the dynamic loader used %s", got, libc_path);
	t_pass("uprobe/library/process-maps");

	setenv("LD_LIBRARY_PATH", bindir, 1);
	snprintf(want, sizeof(want), "%s/libuprobe_target.so", bindir);
	T_EXPECT("uprobe/library/LD_LIBRARY_PATH", bl_binary_path("libuprobe_target.so", 0, got, &err) == 0,
		 "%s", err.msg);
	T_EXPECT("uprobe/library/LD_LIBRARY_PATH", same_file(got, want), "found %s, expected %s", got, want);
	t_pass("uprobe/library/LD_LIBRARY_PATH");
	if (saved_copy)
		setenv("LD_LIBRARY_PATH", saved_copy, 1);
	else
		unsetenv("LD_LIBRARY_PATH");
	free(saved_copy);
}

static void test_program_names(void)
{
	char got[BL_BINARY_PATH_MAX], want[PATH_MAX] = "";
	struct bl_err err;
	FILE *p = popen("command -v bash", "r");

	if (!p || !fgets(want, sizeof(want), p)) {
		if (p)
			pclose(p);
		t_skip("uprobe/program/PATH", "the shell finds no bash on $PATH");
		return;
	}
	pclose(p);
	want[strcspn(want, "\n")] = '\0';
	T_EXPECT("uprobe/program/PATH", bl_binary_path("bash", 0, got, &err) == 0, "%s", err.msg);
	T_EXPECT("uprobe/program/PATH", same_file(got, want), "found %s, the shell says %s", got, want);
	t_pass("uprobe/program/PATH");
}

/* A cache cut short, or with counts and offsets that lie. */
static void test_bad_caches(void)
{
	char path[] = "/tmp/bl-ld-cache-XXXXXX", got[256];
	struct stat st;
	unsigned char *cache, *copy;
	struct bl_err err;
	size_t len, cut;
	int fd = open("/etc/ld.so.cache", O_RDONLY), out, errors = 0, found = 0, i;

	if (fd < 0 || fstat(fd, &st) < 0) {
		t_skip("uprobe/library/damaged-caches", "no /etc/ld.so.cache here");
		if (fd >= 0)
			close(fd);
		return;
	}
	len = (size_t)st.st_size;
	cache = malloc(len);
	copy = malloc(len);
	if (read(fd, cache, len) != (ssize_t)len) {
		close(fd);
		t_fail("uprobe/library/damaged-caches", "short read");
		return;
	}
	close(fd);
	out = mkstemp(path);
	srand(11);
	for (i = 0; i < 400; i++) {
		cut = i < 100 ? (size_t)i * 7 : len;	/* first cuts, then damages */
		memcpy(copy, cache, len);
		if (i >= 100)
			for (int k = 0; k < 8; k++)
				copy[(size_t)rand() % (i < 200 ? 64 : len)] = (unsigned char)rand();
		if (ftruncate(out, 0) || pwrite(out, copy, cut < len ? cut : len, 0) < 0)
			break;
		if (bl_ld_so_cache_lookup(path, "libc.so.6", got, sizeof(got), &err) == 0)
			found++;
		else
			errors++;
	}
	close(out);
	unlink(path);
	free(cache);
	free(copy);
	printf("# damaged ld.so caches: %d refused, %d still found libc.so.6\n", errors, found);
	T_EXPECT("uprobe/library/damaged-caches", errors > 0, "no damaged cache was refused");
	t_pass("uprobe/library/damaged-caches");
}

/* ---- stripped files ----------------------------------------------------- */

static void test_stripped(const char *target, const char *lib)
{
	char cmd[3 * PATH_MAX], exe_copy[] = "/tmp/bl-strip-exe-XXXXXX", lib_copy[] = "/tmp/bl-strip-lib-XXXXXX";
	struct bl_uprobe_target a, b;
	struct bl_err err;
	int fa = mkstemp(exe_copy), fb = mkstemp(lib_copy);

	close(fa);
	close(fb);
	snprintf(cmd, sizeof(cmd), "strip --strip-all -o %s %s && strip --strip-all -o %s %s",
		 exe_copy, target, lib_copy, lib);
	if (system(cmd) != 0) {
		t_skip("uprobe/stripped", "strip(1) failed or is missing");
		goto out;
	}
	/* the executable's functions were only in .symtab */
	expect_error("uprobe/stripped/executable", exe_copy, "bl_target_add", 0, ENOENT, "no function bl_target_add");
	/* the library's exported ones are in .dynsym too, at the same offset */
	if (bl_uprobe_resolve(lib_copy, "bl_lib_mul", 0, 0, &a, &err) ||
	    bl_uprobe_resolve(lib, "bl_lib_mul", 0, 0, &b, &err))
		t_fail("uprobe/stripped/library-dynsym", "%s", err.msg);
	else if (a.offset != b.offset)
		t_fail("uprobe/stripped/library-dynsym", "offset 0x%llx stripped, 0x%llx not",
		       (unsigned long long)a.offset, (unsigned long long)b.offset);
	else
		t_pass("uprobe/stripped/library-dynsym");
out:
	unlink(exe_copy);
	unlink(lib_copy);
}

/* ---- damaged binaries ----------------------------------------------------- */

static void probe_damaged(const unsigned char *data, size_t size, int *ok, int *refused)
{
	struct bl_elf elf;
	struct bl_elf_func f;
	struct bl_err err;
	uint64_t off, vaddr;
	char similar[128];

	err.msg[0] = '\0';
	if (bl_elf_open_binary(&elf, data, size, &err) != 0) {
		(*refused)++;
		return;
	}
	bl_elf_similar_functions(&elf, "bl_lib_mu", similar, sizeof(similar));
	if (bl_elf_find_function(&elf, "bl_lib_mul", &f, &err) == 0 &&
	    bl_uprobe_func_offset(&elf, "copy", "bl_lib_mul", 0, &off, &vaddr, &err) == 0)
		(*ok)++;
	else
		(*refused)++;
}

static void test_damage(const char *lib)
{
	struct stat st;
	unsigned char *orig, *copy;
	int fd = open(lib, O_RDONLY), ok = 0, refused = 0, i;
	size_t size, cut;

	if (fd < 0 || fstat(fd, &st) < 0) {
		t_fail("uprobe/damage", "cannot read %s", lib);
		return;
	}
	size = (size_t)st.st_size;
	orig = malloc(size);
	if (read(fd, orig, size) != (ssize_t)size) {
		close(fd);
		t_fail("uprobe/damage", "short read");
		return;
	}
	close(fd);
	/* every cut at a multiple of 8: each must be refused or still resolve */
	for (cut = 0; cut < size; cut += 8) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, orig, cut);
		probe_damaged(copy, cut, &ok, &refused);
		free(copy);
	}
	srand(7);
	for (i = 0; i < 3000; i++) {
		copy = malloc(size);
		memcpy(copy, orig, size);
		for (int k = 0; k < 1 + i % 16; k++)
			copy[(size_t)rand() % size] = (unsigned char)rand();
		probe_damaged(copy, size, &ok, &refused);
		free(copy);
	}
	free(orig);
	printf("# damaged copies of %s: %d refused, %d still resolved bl_lib_mul\n", base_name(lib),
	       refused, ok);
	t_pass("uprobe/damage");
}

static int find_libc(void)
{
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	struct link_map *map = NULL;

	if (!h)
		h = dlopen("libc.so.6", RTLD_NOW);
	if (!h || dlinfo(h, RTLD_DI_LINKMAP, &map) != 0 || !map || !realpath(map->l_name, libc_path))
		return -1;
	return 0;
}

int main(void)
{
	char target[PATH_MAX + 32], lib[PATH_MAX + 32], *slash;
	const char *files[4];
	size_t i;

	elf_version(EV_CURRENT);
	if (!realpath("/proc/self/exe", bindir) || !(slash = strrchr(bindir, '/'))) {
		t_fail("uprobe/setup", "cannot find my own directory");
		return t_exit_code();
	}
	*slash = '\0';
	snprintf(target, sizeof(target), "%s/uprobe_target", bindir);
	snprintf(lib, sizeof(lib), "%s/libuprobe_target.so", bindir);
	if (find_libc()) {
		t_fail("uprobe/setup", "the dynamic loader does not say where libc.so.6 is: %s", dlerror());
		return t_exit_code();
	}
	files[0] = "/bin/bash";
	files[1] = libc_path;
	files[2] = target;
	files[3] = lib;
	for (i = 0; i < 4; i++) {
		if (access(files[i], R_OK) != 0) {
			t_skip("uprobe/files", "%s is not here", files[i]);
			continue;
		}
		test_segments(files[i]);
		test_functions(files[i]);
	}
	test_default_versions(libc_path);
	test_messages(target);
	test_library_names();
	test_program_names();
	test_bad_caches();
	test_stripped(target, lib);
	test_damage(lib);
	return t_exit_code();
}
