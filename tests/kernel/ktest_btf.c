// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_btf.c - BTF against the running kernel, which checks it far more
 * strictly than our reader: objects' BTF after bl_btf_fixup_datasecs()
 * must be accepted by BPF_BTF_LOAD and come back unchanged through
 * BPF_OBJ_GET_INFO_BY_FD; broken BTF must be refused with the kernel's
 * reason in the message; sanitized copies (as if the kernel lacked kinds
 * it has) must still load; and func_info/line_info cut out of .BTF.ext
 * must pass BPF_PROG_LOAD's checks against the subprogram boundaries.
 * On a kernel that lacks kinds an object uses (5.10 knows no FLOAT,
 * DECL_TAG, TYPE_TAG or ENUM64), loading it as written must be refused,
 * and the sanitized copy must load instead: through BPF_BTF_LOAD, and
 * through the loader, with the object's programs running.
 * Runs as root on the host and inside the qemu kernels (statically
 * linked there, so it reads embedded objects with our ELF reader only).
 *
 * Usage: ktest_btf [--bindir DIR] [--objdir DIR] [--expect-kprobes]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../testlib.h"
#include "attach/attach.h"
#include "btf/btf.h"
#include "btf/btf_ext.h"
#include "btf/btf_fixup.h"
#include "btf/btf_load.h"
#include "elf/elf_reader.h"
#include "embedded.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"

EMBEDDED_OBJECT(btf_types_bpf);
EMBEDDED_OBJECT(btf_externs_bpf);
EMBEDDED_OBJECT(btf_funcinfo_bpf);

/* The BTF features (BL_BTF_FEAT_*) this kernel lacks, probed in main(). */
static unsigned int kernel_missing;

static const struct { unsigned int feature; const char *name, *since; } features[] = {
	{ BL_BTF_FEAT_FUNC, "func", "5.0" }, { BL_BTF_FEAT_DATASEC, "datasec", "5.2" },
	{ BL_BTF_FEAT_GLOBAL_FUNC, "global-func", "5.6" }, { BL_BTF_FEAT_FLOAT, "float", "5.13" },
	{ BL_BTF_FEAT_DECL_TAG, "decl-tag", "5.16" }, { BL_BTF_FEAT_TYPE_TAG, "type-tag", "5.17" },
	{ BL_BTF_FEAT_ENUM64, "enum64", "6.0" },
};
#define NFEATURES (sizeof(features) / sizeof(features[0]))

/* "float (5.13), decl-tag (5.16)" for the bits in set. */
static const char *feature_list(unsigned int set, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < NFEATURES; i++)
		if ((set & features[i].feature) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s (Linux %s)", len ? ", " : "",
						features[i].name, features[i].since);
	return buf;
}

struct object {
	const char *name;
	struct bl_elf elf;
	const unsigned char *btf, *ext;
	size_t btf_size, ext_size;
};

static int open_object(struct object *o, const char *name, const unsigned char *data, size_t size,
		       struct bl_err *err)
{
	struct bl_elf_section s;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->name = name;
	if (bl_elf_open(&o->elf, data, size, err))
		return -1;
	if (!(i = bl_elf_find_section(&o->elf, ".BTF")))
		return bl_fail(err, ENOENT, "%s has no .BTF", name);
	bl_elf_section(&o->elf, i, &s);
	o->btf = s.data;
	o->btf_size = (size_t)s.size;
	if ((i = bl_elf_find_section(&o->elf, ".BTF.ext"))) {
		bl_elf_section(&o->elf, i, &s);
		o->ext = s.data;
		o->ext_size = (size_t)s.size;
	}
	return 0;
}

/* ---- what bl_btf_fixup_datasecs asks of the object ------------------------- */

static int elf_section_size(void *ctx, const char *section, uint32_t *size)
{
	const struct object *o = ctx;
	struct bl_elf_section s;
	size_t i = bl_elf_find_section(&o->elf, section);

	if (!i)
		return -ENOENT;
	bl_elf_section(&o->elf, i, &s);
	*size = (uint32_t)s.size;
	return 0;
}

static int elf_var_offset(void *ctx, const char *section, const char *var, uint32_t *offset)
{
	const struct object *o = ctx;
	size_t sec = bl_elf_find_section(&o->elf, section), i;

	for (i = 0; sec && i < o->elf.symbol_count; i++) {
		struct bl_elf_symbol sym;

		bl_elf_symbol(&o->elf, i, &sym);
		if (sym.shndx == sec && sym.type == STT_OBJECT && strcmp(sym.name, var) == 0) {
			*offset = (uint32_t)sym.value;
			return 0;
		}
	}
	return -ENOENT;
}

/* The object's BTF, parsed and fixed up for the kernel. */
static struct bl_btf *fixed_btf(struct object *o, struct bl_err *err)
{
	struct bl_btf_elf_info info = { elf_section_size, elf_var_offset, o };
	struct bl_btf *btf = bl_btf_parse(o->btf, o->btf_size, NULL, err);

	if (btf && bl_btf_fixup_datasecs(btf, &info, err)) {
		bl_btf_free(btf);
		return NULL;
	}
	return btf;
}

/* ---- loading BTF ----------------------------------------------------------------- */

/* The kernel's copy of a loaded BTF must be ours, byte for byte. */
static int kernel_has(int fd, const struct bl_btf *btf, char *why, size_t n)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info), size;
	const void *raw = bl_btf_raw(btf, &size);
	unsigned char *back = malloc(size);
	int ret;

	memset(&info, 0, sizeof(info));
	info.btf = (uint64_t)(uintptr_t)back;
	info.btf_size = size;
	ret = bl_obj_get_info(fd, &info, &len);
	if (ret)
		snprintf(why, n, "BPF_OBJ_GET_INFO_BY_FD: %s", bl_errno_name(-ret));
	else if (!info.id || info.btf_size != size || memcmp(back, raw, size))
		snprintf(why, n, "the kernel's BTF (id %u, %u bytes) differs from the %u bytes loaded",
			 info.id, info.btf_size, size);
	free(back);
	return ret || why[0] ? -1 : 0;
}

/* The sanitized copy for this kernel loads, and the kernel keeps it. */
static void test_load_sanitized(const char *name, const struct bl_btf *btf, unsigned int lacking)
{
	struct bl_err err;
	struct bl_btf *san = bl_btf_sanitize(btf, kernel_missing, &err);
	char why[256] = "", list[256];
	int fd = -1;

	if (!san)
		t_fail(name, "%s", err.msg);
	else if (bl_btf_features_used(san) & kernel_missing)
		t_fail(name, "features %#x are left", bl_btf_features_used(san) & kernel_missing);
	else if ((fd = bl_btf_load(san, NULL, &err)) < 0)
		t_fail(name, "%s", err.msg);
	else if (kernel_has(fd, san, why, sizeof(why)))
		t_fail(name, "%s", why);
	else {
		printf("# %s: %s rewritten for this kernel, %u types accepted\n", name,
		       feature_list(lacking, list, sizeof(list)), bl_btf_type_count(san) - 1);
		t_pass(name);
	}
	if (fd >= 0)
		close(fd);
	bl_btf_free(san);
}

/* The object's BTF as clang wrote it (after the fixup every loader does)
 * loads, unless it uses kinds this kernel lacks: then the kernel must
 * refuse it, and the sanitized copy is tested instead. */
static void test_load(const char *obj_name, const unsigned char *data, size_t size)
{
	char name[128], why[256] = "", list[256];
	struct bl_err err;
	struct object o;
	struct bl_btf *btf = NULL;
	unsigned int lacking = 0;
	char *log = NULL;
	int fd = -1;

	snprintf(name, sizeof(name), "btf/load/%s", obj_name);
	if (open_object(&o, obj_name, data, size, &err) || !(btf = fixed_btf(&o, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	lacking = bl_btf_features_used(btf) & kernel_missing;
	fd = bl_btf_load(btf, &log, &err);
	if (lacking && fd >= 0)
		t_fail(name, "the kernel took %s, which it should lack", feature_list(lacking, list, sizeof(list)));
	else if (lacking)
		t_skip(name, "this kernel lacks BTF kinds %s and refuses the BTF as written (%s); btf/load-sanitized/%s loads it instead",
		       feature_list(lacking, list, sizeof(list)), err.msg, obj_name);
	else if (fd < 0)
		t_fail(name, "%s", err.msg);
	else if (kernel_has(fd, btf, why, sizeof(why)))
		t_fail(name, "%s", why);
	else {
		printf("# %s: %u types accepted\n", name, bl_btf_type_count(btf) - 1);
		t_pass(name);
	}
	if (lacking) {
		snprintf(name, sizeof(name), "btf/load-sanitized/%s", obj_name);
		test_load_sanitized(name, btf, lacking);
	}
out:
	if (fd >= 0)
		close(fd);
	free(log);
	bl_btf_free(btf);
}

/* ---- the loader's BTF path, with the object's programs running --------------------- */

/* The kernel's copy of BTF fd, parsed (NULL on failure). */
static struct bl_btf *kernel_copy(int fd, struct bl_err *err)
{
	struct bpf_btf_info info;
	uint32_t len = sizeof(info);
	unsigned char *raw;
	struct bl_btf *btf;

	memset(&info, 0, sizeof(info));
	if (bl_obj_get_info(fd, &info, &len) || !info.btf_size) {
		bl_fail(err, EIO, "BPF_OBJ_GET_INFO_BY_FD on the object's BTF failed");
		return NULL;
	}
	raw = malloc(info.btf_size);
	len = sizeof(info);
	info.btf = (uint64_t)(uintptr_t)raw;
	if (!raw || bl_obj_get_info(fd, &info, &len)) {
		free(raw);
		bl_fail(err, EIO, "reading the kernel's copy of the object's BTF failed");
		return NULL;
	}
	btf = bl_btf_parse(raw, info.btf_size, NULL, err);
	free(raw);
	return btf;
}

/* btf_types.bpf.o (float, decl and type tags) through bl_object_load: its
 * BTF must reach the kernel (as written, or sanitized where the kernel
 * lacks kinds: which one must match the probe), its maps must carry BTF
 * types, and its tracepoint program must count our getppid() calls. */
static void test_object_btf_path(void)
{
	const char *name = "btf/object-load/btf_types";
	const int calls = 50;
	uint32_t me = (uint32_t)getpid(), zero = 0, len;
	uint64_t seen = 0, entries = 0;
	struct bpf_map_info minfo;
	struct bl_err err;
	struct bl_object *obj;
	struct bl_attachment *link = NULL;
	struct bl_btf *kbtf = NULL;
	unsigned int used, lacking;
	char list[256];
	const void *raw;
	uint32_t raw_size;
	int i, same;

	obj = bl_object_open_mem(btf_types_bpf, EMBEDDED_SIZE(btf_types_bpf), "btf_types.bpf.o", NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_var_write(obj, "target_pid", &me, sizeof(me), &err) || bl_object_load(obj, &err) ||
	    !(link = bl_program_attach(bl_object_program(obj, "on_getppid"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < calls; i++)
		syscall(SYS_getppid);
	bl_attachment_destroy(link, NULL);
	link = NULL;
	bl_object_var_read(obj, "events_seen", &seen, sizeof(seen), NULL);
	bl_map_lookup(bl_object_map(obj, "counters")->fd, &zero, &entries);
	if (seen != 1 + (uint64_t)calls || entries != (uint64_t)calls) {
		t_fail(name, "%d getppid calls: events_seen %" PRIu64 " (want %d), counters[0] %" PRIu64,
		       calls, seen, 1 + calls, entries);
		goto out;
	}
	if (obj->btf_fd < 0) {
		t_fail(name, "the object was loaded without BTF: %s", obj->notes);
		goto out;
	}
	memset(&minfo, 0, sizeof(minfo));
	len = sizeof(minfo);
	if (bl_obj_get_info(bl_object_map(obj, "samples")->fd, &minfo, &len) || !minfo.btf_id ||
	    !minfo.btf_value_type_id) {
		t_fail(name, "map samples (its value has float members) carries no BTF types in the kernel");
		goto out;
	}
	if (!(kbtf = kernel_copy(obj->btf_fd, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	used = bl_btf_features_used(obj->btf);
	lacking = used & kernel_missing;
	raw = bl_btf_raw(obj->btf, &raw_size);
	len = 0;
	same = bl_btf_raw(kbtf, &len) && len == raw_size && memcmp(bl_btf_raw(kbtf, &len), raw, raw_size) == 0;
	if (!lacking && !same)
		t_fail(name, "this kernel knows every kind the object uses, but it holds other BTF than the object's");
	else if (lacking && (same || (bl_btf_features_used(kbtf) & lacking)))
		t_fail(name, "this kernel lacks %s, yet the BTF it holds still has them",
		       feature_list(lacking, list, sizeof(list)));
	else {
		if (lacking)
			printf("# %s: the kernel lacks %s; the loader loaded a sanitized copy, which the kernel holds\n",
			       name, feature_list(lacking, list, sizeof(list)));
		else
			printf("# %s: the kernel took the object's BTF as written\n", name);
		t_pass(name);
	}
out:
	bl_btf_free(kbtf);
	bl_attachment_destroy(link, NULL);
	bl_object_close(obj);
}

/* Refused BTF: a negative errno, a message ending with the log's reason,
 * and the whole log for the caller. */
static void expect_refused(const char *name, const struct bl_btf *btf, const char *want)
{
	struct bl_err err;
	char *log = NULL;
	int fd = bl_btf_load(btf, &log, &err);

	if (fd >= 0) {
		t_fail(name, "the kernel accepted it");
		close(fd);
	} else if (!log || !log[0]) {
		t_fail(name, "no kernel log: %s", err.msg);
	} else if (!strstr(err.msg, "refused") || (want && !strstr(err.msg, want))) {
		t_fail(name, "message lacks the kernel's reason%s%s: %s", want ? " " : "", want ? want : "", err.msg);
	} else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
	free(log);
}

static void test_refusals(void)
{
	struct bl_err err;
	struct object o;
	struct bl_btf *btf;
	const struct btf_type *t;
	uint32_t id, size;
	unsigned char *copy;
	const unsigned char *raw;

	/* clang's BTF as it is: DATASECs of size 0, extern variables */
	T_EXPECT("btf/refused/not-fixed-up", open_object(&o, "btf_externs", btf_externs_bpf,
							 EMBEDDED_SIZE(btf_externs_bpf), &err) == 0, "%s", err.msg);
	btf = bl_btf_parse(o.btf, o.btf_size, NULL, &err);
	T_EXPECT("btf/refused/not-fixed-up", btf, "%s", err.msg);
	expect_refused("btf/refused/not-fixed-up", btf, NULL);

	/* a CONST of itself: our reader takes it (the format can say it),
	 * the kernel's resolver finds the loop */
	bl_btf_free(btf);
	btf = fixed_btf(&o, &err);
	T_EXPECT("btf/refused/const-loop", btf, "%s", err.msg);
	for (id = 1; id < bl_btf_type_count(btf); id++)
		if (bl_btf_kind(bl_btf_type(btf, id)) == BTF_KIND_CONST)
			break;
	raw = bl_btf_raw(btf, &size);
	copy = malloc(size);
	memcpy(copy, raw, size);
	t = bl_btf_type(btf, id);
	((struct btf_type *)(copy + ((const unsigned char *)t - raw)))->type = id;
	bl_btf_free(btf);
	btf = bl_btf_parse(copy, size, NULL, &err);
	free(copy);
	T_EXPECT("btf/refused/const-loop", btf, "%s", err.msg);
	expect_refused("btf/refused/const-loop", btf, "Loop detected");
	bl_btf_free(btf);
}

/* ---- sanitizing ------------------------------------------------------------------ */

/* What the kernel really lacks is always sanitized too: pretending this
 * kernel lacks one more kind must still give BTF it takes. */
static void expect_sanitized_loads(const char *name, const struct bl_btf *btf, unsigned int missing)
{
	struct bl_err err;
	struct bl_btf *san;

	missing |= kernel_missing;
	san = bl_btf_sanitize(btf, missing, &err);
	char *log = NULL, why[256] = "";
	int fd = -1;

	if (!san)
		t_fail(name, "%s", err.msg);
	else if (bl_btf_features_used(san) & missing)
		t_fail(name, "features %#x are left", bl_btf_features_used(san) & missing);
	else if ((fd = bl_btf_load(san, &log, &err)) < 0)
		t_fail(name, "%s", err.msg);
	else if (kernel_has(fd, san, why, sizeof(why)))
		t_fail(name, "%s", why);
	else
		t_pass(name);
	if (fd >= 0)
		close(fd);
	free(log);
	bl_btf_free(san);
}

/* ENUM64 and a signed ENUM: clang 14 writes neither, vmlinux does. */
static struct bl_btf *enum64_btf(struct bl_err *err)
{
	static const uint32_t words[] = {
		0x0001eb9f, 24, 0, 68, 68, 16,
		1, (19u << 24) | 2, 8, 5, 0xffffffff, 0x7fffffff, 8, 1, 0,	/* [1] enum64 big */
		11, (1u << 31) | (BTF_KIND_ENUM << 24) | 1, 4, 13, (uint32_t)-5,	/* [2] signed enum s */
		0, BTF_KIND_PTR << 24, 1,					/* [3] enum big * */
	};
	static const char strs[16] = "\0big\0B1\0B2\0s\0S1";
	unsigned char blob[sizeof(words) + sizeof(strs)];

	memcpy(blob, words, sizeof(words));
	memcpy(blob + sizeof(words), strs, sizeof(strs));
	return bl_btf_parse(blob, sizeof(blob), NULL, err);
}

static void test_sanitize(void)
{
	unsigned int all = 0;
	struct bl_err err;
	struct object o;
	struct bl_btf *btf;
	char name[128];
	size_t i;

	T_EXPECT("btf/sanitize", open_object(&o, "btf_types", btf_types_bpf, EMBEDDED_SIZE(btf_types_bpf), &err) == 0,
		 "%s", err.msg);
	btf = fixed_btf(&o, &err);
	T_EXPECT("btf/sanitize", btf, "%s", err.msg);
	for (i = 0; i < NFEATURES; i++) {
		all |= features[i].feature;
		if (!(bl_btf_features_used(btf) & features[i].feature))
			continue;
		snprintf(name, sizeof(name), "btf/sanitize/btf_types/pretend-no-%s", features[i].name);
		expect_sanitized_loads(name, btf, features[i].feature);
	}
	expect_sanitized_loads("btf/sanitize/btf_types/pretend-nothing-new", btf, all);
	bl_btf_free(btf);

	btf = enum64_btf(&err);
	T_EXPECT("btf/sanitize/enum64", btf, "%s", err.msg);
	if (kernel_missing & BL_BTF_FEAT_ENUM64)
		t_skip("btf/sanitize/enum64/original", "this kernel lacks BTF kind enum64 (Linux 6.0); pretend-no-enum64 loads it sanitized");
	else
		expect_sanitized_loads("btf/sanitize/enum64/original", btf, 0);
	expect_sanitized_loads("btf/sanitize/enum64/pretend-no-enum64", btf, BL_BTF_FEAT_ENUM64);
	bl_btf_free(btf);
}

static void test_probe(void)
{
	const char *name = "btf/probe-missing-features";
	struct bl_err err;
	int missing = bl_btf_probe_missing(&err);

	T_EXPECT(name, missing >= 0, "%s", err.msg);
	printf("# %s: this kernel lacks features %#x\n", name, missing);
	t_pass(name);
}

/* ---- func_info and line_info through BPF_PROG_LOAD --------------------------------- */

struct linked {
	struct bpf_insn *insns;
	uint32_t cnt;
	uint32_t text_base;	/* where .text was appended */
	uint64_t prog_bytes, text_bytes;
};

static int section_named(const struct object *o, const char *name, struct bl_elf_section *s)
{
	size_t i = bl_elf_find_section(&o->elf, name);

	if (i)
		bl_elf_section(&o->elf, i, s);
	return i ? 0 : -1;
}

/* The program's section, then all of .text, with each bpf-to-bpf call's
 * offset made relative to the appended copy (what a loader's linker does). */
static int link_by_hand(const struct object *o, const char *prog_sec, struct linked *l, struct bl_err *err)
{
	struct bl_elf_section prog, text, rel;
	char rel_name[256];
	size_t i;

	snprintf(rel_name, sizeof(rel_name), ".rel%s", prog_sec);
	if (section_named(o, prog_sec, &prog) || section_named(o, ".text", &text) ||
	    section_named(o, rel_name, &rel))
		return bl_fail(err, ENOENT, "sections %s, .text or %s missing", prog_sec, rel_name);
	l->prog_bytes = prog.size;
	l->text_bytes = text.size;
	l->text_base = (uint32_t)(prog.size / 8);
	l->cnt = (uint32_t)((prog.size + text.size) / 8);
	l->insns = malloc(l->cnt * sizeof(struct bpf_insn));
	memcpy(l->insns, prog.data, prog.size);
	memcpy(l->insns + l->text_base, text.data, text.size);
	for (i = 0; i < bl_elf_rel_count(&rel); i++) {
		struct bl_elf_symbol sym;
		struct bpf_insn *call;
		Elf64_Rel r;

		if (bl_elf_rel(&o->elf, &rel, i, &r, err))
			return -1;
		bl_elf_symbol(&o->elf, ELF64_R_SYM(r.r_info), &sym);
		call = &l->insns[r.r_offset / 8];
		if (call->code != (BPF_JMP | BPF_CALL) || call->src_reg != BPF_PSEUDO_CALL)
			return bl_fail(err, EINVAL, "relocation at %llu is not a bpf-to-bpf call",
				       (unsigned long long)r.r_offset);
		/* target in .text: the symbol's instruction + imm + 1 */
		call->imm = (int32_t)(l->text_base + sym.value / 8 + (uint64_t)(int64_t)call->imm + 1 -
				      (r.r_offset / 8 + 1));
	}
	return 0;
}

/* The records for the program and, after it, for all of .text. */
static int collect(const struct bl_btf_ext *ext, enum bl_btf_ext_kind kind, const char *prog_sec,
		   const struct linked *l, uint32_t skew, struct bl_btf_ext_info *info, struct bl_err *err)
{
	return bl_btf_ext_prog_info(ext, kind, prog_sec, 0, l->prog_bytes, skew, info, err) ||
	       bl_btf_ext_prog_info(ext, kind, ".text", 0, l->text_bytes, l->text_base + skew, info, err)
	       ? -1 : 0;
}

static long prog_load(const struct linked *l, int btf_fd, const struct bl_btf_ext_info *fi,
		      const struct bl_btf_ext_info *li, char *log, uint32_t log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_TRACEPOINT;
	attr.insns = (uint64_t)(uintptr_t)l->insns;
	attr.insn_cnt = l->cnt;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.func_info = (uint64_t)(uintptr_t)fi->recs;
	attr.func_info_cnt = fi->count;
	attr.func_info_rec_size = fi->rec_size;
	attr.line_info = (uint64_t)(uintptr_t)li->recs;
	attr.line_info_cnt = li->count;
	attr.line_info_rec_size = li->rec_size;
	memcpy(attr.prog_name, "bl_btf_fi", 10);
	log[0] = '\0';
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = log_size;
	attr.log_level = 1;
	return bl_sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}

static void test_func_info(void)
{
	const char *name = "btf/func-info/prog-load", *prog_sec = "tracepoint/syscalls/sys_enter_getppid";
	struct bl_btf_ext_info fi = { 0 }, li = { 0 }, bad = { 0 };
	struct linked l = { 0 };
	struct bl_btf_ext *ext = NULL;
	struct bl_btf *btf = NULL;
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	static char log[1 << 16];
	struct bl_err err;
	struct object o;
	int btf_fd = -1;
	long fd = -1;

	if (open_object(&o, "btf_funcinfo", btf_funcinfo_bpf, EMBEDDED_SIZE(btf_funcinfo_bpf), &err) ||
	    !(btf = fixed_btf(&o, &err)) || !(ext = bl_btf_ext_parse(o.ext, o.ext_size, btf, &err)) ||
	    (btf_fd = bl_btf_load(btf, NULL, &err)) < 0 || link_by_hand(&o, prog_sec, &l, &err) ||
	    collect(ext, BL_BTF_EXT_FUNC_INFO, prog_sec, &l, 0, &fi, &err) ||
	    collect(ext, BL_BTF_EXT_LINE_INFO, prog_sec, &l, 0, &li, &err) ||
	    collect(ext, BL_BTF_EXT_FUNC_INFO, prog_sec, &l, 1, &bad, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	fd = prog_load(&l, btf_fd, &fi, &li, log, sizeof(log));
	memset(&info, 0, sizeof(info));
	if (fd < 0)
		t_fail(name, "BPF_PROG_LOAD with %u func_info and %u line_info: %s: %.300s", fi.count, li.count,
		       bl_errno_name((int)-fd), log);
	else if (bl_obj_get_info((int)fd, &info, &len) || info.nr_func_info != fi.count ||
		 info.nr_line_info != li.count || info.btf_id == 0)
		t_fail(name, "the kernel kept %u func_info and %u line_info of %u and %u", info.nr_func_info,
		       info.nr_line_info, fi.count, li.count);
	else {
		printf("# %s: %u instructions, %u func_info, %u line_info accepted\n", name, l.cnt, fi.count, li.count);
		t_pass(name);
	}
	if (fd >= 0)
		close((int)fd);
	/* the same records one instruction off: the kernel must notice */
	fd = prog_load(&l, btf_fd, &bad, &li, log, sizeof(log));
	if (fd >= 0) {
		t_fail("btf/func-info/misplaced-refused", "func_info one instruction off was accepted");
		close((int)fd);
	} else {
		t_pass("btf/func-info/misplaced-refused");
	}
out:
	if (btf_fd >= 0)
		close(btf_fd);
	free(l.insns);
	bl_btf_ext_info_free(&fi);
	bl_btf_ext_info_free(&li);
	bl_btf_ext_info_free(&bad);
	bl_btf_ext_free(ext);
	bl_btf_free(btf);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;
	struct bl_err err;
	int missing;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP btf: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	bl_raise_memlock_limit();
	missing = bl_btf_probe_missing(&err);
	if (missing < 0) {
		printf("SKIP btf: %s\n", err.msg);
		return 0;
	}
	kernel_missing = (unsigned int)missing;
	test_probe();
	test_load("btf_types", btf_types_bpf, EMBEDDED_SIZE(btf_types_bpf));
	test_load("btf_externs", btf_externs_bpf, EMBEDDED_SIZE(btf_externs_bpf));
	test_load("btf_funcinfo", btf_funcinfo_bpf, EMBEDDED_SIZE(btf_funcinfo_bpf));
	test_refusals();
	test_sanitize();
	test_object_btf_path();
	test_func_info();
	return t_exit_code();
}
