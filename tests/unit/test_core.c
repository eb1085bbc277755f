// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_core.c - CO-RE against this machine's kernel BTF, no kernel calls
 * but reading /sys/kernel/btf/vmlinux (skipped, saying so, when it is not
 * readable).
 *
 *   kernel BTF   found, mmap'd where the kernel allows it (6.16+), with
 *                the type count libbpf finds; the lazy name index returns,
 *                after one scan, the ids libbpf's BTF gives those names.
 *   every record of every CO-RE test object (core_*.bpf.o, btf_types.bpf.o
 *                from the command line) resolved by our engine, and the
 *                value checked against one computed here, independently,
 *                from libbpf's reading of the same two BTFs: the access
 *                string walked by member names through anonymous members
 *                and arrays, bitfields, enum values, type sizes and ids.
 *   the rule     an object whose .BTF.ext holds CO-RE records but cannot
 *                be read is refused, not loaded unrelocated.
 *
 * Usage: test_core OBJECT.bpf.o...
 */
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "btf/btf_names.h"
#include "btf/core.h"
#include "btf/kernel_btf.h"
#include "object/core_relocate.h"
#include "object/object.h"
#include "../testlib.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static size_t essential_len(const char *name)
{
	size_t n = strlen(name), i;

	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (name[i] != '_' && !strncmp(name + i + 1, "___", 3) && name[i + 4] != '_')
			return i + 1;
	return n;
}

/* ---- the kernel's BTF ---------------------------------------------------- */

static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int a = 0, b = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &a, &b);
	return a > major || (a == major && b >= minor);
}

/* Every id of lb of a kind CO-RE relocates against whose essential name
 * is name's, in id order. */
static size_t libbpf_ids(const struct btf *lb, const char *name, uint32_t *ids, size_t max)
{
	size_t len = essential_len(name), n = 0;
	uint32_t id;

	for (id = 1; id < btf__type_cnt(lb); id++) {
		const struct btf_type *t = btf__type_by_id(lb, id);
		const char *s = btf__name_by_offset(lb, t->name_off);

		if (!(BL_BTF_NAMES_DATA_KINDS >> btf_kind(t) & 1))
			continue;
		if (s && *s && essential_len(s) == len && !strncmp(s, name, len) && n < max)
			ids[n++] = id;
	}
	return n;
}

static void test_kernel_btf(const struct btf *lb)
{
	static const char *const names[] = { "task_struct", "pid_type", "trace_entry___x", "mm_struct", "sk_buff",
					     "perf_callchain_context", "no_such_type_anywhere", NULL };
	struct bl_names_check { uint32_t ids[16]; size_t n; } want;
	struct bl_btf_names *idx;
	struct bl_kernel_btf *kb;
	const struct bl_btf *vm;
	struct bl_err err;
	const uint32_t *ids;
	uint32_t n;
	size_t i;

	kb = bl_kernel_btf_open(NULL, &err);
	T_EXPECT("core/kernel-btf", kb, "%s", err.msg);
	vm = bl_kernel_btf_get(kb, 0, NULL, &idx);
	if (bl_btf_type_count(vm) != btf__type_cnt(lb)) {
		t_fail("core/kernel-btf", "%u types, libbpf reads %u", bl_btf_type_count(vm), btf__type_cnt(lb));
		goto out;
	}
	t_pass("core/kernel-btf");
	if (strcmp(bl_kernel_btf_how(kb), "mmap") == 0)
		t_pass("core/kernel-btf/mmap");
	else if (kernel_at_least(6, 16))
		t_fail("core/kernel-btf/mmap", "a kernel of 6.16 or later lets us mmap %s, but it was read", VMLINUX);
	else
		t_skip("core/kernel-btf/mmap", "this kernel is older than 6.16, which cannot mmap %s: read instead", VMLINUX);
	for (i = 0; names[i]; i++)
		if (bl_btf_names_want(idx, names[i], &err))
			break;
	for (i = 0; names[i]; i++) {
		want.n = libbpf_ids(lb, names[i], want.ids, 16);
		if (bl_btf_names_find(idx, names[i], &ids, &n, &err) || n != want.n ||
		    (n && memcmp(ids, want.ids, n * sizeof(*ids)))) {
			t_fail("core/name-index", "%s: %u ids (first %u), libbpf's BTF has %zu (first %u)", names[i], n,
			       n ? ids[0] : 0, want.n, want.n ? want.ids[0] : 0);
			goto out;
		}
	}
	T_EXPECT("core/name-index", bl_btf_names_scans(idx) == 1, "%u scans for names announced together",
		 bl_btf_names_scans(idx));
	t_pass("core/name-index");
out:
	bl_kernel_btf_close(kb);
}

/* ---- an independent walk of a relocation, on libbpf's reading ----------- */

struct expect {
	int found;
	uint64_t val;
};

/* Member name in struct/union tid of lb, looking through anonymous
 * members; adds its bit offset.  *parent, *index: where it is. */
static int find_member(const struct btf *lb, uint32_t tid, const char *name, uint64_t *bits,
		       uint32_t *parent, uint32_t *index, int depth)
{
	const struct btf_type *t = btf__type_by_id(lb, btf__resolve_type(lb, tid));
	const struct btf_member *m;
	uint32_t i;

	if (!t || !btf_is_composite(t) || depth > 16)
		return 0;
	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(lb, m->name_off);

		if (n && *n && strcmp(n, name) == 0) {
			*bits += btf_member_bit_offset(t, i);
			*parent = btf__resolve_type(lb, tid);
			*index = i;
			return 1;
		}
		if ((!n || !*n) && find_member(lb, m->type, name, bits, parent, index, depth + 1)) {
			*bits += btf_member_bit_offset(t, i);
			return 1;
		}
	}
	return 0;
}

static int64_t find_type(const struct btf *lb, const char *name, const struct btf_type *local)
{
	size_t len = essential_len(name);
	uint32_t id;

	for (id = 1; id < btf__type_cnt(lb); id++) {
		const struct btf_type *t = btf__type_by_id(lb, id);
		const char *s = btf__name_by_offset(lb, t->name_off);

		if ((btf_kind(t) == btf_kind(local) || (btf_is_any_enum(t) && btf_is_any_enum(local))) && s &&
		    essential_len(s) == len && !strncmp(s, name, len))
			return id;
	}
	return -1;
}

static void field_value(const struct btf *lb, uint32_t kind, uint64_t bits, uint32_t parent, uint32_t index,
			uint32_t elem, struct expect *e)
{
	const struct btf_type *p = parent ? btf__type_by_id(lb, parent) : NULL;
	uint32_t bsz = p ? btf_member_bitfield_size(p, index) : 0;
	uint32_t ftype = p ? (uint32_t)btf__resolve_type(lb, btf_members(p)[index].type) : elem;
	const struct btf_type *ft = btf__type_by_id(lb, ftype);
	uint64_t size = (uint64_t)btf__resolve_size(lb, ftype), off = bits / 8;

	if (bsz) {
		size = ft->size;
		while (bits + bsz - bits / 8 / size * size * 8 > size * 8)
			size *= 2;
		off = bits / 8 / size * size;
	} else {
		bsz = (uint32_t)size * 8;
	}
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET: e->val = off; break;
	case BPF_CORE_FIELD_BYTE_SIZE: e->val = size; break;
	case BPF_CORE_FIELD_EXISTS: e->val = 1; break;
	case BPF_CORE_FIELD_SIGNED:
		e->val = (btf_is_any_enum(ft) && btf_kflag(ft)) || (btf_is_int(ft) && (btf_int_encoding(ft) & BTF_INT_SIGNED));
		break;
	case BPF_CORE_FIELD_LSHIFT_U64: e->val = 64 - (bits + bsz - off * 8); break;
	case BPF_CORE_FIELD_RSHIFT_U64: e->val = 64 - bsz; break;
	}
}

/* Walk the access string on the object's types (lo) and the kernel's (lb). */
static void expect_field(const struct btf *lo, const struct btf *lb, const struct bpf_core_relo *r,
			 uint32_t troot, struct expect *e)
{
	const char *s = btf__name_by_offset(lo, r->access_str_off);
	uint32_t lid = btf__resolve_type(lo, r->type_id), tid = btf__resolve_type(lb, troot), parent = 0, index = 0;
	uint64_t bits;
	char *end;
	unsigned long idx = strtoul(s, &end, 10);

	bits = idx * (uint64_t)btf__resolve_size(lb, tid) * 8;
	for (s = end; *s == ':'; s = end) {
		const struct btf_type *lt = btf__type_by_id(lo, lid), *tt;

		idx = strtoul(s + 1, &end, 10);
		if (btf_is_composite(lt)) {
			const struct btf_member *m = btf_members(lt) + idx;
			const char *name = btf__name_by_offset(lo, m->name_off);

			lid = btf__resolve_type(lo, m->type);
			if (!name || !*name)
				continue;	/* the kernel need not have this anonymous member */
			if (!find_member(lb, tid, name, &bits, &parent, &index, 0)) {
				e->found = 0;
				return;
			}
			tid = btf__resolve_type(lb, btf_members(btf__type_by_id(lb, parent))[index].type);
		} else {
			tt = btf__type_by_id(lb, tid);
			if (!btf_is_array(tt) || (idx >= btf_array(tt)->nelems && btf_array(tt)->nelems)) {
				e->found = 0;
				return;
			}
			lid = btf__resolve_type(lo, btf_array(lt)->type);
			tid = btf__resolve_type(lb, btf_array(tt)->type);
			bits += idx * (uint64_t)btf__resolve_size(lb, tid) * 8;
			parent = 0;
		}
	}
	e->found = 1;
	field_value(lb, r->kind, bits, parent, index, tid, e);
}

static void expect_enumval(const struct btf *lo, const struct btf *lb, const struct bpf_core_relo *r,
			   uint32_t troot, struct expect *e)
{
	const struct btf_type *lt = btf__type_by_id(lo, btf__resolve_type(lo, r->type_id));
	const struct btf_type *tt = btf__type_by_id(lb, btf__resolve_type(lb, troot));
	unsigned long i = strtoul(btf__name_by_offset(lo, r->access_str_off), NULL, 10), j;
	const char *want = btf__name_by_offset(lo, btf_is_enum(lt) ? btf_enum(lt)[i].name_off : btf_enum64(lt)[i].name_off);

	for (j = 0; j < btf_vlen(tt); j++) {
		const char *n = btf__name_by_offset(lb, btf_is_enum(tt) ? btf_enum(tt)[j].name_off
								  : btf_enum64(tt)[j].name_off);

		if (essential_len(n) == essential_len(want) && !strncmp(n, want, essential_len(want))) {
			e->found = 1;
			e->val = r->kind == BPF_CORE_ENUMVAL_EXISTS ? 1 :
				 btf_is_enum(tt) ? (uint64_t)(int64_t)btf_enum(tt)[j].val : btf_enum64_value(&btf_enum64(tt)[j]);
			return;
		}
	}
	e->found = 0;
}

/* What the relocation must give, or found = 0 for "nothing matched". */
static void expect(const struct btf *lo, const struct btf *lb, const struct bpf_core_relo *r, struct expect *e)
{
	const struct btf_type *local = btf__type_by_id(lo, r->type_id);
	int64_t troot = find_type(lb, btf__name_by_offset(lo, local->name_off), local);

	memset(e, 0, sizeof(*e));
	if (r->kind == BPF_CORE_TYPE_ID_LOCAL) {
		e->found = 1;
		e->val = r->type_id;
		return;
	}
	if (troot < 0)
		return;
	if (r->kind <= BPF_CORE_FIELD_RSHIFT_U64)
		expect_field(lo, lb, r, (uint32_t)troot, e);
	else if (r->kind == BPF_CORE_ENUMVAL_EXISTS || r->kind == BPF_CORE_ENUMVAL_VALUE)
		expect_enumval(lo, lb, r, (uint32_t)troot, e);
	else {
		e->found = 1;
		e->val = r->kind == BPF_CORE_TYPE_ID_TARGET ? (uint64_t)troot :
			 r->kind == BPF_CORE_TYPE_SIZE ? (uint64_t)btf__resolve_size(lb, (uint32_t)troot) : 1;
	}
}

static int is_existence(uint32_t kind)
{
	return kind == BPF_CORE_FIELD_EXISTS || kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_TYPE_EXISTS ||
	       kind == BPF_CORE_TYPE_MATCHES || kind == BPF_CORE_TYPE_ID_TARGET;
}

static void test_object(const char *path, const struct btf *lb, unsigned int *per_kind)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct btf *lo = btf__parse_elf(path, NULL);
	struct bl_object *obj = bl_object_open_file(path, NULL, NULL);
	struct bl_err err;
	char name[160];
	size_t i, checked = 0;

	snprintf(name, sizeof(name), "core/resolve/%s", base);
	if (!lo || !obj || bl_object_core_resolve(obj, &err)) {
		t_fail(name, "%s", !lo ? "libbpf cannot read its BTF" : !obj ? "cannot open it" : err.msg);
		goto out;
	}
	for (i = 0; i < obj->core->count; i++) {
		const struct bl_core_relo_info *r = &obj->core->relos[i];
		struct expect e;
		uint64_t want;

		expect(lo, lb, &r->rec, &e);
		want = e.found ? e.val : 0;
		if (r->failed || (!e.found && !is_existence(r->rec.kind) && !r->res.poison) ||
		    ((e.found || is_existence(r->rec.kind)) && (r->res.poison || r->res.target_val != want))) {
			t_fail(name, "relocation %zu, %s %s: ours %s%llu, expected %s%llu (%s)", i,
			       bl_core_kind_str(r->rec.kind), r->res.path, r->res.poison ? "poisoned " : "",
			       (unsigned long long)r->res.target_val, e.found ? "" : "not found ",
			       (unsigned long long)want, r->res.why);
			goto out;
		}
		if (r->rec.kind < 16)
			per_kind[r->rec.kind]++;
		checked++;
	}
	printf("# %s: %zu CO-RE relocations, each as libbpf's reading of the BTF says\n", base, checked);
	t_pass(name);
out:
	bl_object_close(obj);
	btf__free(lo);
}

/* ---- the rule --------------------------------------------------------------- */

static void test_unreadable_ext(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	struct bl_object *obj = NULL;
	struct bl_elf_section sec;
	struct bl_err err;
	long size;
	size_t index;
	uint32_t hdr_len, core_off;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)size)) || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		t_fail("core/unreadable-btf-ext", "cannot read %s", path);
		goto out;
	}
	obj = bl_object_open_mem(buf, (size_t)size, "copy", NULL, &err);
	T_EXPECT("core/unreadable-btf-ext", obj && (index = bl_elf_find_section(&obj->elf, ".BTF.ext")), "%s",
		 obj ? "no .BTF.ext" : err.msg);
	bl_elf_section(&obj->elf, index, &sec);
	bl_object_close(obj);
	memcpy(&hdr_len, sec.data + 4, 4);
	memcpy(&core_off, sec.data + 24, 4);
	/* the first core_relo record's type_id: rec_size, name, count, insn_off */
	memset(buf + (sec.data - buf) + hdr_len + core_off + 16, 0x7f, 4);
	obj = bl_object_open_mem(buf, (size_t)size, "copy", NULL, &err);
	T_EXPECT("core/unreadable-btf-ext", obj && !obj->btf_ext && obj->prog_cnt, "%s",
		 obj ? "the damaged .BTF.ext was read" : err.msg);
	T_EXPECT("core/unreadable-btf-ext", bl_core_relocate_program(obj, &obj->progs[0], &err) < 0 &&
		 strstr(err.msg, "holds CO-RE relocations but could not be read"), "%s", err.msg);
	t_pass("core/unreadable-btf-ext");
out:
	bl_object_close(obj);
	free(buf);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	unsigned int per_kind[16] = { 0 }, k;
	struct btf *lb;
	int i, objects = 0;

	libbpf_set_print(quiet);
	if (access(VMLINUX, R_OK)) {
		t_skip("core", "%s is not readable: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)", VMLINUX);
		return 0;
	}
	lb = btf__parse_raw(VMLINUX);
	if (!lb) {
		t_fail("core", "libbpf cannot read %s", VMLINUX);
		return 1;
	}
	test_kernel_btf(lb);
	for (i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (strncmp(base, "core_", 5) && strcmp(base, "btf_types.bpf.o"))
			continue;
		test_object(argv[i], lb, per_kind);
		if (strcmp(base, "core_fail.bpf.o") == 0)
			test_unreadable_ext(argv[i]);
		objects++;
	}
	if (!objects)
		t_skip("core/resolve", "no CO-RE test objects given (tests/kern/core_*.bpf.o need bpftool for vmlinux.h)");
	printf("# relocations checked per kind:");
	for (k = 0; k <= BPF_CORE_TYPE_MATCHES; k++)
		printf(" %s %u%s", bl_core_kind_str(k), per_kind[k], k < BPF_CORE_TYPE_MATCHES ? "," : "\n");
	btf__free(lb);
	return t_exit_code();
}
