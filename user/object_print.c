// SPDX-License-Identifier: BSD-2-Clause
/*
 * object_print.c - human-readable views of an object for bpfload.
 */
#include "object_print.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/maps.h>

#include "btf/btf.h"
#include "btf_format.h"
#include "object/core_relocate.h"
#include "object/externs.h"
#include "object/global_data.h"
#include "object/relocs.h"

const char *map_type_name(unsigned int type)
{
	static const char *const names[] = {
		[BPF_MAP_TYPE_HASH] = "hash",
		[BPF_MAP_TYPE_ARRAY] = "array",
		[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
		[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
		[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
		[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
		[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
		[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
		[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
		[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
		[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
		[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "other";
}

static const char *origin_name(enum bl_map_origin origin)
{
	return origin == BL_MAP_DATA ? "global data" : origin == BL_MAP_BTF ? ".maps, BTF" :
	       "legacy maps section";
}

static const char *reloc_kind_name(enum bl_reloc_kind kind)
{
	switch (kind) {
	case BL_RELOC_MAP_FD: return "map";
	case BL_RELOC_MAP_VALUE: return "global data";
	case BL_RELOC_CALL: return "call";
	case BL_RELOC_FUNC_ADDR: return "function address";
	case BL_RELOC_EXTERN_LD64: return "extern";
	case BL_RELOC_EXTERN_CALL: return "kfunc call";
	}
	return "?";
}

static void print_relocations(FILE *out, const struct bl_object *obj)
{
	size_t i, j;

	fprintf(out, "relocations:\n");
	for (i = 0; i < obj->func_cnt; i++) {
		const struct bl_function *f = &obj->funcs[i];

		for (j = 0; j < f->reloc_cnt; j++) {
			const struct bl_reloc *r = &f->relocs[j];

			fprintf(out, "  %s insn %zu: %s ", f->name, r->insn_index, reloc_kind_name(r->kind));
			if (r->kind == BL_RELOC_MAP_FD)
				fprintf(out, "%s\n", obj->maps[r->map_index].name);
			else if (r->kind == BL_RELOC_MAP_VALUE)
				fprintf(out, "%s+%u\n", obj->maps[r->map_index].name, r->value_offset);
			else if (r->kind == BL_RELOC_EXTERN_LD64 || r->kind == BL_RELOC_EXTERN_CALL)
				fprintf(out, "%s\n", obj->externs->list[r->extern_index].name);
			else
				fprintf(out, "%s+%zu\n", obj->funcs[r->target_func].name, r->target_insn);
		}
	}
}

void print_object(FILE *out, const struct bl_object *obj)
{
	size_t i;

	fprintf(out, "object %s: license \"%s\"", obj->name, obj->license);
	if (obj->kern_version)
		fprintf(out, ", kernel version %u.%u.%u", obj->kern_version >> 16,
			(obj->kern_version >> 8) & 0xff, obj->kern_version & 0xff);
	fprintf(out, "\nmaps:\n");
	for (i = 0; i < obj->map_cnt; i++) {
		const struct bl_map *m = &obj->maps[i];

		fprintf(out, "  %-20s %-16s key %u value %u entries %u flags %#x (%s)\n", m->name,
			map_type_name(m->spec.type), m->spec.key_size, m->spec.value_size,
			m->spec.max_entries, m->spec.flags, origin_name(m->origin));
	}
	fprintf(out, "programs:\n");
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct bl_program *p = &obj->progs[i];

		fprintf(out, "  %-20s %-14s section %s, %zu insns\n", p->name,
			bl_prog_type_name(p->kind->prog_type), p->section_name,
			obj->funcs[p->entry_func].insn_cnt);
	}
	fprintf(out, "subprograms:\n");
	for (i = 0; i < obj->func_cnt; i++)
		if (obj->funcs[i].is_subprogram)
			fprintf(out, "  %-20s %zu insns\n", obj->funcs[i].name, obj->funcs[i].insn_cnt);
	print_relocations(out, obj);
}

void print_bytes(FILE *out, const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
	if (n == 1 || n == 2 || n == 4 || n == 8) {
		for (i = n; i-- > 0;)
			v = (v << 8) | p[i];
		fprintf(out, " (%" PRIu64 ")", v);
	}
}

/* A data section's variables as its BTF DATASEC lists them, formatted;
 * returns 0 when the object has no such DATASEC. */
static int print_datasec_vars(FILE *out, const struct bl_object *obj, const struct bl_map *m,
			      const unsigned char *value)
{
	const struct btf_type *sec;
	int64_t id;
	uint32_t i;

	if (!obj->btf || (id = bl_btf_find(obj->btf, m->name, BTF_KIND_DATASEC)) < 0)
		return 0;
	sec = bl_btf_type(obj->btf, (uint32_t)id);
	for (i = 0; i < bl_btf_vlen(sec); i++) {
		const struct btf_var_secinfo *v = &bl_btf_secinfos(sec)[i];

		if (v->offset > m->spec.value_size || v->size > m->spec.value_size - v->offset)
			continue;
		fprintf(out, "  %s = ", bl_btf_type_name(obj->btf, v->type));
		btf_print_value(out, obj->btf, v->type, value + v->offset, v->size);
		fprintf(out, "\n");
	}
	return 1;
}

static void print_data_map(FILE *out, const struct bl_object *obj, const struct bl_map *m)
{
	struct bl_elf_symbol sym;
	unsigned char *value = malloc(m->spec.value_size);
	uint32_t zero = 0;
	size_t i;

	if (!value || bl_map_lookup(m->fd, &zero, value) != 0) {
		fprintf(out, "  (cannot read)\n");
		free(value);
		return;
	}
	if (print_datasec_vars(out, obj, m, value)) {
		free(value);
		return;
	}
	for (i = 0; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx != m->section_index || sym.type != STT_OBJECT || !sym.name[0] ||
		    sym.value > m->spec.value_size || sym.size > m->spec.value_size - sym.value)
			continue;
		fprintf(out, "  %s = ", sym.name);
		print_bytes(out, value + sym.value, (size_t)sym.size);
		fprintf(out, "\n");
	}
	free(value);
}

static int is_per_cpu(unsigned int type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static int is_dumpable(unsigned int type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_LRU_HASH ||
	       is_per_cpu(type);
}

/* A key or value: by its BTF type when the map has one, else as bytes. */
static void print_typed(FILE *out, const struct bl_object *obj, uint32_t type_id,
			const unsigned char *data, size_t size)
{
	if (obj->btf && type_id)
		btf_print_value(out, obj->btf, type_id, data, size);
	else
		print_bytes(out, data, size);
}

static void print_entries(FILE *out, const struct bl_object *obj, const struct bl_map *m, int ncpus)
{
	size_t stride = bl_percpu_value_stride(m->spec.value_size);
	size_t value_len = is_per_cpu(m->spec.type) ? stride * (size_t)ncpus : m->spec.value_size;
	unsigned char *key = malloc(m->spec.key_size), *next = malloc(m->spec.key_size);
	unsigned char *value = malloc(value_len);
	int ret, cpu, entries = 0;

	for (ret = bl_map_next_key(m->fd, NULL, next); key && next && value && ret == 0;
	     ret = bl_map_next_key(m->fd, key, next)) {
		memcpy(key, next, m->spec.key_size);
		if (bl_map_lookup(m->fd, key, value) != 0)
			continue;	/* deleted meanwhile */
		fprintf(out, "  key ");
		print_typed(out, obj, m->btf_key_type_id, key, m->spec.key_size);
		for (cpu = 0; cpu < (is_per_cpu(m->spec.type) ? ncpus : 1); cpu++) {
			fprintf(out, is_per_cpu(m->spec.type) ? "  cpu%d " : "  value ", cpu);
			print_typed(out, obj, m->btf_value_type_id, value + (size_t)cpu * stride,
				    m->spec.value_size);
		}
		fprintf(out, "\n");
		entries++;
	}
	fprintf(out, "  (%d entries)\n", entries);
	free(key);
	free(next);
	free(value);
}

void print_map_contents(FILE *out, const struct bl_object *obj)
{
	int ncpus = bl_possible_cpus(NULL);
	size_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		const struct bl_map *m = &obj->maps[i];

		fprintf(out, "map %s (%s):\n", m->name, map_type_name(m->spec.type));
		if (m->fd < 0)
			fprintf(out, "  (not created)\n");
		else if (m->origin == BL_MAP_DATA)
			print_data_map(out, obj, m);
		else if (!is_dumpable(m->spec.type))
			fprintf(out, "  (a %s map holds no values to show)\n", map_type_name(m->spec.type));
		else
			print_entries(out, obj, m, ncpus > 0 ? ncpus : 1);
	}
}

/* ---- CO-RE ------------------------------------------------------------------ */

static void print_core_value(FILE *out, uint32_t kind, uint64_t v)
{
	if (kind == BPF_CORE_ENUMVAL_VALUE)
		fprintf(out, "%" PRId64, (int64_t)v);
	else
		fprintf(out, "%" PRIu64, v);
}

/* Whether the relocated instruction is a load or store (whose size
 * follows the field's). */
static int is_memory_insn(const struct bl_object *obj, int func, const struct bl_core_relo_info *r)
{
	const struct bl_function *f = &obj->funcs[func];
	struct bpf_insn insn;
	uint64_t i = (uint64_t)r->insn - f->section_offset / 8;

	if (i >= f->insn_cnt)
		return 0;
	memcpy(&insn, f->code + i * sizeof(insn), sizeof(insn));
	return BPF_CLASS(insn.code) == BPF_LDX || BPF_CLASS(insn.code) == BPF_ST ||
	       BPF_CLASS(insn.code) == BPF_STX;
}

static void print_core_relo(FILE *out, const struct bl_object *obj, const struct bl_core_relo_info *r,
			    int resolved)
{
	int func = r->section_index ? bl_function_at(obj, r->section_index, (uint64_t)r->insn * 8) : -1;
	const struct bl_core_result *res = &r->res;

	if (func >= 0)
		fprintf(out, "  %s insn %" PRIu64 ": ", obj->funcs[func].name,
			(uint64_t)r->insn - obj->funcs[func].section_offset / 8);
	else
		fprintf(out, "  %s insn %u: ", r->section, r->insn);
	fprintf(out, "%s %s: ", bl_core_kind_str(r->rec.kind), res->path[0] ? res->path : "?");
	if (r->failed) {
		fprintf(out, "error: %s\n", res->why);
		return;
	}
	print_core_value(out, r->rec.kind, res->local_val);
	if (!resolved) {
		fprintf(out, "\n");
		return;
	}
	fprintf(out, " -> ");
	if (res->poison) {
		fprintf(out, "failed, instruction poisoned: %s\n", res->why);
		return;
	}
	print_core_value(out, r->rec.kind, res->target_val);
	if (func >= 0 && is_memory_insn(obj, func, r) && res->bad_size)
		fprintf(out, " (the load is poisoned: %s)", res->why);
	else if (func >= 0 && is_memory_insn(obj, func, r) && res->local_size != res->target_size)
		fprintf(out, " (load size %u -> %u)", res->local_size, res->target_size);
	if (res->target_name && strcmp(res->target_name, "vmlinux") && r->rec.kind != BPF_CORE_TYPE_ID_LOCAL)
		fprintf(out, " [%s]", res->target_name);
	fprintf(out, "\n");
}

void print_core_relocations(FILE *out, struct bl_object *obj)
{
	struct bl_err err = { 0, "" };
	size_t i;
	int resolved;

	if (bl_core_relo_count(obj) == 0)
		return;
	resolved = bl_object_core_resolve(obj, &err) == 0;
	if (!obj->core)
		return;
	if (resolved)
		fprintf(out, "CO-RE relocations (%zu), against %s (%s):\n", obj->core->count,
			obj->btf_path ? obj->btf_path : BL_KERNEL_BTF_DIR "/vmlinux",
			bl_kernel_btf_how(obj->core->kernel));
	else
		fprintf(out, "CO-RE relocations (%zu), not resolved: %s\n", obj->core->count, err.msg);
	for (i = 0; i < obj->core->count; i++)
		print_core_relo(out, obj, &obj->core->relos[i], resolved);
}
