// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_layout.c - test-side tool: does a generated vmlinux.h describe the
 * kernel's types with the kernel's layout?  libbpf reads the BTF and
 * names the types (its btf_dump is what bpftool writes headers with), so
 * nothing here shares code with the loader under test.
 *
 *   btf_layout gen [--base B] BTF OUT
 *       OUT.c: one array of sizeof, __alignof__, offsetof and member
 *       sizeof values of every named struct and union and every typedef
 *       of an anonymous one (members of anonymous members included, as
 *       "a.b").  Compiled once against each header, the array holds what
 *       each header says.
 *       OUT_bits.c: a variable of each of those types that has bitfields,
 *       so that clang -g describes them in the object's BTF.
 *       OUT.labels: one line per value: what it is, and what BTF says
 *       (for alignment, which BTF does not record, what the layout needs
 *       in C: libbpf's btf__align_of()).
 *   btf_layout compare OUT.labels OURS.bin THEIRS.bin
 *       the two arrays (.rodata of the two objects) against each other
 *       and against BTF; one summary line; exit 1 on a difference.
 *   btf_layout verify [--base B] BTF OBJ.o
 *       every type with bitfields in OBJ.o's BTF (OUT_bits.c compiled
 *       with -g: what clang made of the header)
 *       against the kernel's: size, member names, bit offsets and
 *       bitfield sizes (which offsetof cannot show); exit 1 on a
 *       difference.
 *   btf_layout mksplit BASE OUT
 *       write a small split BTF on top of BASE, like a module's.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEST 32

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* ---- the C names libbpf's btf_dump gives types ---------------------------- */

struct namer {
	char buf[1024];
	size_t len;
	int capture;
};

static void namer_printf(void *ctx, const char *fmt, va_list ap)
{
	struct namer *n = ctx;
	int w;

	if (!n->capture || n->len >= sizeof(n->buf) - 1)
		return;
	w = vsnprintf(n->buf + n->len, sizeof(n->buf) - n->len, fmt, ap);
	if (w > 0)
		n->len += (size_t)w < sizeof(n->buf) - n->len ? (size_t)w : sizeof(n->buf) - 1 - n->len;
}

/* names[id]: "struct foo___2", "atomic_t", or NULL for types not checked */
static char **c_names(const struct btf *btf)
{
	uint32_t id, count = btf__type_cnt(btf);
	struct namer n = { .capture = 0 };
	char **names = calloc(count, sizeof(*names));
	struct btf_dump *d = btf_dump__new(btf, namer_printf, &n, NULL);

	if (!names || !d)
		return NULL;
	/* names are decided in the order the header is written */
	for (id = 1; id < count; id++)
		btf_dump__dump_type(d, id);
	n.capture = 1;
	for (id = 1; id < count; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "");

		if (!t->name_off)
			continue;
		if (btf_is_typedef(t)) {
			const struct btf_type *target = btf__type_by_id(btf, btf__resolve_type(btf, t->type));

			if (!target || !btf_is_composite(target) || target->name_off)
				continue;
		} else if (!btf_is_composite(t)) {
			continue;
		}
		n.len = 0;
		btf_dump__emit_type_decl(d, id, &opts);
		n.buf[n.len] = '\0';
		names[id] = strdup(n.buf);
	}
	btf_dump__free(d);
	return names;
}

/* The composite a checked type is: itself, or what its typedef names. */
static const struct btf_type *composite_of(const struct btf *btf, uint32_t id, uint32_t *cid)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (btf_is_typedef(t))
		id = btf__resolve_type(btf, t->type);
	*cid = id;
	return btf__type_by_id(btf, id);
}

/* A member's type, if it is an anonymous struct or union (written
 * inline in the header); NULL otherwise. */
static const struct btf_type *anon_composite(const struct btf *btf, uint32_t type, uint32_t *id)
{
	const struct btf_type *t;

	/* skip qualifiers only: a typedef'd anonymous struct has a name */
	for (t = btf__type_by_id(btf, type); t && btf_is_mod(t); t = btf__type_by_id(btf, type))
		type = t->type;
	*id = type;
	return t && btf_is_composite(t) && !t->name_off ? t : NULL;
}

/* Whether t or an anonymous member of it has a bitfield. */
static int has_bitfields(const struct btf *btf, const struct btf_type *t, int depth)
{
	uint32_t i, sub;

	for (i = 0; i < btf_vlen(t) && depth <= MAX_NEST; i++) {
		const struct btf_type *anon = anon_composite(btf, btf_members(t)[i].type, &sub);

		if (btf_member_bitfield_size(t, i) || (anon && has_bitfields(btf, anon, depth + 1)))
			return 1;
	}
	return 0;
}

/* ---- gen ------------------------------------------------------------------ */

struct gen {
	const struct btf *btf;
	FILE *c, *labels;
	unsigned long types, members, values;
};

static void value(struct gen *g, const char *expr, const char *label, long long expected)
{
	fprintf(g->c, "\t%s,\n", expr);
	if (expected < 0)
		fprintf(g->labels, "%s\t-\n", label);
	else
		fprintf(g->labels, "%s\t%lld\n", label, expected);
	g->values++;
}

static void gen_members(struct gen *g, const char *cname, const struct btf_type *t, const char *prefix,
			uint32_t base_bits, int depth)
{
	const struct btf_member *m = btf_members(t);
	char expr[2048], label[2048], path[1024];
	uint32_t i, sub;

	if (depth > MAX_NEST)
		return;
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(g->btf, m->name_off);
		const struct btf_type *anon = anon_composite(g->btf, m->type, &sub);
		uint32_t off = base_bits + btf_member_bit_offset(t, i);

		if (!*name) {
			if (anon)	/* its members are the struct's own */
				gen_members(g, cname, anon, prefix, off, depth + 1);
			continue;
		}
		snprintf(path, sizeof(path), "%s%s", prefix, name);
		if (btf_member_bitfield_size(t, i) == 0) {
			snprintf(expr, sizeof(expr), "__builtin_offsetof(%s, %s)", cname, path);
			snprintf(label, sizeof(label), "offsetof(%s, %s)", cname, path);
			value(g, expr, label, off / 8);
			snprintf(expr, sizeof(expr), "sizeof(((%s *)0)->%s)", cname, path);
			snprintf(label, sizeof(label), "sizeof(%s.%s)", cname, path);
			value(g, expr, label, btf__resolve_size(g->btf, m->type));
		}
		g->members++;
		if (anon) {
			snprintf(path, sizeof(path), "%s%s.", prefix, name);
			gen_members(g, cname, anon, path, off, depth + 1);
		}
	}
}

static int gen(const struct btf *btf, const char *out)
{
	char path[4096], expr[1200];
	uint32_t id, cid, count = btf__type_cnt(btf);
	unsigned long bit_types = 0;
	struct gen g = { .btf = btf };
	char **names = c_names(btf);

	if (!names)
		return fprintf(stderr, "btf_layout: cannot name the types\n"), 2;
	snprintf(path, sizeof(path), "%s.c", out);
	g.c = fopen(path, "w");
	snprintf(path, sizeof(path), "%s.labels", out);
	g.labels = fopen(path, "w");
	if (!g.c || !g.labels)
		return fprintf(stderr, "btf_layout: cannot write %s.*: %s\n", out, strerror(errno)), 2;
	fprintf(g.c, "/* generated by tests/unit/btf_layout.c: what the header says of each type */\n"
		     "const unsigned long long layout_checks[] = {\n");
	for (id = 1; id < count; id++) {
		const struct btf_type *t;

		if (!names[id])
			continue;
		t = composite_of(btf, id, &cid);
		snprintf(expr, sizeof(expr), "sizeof(%s)", names[id]);
		value(&g, expr, expr, t->size);
		snprintf(expr, sizeof(expr), "__alignof__(%s)", names[id]);
		value(&g, expr, expr, btf__align_of(btf, cid));
		gen_members(&g, names[id], t, "", 0, 0);
		g.types++;
	}
	fprintf(g.c, "};\n");
	fclose(g.c);
	fclose(g.labels);
	/* clang -g takes long to describe ten thousand types in BTF: only
	 * those offsetof cannot check go there, as global variables (a
	 * pointer would get a forward declaration only) */
	snprintf(path, sizeof(path), "%s_bits.c", out);
	g.c = fopen(path, "w");
	if (!g.c)
		return fprintf(stderr, "btf_layout: cannot write %s: %s\n", path, strerror(errno)), 2;
	fprintf(g.c, "/* generated by tests/unit/btf_layout.c: the types with bitfields */\n");
	for (id = 1; id < count; id++) {
		if (names[id] && has_bitfields(btf, composite_of(btf, id, &cid), 0)) {
			fprintf(g.c, "%s layout_var_%u;\n", names[id], id);
			bit_types++;
		}
	}
	fclose(g.c);
	printf("%lu types, %lu members, %lu values; %lu types with bitfields\n", g.types, g.members,
	       g.values, bit_types);
	return 0;
}

/* ---- compare -------------------------------------------------------------- */

static unsigned long long *read_values(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned long long *v;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	v = malloc((size_t)size + 8);
	if (v && fread(v, 1, (size_t)size, f) != (size_t)size) {
		free(v);
		v = NULL;
	}
	fclose(f);
	*n = (size_t)size / sizeof(*v);
	return v;
}

/*
 * Each value is one of:
 *   right      ours is what BTF says;
 *   shared     both headers agree on another value: what C on -target
 *              bpf cannot say as the kernel's compiler did (va_list is
 *              the compiler's own type; a union whose members BTF lost);
 *   wrong      ours differs from BTF and from bpftool's: a failure.
 * and, separately, bpftool's header may be the one that is off.
 */
static int compare(const char *labels_path, const char *ours_path, const char *theirs_path)
{
	unsigned long total = 0, shared = 0, wrong = 0, theirs_off = 0;
	size_t n_ours, n_theirs;
	unsigned long long *ours = read_values(ours_path, &n_ours);
	unsigned long long *theirs = read_values(theirs_path, &n_theirs);
	FILE *labels = fopen(labels_path, "r");
	char line[4096], first_shared[4600] = "", first_wrong[4600] = "", first_off[4600] = "";

	if (!ours || !theirs || !labels)
		return printf("cannot read %s, %s or %s\n", labels_path, ours_path, theirs_path), 2;
	while (fgets(line, sizeof(line), labels)) {
		char *tab = strrchr(line, '\t');
		unsigned long long o, t, e;

		if (!tab || total >= n_ours || total >= n_theirs)
			return printf("%s has more lines than the objects have values (%zu, %zu)\n",
				      labels_path, n_ours, n_theirs), 2;
		*tab = '\0';
		e = strtoull(tab + 1, NULL, 10);
		o = ours[total];
		t = theirs[total];
		total++;
		if (o != e && o == t && !shared++)
			snprintf(first_shared, sizeof(first_shared), " (first %s: %llu, BTF %llu)", line, o, e);
		if (o != e && o != t && !wrong++)
			snprintf(first_wrong, sizeof(first_wrong), " (first %s: ours %llu, bpftool's %llu, BTF %llu)",
				 line, o, t, e);
		if (o == e && t != e && !theirs_off++)
			snprintf(first_off, sizeof(first_off), " (first %s: bpftool's %llu, BTF %llu)", line, t, e);
	}
	printf("%lu values: %lu of ours differ from BTF and bpftool's%s; %lu differ from BTF in both headers%s; "
	       "%lu of bpftool's differ from BTF where ours do not%s\n",
	       total, wrong, first_wrong, shared, first_shared, theirs_off, first_off);
	if (total != n_ours || total != n_theirs)
		return printf("label count %lu does not match the values (%zu, %zu)\n", total, n_ours,
			      n_theirs), 1;
	return wrong ? 1 : 0;
}

/* ---- verify ---------------------------------------------------------------- */

struct verify {
	const struct btf *kbtf, *obtf;
	unsigned long types, members, bad;
	char first[2048];
};

static void mismatch(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->bad++) {
		va_start(ap, fmt);
		vsnprintf(v->first, sizeof(v->first), fmt, ap);
		va_end(ap);
	}
}

static void verify_composite(struct verify *v, const char *cname, uint32_t kid, uint32_t oid, int depth)
{
	const struct btf_type *k = btf__type_by_id(v->kbtf, kid), *o = btf__type_by_id(v->obtf, oid);
	uint32_t i, ksub, osub;

	if (depth > MAX_NEST)
		return;
	if (!o || btf_kind(k) != btf_kind(o) || k->size != o->size || btf_vlen(k) != btf_vlen(o)) {
		mismatch(v, "%s: kernel has %s of %u bytes, %u members; the header's is %s of %u bytes, %u members",
			 cname, btf_is_struct(k) ? "struct" : "union", k->size, btf_vlen(k),
			 o ? (btf_is_struct(o) ? "struct" : btf_is_union(o) ? "union" : "other") : "missing",
			 o ? o->size : 0, o ? btf_vlen(o) : 0);
		return;
	}
	for (i = 0; i < btf_vlen(k); i++) {
		const struct btf_member *km = btf_members(k) + i, *om = btf_members(o) + i;
		const char *kn = btf__name_by_offset(v->kbtf, km->name_off);
		const char *on = btf__name_by_offset(v->obtf, om->name_off);

		v->members++;
		if (strcmp(kn, on) || btf_member_bit_offset(k, i) != btf_member_bit_offset(o, i) ||
		    btf_member_bitfield_size(k, i) != btf_member_bitfield_size(o, i)) {
			mismatch(v, "%s member %u: kernel '%s' at bit %u (%u bits), header '%s' at bit %u (%u bits)",
				 cname, i, kn, btf_member_bit_offset(k, i), btf_member_bitfield_size(k, i),
				 on, btf_member_bit_offset(o, i), btf_member_bitfield_size(o, i));
			return;
		}
		if (anon_composite(v->kbtf, km->type, &ksub)) {
			if (!anon_composite(v->obtf, om->type, &osub)) {
				mismatch(v, "%s member '%s': anonymous in the kernel, not in the header", cname, kn);
				return;
			}
			verify_composite(v, cname, ksub, osub, depth + 1);
		}
	}
}

static int verify(const struct btf *kbtf, const char *obj_path)
{
	uint32_t id, cid, oid, count = btf__type_cnt(kbtf);
	struct verify v = { .kbtf = kbtf };
	char **names = c_names(kbtf);

	v.obtf = btf__parse_elf(obj_path, NULL);
	if (!names || !v.obtf)
		return printf("cannot read the BTF of %s\n", obj_path), 2;
	for (id = 1; id < count; id++) {
		const struct btf_type *t;
		const char *n;
		int found;

		if (!names[id] || !has_bitfields(kbtf, composite_of(kbtf, id, &cid), 0))
			continue;
		t = btf__type_by_id(kbtf, id);
		/* "struct foo___2" is named foo___2 in the object's BTF */
		n = strchr(names[id], ' ') ? strchr(names[id], ' ') + 1 : names[id];
		found = btf__find_by_name_kind(v.obtf, n, btf_kind(t));
		if (found < 0) {
			mismatch(&v, "%s: not in the object's BTF", names[id]);
			continue;
		}
		oid = (uint32_t)found;
		if (btf_is_typedef(t))
			oid = btf__resolve_type(v.obtf, btf__type_by_id(v.obtf, oid)->type);
		verify_composite(&v, names[id], cid, oid, 0);
		v.types++;
	}
	printf("%lu types with bitfields, %lu members compared with the kernel's BTF: %lu differ%s%s\n", v.types,
	       v.members, v.bad, v.bad ? ", first " : "", v.first);
	return v.bad ? 1 : 0;
}

/* ---- mksplit ----------------------------------------------------------------- */

static int find(const struct btf *btf, const char *name, int kind)
{
	int id = btf__find_by_name_kind(btf, name, kind);

	if (id < 0)
		fprintf(stderr, "btf_layout: the base has no %s\n", name);
	return id;
}

/*
 * A kernel module's BTF in miniature, written by libbpf on top of a
 * vmlinux BTF: a struct that embeds and points to the base's types, with
 * bitfields, an anonymous union, an enum, a forward-declared struct that
 * is defined later and points back (a pointer cycle), a function
 * pointer, trailing padding, a typedef, and a second "struct list_head"
 * (so the module's needs a ___2, as a second compilation unit's would),
 * plus a FUNC that only the raw listing shows.  (libbpf appends fields
 * to the struct added last, and refuses ids not added yet, hence the
 * order.)
 */
static int mksplit(struct btf *base, const char *out)
{
	struct btf *b = btf__new_empty_split(base);
	int list = find(base, "list_head", BTF_KIND_STRUCT), task = find(base, "task_struct", BTF_KIND_STRUCT);
	int u32 = find(base, "u32", BTF_KIND_TYPEDEF), lock = find(base, "spinlock_t", BTF_KIND_TYPEDEF);
	int ch = find(base, "char", BTF_KIND_INT), in = find(base, "int", BTF_KIND_INT);
	int state, ops_ptr, task_ptr, anon, name, mylist, dev, dev_ptr, proto, cb;
	const void *raw;
	uint32_t size;
	FILE *f;

	if (!b || list < 0 || task < 0 || u32 < 0 || lock < 0 || ch < 0 || in < 0)
		return 2;
	state = btf__add_enum(b, "demo_state", 4);
	btf__add_enum_value(b, "DEMO_IDLE", 0);
	btf__add_enum_value(b, "DEMO_RUNNING", 1);
	ops_ptr = btf__add_ptr(b, btf__add_fwd(b, "demo_ops", BTF_FWD_STRUCT));
	task_ptr = btf__add_ptr(b, task);
	anon = btf__add_union(b, NULL, 8);
	btf__add_field(b, "owner", task_ptr, 0, 0);
	btf__add_field(b, "cookie", u32, 0, 0);
	name = btf__add_array(b, in, ch, 12);
	mylist = btf__add_struct(b, "list_head", 4);
	btf__add_field(b, "count", in, 0, 0);
	dev = btf__add_struct(b, "demo_dev", 96);
	btf__add_field(b, "node", list, 0, 0);
	if (btf__resolve_size(base, lock) <= 8)
		btf__add_field(b, "lock", lock, 128, 0);
	btf__add_field(b, "flags", u32, 192, 3);
	btf__add_field(b, "mode", u32, 195, 5);
	btf__add_field(b, "state", state, 224, 0);
	btf__add_field(b, NULL, anon, 256, 0);
	btf__add_field(b, "name", name, 320, 0);
	btf__add_field(b, "local", mylist, 416, 0);
	btf__add_field(b, "ops", ops_ptr, 448, 0);
	dev_ptr = btf__add_ptr(b, dev);
	proto = btf__add_func_proto(b, in);
	btf__add_func_param(b, "dev", dev_ptr);
	btf__add_func_param(b, "why", in);
	cb = btf__add_ptr(b, proto);
	btf__add_struct(b, "demo_ops", 16);
	btf__add_field(b, "probe", cb, 0, 0);
	btf__add_field(b, "dev", dev_ptr, 64, 0);
	btf__add_typedef(b, "demo_dev_t", dev);
	if (btf__add_func(b, "demo_probe", BTF_FUNC_GLOBAL, proto) < 0)
		return fprintf(stderr, "btf_layout: libbpf refused a type\n"), 2;
	raw = btf__raw_data(b, &size);
	f = fopen(out, "wb");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f))
		return fprintf(stderr, "btf_layout: cannot write %s\n", out), 2;
	printf("%u types on top of %u\n", btf__type_cnt(b) - btf__type_cnt(base), btf__type_cnt(base) - 1);
	return 0;
}

/* ---- main ------------------------------------------------------------------ */

static struct btf *load(const char *path, const char *base_path, struct btf **base)
{
	*base = NULL;
	if (base_path) {
		*base = btf__parse(base_path, NULL);
		if (!*base)
			return NULL;
	}
	return *base ? btf__parse_split(path, *base) : btf__parse(path, NULL);
}

int main(int argc, char **argv)
{
	const char *base_path = NULL;
	struct btf *btf, *base;
	int a = 2;

	libbpf_set_print(quiet);
	if (argc > 3 && strcmp(argv[2], "--base") == 0) {
		base_path = argv[3];
		a = 4;
	}
	if (argc == 5 && strcmp(argv[1], "compare") == 0)
		return compare(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "mksplit") == 0) {
		base = btf__parse(argv[2], NULL);
		return base ? mksplit(base, argv[3]) : 2;
	}
	if (argc != a + 2 || (strcmp(argv[1], "gen") && strcmp(argv[1], "verify"))) {
		fprintf(stderr, "usage: btf_layout gen|verify [--base BASE] BTF OUT|OBJ.o\n"
				"       btf_layout compare LABELS OURS.bin THEIRS.bin\n"
				"       btf_layout mksplit BASE OUT\n");
		return 2;
	}
	btf = load(argv[a], base_path, &base);
	if (!btf)
		return printf("libbpf cannot read the BTF of %s: %s\n", argv[a], strerror(errno)), 2;
	return strcmp(argv[1], "gen") == 0 ? gen(btf, argv[a + 1]) : verify(btf, argv[a + 1]);
}
