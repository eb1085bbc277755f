// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_btf.c - the BTF and .BTF.ext readers against clang-built objects
 * and the running kernel's vmlinux BTF, with libbpf (and libelf, for
 * symbols) as independent oracles; DATASEC fixup against libbpf's; the
 * sanitizer; and broken copies, which must be rejected with a message and
 * never read out of bounds (this test is built with AddressSanitizer).
 *
 * Usage: test_btf OBJECT.bpf.o...   (btf_types.bpf.o gets the corruptions)
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../testlib.h"
#include "btf/btf.h"
#include "btf/btf_ext.h"
#include "btf/btf_fixup.h"
#include "btf/btf_load.h"
#include "object/btf_maps.h"
#include "elf/elf_reader.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

struct object {
	const char *path;
	const char *base;		/* file name without directories */
	unsigned char *data;
	size_t size;
	struct bl_elf elf;
	const unsigned char *btf;	/* the .BTF section */
	size_t btf_size;
	const unsigned char *ext;	/* the .BTF.ext section, or NULL */
	size_t ext_size;
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static unsigned char *read_whole(const char *path, size_t *size)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != (ssize_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*size = (size_t)st.st_size;
	return buf;
}

static int section_bytes(const struct bl_elf *elf, const char *name, const unsigned char **data,
			 size_t *size)
{
	struct bl_elf_section s;
	size_t i = bl_elf_find_section(elf, name);

	if (!i)
		return -1;
	bl_elf_section(elf, i, &s);
	*data = s.data;
	*size = (size_t)s.size;
	return 0;
}

static int load_object(const char *path, struct object *o)
{
	struct bl_err err;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	o->data = read_whole(path, &o->size);
	if (!o->data || bl_elf_open(&o->elf, o->data, o->size, &err))
		return -1;
	if (section_bytes(&o->elf, ".BTF", &o->btf, &o->btf_size))
		return -1;
	if (section_bytes(&o->elf, ".BTF.ext", &o->ext, &o->ext_size))
		o->ext = NULL;
	return 0;
}

/* The object's .BTF, parsed by us; the test fails when it does not parse. */
static struct bl_btf *our_btf(const char *name, const struct object *o)
{
	struct bl_err err;
	struct bl_btf *btf = bl_btf_parse(o->btf, o->btf_size, NULL, &err);

	if (!btf)
		t_fail(name, "parse: %s", err.msg);
	return btf;
}

/* ---- ELF facts for bl_btf_fixup_datasecs, read with our ELF reader ------- */

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

/* ---- types against libbpf --------------------------------------------- */

static const char *lname(const struct btf *lb, uint32_t off)
{
	const char *s = btf__name_by_offset(lb, off);

	return s ? s : "(null)";
}

/* The entries after the record, compared field by field. */
static int same_entries(const struct bl_btf *ours, const struct btf_type *a,
			const struct btf *lb, const struct btf_type *b, char *why, size_t n)
{
	uint32_t i, vlen = btf_vlen(b);

	switch (btf_kind(b)) {
	case BTF_KIND_INT:
		if (bl_btf_int_info(a) != *(const uint32_t *)(b + 1))
			return snprintf(why, n, "int encoding differs"), 0;
		break;
	case BTF_KIND_ARRAY:
		if (bl_btf_array(a)->type != btf_array(b)->type || bl_btf_array(a)->nelems != btf_array(b)->nelems ||
		    bl_btf_array(a)->index_type != btf_array(b)->index_type)
			return snprintf(why, n, "array differs"), 0;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++)
			if (strcmp(bl_btf_name(ours, bl_btf_members(a)[i].name_off), lname(lb, btf_members(b)[i].name_off)) ||
			    bl_btf_members(a)[i].type != btf_members(b)[i].type ||
			    bl_btf_member_bit_offset(a, i) != btf_member_bit_offset(b, i) ||
			    bl_btf_member_bitfield_size(a, i) != btf_member_bitfield_size(b, i))
				return snprintf(why, n, "member %u differs", i), 0;
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		for (i = 0; i < vlen; i++) {
			int64_t want = btf_is_enum(b) ? (btf_kflag(b) ? (int64_t)btf_enum(b)[i].val
								    : (int64_t)(uint32_t)btf_enum(b)[i].val)
						      : (int64_t)btf_enum64_value(&btf_enum64(b)[i]);

			if (bl_btf_enum_value(a, i) != want ||
			    strcmp(bl_btf_name(ours, bl_btf_enum_name_off(a, i)),
				   lname(lb, btf_is_enum(b) ? btf_enum(b)[i].name_off : btf_enum64(b)[i].name_off)))
				return snprintf(why, n, "enum value %u differs", i), 0;
		}
		break;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < vlen; i++)
			if (bl_btf_params(a)[i].type != btf_params(b)[i].type ||
			    strcmp(bl_btf_name(ours, bl_btf_params(a)[i].name_off), lname(lb, btf_params(b)[i].name_off)))
				return snprintf(why, n, "param %u differs", i), 0;
		break;
	case BTF_KIND_VAR:
		if (bl_btf_var(a)->linkage != btf_var(b)->linkage)
			return snprintf(why, n, "linkage differs"), 0;
		break;
	case BTF_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			if (memcmp(&bl_btf_secinfos(a)[i], &btf_var_secinfos(b)[i], sizeof(struct btf_var_secinfo)))
				return snprintf(why, n, "variable %u differs", i), 0;
		break;
	case BTF_KIND_DECL_TAG:
		if (bl_btf_decl_tag(a)->component_idx != btf_decl_tag(b)->component_idx)
			return snprintf(why, n, "component differs"), 0;
		break;
	}
	return 1;
}

/* Every type, kind, name, size or referenced type and entry, as libbpf
 * reads them.  Returns the number of types compared, or -1. */
static long compare_types(const char *name, const struct bl_btf *ours, const struct btf *lb,
			  uint32_t from)
{
	uint32_t id, count = btf__type_cnt(lb);
	char why[128];

	if (bl_btf_type_count(ours) != count) {
		t_fail(name, "%u types, libbpf says %u", bl_btf_type_count(ours), count);
		return -1;
	}
	for (id = from; id < count; id++) {
		const struct btf_type *a = bl_btf_type(ours, id), *b = btf__type_by_id(lb, id);

		if (!a || bl_btf_kind(a) != btf_kind(b) || bl_btf_vlen(a) != btf_vlen(b) ||
		    bl_btf_kflag(a) != btf_kflag(b) || a->size != b->size ||
		    strcmp(bl_btf_type_name(ours, id), lname(lb, b->name_off))) {
			t_fail(name, "type [%u] %s %s differs from libbpf's %s %s", id,
			       a ? bl_btf_kind_str(bl_btf_kind(a)) : "NULL", bl_btf_type_name(ours, id),
			       bl_btf_kind_str(btf_kind(b)), lname(lb, b->name_off));
			return -1;
		}
		if (!same_entries(ours, a, lb, b, why, sizeof(why))) {
			t_fail(name, "type [%u] %s: %s from libbpf's", id, bl_btf_type_name(ours, id), why);
			return -1;
		}
	}
	if (bl_btf_type(ours, count) || bl_btf_type(ours, UINT32_MAX) || !bl_btf_type(ours, 0) ||
	    bl_btf_kind(bl_btf_type(ours, 0)) != BTF_KIND_UNKN) {
		t_fail(name, "ids 0 or past the end give the wrong answer");
		return -1;
	}
	return (long)(count - from);
}

/* Sizes and alignments of every type, and name lookups, as libbpf has
 * them; both must fail where libbpf fails to size a type. */
static int compare_sizes(const char *name, const struct bl_btf *ours, const struct btf *lb, int check_align)
{
	uint32_t id, count = btf__type_cnt(lb), size, align;
	struct bl_err err;

	for (id = 0; id < count; id++) {
		long long want = btf__resolve_size(lb, id);
		int ret = bl_btf_resolve_size(ours, id, &size, &err);

		/* libbpf sizes a DECL_TAG as what it tags; to us an
		 * annotation has no size (the kernel agrees) */
		if (btf_is_decl_tag(btf__type_by_id(lb, id)))
			want = -EINVAL;
		if ((want < 0) != (ret < 0) || (ret == 0 && size != want)) {
			t_fail(name, "type [%u] %s: size %s%u, libbpf says %lld", id, bl_btf_type_name(ours, id),
			       ret ? "error " : "", ret ? (unsigned)-ret : size, want);
			return -1;
		}
		if (ret && !err.msg[0]) {
			t_fail(name, "type [%u]: no message for a type without size", id);
			return -1;
		}
		want = check_align ? btf__align_of(lb, id) : -1;
		if (want > 0 && (bl_btf_resolve_align(ours, id, &align, &err) || align != want)) {
			t_fail(name, "type [%u] %s: alignment %u, libbpf says %lld", id, bl_btf_type_name(ours, id),
			       align, want);
			return -1;
		}
	}
	return 0;
}

static int compare_find(const char *name, const struct bl_btf *ours, const struct btf *lb)
{
	uint32_t id, count = btf__type_cnt(lb);

	for (id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(lb, id);
		const char *n = lname(lb, t->name_off);

		if (!*n)
			continue;
		if (bl_btf_find(ours, n, btf_kind(t)) != btf__find_by_name_kind(lb, n, btf_kind(t))) {
			t_fail(name, "find %s %s: %lld, libbpf says %d", bl_btf_kind_str(btf_kind(t)), n,
			       (long long)bl_btf_find(ours, n, btf_kind(t)), btf__find_by_name_kind(lb, n, btf_kind(t)));
			return -1;
		}
	}
	if (bl_btf_find(ours, "no_such_type_bl", BTF_KIND_STRUCT) != -ENOENT) {
		t_fail(name, "found a type that does not exist");
		return -1;
	}
	return 0;
}

/* skip_modifiers: ends on a type that is no modifier, reached through them. */
static int check_skip(const char *name, const struct bl_btf *ours)
{
	uint32_t id, count = bl_btf_type_count(ours);

	for (id = 0; id < count; id++) {
		uint32_t end = bl_btf_skip_modifiers(ours, id), at = id;
		unsigned int kind = bl_btf_kind(bl_btf_type(ours, end));

		if (kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
		    kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG) {
			t_fail(name, "skip_modifiers(%u) stopped at a %s", id, bl_btf_kind_str(kind));
			return -1;
		}
		while (at != end)
			at = bl_btf_type(ours, at)->type;
	}
	return 0;
}

static void test_types(const struct object *o)
{
	char name[256];
	struct bl_btf *ours;
	struct btf *lb;
	long n;

	snprintf(name, sizeof(name), "btf/%s/types", o->base);
	lb = btf__new(o->btf, (uint32_t)o->btf_size);
	T_EXPECT(name, lb, "libbpf cannot parse the .BTF: %s", strerror(errno));
	ours = our_btf(name, o);
	if (ours && (n = compare_types(name, ours, lb, 1)) >= 0 &&
	    compare_sizes(name, ours, lb, 1) == 0 && compare_find(name, ours, lb) == 0 &&
	    check_skip(name, ours) == 0) {
		printf("# %s: %ld types, features %#x\n", name, n, bl_btf_features_used(ours));
		t_pass(name);
	}
	bl_btf_free(ours);
	btf__free(lb);
}

/* ---- BTF-defined maps against libbpf's reading of them --------------------- */

struct map_facts {
	uint64_t type, max_entries, flags;
	uint64_t key_size, value_size;	/* UINT64_MAX: not declared */
};

/* A size declared as __type(name, T) or __uint(name_size, N). */
static int read_size(const struct bl_btf *btf, const struct btf_type *def, const char *name,
		     uint64_t *size, struct bl_err *err)
{
	const struct btf_member *f = bl_btf_member_by_name(btf, def, name);
	char sized[32];
	uint32_t id, sz;
	int ret;

	snprintf(sized, sizeof(sized), "%s_size", name);
	*size = UINT64_MAX;
	if (f) {
		if ((ret = bl_btf_member_pointee(btf, f, &id, err)) || (ret = bl_btf_resolve_size(btf, id, &sz, err)))
			return ret;
		*size = sz;
	} else if ((f = bl_btf_member_by_name(btf, def, sized))) {
		return bl_btf_member_uint(btf, f, size, err);
	}
	return 0;
}

static int read_map(const struct bl_btf *btf, uint32_t var, struct map_facts *m, struct bl_err *err)
{
	const struct btf_type *def = bl_btf_type(btf, bl_btf_skip_modifiers(btf, bl_btf_type(btf, var)->type));
	const struct btf_member *f;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	if ((f = bl_btf_member_by_name(btf, def, "type")))
		ret = ret ? ret : bl_btf_member_uint(btf, f, &m->type, err);
	if ((f = bl_btf_member_by_name(btf, def, "max_entries")))
		ret = ret ? ret : bl_btf_member_uint(btf, f, &m->max_entries, err);
	if ((f = bl_btf_member_by_name(btf, def, "map_flags")))
		ret = ret ? ret : bl_btf_member_uint(btf, f, &m->flags, err);
	ret = ret ? ret : read_size(btf, def, "key", &m->key_size, err);
	return ret ? ret : read_size(btf, def, "value", &m->value_size, err);
}

/* libbpf fills in sizes a map of maps or a prog array does not declare */
static int same_size(uint64_t ours, uint32_t libbpf)
{
	return ours == UINT64_MAX || ours == libbpf;
}

static void test_maps(const struct object *o)
{
	char name[256];
	struct bl_btf *ours;
	struct bpf_object *obj;
	const struct btf_type *sec;
	int64_t sec_id;
	uint32_t i, n = 0;
	struct bl_err err;

	snprintf(name, sizeof(name), "btf/%s/defined-maps", o->base);
	ours = our_btf(name, o);
	if (!ours)
		return;
	sec_id = bl_btf_find(ours, ".maps", BTF_KIND_DATASEC);
	if (sec_id < 0) {
		bl_btf_free(ours);
		return;		/* no BTF-defined maps in this object */
	}
	obj = bpf_object__open_file(o->path, NULL);
	if (!obj) {
		t_fail(name, "libbpf cannot open the object");
		goto out;
	}
	sec = bl_btf_type(ours, (uint32_t)sec_id);
	for (i = 0; i < bl_btf_vlen(sec); i++, n++) {
		uint32_t var = bl_btf_secinfos(sec)[i].type;
		struct bpf_map *map = bpf_object__find_map_by_name(obj, bl_btf_type_name(ours, var));
		struct map_facts m;

		if (read_map(ours, var, &m, &err)) {
			t_fail(name, "map %s: %s", bl_btf_type_name(ours, var), err.msg);
			goto out;
		}
		if (!map || m.type != bpf_map__type(map) || m.max_entries != bpf_map__max_entries(map) ||
		    m.flags != bpf_map__map_flags(map) || !same_size(m.key_size, bpf_map__key_size(map)) ||
		    !same_size(m.value_size, bpf_map__value_size(map))) {
			t_fail(name, "map %s: type %llu entries %llu flags %llu key %lld value %lld differ from libbpf's",
			       bl_btf_type_name(ours, var), (unsigned long long)m.type,
			       (unsigned long long)m.max_entries, (unsigned long long)m.flags,
			       (long long)m.key_size, (long long)m.value_size);
			goto out;
		}
	}
	printf("# %s: %u maps\n", name, n);
	t_pass(name);
out:
	bpf_object__close(obj);
	bl_btf_free(ours);
}

/* __uint() readers refuse what is not one, with a message. */
static void test_member_helpers(const struct object *o)
{
	const char *name = "btf/member-helpers/refuse-non-numbers";
	struct bl_btf *ours = our_btf(name, o);
	const struct btf_type *def;
	struct bl_err err = { 0, "" };
	uint64_t v;
	uint32_t id;
	int64_t sample;

	if (!ours)
		return;
	sample = bl_btf_find(ours, "sample", BTF_KIND_STRUCT);
	def = sample > 0 ? bl_btf_type(ours, (uint32_t)sample) : NULL;
	if (!def || !bl_btf_member_by_name(ours, def, "when"))
		t_fail(name, "struct sample or its member when not found");
	else if (bl_btf_member_uint(ours, bl_btf_member_by_name(ours, def, "when"), &v, &err) == 0 ||
		 !strstr(err.msg, "when"))
		t_fail(name, "a __u64 member read as a __uint(): %s", err.msg);
	else if (bl_btf_member_pointee(ours, bl_btf_member_by_name(ours, def, "pid"), &id, &err) == 0 ||
		 !strstr(err.msg, "__type"))
		t_fail(name, "a __u32 member read as a __type(): %s", err.msg);
	else if (bl_btf_member_by_name(ours, def, "no_such_member"))
		t_fail(name, "found a member that does not exist");
	else
		t_pass(name);
	bl_btf_free(ours);
}

/* ---- DATASEC fixup against libbpf's ---------------------------------------- */

static int is_extern_sec(const char *n)
{
	return strcmp(n, ".kconfig") == 0 || strcmp(n, ".ksyms") == 0;
}

/* Data sections: the same size and the same variables at the same
 * offsets as libbpf gives them after opening the object. */
static int compare_datasecs(const char *name, const struct bl_btf *ours, const struct btf *lb)
{
	uint32_t id, i, count = bl_btf_type_count(ours);

	for (id = 1; id < count; id++) {
		const struct btf_type *a = bl_btf_type(ours, id), *b;
		const char *sec = bl_btf_type_name(ours, id);
		int lid;

		if (bl_btf_kind(a) != BTF_KIND_DATASEC || is_extern_sec(sec))
			continue;
		lid = btf__find_by_name_kind(lb, sec, BTF_KIND_DATASEC);
		b = lid > 0 ? btf__type_by_id(lb, (uint32_t)lid) : NULL;
		if (!b || a->size != b->size || bl_btf_vlen(a) != btf_vlen(b)) {
			t_fail(name, "DATASEC %s: size %u, libbpf says %u", sec, a->size, b ? b->size : 0);
			return -1;
		}
		for (i = 0; i < bl_btf_vlen(a); i++) {
			const struct btf_var_secinfo *x = &bl_btf_secinfos(a)[i], *y = &btf_var_secinfos(b)[i];

			if (x->offset != y->offset || x->size != y->size ||
			    strcmp(bl_btf_type_name(ours, x->type), lname(lb, btf__type_by_id(lb, y->type)->name_off))) {
				t_fail(name, "DATASEC %s: variable %s at %u, libbpf has %s at %u", sec,
				       bl_btf_type_name(ours, x->type), x->offset,
				       lname(lb, btf__type_by_id(lb, y->type)->name_off), y->offset);
				return -1;
			}
		}
	}
	return 0;
}

/* After fixup every DATASEC is one the kernel's rules allow: a size, VARs
 * (no externs) in increasing, non-overlapping slots inside it. */
static int check_kernel_rules(const char *name, const struct bl_btf *ours)
{
	uint32_t id, i, count = bl_btf_type_count(ours);

	for (id = 1; id < count; id++) {
		const struct btf_type *t = bl_btf_type(ours, id);
		uint32_t end = 0;

		if (bl_btf_kind(t) == BTF_KIND_FUNC && bl_btf_func_linkage(t) == BTF_FUNC_EXTERN) {
			t_fail(name, "FUNC %s is still extern", bl_btf_type_name(ours, id));
			return -1;
		}
		if (bl_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		for (i = 0; i < bl_btf_vlen(t); i++) {
			const struct btf_var_secinfo *v = &bl_btf_secinfos(t)[i];
			const struct btf_type *var = bl_btf_type(ours, v->type);

			if (bl_btf_kind(var) != BTF_KIND_VAR || bl_btf_var(var)->linkage == BTF_VAR_GLOBAL_EXTERN ||
			    v->offset < end || !v->size || v->offset + v->size > t->size) {
				t_fail(name, "DATASEC %s: entry %u (%s at %u, %u bytes) breaks the kernel's rules",
				       bl_btf_type_name(ours, id), i, bl_btf_type_name(ours, v->type), v->offset, v->size);
				return -1;
			}
			end = v->offset + v->size;
		}
		if (!t->size) {
			t_fail(name, "DATASEC %s still has size 0", bl_btf_type_name(ours, id));
			return -1;
		}
	}
	return 0;
}

static void test_fixup(struct object *o)
{
	char name[256];
	struct bl_btf_elf_info info = { elf_section_size, elf_var_offset, o };
	struct bl_btf *ours;
	struct bpf_object *obj = NULL;
	struct bl_err err;
	uint32_t size;
	const void *raw;
	struct btf *again;

	snprintf(name, sizeof(name), "btf/%s/fixup-datasecs", o->base);
	ours = our_btf(name, o);
	if (!ours)
		return;
	if (bl_btf_fixup_datasecs(ours, &info, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	/* libbpf 1.x refuses objects with a legacy "maps" section: for
	 * those, only the kernel's rules are checked */
	obj = bpf_object__open_file(o->path, NULL);
	if (obj && !bpf_object__btf(obj)) {
		t_fail(name, "libbpf opens the object but finds no BTF");
		goto out;
	}
	if ((obj && compare_datasecs(name, ours, bpf_object__btf(obj))) || check_kernel_rules(name, ours))
		goto out;
	if (!obj)
		printf("# %s: libbpf cannot open the object; checked against the kernel's rules only\n", name);
	/* the result is still BTF: libbpf and we parse it again */
	raw = bl_btf_raw(ours, &size);
	again = btf__new(raw, size);
	if (!again)
		t_fail(name, "libbpf cannot parse the fixed-up BTF");
	else if (bl_btf_fixup_datasecs(ours, &info, &err) || check_kernel_rules(name, ours))
		t_fail(name, "a second fixup changed or refused it: %s", err.msg);
	else
		t_pass(name);
	btf__free(again);
out:
	bpf_object__close(obj);
	bl_btf_free(ours);
}

/* Object files that do not say what the BTF needs: errors, not guesses. */
static int no_section(void *ctx, const char *s, uint32_t *size)
{
	(void)ctx, (void)s, (void)size;
	return -ENOENT;
}

static int no_symbol(void *ctx, const char *s, const char *v, uint32_t *off)
{
	(void)ctx, (void)s, (void)v, (void)off;
	return -ENOENT;
}

static int symbol_past_end(void *ctx, const char *s, const char *v, uint32_t *off)
{
	(void)v;
	return elf_section_size(ctx, s, off);
}

static void expect_fixup_error(struct object *o, const char *what, struct bl_btf_elf_info info,
			       const char *want)
{
	char name[128];
	struct bl_btf *ours;
	struct bl_err err = { 0, "" };

	snprintf(name, sizeof(name), "btf/fixup-refuses/%s", what);
	ours = our_btf(name, o);
	if (!ours)
		return;
	if (bl_btf_fixup_datasecs(ours, &info, &err) == 0)
		t_fail(name, "fixup succeeded");
	else if (!strstr(err.msg, want))
		t_fail(name, "message \"%s\" lacks \"%s\"", err.msg, want);
	else
		t_pass(name);
	bl_btf_free(ours);
}

static void test_fixup_errors(struct object *o)
{
	expect_fixup_error(o, "missing-section", (struct bl_btf_elf_info){ no_section, elf_var_offset, o },
			   "no section of that name");
	expect_fixup_error(o, "missing-symbol", (struct bl_btf_elf_info){ elf_section_size, no_symbol, o },
			   "has no symbol");
	expect_fixup_error(o, "variable-past-end", (struct bl_btf_elf_info){ elf_section_size, symbol_past_end, o },
			   "lies outside");
}

/* ---- sanitizing ----------------------------------------------------------- */

static const unsigned int all_features = BL_BTF_FEAT_FUNC | BL_BTF_FEAT_DATASEC |
	BL_BTF_FEAT_GLOBAL_FUNC | BL_BTF_FEAT_FLOAT | BL_BTF_FEAT_DECL_TAG | BL_BTF_FEAT_TYPE_TAG |
	BL_BTF_FEAT_ENUM64;

/* A sanitized copy uses none of the missing features, keeps every id
 * (plus at most one added INT), and libbpf still reads it. */
static void check_sanitized(const char *name, const struct bl_btf *orig, unsigned int missing)
{
	struct bl_err err;
	struct bl_btf *san = bl_btf_sanitize(orig, missing, &err);
	unsigned int before = bl_btf_features_used(orig), after, may_go = missing;
	uint32_t size, added;

	/* global FUNCs go with FUNCs; tags on variables with VARs */
	if (missing & BL_BTF_FEAT_FUNC)
		may_go |= BL_BTF_FEAT_GLOBAL_FUNC;
	if (missing & BL_BTF_FEAT_DATASEC)
		may_go |= BL_BTF_FEAT_DECL_TAG;
	const void *raw;
	struct btf *lb;

	T_EXPECT(name, san, "%s", err.msg);
	after = bl_btf_features_used(san);
	added = bl_btf_type_count(san) - bl_btf_type_count(orig);
	raw = bl_btf_raw(san, &size);
	lb = btf__new(raw, size);
	if (after & missing)
		t_fail(name, "features %#x remain after removing %#x (had %#x)", after & missing, missing, before);
	else if ((after & ~before) || ((after ^ before) & ~may_go))
		t_fail(name, "features %#x became %#x after removing %#x", before, after, missing);
	else if (added > 1 || (added && !((before & missing) & BL_BTF_FEAT_ENUM64)))
		t_fail(name, "%u types added", added);
	else if (!lb)
		t_fail(name, "libbpf cannot parse the sanitized BTF");
	else {
		printf("# %s: features %#x -> %#x\n", name, before, after);
		t_pass(name);
	}
	btf__free(lb);
	bl_btf_free(san);
}

static void test_sanitize(const struct object *o)
{
	char name[256];
	struct bl_btf *ours;
	unsigned int f;

	snprintf(name, sizeof(name), "btf/%s/sanitize-all", o->base);
	ours = our_btf(name, o);
	if (!ours)
		return;
	check_sanitized(name, ours, all_features);
	for (f = 1; f & all_features; f <<= 1) {
		snprintf(name, sizeof(name), "btf/%s/sanitize-%#x", o->base, f);
		if (bl_btf_features_used(ours) & f)
			check_sanitized(name, ours, f);
	}
	bl_btf_free(ours);
}

/* ---- .BTF.ext ---------------------------------------------------------------- */

/* The name of the function symbol at offset off of ELF section sec. */
static const char *function_at(Elf *e, size_t sec, uint64_t off)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;

			gelf_getsym(d, (int)i, &sym);
			if (GELF_ST_TYPE(sym.st_info) == STT_FUNC && sym.st_shndx == sec && sym.st_value == off)
				return elf_strptr(e, sh.sh_link, sym.st_name);
		}
	}
	return NULL;
}

static size_t libelf_section(Elf *e, const char *want, GElf_Shdr *sh)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	elf_getshdrstrndx(e, &shstrndx);
	while ((scn = elf_nextscn(e, scn))) {
		gelf_getshdr(scn, sh);
		if (strcmp(elf_strptr(e, shstrndx, sh->sh_name), want) == 0)
			return elf_ndxscn(scn);
	}
	return 0;
}

/* func_info: one record per function symbol, at its offset, naming a
 * FUNC of the symbol's name (symbols from libelf, names from libbpf). */
static int check_func_info(const char *name, const struct bl_btf_ext *ext, Elf *e, const struct btf *lb)
{
	size_t s, funcs = 0;

	for (s = 0; s < bl_btf_ext_sec_count(ext, BL_BTF_EXT_FUNC_INFO); s++) {
		const struct bl_btf_ext_sec *sec = bl_btf_ext_sec(ext, BL_BTF_EXT_FUNC_INFO, s);
		size_t idx;
		GElf_Shdr sh;
		uint32_t i;

		idx = libelf_section(e, sec->name, &sh);
		for (i = 0; i < sec->count; i++, funcs++) {
			struct bpf_func_info fi;
			const char *sym, *fn;

			bl_btf_ext_record(sec, i, &fi, sizeof(fi));
			sym = idx ? function_at(e, idx, fi.insn_off) : NULL;
			fn = lname(lb, btf__type_by_id(lb, fi.type_id)->name_off);
			if (!sym || strcmp(sym, fn)) {
				t_fail(name, "section %s: func_info %u at %u names %s, the symbol there is %s",
				       sec->name, i, fi.insn_off, fn, sym ? sym : "(none)");
				return -1;
			}
		}
	}
	return (int)funcs;
}

/* Line i (1-based) of a source file, without the newline; NULL if none. */
static char *source_line(const char *file, uint32_t line, char *buf, size_t size)
{
	FILE *f = fopen(file, "r");
	uint32_t n = 0;

	while (f && fgets(buf, (int)size, f))
		if (++n == line) {
			fclose(f);
			buf[strcspn(buf, "\n")] = '\0';
			return buf;
		}
	if (f)
		fclose(f);
	return NULL;
}

/* line_info: inside its section, and the text clang copied is that line
 * of the source (when the source is where clang saw it). */
static int check_line_info(const char *name, const struct bl_btf_ext *ext, Elf *e,
			   const struct bl_btf *ours, int *texts)
{
	size_t s;
	int lines = 0;

	for (s = 0; s < bl_btf_ext_sec_count(ext, BL_BTF_EXT_LINE_INFO); s++) {
		const struct bl_btf_ext_sec *sec = bl_btf_ext_sec(ext, BL_BTF_EXT_LINE_INFO, s);
		GElf_Shdr sh;
		uint32_t i;

		if (!libelf_section(e, sec->name, &sh)) {
			t_fail(name, "line_info for section %s, which libelf does not find", sec->name);
			return -1;
		}
		for (i = 0; i < sec->count; i++, lines++) {
			struct bpf_line_info li;
			char buf[512];
			const char *file, *text, *src;

			bl_btf_ext_record(sec, i, &li, sizeof(li));
			file = bl_btf_name(ours, li.file_name_off);
			text = bl_btf_name(ours, li.line_off);
			if (li.insn_off >= sh.sh_size || !file || !*file || !text) {
				t_fail(name, "section %s: line_info %u is outside the section or nameless", sec->name, i);
				return -1;
			}
			src = source_line(file, BPF_LINE_INFO_LINE_NUM(li.line_col), buf, sizeof(buf));
			if (src && strcmp(src, text)) {
				t_fail(name, "%s:%u is \"%s\", line_info says \"%s\"", file,
				       BPF_LINE_INFO_LINE_NUM(li.line_col), src, text);
				return -1;
			}
			*texts += src != NULL;
		}
	}
	return lines;
}

static void test_ext(const struct object *o)
{
	char name[256];
	struct bl_btf *ours;
	struct bl_btf_ext *ext = NULL;
	struct btf_ext *lext;
	struct btf *lb;
	struct bl_err err;
	int fd, funcs, lines, texts = 0;
	Elf *e;

	snprintf(name, sizeof(name), "btf.ext/%s/records", o->base);
	T_EXPECT(name, o->ext, "the object has no .BTF.ext");
	lext = btf_ext__new(o->ext, (uint32_t)o->ext_size);
	lb = btf__new(o->btf, (uint32_t)o->btf_size);
	fd = open(o->path, O_RDONLY);
	e = elf_begin(fd, ELF_C_READ, NULL);
	ours = our_btf(name, o);
	if (!lext || !lb) {
		t_fail(name, "libbpf cannot parse the object's .BTF or .BTF.ext");
	} else if (ours && !(ext = bl_btf_ext_parse(o->ext, o->ext_size, ours, &err))) {
		t_fail(name, "%s", err.msg);
	} else if (ext && (funcs = check_func_info(name, ext, e, lb)) >= 0 &&
		   (lines = check_line_info(name, ext, e, ours, &texts)) >= 0) {
		printf("# %s: %d func_info, %d line_info (%d compared with the source), %zu sections with core_relo\n",
		       name, funcs, lines, texts, bl_btf_ext_sec_count(ext, BL_BTF_EXT_CORE_RELO));
		t_pass(name);
	}
	bl_btf_ext_free(ext);
	bl_btf_free(ours);
	elf_end(e);
	close(fd);
	btf_ext__free(lext);
	btf__free(lb);
}

/* One program's records, as BPF_PROG_LOAD wants them: for each function,
 * one func_info at instruction first_insn, line_info starting there and
 * staying inside the function. */
static int check_function_records(const char *name, const struct bl_btf_ext *ext,
				  const struct bl_btf *ours, const char *sec, const struct bl_elf_symbol *sym)
{
	struct bl_btf_ext_info fi = { 0 }, li = { 0 };
	struct bl_err err;
	const uint32_t first = 7;	/* as if appended after 7 instructions */
	uint32_t i, prev = 0;
	struct bpf_func_info f;
	int ok = 0;

	if (bl_btf_ext_prog_info(ext, BL_BTF_EXT_FUNC_INFO, sec, sym->value, sym->value + sym->size, first, &fi, &err) ||
	    bl_btf_ext_prog_info(ext, BL_BTF_EXT_LINE_INFO, sec, sym->value, sym->value + sym->size, first, &li, &err)) {
		t_fail(name, "%s: %s", sym->name, err.msg);
		goto out;
	}
	if (fi.count != 1 || li.count == 0) {
		t_fail(name, "%s: %u func_info and %u line_info records", sym->name, fi.count, li.count);
		goto out;
	}
	memcpy(&f, fi.recs, sizeof(f));
	if (f.insn_off != first || strcmp(bl_btf_type_name(ours, f.type_id), sym->name)) {
		t_fail(name, "%s: func_info at %u names %s", sym->name, f.insn_off, bl_btf_type_name(ours, f.type_id));
		goto out;
	}
	for (i = 0; i < li.count; i++) {
		struct bpf_line_info l;

		memcpy(&l, li.recs + (size_t)i * li.rec_size, sizeof(l));
		if ((i == 0 && l.insn_off != first) || l.insn_off < prev || l.insn_off >= first + sym->size / 8) {
			t_fail(name, "%s: line_info %u at instruction %u", sym->name, i, l.insn_off);
			goto out;
		}
		prev = l.insn_off;
	}
	ok = 1;
out:
	bl_btf_ext_info_free(&fi);
	bl_btf_ext_info_free(&li);
	return ok;
}

static void test_prog_info(const struct object *o)
{
	char name[256];
	struct bl_btf *ours;
	struct bl_btf_ext *ext = NULL;
	struct bl_err err;
	size_t i, funcs = 0;

	snprintf(name, sizeof(name), "btf.ext/%s/per-function-records", o->base);
	if (!o->ext || !(ours = our_btf(name, o)))
		return;
	ext = bl_btf_ext_parse(o->ext, o->ext_size, ours, &err);
	if (!ext) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < o->elf.symbol_count; i++) {
		struct bl_elf_symbol sym;
		struct bl_elf_section sec;

		bl_elf_symbol(&o->elf, i, &sym);
		if (sym.type != STT_FUNC)
			continue;
		bl_elf_section(&o->elf, sym.shndx, &sec);
		if (!check_function_records(name, ext, ours, sec.name, &sym))
			goto out;
		funcs++;
	}
	printf("# %s: %zu functions\n", name, funcs);
	t_pass(name);
out:
	bl_btf_ext_free(ext);
	bl_btf_free(ours);
}

/* ---- vmlinux and split BTF ------------------------------------------------------ */

static double ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void test_vmlinux(void)
{
	const char *name = "btf/vmlinux";
	static const char *const structs[] = { "task_struct", "pt_regs", "file", "sk_buff", "bpf_prog" };
	struct bl_err err;
	struct bl_btf *ours;
	struct btf *lb;
	struct timespec start;
	size_t i;
	double ms;
	long n;

	if (access(VMLINUX, R_OK) != 0) {
		t_skip(name, "%s is absent (kernel without CONFIG_DEBUG_INFO_BTF)", VMLINUX);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	ours = bl_btf_parse_file(VMLINUX, NULL, &err);
	ms = ms_since(&start);
	T_EXPECT(name, ours, "%s", err.msg);
	lb = btf__parse_raw(VMLINUX);
	if (!lb) {
		t_fail(name, "libbpf cannot parse %s", VMLINUX);
		goto out;
	}
	if ((n = compare_types(name, ours, lb, 1)) < 0 || compare_sizes(name, ours, lb, 1))
		goto out;
	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++) {
		int64_t id = bl_btf_find(ours, structs[i], BTF_KIND_STRUCT);
		uint32_t size = 0;

		if (id != btf__find_by_name_kind(lb, structs[i], BTF_KIND_STRUCT) ||
		    (id > 0 && (bl_btf_resolve_size(ours, (uint32_t)id, &size, &err) ||
				size != btf__resolve_size(lb, (uint32_t)id)))) {
			t_fail(name, "struct %s: id %lld size %u differ from libbpf's", structs[i], (long long)id, size);
			goto out;
		}
		printf("# %s: struct %s is type %lld, %u bytes\n", name, structs[i], (long long)id, size);
	}
	printf("# %s: %ld types parsed in %.1f ms (ASan build), features %#x\n", name, n, ms,
	       bl_btf_features_used(ours));
	t_pass(name);
out:
	btf__free(lb);
	bl_btf_free(ours);
}

/* Kernel modules' BTF when the kernel has modules with BTF; else none. */
static void test_module_split(void)
{
	const char *name = "btf/vmlinux/module-split";
	struct bl_btf *base = NULL, *mod = NULL;
	struct btf *lbase = NULL, *lmod = NULL;
	char path[300] = "";
	struct bl_err err;
	DIR *dir = opendir("/sys/kernel/btf");
	struct dirent *d;

	while (dir && (d = readdir(dir)) && !path[0])
		if (d->d_name[0] != '.' && strcmp(d->d_name, "vmlinux") != 0)
			snprintf(path, sizeof(path), "/sys/kernel/btf/%s", d->d_name);
	if (dir)
		closedir(dir);
	if (!path[0]) {
		t_skip(name, "this kernel has no module BTF in /sys/kernel/btf (split BTF is tested by hand below)");
		return;
	}
	base = bl_btf_parse_file(VMLINUX, NULL, &err);
	mod = base ? bl_btf_parse_file(path, base, &err) : NULL;
	lbase = btf__parse_raw(VMLINUX);
	lmod = lbase ? btf__parse_raw_split(path, lbase) : NULL;
	if (!mod)
		t_fail(name, "%s", err.msg);
	else if (!lmod)
		t_fail(name, "libbpf cannot parse %s", path);
	else if (compare_types(name, mod, lmod, bl_btf_start_id(mod)) >= 0 && compare_sizes(name, mod, lmod, 0) == 0)
		t_pass(name);
	btf__free(lmod);
	btf__free(lbase);
	bl_btf_free(mod);
	bl_btf_free(base);
}

/* libbpf's reading of a split blob (its shared library has no
 * btf__new_split before 1.3, so through a file). */
static struct btf *libbpf_split(const void *blob, size_t size, struct btf *base)
{
	char path[] = "/tmp/test_btf_split.XXXXXX";
	int fd = mkstemp(path);
	struct btf *lb = NULL;

	if (fd >= 0 && write(fd, blob, size) == (ssize_t)size)
		lb = btf__parse_raw_split(path, base);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return lb;
}

/* A split BTF by hand on top of an object's BTF: ids and string offsets
 * continue the base's, types refer to the base's. */
static void test_split_by_hand(const struct object *o)
{
	const char *name = "btf/split-by-hand";
	struct bl_btf *base = our_btf(name, o), *split = NULL;
	struct btf *lbase = btf__new(o->btf, (uint32_t)o->btf_size), *lsplit = NULL;
	uint32_t n, s, blob[64], *w = blob;
	int64_t sample = base ? bl_btf_find(base, "sample", BTF_KIND_STRUCT) : -1;
	static const char strs[] = "split_pair\0first\0second";	/* no leading NUL in split BTF */
	struct bl_err err;
	const struct btf_type *t;
	uint32_t size;

	if (!base || !lbase || sample < 0) {
		t_fail(name, "base BTF or its struct sample missing");
		goto out;
	}
	n = bl_btf_type_count(base);
	memcpy(&s, o->btf + 20, sizeof(s));	/* the base's str_len: split offsets follow it */
	*w++ = 0x0001eb9f; *w++ = 24; *w++ = 0; *w++ = 0; *w++ = 0; *w++ = sizeof(strs);
	*w++ = 0; *w++ = BTF_KIND_PTR << 24; *w++ = (uint32_t)sample;			/* [n] sample * */
	*w++ = s; *w++ = (BTF_KIND_STRUCT << 24) | 2; *w++ = 136;			/* [n+1] split_pair */
	*w++ = s + 11; *w++ = (uint32_t)sample; *w++ = 0;				/* struct sample first */
	*w++ = s + 17; *w++ = n; *w++ = 128 * 8;					/* sample *second */
	blob[3] = (uint32_t)((w - blob) * 4 - 24);
	blob[4] = blob[3];
	memcpy(w, strs, sizeof(strs));
	split = bl_btf_parse(blob, 24 + blob[3] + sizeof(strs), base, &err);
	lsplit = libbpf_split(blob, 24 + blob[3] + sizeof(strs), lbase);
	if (!split)
		t_fail(name, "%s", err.msg);
	else if (!lsplit)
		t_fail(name, "libbpf refuses the hand-made split BTF");
	else if (compare_types(name, split, lsplit, n) < 0 || compare_sizes(name, split, lsplit, 1))
		;
	else if (!(t = bl_btf_type(split, n + 1)) || strcmp(bl_btf_type_name(split, n + 1), "split_pair") ||
		 bl_btf_find(split, "split_pair", BTF_KIND_STRUCT) != n + 1 ||
		 bl_btf_find(split, "sample", BTF_KIND_STRUCT) != sample ||
		 bl_btf_resolve_size(split, n, &size, &err) || size != 8 || bl_btf_start_id(split) != n ||
		 bl_btf_base(split) != base)
		t_fail(name, "split types read wrong");
	else
		t_pass(name);
	bl_btf_free(split);
	/* a split type naming an id past the end, and a split blob without its base */
	blob[6 + 2] = n + 5;
	split = bl_btf_parse(blob, 24 + blob[3] + sizeof(strs), base, &err);
	if (split || !strstr(err.msg, "refers to type"))
		t_fail("btf/split-by-hand/bad-id", "accepted, or wrong message: %s", split ? "" : err.msg);
	else
		t_pass("btf/split-by-hand/bad-id");
	bl_btf_free(split);
	split = bl_btf_parse(blob, 24 + blob[3] + sizeof(strs), NULL, &err);
	if (split || !strstr(err.msg, "split BTF"))
		t_fail("btf/split-by-hand/without-base", "accepted, or wrong message: %s", split ? "" : err.msg);
	else
		t_pass("btf/split-by-hand/without-base");
	bl_btf_free(split);
out:
	btf__free(lsplit);
	btf__free(lbase);
	bl_btf_free(base);
}

static void test_vmlinux_sanitize(void)
{
	const char *name = "btf/vmlinux/sanitize-all";
	struct bl_err err;
	struct bl_btf *ours;

	if (access(VMLINUX, R_OK) != 0) {
		t_skip(name, "%s is absent", VMLINUX);
		return;
	}
	ours = bl_btf_parse_file(VMLINUX, NULL, &err);
	T_EXPECT(name, ours, "%s", err.msg);
	check_sanitized(name, ours, all_features);
	if (bl_btf_features_used(ours) & BL_BTF_FEAT_ENUM64)
		check_sanitized("btf/vmlinux/sanitize-enum64", ours, BL_BTF_FEAT_ENUM64);
	bl_btf_free(ours);
}

/* A header longer than the fields we know (newer kernels add some):
 * sections are found from its end, the extra fields ignored. */
static void test_longer_header(const struct object *o)
{
	const char *name = "btf/longer-header";
	unsigned char *blob = calloc(1, o->btf_size + 8);
	struct bl_btf *plain = our_btf(name, o), *longer;
	uint32_t hdr_len = 32;
	struct bl_err err;

	memcpy(blob, o->btf, 24);
	memcpy(blob + 4, &hdr_len, 4);
	memcpy(blob + 32, o->btf + 24, o->btf_size - 24);
	longer = bl_btf_parse(blob, o->btf_size + 8, NULL, &err);
	if (!plain || !longer)
		t_fail(name, "%s", err.msg);
	else if (bl_btf_type_count(longer) != bl_btf_type_count(plain) ||
		 strcmp(bl_btf_type_name(longer, bl_btf_type_count(plain) - 1),
			bl_btf_type_name(plain, bl_btf_type_count(plain) - 1)))
		t_fail(name, "the types read differently");
	else if (bl_btf_parse_file("/nonexistent/btf", NULL, &err) || !strstr(err.msg, "/nonexistent/btf"))
		t_fail(name, "a missing file gave no message naming it");
	else
		t_pass(name);
	bl_btf_free(longer);
	bl_btf_free(plain);
	free(blob);
}

/* ---- broken copies ----------------------------------------------------------- */

/* Parse a copy in a buffer of exactly its size, so that AddressSanitizer
 * catches any read past the end.  Returns 0 if it parsed. */
static int parse_btf_copy(const unsigned char *data, size_t size, struct bl_err *err)
{
	unsigned char *copy = malloc(size ? size : 1);
	struct bl_btf *btf;
	uint32_t id, sz;

	memcpy(copy, data, size);
	err->msg[0] = '\0';
	btf = bl_btf_parse(copy, size, NULL, err);
	free(copy);
	if (!btf)
		return -1;
	/* whatever parsed must be safe to walk */
	for (id = 0; id < bl_btf_type_count(btf); id++) {
		bl_btf_resolve_size(btf, id, &sz, NULL);
		bl_btf_resolve_align(btf, id, &sz, NULL);
		bl_btf_skip_modifiers(btf, id);
		bl_btf_type_name(btf, id);
	}
	bl_btf_free(btf);
	return 0;
}

static void test_btf_truncations(const struct object *o)
{
	const char *name = "corrupt-btf/every-truncation";
	struct bl_err err;
	size_t len;

	for (len = 0; len < o->btf_size; len++) {
		T_EXPECT(name, parse_btf_copy(o->btf, len, &err) != 0, "a copy cut to %zu of %zu bytes parsed",
			 len, o->btf_size);
		T_EXPECT(name, err.msg[0], "no message for a copy cut to %zu bytes", len);
	}
	t_pass(name);
}

/* Where things are in the object's .BTF, found with libbpf. */
struct btf_layout {
	uint32_t types;		/* offset of the type section in the blob */
	uint32_t strs, str_len;
	const struct btf *lb;
	uint32_t ptr, strct, array, func, datasec, decl_tag, cnst, tdef, tdef2;	/* type ids */
};

static uint32_t *type_in(unsigned char *c, const struct btf_layout *l, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(l->lb, id);
	const struct btf_type *first = btf__type_by_id(l->lb, 1);

	return (uint32_t *)(c + l->types + ((const unsigned char *)t - (const unsigned char *)first));
}

static void find_btf_layout(const struct object *o, struct btf_layout *l, struct btf *lb)
{
	uint32_t id, hdr[6];

	memset(l, 0, sizeof(*l));
	memcpy(hdr, o->btf, sizeof(hdr));
	l->types = hdr[1] + hdr[2];
	l->strs = hdr[1] + hdr[4];
	l->str_len = hdr[5];
	l->lb = lb;
	for (id = 1; id < btf__type_cnt(lb); id++) {
		const struct btf_type *t = btf__type_by_id(lb, id);
		uint32_t *slot[] = { NULL, NULL, &l->ptr, &l->array, &l->strct, NULL, NULL, NULL, &l->tdef,
				     NULL, &l->cnst, NULL, &l->func, NULL, NULL, &l->datasec, NULL, &l->decl_tag };

		if (btf_kind(t) < sizeof(slot) / sizeof(slot[0]) && slot[btf_kind(t)] && !*slot[btf_kind(t)] &&
		    (btf_kind(t) != BTF_KIND_STRUCT || btf_vlen(t) >= 2))
			*slot[btf_kind(t)] = id;
		if (btf_is_typedef(t) && l->tdef && id != l->tdef && btf__type_by_id(lb, t->type) && btf_is_typedef(btf__type_by_id(lb, t->type)))
			l->tdef2 = id;
	}
}

typedef void (*btf_edit)(unsigned char *c, const struct btf_layout *l);

static void expect_btf_rejected(const struct object *o, const char *what, const char *want, btf_edit edit)
{
	char name[128];
	unsigned char *copy = malloc(o->btf_size);
	struct btf *lb = btf__new(o->btf, (uint32_t)o->btf_size);
	struct btf_layout l;
	struct bl_err err;

	snprintf(name, sizeof(name), "corrupt-btf/%s", what);
	find_btf_layout(o, &l, lb);
	memcpy(copy, o->btf, o->btf_size);
	edit(copy, &l);
	if (parse_btf_copy(copy, o->btf_size, &err) == 0)
		t_fail(name, "the broken copy parsed");
	else if (!strstr(err.msg, want))
		t_fail(name, "message \"%s\" lacks \"%s\"", err.msg, want);
	else
		t_pass(name);
	free(copy);
	btf__free(lb);
}

#define HDR(c) ((uint32_t *)(c))
#define EDIT(fn_name, body) \
	static void fn_name(unsigned char *c, const struct btf_layout *l) { (void)l; body; }

EDIT(bad_magic, c[0] = 0x12)
EDIT(swapped_magic, c[0] = 0xeb; c[1] = 0x9f)
EDIT(version_2, c[2] = 2)
EDIT(hdr_len_small, HDR(c)[1] = 8)
EDIT(hdr_len_huge, HDR(c)[1] = 0x7fffffff)
EDIT(hdr_len_odd, HDR(c)[1] = 26)
EDIT(type_off_odd, HDR(c)[2] = 2; HDR(c)[3] -= 4)
EDIT(types_into_strings, HDR(c)[3] += 4)
EDIT(strings_past_end, HDR(c)[5] += 100)
EDIT(str_len_huge, HDR(c)[5] = 0xfffffff0)
EDIT(types_cut_short, HDR(c)[3] -= 4)
EDIT(strings_unterminated, c[l->strs + l->str_len - 1] = 'x')
EDIT(strings_no_leading_nul, c[l->strs] = 'x')
EDIT(type_name_offset, type_in(c, l, l->strct)[0] = 0xffffff)
EDIT(member_name_offset, type_in(c, l, l->strct)[3] = l->str_len + 5)
EDIT(ptr_bad_id, type_in(c, l, l->ptr)[2] = 99999)
EDIT(member_bad_id, type_in(c, l, l->strct)[4] = 0x7fffffff)
EDIT(array_bad_index, type_in(c, l, l->array)[4] = 5000)
EDIT(func_not_proto, type_in(c, l, l->func)[2] = l->ptr)
EDIT(datasec_bad_id, type_in(c, l, l->datasec)[3] = 77777)
EDIT(decl_tag_component, type_in(c, l, l->decl_tag)[3] = 99)
EDIT(unknown_kind, type_in(c, l, l->ptr)[1] = 25u << 24)
EDIT(kind_zero, type_in(c, l, l->ptr)[1] = 0)
EDIT(huge_vlen, type_in(c, l, l->strct)[1] = (BTF_KIND_STRUCT << 24) | 0xffffff)

static void test_btf_corruptions(const struct object *o)
{
	expect_btf_rejected(o, "bad-magic", "not BTF", bad_magic);
	expect_btf_rejected(o, "big-endian", "big-endian", swapped_magic);
	expect_btf_rejected(o, "version-2", "version 2", version_2);
	expect_btf_rejected(o, "hdr-len-small", "header length", hdr_len_small);
	expect_btf_rejected(o, "hdr-len-huge", "header length", hdr_len_huge);
	expect_btf_rejected(o, "hdr-len-unaligned", "header length", hdr_len_odd);
	expect_btf_rejected(o, "type-off-unaligned", "not 4-byte aligned", type_off_odd);
	expect_btf_rejected(o, "types-overlap-strings", "overlaps", types_into_strings);
	expect_btf_rejected(o, "strings-past-end", "lie outside", strings_past_end);
	expect_btf_rejected(o, "str-len-overflow", "lie outside", str_len_huge);
	expect_btf_rejected(o, "types-cut-short", "type section", types_cut_short);
	expect_btf_rejected(o, "strings-unterminated", "does not end with a NUL", strings_unterminated);
	expect_btf_rejected(o, "strings-no-leading-nul", "does not start with an empty string", strings_no_leading_nul);
	expect_btf_rejected(o, "type-name-offset", "name offset", type_name_offset);
	expect_btf_rejected(o, "member-name-offset", "entry 0's name offset", member_name_offset);
	expect_btf_rejected(o, "ptr-bad-type-id", "refers to type 99999", ptr_bad_id);
	expect_btf_rejected(o, "member-bad-type-id", "an entry refers", member_bad_id);
	expect_btf_rejected(o, "array-bad-index-type", "index type", array_bad_index);
	expect_btf_rejected(o, "func-not-func-proto", "not a FUNC_PROTO", func_not_proto);
	expect_btf_rejected(o, "datasec-bad-type-id", "refers to type 77777", datasec_bad_id);
	expect_btf_rejected(o, "decl-tag-component", "component 99", decl_tag_component);
	expect_btf_rejected(o, "unknown-kind", "kind 25", unknown_kind);
	expect_btf_rejected(o, "kind-zero", "kind 0", kind_zero);
	expect_btf_rejected(o, "huge-vlen", "runs past the end", huge_vlen);
}

/* Loops parse (the format allows them to be written) but every walk ends
 * with an error instead of running forever. */
static void expect_loop(const struct object *o, const char *what, btf_edit edit, size_t start,
			int (*walk)(const struct bl_btf *, uint32_t, uint32_t *, struct bl_err *))
{
	char name[128];
	unsigned char *copy = malloc(o->btf_size);
	struct btf *lb = btf__new(o->btf, (uint32_t)o->btf_size);
	struct btf_layout l;
	struct bl_btf *btf;
	struct bl_err err = { 0, "" };
	uint32_t v;

	snprintf(name, sizeof(name), "corrupt-btf/loop/%s", what);
	find_btf_layout(o, &l, lb);
	memcpy(copy, o->btf, o->btf_size);
	edit(copy, &l);
	btf = bl_btf_parse(copy, o->btf_size, NULL, &err);
	if (!btf)
		t_fail(name, "did not parse: %s", err.msg);
	else if (walk(btf, *(uint32_t *)((char *)&l + start), &v, &err) == 0)
		t_fail(name, "the walk succeeded");
	else if (!err.msg[0])
		t_fail(name, "no message");
	else {
		bl_btf_skip_modifiers(btf, *(uint32_t *)((char *)&l + start));
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
	bl_btf_free(btf);
	free(copy);
	btf__free(lb);
}

EDIT(const_self, type_in(c, l, l->cnst)[2] = l->cnst)
EDIT(typedef_pair, type_in(c, l, l->tdef)[2] = l->tdef2)
EDIT(array_self, type_in(c, l, l->array)[3] = l->array)
EDIT(struct_contains_itself, type_in(c, l, l->strct)[4] = l->strct)

#define SLOT(field) offsetof(struct btf_layout, field)

static void test_btf_loops(const struct object *o)
{
	expect_loop(o, "const-to-itself", const_self, SLOT(cnst), bl_btf_resolve_size);
	expect_loop(o, "two-typedefs", typedef_pair, SLOT(tdef), bl_btf_resolve_size);
	expect_loop(o, "array-of-itself", array_self, SLOT(array), bl_btf_resolve_size);
	expect_loop(o, "struct-contains-itself", struct_contains_itself, SLOT(strct), bl_btf_resolve_align);
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Flip random bytes (fixed seed: the same copies every run); whatever the
 * result, it must be a clean parse or a clean error. */
static void test_random_damage(const char *name, const unsigned char *data, size_t size,
			       int (*parse)(const unsigned char *, size_t, struct bl_err *, const void *),
			       const void *ctx, uint32_t limit_to)
{
	unsigned char *copy = malloc(size);
	uint64_t state = 0x9e3779b97f4a7c15ull;
	int round, rejected = 0, rounds = 20000;
	struct bl_err err;

	for (round = 0; round < rounds; round++) {
		int flips = 1 + round % 6, i;

		memcpy(copy, data, size);
		for (i = 0; i < flips; i++) {
			uint64_t r = next_random(&state);
			size_t at = limit_to && round % 2 ? r % limit_to : r % size;

			copy[at] = (unsigned char)(r >> 32);
		}
		err.msg[0] = '\0';
		if (parse(copy, size, &err, ctx) != 0) {
			rejected++;
			if (!err.msg[0]) {
				t_fail(name, "round %d: rejected without a message", round);
				free(copy);
				return;
			}
		}
	}
	free(copy);
	printf("# %s: %d of %d damaged copies rejected, the rest parsed cleanly\n", name, rejected, rounds);
	t_pass(name);
}

static int parse_btf_any(const unsigned char *data, size_t size, struct bl_err *err, const void *ctx)
{
	(void)ctx;
	return parse_btf_copy(data, size, err);
}

/* .BTF.ext copies are checked against the intact .BTF. */
static int parse_ext_copy(const unsigned char *data, size_t size, struct bl_err *err, const void *btf)
{
	unsigned char *copy = malloc(size ? size : 1);
	struct bl_btf_ext *ext;
	size_t k, s;

	memcpy(copy, data, size);
	err->msg[0] = '\0';
	ext = bl_btf_ext_parse(copy, size, btf, err);
	free(copy);
	if (!ext)
		return -1;
	for (k = 0; k < BL_BTF_EXT_KINDS; k++)
		for (s = 0; s < bl_btf_ext_sec_count(ext, (enum bl_btf_ext_kind)k); s++) {
			const struct bl_btf_ext_sec *sec = bl_btf_ext_sec(ext, (enum bl_btf_ext_kind)k, s);
			struct bl_btf_ext_info info = { 0 };

			if (k != BL_BTF_EXT_CORE_RELO)
				bl_btf_ext_prog_info(ext, (enum bl_btf_ext_kind)k, sec->name, 0, 1 << 20, 0, &info, NULL);
			bl_btf_ext_info_free(&info);
		}
	bl_btf_ext_free(ext);
	return 0;
}

static void test_ext_truncations(const struct object *o, const struct bl_btf *btf)
{
	const char *name = "corrupt-btf.ext/every-truncation";
	struct bl_err err;
	size_t len;

	for (len = 0; len < o->ext_size; len++) {
		T_EXPECT(name, parse_ext_copy(o->ext, len, &err, btf) != 0, "a copy cut to %zu of %zu bytes parsed",
			 len, o->ext_size);
		T_EXPECT(name, err.msg[0], "no message for a copy cut to %zu bytes", len);
	}
	t_pass(name);
}

/* The .BTF.ext layout: func_info's record size and first group. */
#define EXT_FUNC(c) ((uint32_t *)((c) + HDR(c)[1] + HDR(c)[2]))
#define EXT_LINE(c) ((uint32_t *)((c) + HDR(c)[1] + HDR(c)[4]))

typedef void (*ext_edit)(unsigned char *c);
#define EXT_EDIT(fn_name, body) static void fn_name(unsigned char *c) { body; }

EXT_EDIT(ext_magic, c[1] = 0)
EXT_EDIT(ext_version, c[2] = 9)
EXT_EDIT(ext_flags, c[3] = 1)
EXT_EDIT(ext_hdr_small, HDR(c)[1] = 16)
EXT_EDIT(ext_hdr_odd, HDR(c)[1] = 30)
EXT_EDIT(ext_func_off_odd, HDR(c)[2] += 2)
EXT_EDIT(ext_func_len_huge, HDR(c)[3] = 0xfffffff0)
EXT_EDIT(ext_rec_small, EXT_FUNC(c)[0] = 4)
EXT_EDIT(ext_rec_odd, EXT_FUNC(c)[0] = 10)
EXT_EDIT(ext_rec_huge, EXT_FUNC(c)[0] = 1u << 20)
EXT_EDIT(ext_count_huge, EXT_FUNC(c)[2] = 0x10000000)
EXT_EDIT(ext_sec_name, EXT_FUNC(c)[1] = 0xfffffff)
EXT_EDIT(ext_func_type, EXT_FUNC(c)[4] = 1)
EXT_EDIT(ext_insn_off, EXT_FUNC(c)[3] = 3)
EXT_EDIT(ext_line_file, EXT_LINE(c)[4] = 0x7ffffff)

static void expect_ext_rejected(const struct object *o, const struct bl_btf *btf, const char *what,
				const char *want, ext_edit edit)
{
	char name[128];
	unsigned char *copy = malloc(o->ext_size);
	struct bl_err err;

	snprintf(name, sizeof(name), "corrupt-btf.ext/%s", what);
	memcpy(copy, o->ext, o->ext_size);
	edit(copy);
	if (parse_ext_copy(copy, o->ext_size, &err, btf) == 0)
		t_fail(name, "the broken copy parsed");
	else if (!strstr(err.msg, want))
		t_fail(name, "message \"%s\" lacks \"%s\"", err.msg, want);
	else
		t_pass(name);
	free(copy);
}

static void test_ext_corruptions(const struct object *o, const struct bl_btf *btf)
{
	expect_ext_rejected(o, btf, "bad-magic", "not .BTF.ext", ext_magic);
	expect_ext_rejected(o, btf, "version", "version 9", ext_version);
	expect_ext_rejected(o, btf, "flags", "flags 1", ext_flags);
	expect_ext_rejected(o, btf, "hdr-len-small", "header length", ext_hdr_small);
	expect_ext_rejected(o, btf, "hdr-len-unaligned", "header length", ext_hdr_odd);
	expect_ext_rejected(o, btf, "func-info-unaligned", "not 4-byte aligned", ext_func_off_odd);
	expect_ext_rejected(o, btf, "func-info-past-end", "lies outside", ext_func_len_huge);
	expect_ext_rejected(o, btf, "record-size-small", "record size 4", ext_rec_small);
	expect_ext_rejected(o, btf, "record-size-unaligned", "record size 10", ext_rec_odd);
	expect_ext_rejected(o, btf, "record-size-huge", "record size", ext_rec_huge);
	expect_ext_rejected(o, btf, "record-count-huge", "run past the end", ext_count_huge);
	expect_ext_rejected(o, btf, "section-name-offset", "section name offset", ext_sec_name);
	expect_ext_rejected(o, btf, "func-info-not-func", "which is no FUNC", ext_func_type);
	expect_ext_rejected(o, btf, "insn-off-unaligned", "not at an instruction", ext_insn_off);
	expect_ext_rejected(o, btf, "line-info-file-name", "file name offset", ext_line_file);
}

/* A larger record size than we know: records are kept whole and passed on. */
static void test_ext_bigger_records(void)
{
	const char *name = "btf.ext/records-larger-than-known";
	/* .BTF: [1] int, [2] int(void) proto, [3] FUNC f */
	static const uint32_t btf_words[] = {
		0x0001eb9f, 24, 0, 40, 40, 10,
		1, BTF_KIND_INT << 24, 4, 32,
		0, BTF_KIND_FUNC_PROTO << 24, 1,
		5, BTF_KIND_FUNC << 24, 2,
	};
	static const char btf_strs[10] = "\0int\0f\0.x";
	/* .BTF.ext: func_info of 12-byte records, one section ".x" with two */
	static const uint32_t ext_words[] = {
		0x0001eb9f, 32, 0, 36, 36, 0, 36, 0,
		12, 7, 2, 0, 3, 0xabcd, 16, 3, 0x1234,
	};
	unsigned char btf_blob[sizeof(btf_words) + sizeof(btf_strs)];
	struct bl_btf_ext_info info = { 0 };
	struct bl_btf_ext *ext = NULL;
	struct bl_btf *btf;
	struct bl_err err;
	uint32_t rec[3];

	memcpy(btf_blob, btf_words, sizeof(btf_words));
	memcpy(btf_blob + sizeof(btf_words), btf_strs, sizeof(btf_strs));
	btf = bl_btf_parse(btf_blob, sizeof(btf_blob), NULL, &err);
	if (btf)
		ext = bl_btf_ext_parse(ext_words, sizeof(ext_words), btf, &err);
	if (!btf || !ext) {
		t_fail(name, "%s", err.msg);
	} else if (bl_btf_ext_prog_info(ext, BL_BTF_EXT_FUNC_INFO, ".x", 16, 24, 3, &info, &err)) {
		t_fail(name, "%s", err.msg);
	} else {
		memcpy(rec, info.recs, sizeof(rec));
		if (info.count != 1 || info.rec_size != 12 || rec[0] != 3 || rec[1] != 3 || rec[2] != 0x1234)
			t_fail(name, "got %u records of %u bytes: %u %u %#x", info.count, info.rec_size,
			       rec[0], rec[1], rec[2]);
		else
			t_pass(name);
	}
	bl_btf_ext_info_free(&info);
	bl_btf_ext_free(ext);
	bl_btf_free(btf);
}

static void test_corruptions(const struct object *o)
{
	struct bl_err err;
	struct bl_btf *btf;

	test_btf_truncations(o);
	test_btf_corruptions(o);
	test_btf_loops(o);
	test_random_damage("corrupt-btf/random-bytes", o->btf, o->btf_size, parse_btf_any, NULL, 24);
	btf = bl_btf_parse(o->btf, o->btf_size, NULL, &err);
	if (!btf || !o->ext) {
		t_fail("corrupt-btf.ext", "no BTF or .BTF.ext to corrupt");
	} else {
		test_ext_truncations(o, btf);
		test_ext_corruptions(o, btf);
		test_random_damage("corrupt-btf.ext/random-bytes", o->ext, o->ext_size, parse_ext_copy, btf, 32);
	}
	bl_btf_free(btf);
}

int main(int argc, char **argv)
{
	struct object *types = NULL, objs[32];
	int i, n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: test_btf OBJECT.bpf.o...\n");
		return 2;
	}
	libbpf_set_print(libbpf_quiet);
	elf_version(EV_CURRENT);
	for (i = 1; i < argc && n < 32; i++) {
		struct object *o = &objs[n];

		if (load_object(argv[i], o)) {
			free(o->data);
			continue;	/* objects without BTF are test_elf's */
		}
		n++;
		test_types(o);
		test_maps(o);
		test_fixup(o);
		test_sanitize(o);
		if (o->ext) {
			test_ext(o);
			test_prog_info(o);
		}
		if (strcmp(o->base, "btf_types.bpf.o") == 0)
			types = o;
	}
	test_vmlinux();
	test_module_split();
	test_vmlinux_sanitize();
	test_ext_bigger_records();
	if (!types) {
		t_fail("btf/objects", "btf_types.bpf.o was not among the arguments");
	} else {
		test_member_helpers(types);
		test_longer_header(types);
		test_fixup_errors(types);
		test_split_by_hand(types);
		test_corruptions(types);
	}
	for (i = 0; i < n; i++)
		free(objs[i].data);
	return t_exit_code();
}
