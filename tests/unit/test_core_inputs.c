// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_core_inputs.c - the CO-RE engine on BTF written by hand, no kernel
 * needed: ambiguous candidates are refused and consistent duplicates are
 * not, flavors on both sides, ENUM64 and signed enums, TYPE_MATCHES,
 * candidates found only in a module's split BTF (read only when needed),
 * a kernel without BTF, the kernel's BTF given as a raw file and as an
 * ELF file's .BTF; malformed relocations (access strings, kinds, ids)
 * refused with a message; and every instruction form the patcher meets,
 * good and bad.  Built with AddressSanitizer: no input may read out of
 * bounds.
 *
 * Usage: test_core_inputs [OBJECT.bpf.o...]   (the objects are not used)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf/core.h"
#include "btf/kernel_btf.h"
#include "../testlib.h"
#include "btf_builder.h"

static char tmpdir[] = "/tmp/test_core_inputs.XXXXXX";

static int write_file(const char *name, const void *data, size_t size, char *path, size_t psize)
{
	int fd;

	snprintf(path, psize, "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ---- a pretend kernel ------------------------------------------------------ */

/*
 * [1] int  [2] unsigned short  [3] struct foo {int a; int b;}
 * [4] struct foo___2 {int b; int a;}  (a second "foo": ambiguous for b)
 * [5] struct bar {int x; int y;}  [6] struct bar___v2 {int x; int y;}
 * [7] ENUM64 big { BIG_ONE = 1 << 40, BIG_NEG = -2 (signed) }
 * [8] ENUM small { SMALL_A = 7 }  [9] struct entry {unsigned short type; int pid;}
 */
static unsigned char *kernel_blob(size_t *size, uint32_t *types, uint32_t *strs)
{
	static struct bb b;
	uint32_t i32, u16;

	bb_init(&b, 0, 0);
	i32 = bb_int(&b, "int", 4, 1);
	u16 = bb_int(&b, "unsigned short", 2, 0);
	bb_struct(&b, "foo", 0, 2, 8, 0);
	bb_member(&b, "a", i32, 0, 0);
	bb_member(&b, "b", i32, 32, 0);
	bb_struct(&b, "foo___2", 0, 2, 8, 0);
	bb_member(&b, "b", i32, 0, 0);
	bb_member(&b, "a", i32, 32, 0);
	bb_struct(&b, "bar", 0, 2, 8, 0);
	bb_member(&b, "x", i32, 0, 0);
	bb_member(&b, "y", i32, 32, 0);
	bb_struct(&b, "bar___v2", 0, 2, 8, 0);
	bb_member(&b, "x", i32, 0, 0);
	bb_member(&b, "y", i32, 32, 0);
	bb_enum(&b, "big", 1, 2, 8, 1);
	bb_enum64val(&b, "BIG_ONE", 1ull << 40);
	bb_enum64val(&b, "BIG_NEG", (uint64_t)-2);
	bb_enum(&b, "small", 0, 1, 4, 0);
	bb_enumval(&b, "SMALL_A", 7);
	bb_struct(&b, "entry", 0, 2, 8, 0);
	bb_member(&b, "type", u16, 0, 0);
	bb_member(&b, "pid", i32, 32, 0);
	*types = b.next_id;
	*strs = (uint32_t)b.nstrs;
	return bb_blob(&b, size);
}

/* The object's side: types and access strings, some of them broken. */
struct local {
	struct bb b;
	uint32_t foo, bar_a, bar_b, big, small, entry, entry_bad, modonly, anon, i32;
};

static void local_types(struct local *l)
{
	struct bb *b = &l->b;
	uint32_t u16, u32;

	bb_init(b, 0, 0);
	l->i32 = bb_int(b, "int", 4, 1);
	u16 = bb_int(b, "unsigned short", 2, 0);
	u32 = bb_int(b, "unsigned int", 4, 0);
	l->foo = bb_struct(b, "foo___mine", 0, 1, 4, 0);
	bb_member(b, "b", l->i32, 0, 0);
	l->bar_a = bb_struct(b, "bar___a", 0, 1, 4, 0);
	bb_member(b, "y", l->i32, 0, 0);
	l->bar_b = bb_struct(b, "bar___b", 0, 2, 8, 0);
	bb_member(b, "q", l->i32, 0, 0);
	bb_member(b, "y", l->i32, 32, 0);
	l->big = bb_enum(b, "big___mine", 1, 2, 8, 1);
	bb_enum64val(b, "BIG_NEG___x", 5);
	bb_enum64val(b, "BIG_GONE", 6);
	l->small = bb_enum(b, "small", 0, 1, 4, 0);
	bb_enumval(b, "SMALL_A", 1);
	l->entry = bb_struct(b, "entry___m", 0, 2, 8, 0);
	bb_member(b, "pid", l->i32, 0, 0);
	bb_member(b, "type", u16, 32, 0);
	l->entry_bad = bb_struct(b, "entry___bad", 0, 1, 4, 0);
	bb_member(b, "type", u32, 0, 0);
	l->modonly = bb_struct(b, "modthing", 0, 1, 4, 0);
	bb_member(b, "m", l->i32, 0, 0);
	l->anon = bb_struct(b, "", 0, 1, 4, 0);
	bb_member(b, "a", l->i32, 0, 0);
}

static struct bpf_core_relo relo(struct local *l, uint32_t type, const char *access, uint32_t kind)
{
	struct bpf_core_relo r = { .insn_off = 0, .type_id = type, .kind = kind };

	r.access_str_off = bb_str(&l->b, access);
	return r;
}

struct env {
	struct local l;
	struct bl_btf *local;
	struct bl_kernel_btf *kernel;
	struct bl_core_ctx *ctx;
	unsigned char *local_blob;
};

/* Strings must all exist before the local BTF is parsed. */
static const char *const accesses[] = {
	"0", "0:0", "0:1", "1", "", ":0", "0:", "0::1", "a", "-1", "0:99", "0 1", "99999999999",
	"0:0:0", NULL,
};

static int env_open(struct env *e, const char *kernel_path, const char *sysfs_dir, struct bl_err *err)
{
	struct bl_kernel_btf_opts o = { .btf_path = kernel_path, .sysfs_dir = sysfs_dir };
	char long_access[512] = "0";
	size_t size, i;

	memset(e, 0, sizeof(*e));
	local_types(&e->l);
	for (i = 0; accesses[i]; i++)
		bb_str(&e->l.b, accesses[i]);
	for (i = 0; i < 70; i++)
		strcat(long_access, ":0");
	bb_str(&e->l.b, long_access);
	e->local_blob = bb_blob(&e->l.b, &size);
	e->local = bl_btf_parse(e->local_blob, size, NULL, err);
	if (!e->local)
		return -1;
	e->kernel = bl_kernel_btf_open(&o, err);
	if (!e->kernel)
		return -1;
	e->ctx = bl_core_ctx_new(e->local, e->kernel, err);
	return e->ctx ? 0 : -1;
}

static void env_close(struct env *e)
{
	bl_core_ctx_free(e->ctx);
	bl_kernel_btf_close(e->kernel);
	bl_btf_free(e->local);
	free(e->local_blob);
}

static int resolve(struct env *e, uint32_t type, const char *access, uint32_t kind,
		   struct bl_core_result *res, struct bl_err *err)
{
	struct bpf_core_relo r = relo(&e->l, type, access, kind);

	return bl_core_resolve(e->ctx, &r, res, err);
}

static void test_matching(const char *kernel_path)
{
	struct bl_core_result res;
	struct bl_err err;
	struct env e;

	if (env_open(&e, kernel_path, NULL, &err)) {
		t_fail("core-inputs/btf-file-raw", "%s", err.msg);
		env_close(&e);
		return;
	}
	t_pass("core-inputs/btf-file-raw");
	/* foo and foo___2 both have b, at different offsets */
	T_EXPECT("core-inputs/ambiguous", resolve(&e, e.l.foo, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) < 0 &&
		 strstr(err.msg, "ambiguous") && strstr(err.msg, "foo___mine.b"), "%s", err.msg);
	t_pass("core-inputs/ambiguous");
	/* bar and bar___v2 agree; local flavors ___a and ___b both find them */
	T_EXPECT("core-inputs/flavors", resolve(&e, e.l.bar_a, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) == 0 &&
		 res.target_val == 4 && res.matches == 2 && res.local_val == 0, "%s; value %llu, %u matches",
		 err.msg, (unsigned long long)res.target_val, res.matches);
	T_EXPECT("core-inputs/flavors", resolve(&e, e.l.bar_b, "0:1", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) == 0 &&
		 res.target_val == 4 && res.local_val == 4, "%s", err.msg);
	T_EXPECT("core-inputs/flavors", resolve(&e, e.l.bar_b, "0:0", BPF_CORE_FIELD_EXISTS, &res, &err) == 0 &&
		 res.target_val == 0 && !res.poison, "bar has no q: exists %llu", (unsigned long long)res.target_val);
	T_EXPECT("core-inputs/flavors", resolve(&e, e.l.bar_b, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) == 0 &&
		 res.poison && strstr(res.why, "no member q"), "%s / %s", err.msg, res.why);
	t_pass("core-inputs/flavors");
	/* a 64-bit, signed enumerator, by its essential name */
	T_EXPECT("core-inputs/enum64", resolve(&e, e.l.big, "0", BPF_CORE_ENUMVAL_VALUE, &res, &err) == 0 &&
		 res.target_val == (uint64_t)-2 && res.local_val == 5, "%s; %llx", err.msg,
		 (unsigned long long)res.target_val);
	T_EXPECT("core-inputs/enum64", resolve(&e, e.l.big, "1", BPF_CORE_ENUMVAL_EXISTS, &res, &err) == 0 &&
		 res.target_val == 0, "%s", err.msg);
	T_EXPECT("core-inputs/enum64", resolve(&e, e.l.big, "1", BPF_CORE_ENUMVAL_VALUE, &res, &err) == 0 &&
		 res.poison && strstr(res.why, "no value BIG_GONE"), "%s", res.why);
	T_EXPECT("core-inputs/enum64", resolve(&e, e.l.small, "0", BPF_CORE_ENUMVAL_VALUE, &res, &err) == 0 &&
		 res.target_val == 7 && res.local_val == 1, "%s", err.msg);
	T_EXPECT("core-inputs/enum64", resolve(&e, e.l.small, "0", BPF_CORE_TYPE_SIZE, &res, &err) == 0 &&
		 res.target_val == 4, "%s", err.msg);
	t_pass("core-inputs/enum64");
	T_EXPECT("core-inputs/type-matches", resolve(&e, e.l.entry, "0", BPF_CORE_TYPE_MATCHES, &res, &err) == 0 &&
		 res.target_val == 1 && res.local_val == 1, "%s", err.msg);
	T_EXPECT("core-inputs/type-matches", resolve(&e, e.l.entry_bad, "0", BPF_CORE_TYPE_MATCHES, &res, &err) == 0 &&
		 res.target_val == 0 && !res.poison, "unsigned int type matched unsigned short");
	T_EXPECT("core-inputs/type-matches", resolve(&e, e.l.entry_bad, "0", BPF_CORE_TYPE_EXISTS, &res, &err) == 0 &&
		 res.target_val == 1, "compatible types do not exist");
	T_EXPECT("core-inputs/type-matches", resolve(&e, e.l.entry, "0", BPF_CORE_TYPE_ID_TARGET, &res, &err) == 0 &&
		 res.target_val == 9 && !res.validate, "%s; id %llu", err.msg, (unsigned long long)res.target_val);
	t_pass("core-inputs/type-matches");
	T_EXPECT("core-inputs/anonymous", resolve(&e, e.l.anon, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) < 0 &&
		 strstr(err.msg, "anonymous"), "%s", err.msg);
	t_pass("core-inputs/anonymous");
	env_close(&e);
}

/* Malformed records: refused with a message, never a crash. */
static void test_bad_records(const char *kernel_path)
{
	static const struct { const char *access; uint32_t kind; const char *want; } bad[] = {
		{ "", BPF_CORE_FIELD_BYTE_OFFSET, "empty access string" },
		{ ":0", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "0:", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "0::1", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "a", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "-1", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "0 1", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "99999999999", BPF_CORE_FIELD_BYTE_OFFSET, "not indexes" },
		{ "0:99", BPF_CORE_FIELD_BYTE_OFFSET, "no member #99" },
		{ "0:0:0", BPF_CORE_FIELD_BYTE_OFFSET, "no struct, union or array" },
		{ "0:1", BPF_CORE_TYPE_EXISTS, "not \"0\"" },
		{ "0", BPF_CORE_ENUMVAL_VALUE, "no enum" },
		{ "0", 13, "kind 13 is unknown" },
		{ "0", 255, "kind 255 is unknown" },
	};
	struct bl_core_result res;
	struct bl_err err;
	struct env e;
	char name[96];
	size_t i;

	if (env_open(&e, kernel_path, NULL, &err)) {
		t_fail("core-inputs/bad-records", "%s", err.msg);
		env_close(&e);
		return;
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "core-inputs/bad-record/\"%s\"/%u", bad[i].access, bad[i].kind);
		err.msg[0] = '\0';
		if (resolve(&e, e.l.foo, bad[i].access, bad[i].kind, &res, &err) == 0 || !strstr(err.msg, bad[i].want))
			t_fail(name, "expected an error saying \"%s\", got: %s", bad[i].want, err.msg);
		else
			t_pass(name);
	}
	{
		struct bpf_core_relo r = relo(&e.l, e.l.foo, "0", BPF_CORE_FIELD_BYTE_OFFSET);
		char long_access[512] = "0";

		for (i = 0; i < 70; i++)
			strcat(long_access, ":0");
		r.access_str_off = bb_str(&e.l.b, long_access);	/* interned before parsing */
		T_EXPECT("core-inputs/bad-record/too-long", bl_core_resolve(e.ctx, &r, &res, &err) < 0 &&
			 strstr(err.msg, "more than 64 steps"), "%s", err.msg);
		t_pass("core-inputs/bad-record/too-long");
		r.type_id = 9999;
		T_EXPECT("core-inputs/bad-record/type-id", bl_core_resolve(e.ctx, &r, &res, &err) < 0 &&
			 strstr(err.msg, "does not exist"), "%s", err.msg);
		r.type_id = 0;
		T_EXPECT("core-inputs/bad-record/type-id", bl_core_resolve(e.ctx, &r, &res, &err) < 0, "type 0 accepted");
		r.type_id = e.l.foo;
		r.access_str_off = 1u << 30;
		T_EXPECT("core-inputs/bad-record/type-id", bl_core_resolve(e.ctx, &r, &res, &err) < 0 &&
			 strstr(err.msg, "outside the BTF strings"), "%s", err.msg);
		t_pass("core-inputs/bad-record/type-id");
	}
	env_close(&e);
}

/* A type only a module has: vmlinux is searched first, the module's
 * split BTF read only then. */
static void test_modules(const unsigned char *kblob, size_t ksize, uint32_t ktypes, uint32_t kstrs)
{
	struct bb m;
	unsigned char *mblob;
	struct bl_core_result res;
	struct bl_err err;
	char path[512], dir[512];
	const char *src;
	size_t msize;
	struct env e;
	uint32_t mint;

	snprintf(dir, sizeof(dir), "%s/sysfs", tmpdir);
	mkdir(dir, 0755);
	bb_init(&m, ktypes, kstrs);
	mint = bb_int(&m, "modint", 8, 0);
	bb_struct(&m, "modthing", 0, 2, 16, 0);
	bb_member(&m, "pad", mint, 0, 0);
	bb_member(&m, "m", 1, 64, 0);	/* vmlinux's int */
	mblob = bb_blob(&m, &msize);
	if (write_file("sysfs/vmlinux", kblob, ksize, path, sizeof(path)) ||
	    write_file("sysfs/mymod", mblob, msize, path, sizeof(path))) {
		t_fail("core-inputs/module", "cannot write %s", path);
		free(mblob);
		return;
	}
	free(mblob);
	if (env_open(&e, NULL, dir, &err)) {
		t_fail("core-inputs/module", "%s", err.msg);
		env_close(&e);
		return;
	}
	T_EXPECT("core-inputs/module", resolve(&e, e.l.bar_a, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) == 0 &&
		 bl_kernel_btf_count(e.kernel) == 1, "vmlinux's bar needed module BTF: %zu BTFs read",
		 bl_kernel_btf_count(e.kernel));
	T_EXPECT("core-inputs/module", resolve(&e, e.l.modonly, "0:0", BPF_CORE_FIELD_BYTE_OFFSET, &res, &err) == 0 &&
		 !res.poison && res.target_val == 8 && bl_kernel_btf_count(e.kernel) == 2 &&
		 bl_kernel_btf_get(e.kernel, 1, &src, NULL) && strcmp(src, "mymod") == 0 &&
		 strcmp(res.target_name, "mymod") == 0 && res.target_id == ktypes + 1,
		 "%s; poison %d value %llu in %s [%u]", err.msg, res.poison, (unsigned long long)res.target_val,
		 res.target_name ? res.target_name : "-", res.target_id);
	t_pass("core-inputs/module");
	env_close(&e);

	snprintf(dir, sizeof(dir), "%s/empty", tmpdir);
	mkdir(dir, 0755);
	T_EXPECT("core-inputs/no-kernel-btf", env_open(&e, NULL, dir, &err) < 0 && err.code == ENOENT &&
		 strstr(err.msg, "the kernel has no BTF") && strstr(err.msg, "--btf"), "%s", err.msg);
	env_close(&e);
	t_pass("core-inputs/no-kernel-btf");
}

/* The kernel's BTF as an ELF file's .BTF section (a vmlinux). */
static void test_elf_btf(const char *raw_path, uint32_t ktypes)
{
	char elf[256], cmd[1400];
	struct bl_kernel_btf_opts o = { .btf_path = elf };
	struct bl_kernel_btf *kb;
	struct bl_err err;
	const char *name;

	snprintf(elf, sizeof(elf), "%s/vmlinux.elf", tmpdir);
	snprintf(cmd, sizeof(cmd), "echo 'int x;' | cc -x c -c -o %s - 2>/dev/null && "
		 "objcopy --add-section .BTF=%s %s 2>/dev/null", elf, raw_path, elf);
	if (system(cmd) != 0) {
		t_skip("core-inputs/btf-file-elf", "cannot make an ELF file with cc and objcopy");
		return;
	}
	kb = bl_kernel_btf_open(&o, &err);
	T_EXPECT("core-inputs/btf-file-elf", kb && bl_btf_type_count(bl_kernel_btf_get(kb, 0, &name, NULL)) == ktypes &&
		 strcmp(name, elf) == 0 && bl_kernel_btf_read_modules(kb, &err) == 0,
		 "%s", kb ? "wrong types or modules read" : err.msg);
	bl_kernel_btf_close(kb);
	t_pass("core-inputs/btf-file-elf");
	/* an ELF file without .BTF */
	snprintf(cmd, sizeof(cmd), "objcopy --remove-section .BTF %s 2>/dev/null", elf);
	if (system(cmd) == 0) {
		kb = bl_kernel_btf_open(&o, &err);
		T_EXPECT("core-inputs/btf-file-elf", !kb && strstr(err.msg, "without a .BTF section"), "%s",
			 kb ? "opened" : err.msg);
		bl_kernel_btf_close(kb);
	}
}

/* ---- patching ----------------------------------------------------------------- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static struct bl_core_result value(uint64_t from, uint64_t to)
{
	struct bl_core_result r;

	memset(&r, 0, sizeof(r));
	r.local_val = from;
	r.target_val = to;
	r.validate = 1;
	return r;
}

static void test_patch(void)
{
	struct bpf_insn in[4];
	struct bl_core_result r = value(8, 24);
	struct bl_err err;

	in[0] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 8);
	T_EXPECT("core-inputs/patch/alu", bl_core_patch_insn(in, 1, 0, &r, &err) == 0 && in[0].imm == 24, "%s", err.msg);
	T_EXPECT("core-inputs/patch/alu", bl_core_patch_insn(in, 1, 0, &r, &err) < 0 && strstr(err.msg, "holds 24"),
		 "a second patch (the value is no longer the local one) was accepted");
	in[0] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 1, 2, 0, 0);
	T_EXPECT("core-inputs/patch/alu", bl_core_patch_insn(in, 1, 0, &r, &err) < 0 && strstr(err.msg, "registers"),
		 "%s", err.msg);
	t_pass("core-inputs/patch/alu");

	/* a 4-byte field that is 8 bytes in the kernel: the load widens */
	r = value(8, 40);
	r.local_size = 4;
	r.target_size = 8;
	in[0] = INSN(BPF_LDX | BPF_MEM | BPF_W, 1, 2, 8, 0);
	T_EXPECT("core-inputs/patch/ldx", bl_core_patch_insn(in, 1, 0, &r, &err) == 0 && in[0].off == 40 &&
		 in[0].code == (BPF_LDX | BPF_MEM | BPF_DW), "%s; code %#x off %d", err.msg, in[0].code, in[0].off);
	in[0] = INSN(BPF_LDX | BPF_MEM | BPF_H, 1, 2, 8, 0);
	T_EXPECT("core-inputs/patch/ldx", bl_core_patch_insn(in, 1, 0, &r, &err) < 0 && strstr(err.msg, "moves 2 bytes"),
		 "%s", err.msg);
	r.bad_size = 1;
	in[0] = INSN(BPF_LDX | BPF_MEM | BPF_W, 1, 2, 8, 0);
	T_EXPECT("core-inputs/patch/ldx", bl_core_patch_insn(in, 1, 0, &r, &err) == 0 && bl_core_insn_is_poisoned(&in[0]),
		 "a load whose size cannot follow was not poisoned");
	r = value(8, 40000);
	in[0] = INSN(BPF_STX | BPF_MEM | BPF_W, 1, 2, 8, 0);
	T_EXPECT("core-inputs/patch/ldx", bl_core_patch_insn(in, 1, 0, &r, &err) == -ERANGE, "%s", err.msg);
	t_pass("core-inputs/patch/ldx");

	r = value(5, 0x123456789ull);
	in[0] = INSN(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 5);
	in[1] = INSN(0, 0, 0, 0, 0);
	T_EXPECT("core-inputs/patch/ld_imm64", bl_core_patch_insn(in, 2, 0, &r, &err) == 0 &&
		 (uint32_t)in[0].imm == 0x23456789u && in[1].imm == 1, "%s", err.msg);
	T_EXPECT("core-inputs/patch/ld_imm64", bl_core_patch_insn(in, 1, 0, &r, &err) < 0, "half an ld_imm64 accepted");
	in[1] = INSN(0, 0, 1, 0, 0);
	T_EXPECT("core-inputs/patch/ld_imm64", bl_core_patch_insn(in, 2, 0, &r, &err) < 0 && strstr(err.msg, "no plain"),
		 "%s", err.msg);
	r.poison = 1;
	T_EXPECT("core-inputs/patch/ld_imm64", bl_core_patch_insn(in, 2, 0, &r, &err) == 0 &&
		 bl_core_insn_is_poisoned(&in[0]) && bl_core_insn_is_poisoned(&in[1]), "both halves not poisoned");
	t_pass("core-inputs/patch/ld_imm64");

	r = value(0, 1);
	in[0] = INSN(BPF_JMP | BPF_JA, 0, 0, 1, 0);
	T_EXPECT("core-inputs/patch/other", bl_core_patch_insn(in, 1, 0, &r, &err) < 0 && strstr(err.msg, "can patch"),
		 "%s", err.msg);
	T_EXPECT("core-inputs/patch/other", bl_core_patch_insn(in, 1, 3, &r, &err) < 0 && strstr(err.msg, "past the end"),
		 "%s", err.msg);
	t_pass("core-inputs/patch/other");
}

int main(void)
{
	unsigned char *kblob;
	uint32_t ktypes, kstrs;
	char path[512];
	size_t ksize;

	if (!mkdtemp(tmpdir)) {
		t_fail("core-inputs", "mkdtemp: %s", strerror(errno));
		return 1;
	}
	kblob = kernel_blob(&ksize, &ktypes, &kstrs);
	if (!kblob || write_file("kernel.btf", kblob, ksize, path, sizeof(path))) {
		t_fail("core-inputs", "cannot write the pretend kernel's BTF");
		return 1;
	}
	test_matching(path);
	test_bad_records(path);
	test_elf_btf(path, ktypes);
	test_modules(kblob, ksize, ktypes, kstrs);
	test_patch();
	free(kblob);
	snprintf(path, sizeof(path), "rm -rf %s", tmpdir);
	if (system(path) != 0)
		t_fail("core-inputs", "cannot remove %s", tmpdir);
	return t_exit_code();
}
