// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf_symbols.c - function symbols of executables and shared libraries
 * from .symtab and .dynsym, with .gnu.version's default versions.
 * No syscalls.
 *
 * bl_elf_open() checked .symtab already; .dynsym (SHT_DYNSYM) and
 * .gnu.version (SHT_GNU_versym, one 16-bit entry per .dynsym symbol) are
 * checked here, when first walked.
 */
#include "elf/elf_symbols.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* .gnu.version: bit 15 marks a symbol that is not the default version. */
#define VERSYM_HIDDEN 0x8000

struct sym_table {
	const unsigned char *syms;	/* Elf64_Sym entries, maybe unaligned */
	size_t count;
	const unsigned char *strs;	/* its string table */
	uint64_t str_size;
	const unsigned char *versym;	/* .dynsym only: count u16 entries, or NULL */
	int dynamic;
};

static const char *string_at(const unsigned char *table, uint64_t size, uint64_t off)
{
	if (off >= size || !memchr(table + off, '\0', size - off))
		return NULL;
	return (const char *)table + off;
}

static size_t find_section_of_type(const struct bl_elf *elf, uint32_t type, struct bl_elf_section *sec)
{
	size_t i;

	for (i = 1; i < elf->shnum; i++) {
		bl_elf_section(elf, i, sec);
		if (sec->type == type)
			return i;
	}
	return 0;
}

/* .gnu.version for the .dynsym in section dynsym_index, if it fits. */
static const unsigned char *find_versym(const struct bl_elf *elf, size_t dynsym_index, size_t count)
{
	struct bl_elf_section sec;
	size_t i;

	for (i = 1; i < elf->shnum; i++) {
		bl_elf_section(elf, i, &sec);
		if (sec.type == SHT_GNU_versym && sec.link == dynsym_index && sec.data &&
		    sec.size == count * sizeof(uint16_t))
			return sec.data;
	}
	return NULL;	/* no versions: every symbol is its own default */
}

/* The symbol table of this type (SHT_SYMTAB or SHT_DYNSYM); count 0 when
 * the file has none. */
static int open_table(const struct bl_elf *elf, uint32_t type, struct sym_table *t, struct bl_err *err)
{
	struct bl_elf_section sec, strs;
	const char *what = type == SHT_DYNSYM ? ".dynsym" : ".symtab";
	size_t index = find_section_of_type(elf, type, &sec);

	memset(t, 0, sizeof(*t));
	t->dynamic = type == SHT_DYNSYM;
	if (!index || !sec.data)
		return 0;
	if (sec.entsize != sizeof(Elf64_Sym) || sec.size % sizeof(Elf64_Sym))
		return bl_fail(err, ENOEXEC, "ELF %s (section %zu) has entry size %llu and size %llu, expected multiples of %zu",
			       what, index, (unsigned long long)sec.entsize,
			       (unsigned long long)sec.size, sizeof(Elf64_Sym));
	if (sec.link == 0 || sec.link >= elf->shnum)
		return bl_fail(err, ENOEXEC, "ELF %s names string table %u, which does not exist", what, sec.link);
	bl_elf_section(elf, sec.link, &strs);
	if (strs.type != SHT_STRTAB || !strs.data)
		return bl_fail(err, ENOEXEC, "ELF %s's string table (section %u) is not a string table",
			       what, sec.link);
	t->syms = sec.data;
	t->count = (size_t)(sec.size / sizeof(Elf64_Sym));
	t->strs = strs.data;
	t->str_size = strs.size;
	if (t->dynamic)
		t->versym = find_versym(elf, index, t->count);
	return 0;
}

/* Symbol i as a function; 0 with *is_func 0 when it is something else or
 * only referenced (SHN_UNDEF: an import, whose st_value may be a PLT
 * slot, not the function). */
static int read_func(const struct sym_table *t, size_t i, struct bl_elf_func *f, int *is_func,
		     struct bl_err *err)
{
	Elf64_Sym sym;
	unsigned char type;
	uint16_t ver;

	memcpy(&sym, t->syms + i * sizeof(sym), sizeof(sym));
	type = ELF64_ST_TYPE(sym.st_info);
	*is_func = (type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF;
	if (!*is_func)
		return 0;
	f->name = string_at(t->strs, t->str_size, sym.st_name);
	if (!f->name)
		return bl_fail(err, ENOEXEC, "ELF %s symbol %zu: name offset %u is outside its string table",
			       t->dynamic ? ".dynsym" : ".symtab", i, sym.st_name);
	f->vaddr = sym.st_value;
	f->size = sym.st_size;
	f->type = type;
	f->bind = ELF64_ST_BIND(sym.st_info);
	f->dynamic = t->dynamic;
	f->hidden_version = 0;
	if (t->versym) {
		memcpy(&ver, t->versym + i * sizeof(ver), sizeof(ver));
		f->hidden_version = (ver & VERSYM_HIDDEN) != 0;
	}
	if (!f->name[0])
		*is_func = 0;
	return 0;
}

int bl_elf_for_each_function(const struct bl_elf *elf, bl_elf_func_fn fn, void *ctx,
			     struct bl_err *err)
{
	static const uint32_t types[] = { SHT_SYMTAB, SHT_DYNSYM };
	struct sym_table t;
	struct bl_elf_func f;
	size_t k, i;
	int ret, is_func;

	for (k = 0; k < 2; k++) {
		ret = open_table(elf, types[k], &t, err);
		if (ret)
			return ret;
		for (i = 1; i < t.count; i++) {	/* entry 0 is the null symbol */
			ret = read_func(&t, i, &f, &is_func, err);
			if (ret)
				return ret;
			if (is_func && (ret = fn(&f, ctx)) != 0)
				return ret;
		}
	}
	return 0;
}

struct find_ctx {
	const char *name;
	struct bl_elf_func best;
	int found;
	uint64_t others[4];	/* addresses that make the name ambiguous */
	size_t other_cnt;
};

static int consider(const struct bl_elf_func *f, void *vctx)
{
	struct find_ctx *c = vctx;
	size_t i;

	if (strcmp(f->name, c->name) != 0)
		return 0;
	if (!c->found) {
		c->best = *f;
		c->found = 1;
		return 0;
	}
	if (f->vaddr == c->best.vaddr)
		return 0;	/* an alias, or the same function in the other table */
	if (c->best.hidden_version && !f->hidden_version) {
		c->best = *f;	/* the default version wins over old ones */
		return 0;
	}
	if (f->hidden_version)
		return 0;
	for (i = 0; i < c->other_cnt; i++)
		if (c->others[i] == f->vaddr)
			return 0;
	if (c->other_cnt < sizeof(c->others) / sizeof(c->others[0]))
		c->others[c->other_cnt++] = f->vaddr;
	return 0;
}

int bl_elf_find_function(const struct bl_elf *elf, const char *name, struct bl_elf_func *out,
			 struct bl_err *err)
{
	struct find_ctx c;
	char list[160] = "";
	size_t i, len = 0;
	int ret;

	memset(&c, 0, sizeof(c));
	c.name = name;
	ret = bl_elf_for_each_function(elf, consider, &c, err);
	if (ret)
		return ret;
	if (!c.found)
		return -ENOENT;	/* the caller words the message: it knows the file */
	/* an old version met before the default one may sit in others[] */
	for (i = 0; i < c.other_cnt; i++)
		if (c.others[i] != c.best.vaddr && len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, ", 0x%llx",
						(unsigned long long)c.others[i]);
	if (len)
		return bl_fail(err, EEXIST, "several functions are named %s (at 0x%llx%s): static functions of different source files",
			       name, (unsigned long long)c.best.vaddr, list);
	*out = c.best;
	return 0;
}

int bl_elf_find_data_symbol(const struct bl_elf *elf, const char *name, uint64_t *vaddr,
			    struct bl_err *err)
{
	static const uint32_t types[] = { SHT_SYMTAB, SHT_DYNSYM };
	struct sym_table t;
	Elf64_Sym sym;
	size_t k, i;
	int ret;

	for (k = 0; k < 2; k++) {
		ret = open_table(elf, types[k], &t, err);
		if (ret)
			return ret;
		for (i = 1; i < t.count; i++) {
			const char *s;
			unsigned char type;

			memcpy(&sym, t.syms + i * sizeof(sym), sizeof(sym));
			type = ELF64_ST_TYPE(sym.st_info);
			if ((type != STT_OBJECT && type != STT_NOTYPE) || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE)
				continue;
			s = string_at(t.strs, t.str_size, sym.st_name);
			if (s && strcmp(s, name) == 0) {
				*vaddr = sym.st_value;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* --- "did you mean" ---------------------------------------------------- */

#define SIMILAR_MAX 3
#define NAME_CMP_MAX 64

/* Edit distance between a and b, or limit + 1 once it exceeds limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[NAME_CMP_MAX + 1];

	if (la > NAME_CMP_MAX || lb > NAME_CMP_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0], row_min;

		row[0] = i;
		row_min = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < row_min)
				row_min = best;
		}
		if (row_min > limit)
			return limit + 1;
	}
	return row[lb];
}

struct similar_ctx {
	const char *name;
	size_t limit;
	const char *names[SIMILAR_MAX];
	size_t scores[SIMILAR_MAX];
	size_t count;
};

static size_t similarity_score(const struct similar_ctx *c, const char *cand)
{
	size_t d = edit_distance(c->name, cand, c->limit);

	if (d <= c->limit)
		return d;
	/* "malloc" for "__libc_malloc", "readline" for "readline_internal" */
	if (strlen(c->name) >= 3 && strstr(cand, c->name))
		return c->limit + 1 + strlen(cand) - strlen(c->name);
	return (size_t)-1;
}

static int collect_similar(const struct bl_elf_func *f, void *vctx)
{
	struct similar_ctx *c = vctx;
	size_t score = similarity_score(c, f->name), i, at;

	if (score == (size_t)-1)
		return 0;
	for (i = 0; i < c->count; i++)
		if (strcmp(c->names[i], f->name) == 0)
			return 0;
	for (at = 0; at < c->count && c->scores[at] <= score; at++)
		;
	if (at >= SIMILAR_MAX)
		return 0;
	if (c->count < SIMILAR_MAX)
		c->count++;
	for (i = c->count - 1; i > at; i--) {
		c->names[i] = c->names[i - 1];
		c->scores[i] = c->scores[i - 1];
	}
	c->names[at] = f->name;
	c->scores[at] = score;
	return 0;
}

void bl_elf_similar_functions(const struct bl_elf *elf, const char *name, char *out, size_t size)
{
	struct similar_ctx c;
	size_t i, len = 0;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.limit = strlen(name) / 4 < 2 ? 2 : strlen(name) / 4;
	if (size)
		out[0] = '\0';
	if (bl_elf_for_each_function(elf, collect_similar, &c, NULL))
		return;	/* a damaged table: no suggestions rather than a second error */
	for (i = 0; i < c.count && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "", c.names[i]);
}
