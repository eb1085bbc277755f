// SPDX-License-Identifier: BSD-2-Clause
/*
 * gen_skeleton.c - `bpfload gen skeleton FILE.o [NAME] > NAME.skel.h`.
 *
 * Reads the object as the loader does (maps, programs), completes its
 * BTF's DATASECs (clang leaves variable offsets to the loader), and
 * writes a header holding:
 *   - the C types of the global variables (skel_types.c);
 *   - struct NAME: skeleton and obj, maps.MAP, progs.PROG,
 *     attachments.PROG, and one typed struct per global-data section
 *     (bss, data, rodata, data_X, rodata_X) with its variables at their
 *     offsets, each offset checked by a _Static_assert;
 *   - NAME__open/_open_opts/_load/_attach/_detach/_open_and_load/
 *     _destroy, which fill a table for <bpfload/skeleton.h> and point
 *     the section structs at bl_map_data() of their maps;
 *   - the object file itself, as a byte array.
 * The whole header is built in memory and written only when complete,
 * so a failure never leaves half a header behind.
 *
 * Syscalls: open/read of the object, write(2) of the header to stdout;
 * nothing to bpf(2): no root needed.
 */
#include "gen_skeleton.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/object.h>

#include "btf/btf.h"
#include "object/object.h"
#include "object/object_btf.h"
#include "object/section_names.h"
#include "skel_types.h"
#include "sys/file.h"
#include "tool_main.h"

#define IDENT_MAX 64
#define OBJECT_MAX (256u << 20)

struct gen_options {
	const char *path;
	const char *name;	/* NULL: from the file name */
	const char *type_name;	/* --type */
	enum bpf_prog_type unknown_type;
};

/* What the header names: a map (with its section's DATASEC for global
 * data) or a program. */
struct gen_item {
	char field[IDENT_MAX];
	const char *name;		/* in the object */
	uint32_t datasec;		/* BTF DATASEC of a global-data map, or 0 */
	int vars;			/* variables the skeleton shows */
};

struct gen {
	char name[IDENT_MAX];
	enum bpf_prog_type unknown_type;	/* --type, also the skeleton's default */
	const char *file;		/* the object's name, no directories */
	unsigned char *bytes;
	size_t size;
	struct bl_object *obj;
	struct skel_types *types;
	struct gen_item *maps, *progs;
	size_t map_cnt, prog_cnt;
};

/* A C identifier from a name: ".rodata.str1.1" gives "rodata_str1_1". */
static void c_ident(const char *in, char *out, size_t size)
{
	size_t n = 0;

	while (*in == '.')
		in++;
	if (isdigit((unsigned char)*in))
		out[n++] = '_';
	for (; *in && n + 1 < size; in++)
		out[n++] = isalnum((unsigned char)*in) ? *in : '_';
	if (!n)
		out[n++] = '_';
	out[n] = '\0';
}

/* The default NAME, by bpftool's rule so that code written against its
 * skeletons keeps its names: the file name without directories and
 * ".o", other characters made '_' (minimal.bpf.o gives minimal_bpf). */
static void name_from_path(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char buf[256];
	size_t len;

	snprintf(buf, sizeof(buf), "%s", base);
	len = strlen(buf);
	if (len > 2 && strcmp(buf + len - 2, ".o") == 0)
		buf[len - 2] = '\0';
	c_ident(buf, out, size);
}

/* struct NAME and struct NAME__bss... must not be types of the object's
 * own, which the header may define too. */
static int name_is_free(const struct gen *g, struct bl_err *err)
{
	const struct bl_btf *btf = g->obj->btf;
	size_t len = strlen(g->name);
	uint32_t id;

	for (id = 1; btf && id < bl_btf_type_count(btf); id++) {
		const char *name = bl_btf_type_name(btf, id);
		unsigned int kind = bl_btf_kind(bl_btf_type(btf, id));

		/* only tags and typedefs can meet the header's struct names */
		if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_ENUM &&
		    kind != BL_BTF_KIND_ENUM64 && kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_FWD)
			continue;
		if (strncmp(name, g->name, len) == 0 && (!name[len] || strncmp(name + len, "__", 2) == 0))
			return bl_fail(err, EEXIST, "the skeleton's struct %s would collide with the object's own type %s; give another NAME (bpfload gen skeleton FILE.o NAME)",
				       g->name, name);
	}
	return 0;
}

static int read_file(const char *path, unsigned char **bytes, size_t *size, struct bl_err *err)
{
	int ret = bl_read_whole(path, OBJECT_MAX, bytes, size);

	if (ret)
		return bl_fail(err, -ret, "cannot read %s: %s%s", path, strerror(-ret),
			       ret == -EINVAL ? " (not a regular file)" : "");
	return 0;
}

/* Variables a section's struct shows: global ones (libbpf leaves static
 * variables, local symbols, out of skeletons; externs are the loader's). */
static int shown(const struct bl_btf *btf, const struct btf_var_secinfo *si)
{
	const struct btf_type *v = bl_btf_type(btf, si->type);

	return v && bl_btf_kind(v) == BTF_KIND_VAR && bl_btf_var(v)->linkage == BTF_VAR_GLOBAL_ALLOCATED;
}

static int unique(const struct gen_item *items, size_t n, const char *what, struct bl_err *err)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(items[i].field, items[j].field) == 0)
				return bl_fail(err, EEXIST, "%ss %s and %s would both be called %s in the skeleton",
					       what, items[j].name, items[i].name, items[i].field);
	return 0;
}

/* The object's maps and programs, and the BTF of each data section. */
static int collect(struct gen *g, struct bl_err *err)
{
	const struct bl_btf *btf = g->obj->btf;
	struct bl_map *map = NULL;
	struct bl_program *prog = NULL;
	uint32_t i;

	g->maps = calloc(g->obj->map_cnt + 1, sizeof(*g->maps));
	g->progs = calloc(g->obj->prog_cnt + 1, sizeof(*g->progs));
	if (!g->maps || !g->progs)
		return bl_fail(err, ENOMEM, "out of memory");
	while ((map = bl_object_next_map(g->obj, map))) {
		struct gen_item *it = &g->maps[g->map_cnt++];
		int64_t sec;

		it->name = bl_map_name(map);
		c_ident(it->name, it->field, sizeof(it->field));
		if (!bl_map_data(map, NULL) || !btf ||
		    (sec = bl_btf_find(btf, it->name, BTF_KIND_DATASEC)) < 0)
			continue;
		it->datasec = (uint32_t)sec;
		for (i = 0; i < bl_btf_vlen(bl_btf_type(btf, it->datasec)); i++)
			it->vars += shown(btf, &bl_btf_secinfos(bl_btf_type(btf, it->datasec))[i]);
	}
	while ((prog = bl_object_next_program(g->obj, prog))) {
		struct gen_item *it = &g->progs[g->prog_cnt++];

		it->name = bl_program_name(prog);
		c_ident(it->name, it->field, sizeof(it->field));
	}
	if (unique(g->maps, g->map_cnt, "map", err) || unique(g->progs, g->prog_cnt, "program", err))
		return -err->code;
	return 0;
}

/* ---- the header, piece by piece --------------------------------------------- */

static void write_intro(FILE *out, const struct gen *g, const char *guard)
{
	fprintf(out, "/*\n"
		" * %s.skel.h - the skeleton of %s (%zu bytes, embedded below),\n"
		" * written by `bpfload gen skeleton`: do not edit; generate it again when the\n"
		" * object changes.\n"
		" *\n"
		" *   open    struct %s *skel = %s__open(&err);\n"
		" *           parses the object; no syscalls yet\n"
		" *   set     skel->rodata->VAR = ...;  constants, before load\n"
		" *   load    %s__load(skel, &err);\n"
		" *           maps and programs into the kernel; global data is mapped\n"
		" *   attach  %s__attach(skel, &err);\n"
		" *           every program whose section names a target\n"
		" *   read    skel->bss->VAR, skel->maps.MAP\n"
		" *   close   %s__destroy(skel);\n"
		" *           detaches, closes, frees\n"
		" *\n"
		" * Functions return 0 or a negative errno and fill err; constructors return\n"
		" * NULL.  <bpfload/skeleton.h> says what the section pointers are before and\n"
		" * after load, and what holds on a kernel that cannot map global data into\n"
		" * memory (before Linux 5.5).  Static variables are left out, as libbpf\n"
		" * does; padding keeps their place.  Build with `pkg-config --cflags --libs\n"
		" * bpfload`, as C11 or later.\n"
		" */\n"
		"#ifndef %s\n#define %s\n\n"
		"#include <errno.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n"
		"#include <linux/types.h>\n\n"
		"#include <bpfload/error.h>\n#include <bpfload/object.h>\n#include <bpfload/skeleton.h>\n\n",
		g->name, g->file, g->size, g->name, g->name, g->name, g->name, g->name, guard, guard);
}

/* One section's struct: its variables at their offsets. */
static int write_section(FILE *out, FILE *checks, struct gen *g, const struct gen_item *it,
			 struct bl_err *err)
{
	const struct bl_btf *btf = g->obj->btf;
	const struct btf_type *sec = bl_btf_type(btf, it->datasec);
	const struct btf_var_secinfo *si = bl_btf_secinfos(sec);
	uint32_t i, align, pad = 0;
	uint64_t cur = 0;
	int packed = 0, ret;

	for (i = 0; i < bl_btf_vlen(sec); i++)	/* a variable below its alignment? */
		if (shown(btf, &si[i]) && bl_btf_resolve_align(btf, si[i].type, &align, NULL) == 0 &&
		    align && si[i].offset % align)
			packed = 1;
	fprintf(out, "\tstruct %s%s__%s {\n", packed ? "__attribute__((packed)) " : "", g->name, it->field);
	for (i = 0; i < bl_btf_vlen(sec); i++) {
		const char *var = bl_btf_type_name(btf, si[i].type);
		uint64_t here;

		if (!shown(btf, &si[i]))
			continue;
		if ((ret = skel_types_require(g->types, bl_btf_type(btf, si[i].type)->type, err)))
			return bl_err_context(err, "variable %s in %s", var, it->name);
		if (bl_btf_resolve_align(btf, si[i].type, &align, NULL) || !align || packed)
			align = 1;
		here = (cur + align - 1) / align * align;
		if (si[i].offset < cur)
			return bl_fail(err, EINVAL, "variable %s in %s: at offset %u, inside the variable before it",
				       var, it->name, si[i].offset);
		if (si[i].offset > here)
			fprintf(out, "\t\tchar __pad%u[%llu];\n", pad++,
				(unsigned long long)(si[i].offset - cur));
		ret = skel_types_decl(g->types, out, bl_btf_type(btf, si[i].type)->type, var, 2, 1, err);
		if (ret)
			return bl_err_context(err, "variable %s in %s", var, it->name);
		fputs(";\n", out);
		fprintf(checks, "_Static_assert(offsetof(struct %s__%s, %s) == %u && sizeof(((struct %s__%s *)0)->%s) == %u,\n"
			"\t       \"%s: variable %s is not where the BPF object has it\");\n",
			g->name, it->field, var, si[i].offset, g->name, it->field, var, si[i].size,
			it->name, var);
		cur = (uint64_t)si[i].offset + si[i].size;
	}
	fprintf(out, "\t} *%s;\n", it->field);
	return 0;
}

static int write_struct(FILE *out, FILE *checks, struct gen *g, struct bl_err *err)
{
	size_t i;
	int ret;

	fprintf(out, "struct %s {\n\tstruct bl_skeleton *skeleton;\n\tstruct bl_object *obj;\n", g->name);
	if (g->map_cnt) {
		fputs("\tstruct {\n", out);
		for (i = 0; i < g->map_cnt; i++) {
			fprintf(out, "\t\tstruct bl_map *%s;", g->maps[i].field);
			if (strcmp(g->maps[i].field, g->maps[i].name))
				fprintf(out, "\t/* %s%s */", g->maps[i].name,
					g->maps[i].datasec && !g->maps[i].vars ? ": no variables to show" : "");
			fputc('\n', out);
		}
		fputs("\t} maps;\n", out);
	}
	if (g->prog_cnt) {
		fputs("\tstruct {\n", out);
		for (i = 0; i < g->prog_cnt; i++)
			fprintf(out, "\t\tstruct bl_program *%s;\n", g->progs[i].field);
		fputs("\t} progs;\n\tstruct {\n", out);
		for (i = 0; i < g->prog_cnt; i++)
			fprintf(out, "\t\tstruct bl_attachment *%s;\n", g->progs[i].field);
		fputs("\t} attachments;\n", out);
	}
	for (i = 0; i < g->map_cnt; i++)
		if (g->maps[i].vars && (ret = write_section(out, checks, g, &g->maps[i], err)))
			return ret;
	fputs("};\n\n", out);
	return 0;
}

/* The functions: a table for bl_skeleton_open(), and pointers. */
static void write_functions(FILE *out, const struct gen *g)
{
	const char *n = g->name;
	size_t i;

	fprintf(out, "static inline const void *%s__elf_bytes(size_t *size);\n\n", n);
	fprintf(out, "/* Point each section's struct at its map's value: the values to create\n"
		" * the maps with before load, the kernel's memory after. */\n"
		"static inline void %s__point(struct %s *skel)\n{\n", n, n);
	for (i = 0; i < g->map_cnt; i++)
		if (g->maps[i].vars)
			fprintf(out, "\tskel->%s = (struct %s__%s *)bl_map_data(skel->maps.%s, NULL);\n",
				g->maps[i].field, n, g->maps[i].field, g->maps[i].field);
	for (i = 0; i < g->map_cnt && !g->maps[i].vars; i++)
		;
	if (i == g->map_cnt)	/* no section to point at */
		fputs("\t(void)skel;\n", out);
	fprintf(out, "}\n\n");

	fprintf(out, "static inline struct %s *\n"
		"%s__open_opts(const struct bl_object_opts *opts, struct bl_err *err)\n{\n"
		"\tstruct %s *skel = (struct %s *)calloc(1, sizeof(*skel));\n\n"
		"\tif (!skel) {\n\t\tbl_fail(err, ENOMEM, \"%s: out of memory\");\n\t\treturn NULL;\n\t}\n"
		"\t{\n", n, n, n, n, n);
	if (g->map_cnt) {
		fputs("\t\tconst struct bl_skel_map maps[] = {\n", out);
		for (i = 0; i < g->map_cnt; i++) {
			fprintf(out, "\t\t\t{ .name = \"%s\", .map = &skel->maps.%s", g->maps[i].name,
				g->maps[i].field);
			if (g->maps[i].vars)
				fprintf(out, ", .data_size = sizeof(*skel->%s)", g->maps[i].field);
			fputs(" },\n", out);
		}
		fputs("\t\t};\n", out);
	}
	if (g->prog_cnt) {
		fputs("\t\tconst struct bl_skel_prog progs[] = {\n", out);
		for (i = 0; i < g->prog_cnt; i++)
			fprintf(out, "\t\t\t{ .name = \"%s\", .prog = &skel->progs.%s, .attachment = &skel->attachments.%s },\n",
				g->progs[i].name, g->progs[i].field, g->progs[i].field);
		fputs("\t\t};\n", out);
	}
	fprintf(out, "\t\tstruct bl_skel_spec spec = {\n\t\t\t.object_name = \"%s\",\n", g->file);
	if (g->map_cnt)
		fprintf(out, "\t\t\t.maps = maps,\n\t\t\t.map_cnt = %zu,\n", g->map_cnt);
	if (g->prog_cnt)
		fprintf(out, "\t\t\t.progs = progs,\n\t\t\t.prog_cnt = %zu,\n", g->prog_cnt);
	fprintf(out, "\t\t};\n\n"
		"\t\tspec.data = %s__elf_bytes(&spec.size);\n"
		"\t\tskel->skeleton = bl_skeleton_open(&spec, opts, err);\n\t}\n"
		"\tif (!skel->skeleton) {\n\t\tfree(skel);\n\t\treturn NULL;\n\t}\n"
		"\tskel->obj = bl_skeleton_object(skel->skeleton);\n"
		"\t%s__point(skel);\n\treturn skel;\n}\n\n", n, n);

	if (g->unknown_type)	/* what --type said, for sections with other names */
		fprintf(out, "static inline struct %s *%s__open(struct bl_err *err)\n{\n"
			"\tconst struct bl_object_opts opts = {\n"
			"\t\t.unknown_section_type = (enum bpf_prog_type)%d,\t/* %s */\n\t};\n\n"
			"\treturn %s__open_opts(&opts, err);\n}\n\n", n, n, (int)g->unknown_type,
			bl_prog_type_name(g->unknown_type), n);
	else
		fprintf(out, "static inline struct %s *%s__open(struct bl_err *err)\n{\n"
			"\treturn %s__open_opts(NULL, err);\n}\n\n", n, n, n);
	fprintf(out, "/* Create the maps (.rodata is frozen) and load the programs; the\n"
		" * section structs then point into the kernel's memory. */\n"
		"static inline int %s__load(struct %s *skel, struct bl_err *err)\n{\n"
		"\tint ret = bl_object_load(skel->obj, err);\n\n"
		"\t%s__point(skel);\n\treturn ret;\n}\n\n", n, n, n);
	fprintf(out, "static inline int %s__attach(struct %s *skel, struct bl_err *err)\n{\n"
		"\treturn bl_skeleton_attach(skel->skeleton, err);\n}\n\n", n, n);
	fprintf(out, "static inline int %s__detach(struct %s *skel, struct bl_err *err)\n{\n"
		"\treturn bl_skeleton_detach(skel->skeleton, err);\n}\n\n", n, n);
	fprintf(out, "static inline void %s__destroy(struct %s *skel)\n{\n"
		"\tif (!skel)\n\t\treturn;\n\tbl_skeleton_destroy(skel->skeleton);\n\tfree(skel);\n}\n\n",
		n, n);
	fprintf(out, "static inline struct %s *%s__open_and_load(struct bl_err *err)\n{\n"
		"\tstruct %s *skel = %s__open(err);\n\n"
		"\tif (skel && %s__load(skel, err)) {\n\t\t%s__destroy(skel);\n\t\treturn NULL;\n\t}\n"
		"\treturn skel;\n}\n\n", n, n, n, n, n, n);
}

static void write_bytes(FILE *out, const struct gen *g)
{
	size_t i;

	fprintf(out, "/* %s itself. */\n"
		"static inline const void *%s__elf_bytes(size_t *size)\n{\n"
		"\tstatic const unsigned char data[] __attribute__((aligned(8))) = {", g->file, g->name);
	for (i = 0; i < g->size; i++)
		fprintf(out, "%s0x%02x,", i % 12 ? " " : "\n\t\t", g->bytes[i]);
	fprintf(out, "\n\t};\n\n\t*size = sizeof(data);\n\treturn data;\n}\n\n");
}

/* Everything, into one buffer. */
static int write_header(struct gen *g, char **text, size_t *len, struct bl_err *err)
{
	char *defs = NULL, *body = NULL, *checks = NULL, guard[IDENT_MAX + 16];
	size_t defs_len = 0, body_len = 0, checks_len = 0, i;
	FILE *fdefs = open_memstream(&defs, &defs_len), *fbody = open_memstream(&body, &body_len);
	FILE *fchecks = open_memstream(&checks, &checks_len), *out = open_memstream(text, len);
	int ret = -ENOMEM;

	if (!fdefs || !fbody || !fchecks || !out) {
		bl_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	if (g->obj->btf && !(g->types = skel_types_new(g->obj->btf, fdefs, err)))
		goto out;
	ret = write_struct(fbody, fchecks, g, err);
	if (ret)
		goto out;
	fflush(fdefs);
	fflush(fbody);
	fflush(fchecks);
	for (i = 0; i < strlen(g->name) && i < IDENT_MAX; i++)
		guard[i] = (char)toupper((unsigned char)g->name[i]);
	snprintf(guard + i, sizeof(guard) - i, "_SKEL_H");
	write_intro(out, g, guard);
	if (defs_len)
		fprintf(out, "/* ---- the types of the global variables ---- */\n\n%s", defs);
	fprintf(out, "%s", body);
	if (checks_len)
		fprintf(out, "%s\n", checks);
	write_functions(out, g);
	write_bytes(out, g);
	fprintf(out, "#endif /* %s */\n", guard);
out:
	if (fdefs)
		fclose(fdefs);
	if (fbody)
		fclose(fbody);
	if (fchecks)
		fclose(fchecks);
	if (out)
		fclose(out);
	free(defs);
	free(body);
	free(checks);
	return ret;
}

static int run(void *opts, struct bl_err *err)
{
	const struct gen_options *o = opts;
	struct bl_object_opts open_opts = { 0 };
	struct gen g;
	char *text = NULL;
	size_t len = 0;
	int ret = -1;

	memset(&g, 0, sizeof(g));
	if (o->name)
		c_ident(o->name, g.name, sizeof(g.name));
	else
		name_from_path(o->path, g.name, sizeof(g.name));
	g.file = strrchr(o->path, '/') ? strrchr(o->path, '/') + 1 : o->path;
	if (read_file(o->path, &g.bytes, &g.size, err))
		goto out;
	g.unknown_type = o->unknown_type;
	open_opts.unknown_section_type = o->unknown_type;
	g.obj = bl_object_open_mem(g.bytes, g.size, o->path, &open_opts, err);
	if (!g.obj || bl_object_complete_btf(g.obj, err) || name_is_free(&g, err) || collect(&g, err) ||
	    write_header(&g, &text, &len, err))
		goto out;
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
		bl_fail(err, errno, "writing the header failed: %s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(text);
	skel_types_free(g.types);
	bl_object_close(g.obj);
	free(g.maps);
	free(g.progs);
	free(g.bytes);
	return ret;
}

static int take_args(void *opts, int argc, char **argv)
{
	struct gen_options *o = opts;

	if (argc < 1 || argc > 2) {
		fprintf(stderr, "bpfload gen skeleton: expected FILE.o and at most a NAME; see --help\n");
		return -1;
	}
	o->path = argv[0];
	o->name = argc == 2 ? argv[1] : NULL;
	if (o->type_name && !(o->unknown_type = bl_prog_type_by_name(o->type_name))) {
		fprintf(stderr, "bpfload gen skeleton: unknown program type '%s'; see --help\n",
			o->type_name);
		return -1;
	}
	return 0;
}

static const struct tool_option options[] = {
	TOOL_STRING(0, "type", "TYPE", "program type for sections with unknown names, as for\n"
		    "bpfload; NAME__open() then passes it on", struct gen_options, type_name),
	{ 0 }
};

static const struct tool gen_skeleton = {
	.name = "bpfload gen skeleton",
	.args = "FILE.o [NAME]",
	.summary = "Write to stdout a C header that embeds the BPF object FILE.o and gives\n"
		   "typed access to it: struct NAME with maps.MAP, progs.PROG and the global\n"
		   "variables as skel->bss->VAR, skel->data->VAR, skel->rodata->VAR, and\n"
		   "NAME__open(), __load(), __attach(), __open_and_load(), __destroy().\n"
		   "NAME defaults to the file name without .o, as bpftool names it\n"
		   "(x.bpf.o: x_bpf).  No root needed.",
	.options = options,
	.take_args = take_args,
	.run = run,
};

int gen_main(int argc, char **argv)
{
	struct gen_options o = { 0 };

	if (argc < 2 || strcmp(argv[1], "skeleton") != 0) {
		fprintf(stderr, "bpfload gen: expected 'skeleton': bpfload gen skeleton FILE.o [NAME]\n");
		return 2;
	}
	return tool_main(&gen_skeleton, &o, argc - 1, argv + 1);
}
