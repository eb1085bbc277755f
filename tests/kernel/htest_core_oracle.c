// SPDX-License-Identifier: BSD-2-Clause
/*
 * htest_core_oracle.c - libbpf as the oracle for CO-RE: for each test
 * object with CO-RE relocations, the instructions our loader submits to
 * BPF_PROG_LOAD must be the ones libbpf (Debian's 1.1) submits for the
 * same object on the same kernel (bpf_program__insns() after
 * bpf_object__load()), except the map fds in ld_imm64 instructions.
 *
 * Host only (root, links libbpf): the qemu guests run static kernel tests
 * without libbpf.  A program libbpf itself cannot load (a reachable
 * failed relocation) is left out of libbpf's load and compared nowhere;
 * ktest_core_relo checks how we refuse it.
 *
 * Usage: htest_core_oracle [--bindir DIR] [--objdir DIR] [--expect-kprobes]
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "object/core_relocate.h"
#include "object/object.h"
#include "testlib.h"

/* Programs that must fail to load, with libbpf as with us. */
static const char *const unloadable[] = { "reads_missing", NULL };

static const char *objdir = "build/tests/kern";

static int is_unloadable(const char *name)
{
	size_t i;

	for (i = 0; unloadable[i]; i++)
		if (strcmp(unloadable[i], name) == 0)
			return 1;
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int is_map_ld(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE);
}

/* -1 when equal up to map fds, else the first instruction that differs. */
static long first_difference(const struct bpf_insn *a, size_t na, const struct bpf_insn *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++) {
		if (is_map_ld(&a[i]) && is_map_ld(&b[i]) && i + 1 < na && i + 1 < nb) {
			/* same shape and value offset; the fds are each loader's */
			if (a[i].code != b[i].code || a[i].dst_reg != b[i].dst_reg ||
			    a[i].src_reg != b[i].src_reg || a[i].off != b[i].off ||
			    memcmp(&a[i + 1], &b[i + 1], sizeof(a[0])))
				return (long)i;
			i++;
			continue;
		}
		if (memcmp(&a[i], &b[i], sizeof(a[0])))
			return (long)i;
	}
	return na == nb ? -1 : (long)i;
}

static void show_insn(char *buf, size_t size, const struct bpf_insn *in)
{
	snprintf(buf, size, "code %#04x dst r%u src r%u off %d imm %d", in->code, in->dst_reg, in->src_reg,
		 in->off, in->imm);
}

static void compare_program(const char *name, const struct bl_object *ours, struct bpf_object *theirs)
{
	const struct bl_program *p = bl_object_program(ours, name);
	struct bpf_program *lp = bpf_object__find_program_by_name(theirs, name);
	const struct bpf_insn *li;
	char test[192], x[96], y[96];
	size_t ln;
	long diff;

	snprintf(test, sizeof(test), "core-oracle/%s/%s", ours->name, name);
	if (!p || !lp) {
		t_fail(test, "program missing (ours %p, libbpf %p)", (void *)p, (void *)lp);
		return;
	}
	li = bpf_program__insns(lp);
	ln = bpf_program__insn_cnt(lp);
	diff = first_difference(p->insns, p->insn_cnt, li, ln);
	if (diff < 0) {
		printf("# %s: %zu instructions equal\n", test, ln);
		t_pass(test);
		return;
	}
	if ((size_t)diff < p->insn_cnt && (size_t)diff < ln) {
		const struct bl_core_relo_info *r = bl_core_relo_at(ours, p, (size_t)diff);

		show_insn(x, sizeof(x), &p->insns[diff]);
		show_insn(y, sizeof(y), &li[diff]);
		t_fail(test, "instruction %ld differs: ours %s, libbpf's %s%s%s%s", diff, x, y,
		       r ? " (CO-RE relocation " : "", r ? r->res.path : "", r ? ")" : "");
	} else {
		t_fail(test, "ours has %zu instructions, libbpf's %zu", p->insn_cnt, ln);
	}
}

static void compare_object(const char *file)
{
	char path[512], test[128];
	struct bpf_object *theirs;
	struct bl_object *ours;
	struct bpf_program *lp;
	struct bl_err err;
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", objdir, file);
	snprintf(test, sizeof(test), "core-oracle/%s", file);
	if (access(path, R_OK)) {
		t_skip(test, "%s was not built (it needs bpftool to generate vmlinux.h)", path);
		return;
	}
	theirs = bpf_object__open_file(path, NULL);
	if (!theirs) {
		t_fail(test, "libbpf cannot open it: %s", strerror(errno));
		return;
	}
	bpf_object__for_each_program(lp, theirs)
		if (is_unloadable(bpf_program__name(lp)))
			bpf_program__set_autoload(lp, false);
	ret = bpf_object__load(theirs);
	ours = bl_object_open_file(path, NULL, &err);
	if (ret || !ours || bl_object_create_maps(ours, &err)) {
		t_fail(test, "libbpf load %d; ours: %s", ret, ours ? err.msg : "open failed");
		goto out;
	}
	printf("# %s: %zu CO-RE relocations\n", test, bl_core_relo_count(ours));
	for (i = 0; i < ours->prog_cnt; i++) {
		const char *name = ours->progs[i].name;

		if (is_unloadable(name))
			continue;
		if (bl_object_load_program(ours, &ours->progs[i], &err)) {
			snprintf(test, sizeof(test), "core-oracle/%s/%s", file, name);
			t_fail(test, "we cannot load it: %s", err.msg);
			continue;
		}
		compare_program(name, ours, theirs);
	}
out:
	bl_object_close(ours);
	bpf_object__close(theirs);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bindir", required_argument, NULL, 'b' },
		{ "objdir", required_argument, NULL, 'o' },
		{ "expect-kprobes", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const objects[] = { "core_truth.bpf.o", "core_fail.bpf.o", "core_subprog.bpf.o",
					       "btf_types.bpf.o", NULL };
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (c == 'o')
			objdir = optarg;
	if (geteuid() != 0) {
		t_skip("core-oracle", "not root: loading programs needs root");
		return 0;
	}
	libbpf_set_print(quiet);
	for (i = 0; objects[i]; i++)
		compare_object(objects[i]);
	return t_exit_code();
}
