// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_externs.c - what bl_object_open makes of __kconfig and __ksym
 * externs, with no kernel: each extern's kind, C type, size, signedness
 * and weakness as the objects in tests/kern/ declare them; the .kconfig
 * map; one relocation record per relocation against an undefined symbol
 * (counted with libelf, as an independent reader); objects whose externs
 * no kernel could satisfy refused at open, naming the extern.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "object/externs.h"
#include "object/object.h"
#include "../testlib.h"

struct want {
	const char *name;
	enum bl_extern_kind kind;
	int kcfg_type;		/* -1: not a kconfig extern */
	uint32_t size;
	int is_signed;
	int weak;
	int typeless;		/* KSYM: declared const void */
};

static const struct want kconfig_obj[] = {
	{ "LINUX_KERNEL_VERSION", BL_EXTERN_KCONFIG, BL_KCFG_INT, 4, 0, 0, 0 },
	{ "LINUX_HAS_BPF_COOKIE", BL_EXTERN_KCONFIG, BL_KCFG_BOOL, 1, 0, 0, 0 },
	{ "LINUX_HAS_SYSCALL_WRAPPER", BL_EXTERN_KCONFIG, BL_KCFG_BOOL, 1, 0, 0, 0 },
	{ "LINUX_BL_FUTURE_VALUE", BL_EXTERN_KCONFIG, BL_KCFG_INT, 4, 1, 1, 0 },
	{ "CONFIG_BPF_SYSCALL", BL_EXTERN_KCONFIG, BL_KCFG_BOOL, 1, 0, 0, 0 },
	{ "CONFIG_HZ", BL_EXTERN_KCONFIG, BL_KCFG_INT, 4, 1, 0, 0 },
	{ "CONFIG_BLK_DEV_LOOP", BL_EXTERN_KCONFIG, BL_KCFG_TRISTATE, 4, 0, 1, 0 },
	{ "CONFIG_IKCONFIG", BL_EXTERN_KCONFIG, BL_KCFG_TRISTATE, 4, 0, 1, 0 },
	{ "CONFIG_BPF_JIT", BL_EXTERN_KCONFIG, BL_KCFG_CHAR, 1, 1, 1, 0 },
	{ "CONFIG_NR_CPUS", BL_EXTERN_KCONFIG, BL_KCFG_INT, 2, 0, 1, 0 },
	{ "CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK", BL_EXTERN_KCONFIG, BL_KCFG_INT, 4, 1, 1, 0 },
	{ "CONFIG_ILLEGAL_POINTER_VALUE", BL_EXTERN_KCONFIG, BL_KCFG_INT, 8, 0, 1, 0 },
	{ "CONFIG_DEFAULT_HOSTNAME", BL_EXTERN_KCONFIG, BL_KCFG_CHAR_ARRAY, 16, 0, 1, 0 },
	{ "CONFIG_LOCALVERSION", BL_EXTERN_KCONFIG, BL_KCFG_CHAR_ARRAY, 8, 0, 1, 0 },
	{ "CONFIG_BL_NO_SUCH_OPTION", BL_EXTERN_KCONFIG, BL_KCFG_BOOL, 1, 0, 1, 0 },
	{ "schedule", BL_EXTERN_KSYM, -1, 0, 0, 0, 1 },
	{ "bpf_prog_active", BL_EXTERN_KSYM, -1, 0, 0, 1, 1 },
	{ "bl_no_such_symbol", BL_EXTERN_KSYM, -1, 0, 0, 1, 1 },
	{ "bl_no_such_variable", BL_EXTERN_KSYM, -1, 0, 0, 1, 0 },
	{ "bl_no_such_kfunc", BL_EXTERN_KFUNC, -1, 0, 0, 1, 0 },
	{ NULL },
};

static const struct want typed_obj[] = {
	{ "runqueues", BL_EXTERN_KSYM, -1, 0, 0, 0, 0 },
	{ NULL },
};

static const struct want kfunc_obj[] = {
	{ "bpf_task_from_pid", BL_EXTERN_KFUNC, -1, 0, 0, 0, 0 },
	{ "bpf_task_release", BL_EXTERN_KFUNC, -1, 0, 0, 0, 0 },
	{ "bpf_rcu_read_lock", BL_EXTERN_KFUNC, -1, 0, 0, 0, 0 },
	{ "bpf_rcu_read_unlock", BL_EXTERN_KFUNC, -1, 0, 0, 0, 0 },
	{ NULL },
};

static const struct bl_extern *find(const struct bl_object *obj, const char *name)
{
	size_t i;

	for (i = 0; obj->externs && i < obj->externs->cnt; i++)
		if (strcmp(obj->externs->list[i].name, name) == 0)
			return &obj->externs->list[i];
	return NULL;
}

/* With libelf: undefined global or weak symbols, and relocations of
 * code against them, split into calls (R_BPF_64_32) and the rest. */
struct elf_count {
	size_t externs, weak, calls, loads;
};

static int count_with_libelf(const char *path, struct elf_count *c)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh, target;
	GElf_Sym sym;
	Elf_Data *symtab = NULL;
	size_t i;

	memset(c, 0, sizeof(*c));
	elf_version(EV_CURRENT);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ, NULL)))
		return -1;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			symtab = elf_getdata(scn, NULL);
	for (i = 1; symtab && gelf_getsym(symtab, (int)i, &sym); i++)
		if (sym.st_shndx == SHN_UNDEF && sym.st_name &&
		    (GELF_ST_BIND(sym.st_info) == STB_GLOBAL || GELF_ST_BIND(sym.st_info) == STB_WEAK)) {
			c->externs++;
			c->weak += GELF_ST_BIND(sym.st_info) == STB_WEAK;
		}
	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;
		GElf_Rel rel;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL ||
		    !gelf_getshdr(elf_getscn(e, sh.sh_info), &target) || !(target.sh_flags & SHF_EXECINSTR))
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; gelf_getrel(d, (int)i, &rel); i++) {
			gelf_getsym(symtab, (int)GELF_R_SYM(rel.r_info), &sym);
			if (sym.st_shndx != SHN_UNDEF)
				continue;
			if (GELF_R_TYPE(rel.r_info) == R_BPF_64_32)
				c->calls++;
			else
				c->loads++;
		}
	}
	elf_end(e);
	close(fd);
	return 0;
}

static int check_extern(const char *name, const struct bl_object *obj, const struct want *w)
{
	const struct bl_extern *e = find(obj, w->name);

	if (!e)
		t_fail(name, "no extern %s", w->name);
	else if (e->kind != w->kind || e->is_weak != w->weak)
		t_fail(name, "%s: kind %d weak %d", w->name, e->kind, e->is_weak);
	else if (w->kcfg_type >= 0 && ((int)e->kcfg_type != w->kcfg_type || e->kcfg_size != w->size ||
				       (w->kcfg_type == BL_KCFG_INT && e->kcfg_signed != w->is_signed)))
		t_fail(name, "%s: type %d size %u signed %d", w->name, e->kcfg_type, e->kcfg_size,
		       e->kcfg_signed);
	else if (w->kind == BL_EXTERN_KSYM &&
		 (bl_btf_skip_modifiers(obj->btf, e->type_id) == 0) != (w->typeless != 0))
		t_fail(name, "%s: %s, expected %s", w->name, w->typeless ? "typed" : "typeless",
		       w->typeless ? "typeless" : "typed");
	else
		return 0;
	return -1;
}

static void test_object(const char *path, const char *base, const struct want *want, int has_kconfig)
{
	char name[128];
	struct bl_object *obj;
	struct elf_count c;
	struct bl_err err;
	const struct bl_map *m;
	size_t i, j, n = 0, calls = 0, loads = 0;

	snprintf(name, sizeof(name), "externs/open/%s", base);
	obj = bl_object_open_file(path, NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	T_EXPECT(name, count_with_libelf(path, &c) == 0, "libelf cannot read it");
	for (i = 0; want[i].name; i++, n++)
		if (check_extern(name, obj, &want[i]))
			goto out;
	if (!obj->externs || obj->externs->cnt != n || c.externs != n) {
		t_fail(name, "%zu externs, %zu expected, libelf counts %zu", obj->externs ? obj->externs->cnt : 0,
		       n, c.externs);
		goto out;
	}
	for (i = 0; i < obj->func_cnt; i++)
		for (j = 0; j < obj->funcs[i].reloc_cnt; j++) {
			calls += obj->funcs[i].relocs[j].kind == BL_RELOC_EXTERN_CALL;
			loads += obj->funcs[i].relocs[j].kind == BL_RELOC_EXTERN_LD64;
		}
	if (calls != c.calls || loads != c.loads) {
		t_fail(name, "%zu kfunc calls and %zu extern loads recorded; libelf counts %zu and %zu",
		       calls, loads, c.calls, c.loads);
		goto out;
	}
	m = bl_object_map(obj, ".kconfig");
	if (has_kconfig != (m != NULL) ||
	    (m && (m->spec.type != BPF_MAP_TYPE_ARRAY || !(m->spec.flags & BPF_F_RDONLY_PROG) || !m->freeze))) {
		t_fail(name, "the .kconfig map is %s", m ? "not a frozen read-only array" : "missing or extra");
		goto out;
	}
	printf("# %s: %zu externs (%zu weak), %zu kfunc calls, %zu extern loads\n", name, n, c.weak, calls, loads);
	t_pass(name);
out:
	bl_object_close(obj);
}

int main(int argc, char **argv)
{
	int i, seen = 0;

	for (i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (strcmp(base, "externs_kconfig.bpf.o") == 0)
			test_object(argv[i], base, kconfig_obj, 1), seen++;
		else if (strcmp(base, "externs_typed.bpf.o") == 0)
			test_object(argv[i], base, typed_obj, 0), seen++;
		else if (strcmp(base, "externs_kfunc.bpf.o") == 0)
			test_object(argv[i], base, kfunc_obj, 0), seen++;
	}
	if (seen != 3)
		t_fail("externs/open", "expected the three externs_*.bpf.o objects among the arguments, got %d", seen);
	return t_exit_code();
}
