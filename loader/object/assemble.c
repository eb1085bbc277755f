// SPDX-License-Identifier: BSD-2-Clause
/*
 * assemble.c - append subprograms and resolve relocations.  No syscalls.
 *
 * Each change is narrated when someone listens (object_trace.h).
 */
#include "object/assemble.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "object/externs.h"
#include "object/object_trace.h"
#include "sys/trace.h"

/* The kernel's limit on a program's instructions (BPF_COMPLEXITY_LIMIT_INSNS). */
#define MAX_PROGRAM_INSNS 1000000

/* Where function func sits in the program, placing it at the end first
 * if it is not there yet. */
static int place_function(const struct bl_object *obj, struct bl_program *prog, size_t func,
			  struct bl_err *err)
{
	const struct bl_function *f = &obj->funcs[func];
	struct bl_placed_func *layout;
	struct bpf_insn *insns;
	size_t i;

	for (i = 0; i < prog->layout_cnt; i++)
		if (prog->layout[i].func == func)
			return (int)i;
	if (prog->insn_cnt + f->insn_cnt > MAX_PROGRAM_INSNS)
		return bl_fail(err, E2BIG, "program %s would exceed %d instructions with its subprograms",
			       prog->name, MAX_PROGRAM_INSNS);
	layout = realloc(prog->layout, (prog->layout_cnt + 1) * sizeof(*layout));
	if (!layout)
		return bl_fail(err, ENOMEM, "out of memory");
	prog->layout = layout;
	insns = realloc(prog->insns, (prog->insn_cnt + f->insn_cnt) * sizeof(*insns));
	if (!insns)
		return bl_fail(err, ENOMEM, "out of memory");
	prog->insns = insns;
	memcpy(insns + prog->insn_cnt, f->code, f->insn_cnt * sizeof(*insns));
	layout[prog->layout_cnt].func = func;
	layout[prog->layout_cnt].base = prog->insn_cnt;
	prog->insn_cnt += f->insn_cnt;
	if (prog->layout_cnt && bl_tracing())
		bl_trace_placed(obj, prog, func, layout[prog->layout_cnt].base);
	return (int)prog->layout_cnt++;
}

static int resolve(struct bl_object *obj, struct bl_program *prog, size_t base,
		   const struct bl_reloc *r, struct bl_err *err)
{
	struct bpf_insn *insn;
	const struct bl_map *map;
	int placed;

	switch (r->kind) {
	case BL_RELOC_MAP_FD:
	case BL_RELOC_MAP_VALUE:
		map = &obj->maps[r->map_index];
		if (map->fd < 0)
			return bl_fail(err, EBADF, "program %s: map %s has not been created",
				       prog->name, map->name);
		insn = &prog->insns[base + r->insn_index];
		insn[0].src_reg = r->kind == BL_RELOC_MAP_FD ? BPF_PSEUDO_MAP_FD : BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = map->fd;
		insn[1].imm = r->kind == BL_RELOC_MAP_VALUE ? (int32_t)r->value_offset : 0;
		return 0;
	case BL_RELOC_EXTERN_LD64:
	case BL_RELOC_EXTERN_CALL:
		return bl_extern_patch(obj, r, &prog->insns[base + r->insn_index], err);
	case BL_RELOC_CALL:
	case BL_RELOC_FUNC_ADDR:
		placed = place_function(obj, prog, r->target_func, err);
		if (placed < 0)
			return placed;
		/* place_function may have moved prog->insns */
		insn = &prog->insns[base + r->insn_index];
		insn[0].imm = (int32_t)(prog->layout[placed].base + r->target_insn) -
			      (int32_t)(base + r->insn_index) - 1;
		if (r->kind == BL_RELOC_FUNC_ADDR) {
			insn[0].src_reg = BPF_PSEUDO_FUNC;
			insn[1].imm = 0;
		}
		return 0;
	}
	return bl_fail(err, EINVAL, "program %s: unknown relocation kind %d", prog->name, r->kind);
}

int bl_program_assemble(struct bl_object *obj, struct bl_program *prog, struct bl_err *err)
{
	size_t i, j;
	int ret;

	free(prog->insns);
	free(prog->layout);
	prog->insns = NULL;
	prog->layout = NULL;
	prog->insn_cnt = prog->layout_cnt = 0;
	ret = place_function(obj, prog, prog->entry_func, err);
	if (ret < 0)
		return ret;
	/* The layout grows while we walk it: each placed subprogram gets its
	 * own relocations resolved in turn. */
	for (i = 0; i < prog->layout_cnt; i++) {
		const struct bl_function *f = &obj->funcs[prog->layout[i].func];

		for (j = 0; j < f->reloc_cnt; j++) {
			ret = resolve(obj, prog, prog->layout[i].base, &f->relocs[j], err);
			if (ret)
				return ret;
			if (bl_tracing())
				bl_trace_resolved(obj, prog, prog->layout[i].base, &f->relocs[j]);
		}
	}
	return 0;
}
