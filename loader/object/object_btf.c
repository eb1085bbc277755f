// SPDX-License-Identifier: BSD-2-Clause
/*
 * object_btf.c - reading, fixing up and loading an object's BTF.
 *
 * Syscalls: bpf(BPF_BTF_LOAD) through btf.c; open/read of
 * /sys/kernel/btf/vmlinux for tracing programs.  Narrated: why BTF is
 * loaded again, probed or dropped (sys/trace.h).
 */
#include "object/object_btf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "btf/btf_fixup.h"
#include "btf/btf_load.h"
#include "object/btf_linkage.h"
#include "object/kernel_types.h"
#include "sys/trace.h"

static const void *section_data(const struct bl_object *obj, const char *name, size_t *size)
{
	struct bl_elf_section sec;
	size_t index = bl_elf_find_section(&obj->elf, name);

	if (!index)
		return NULL;
	bl_elf_section(&obj->elf, index, &sec);
	*size = (size_t)sec.size;
	return sec.data;
}

void bl_object_read_btf(struct bl_object *obj)
{
	struct bl_err err;
	const void *data;
	size_t size = 0;

	data = section_data(obj, ".BTF", &size);
	if (!data)
		return;
	obj->btf = bl_btf_parse(data, size, NULL, &err);
	if (!obj->btf) {
		bl_object_note(obj, "its .BTF is unreadable (%s) and was ignored.", err.msg);
		return;
	}
	data = section_data(obj, ".BTF.ext", &size);
	if (!data)
		return;
	obj->btf_ext = bl_btf_ext_parse(data, size, obj->btf, &err);
	if (!obj->btf_ext)
		bl_object_note(obj, "its .BTF.ext is unreadable (%s) and was ignored.", err.msg);
}

/* ---- filling in what clang left as zeros ---- */

static int elf_section_size(void *ctx, const char *section, uint32_t *size)
{
	const struct bl_object *obj = ctx;
	struct bl_elf_section sec;
	size_t index = bl_elf_find_section(&obj->elf, section);

	if (!index)
		return -ENOENT;
	bl_elf_section(&obj->elf, index, &sec);
	if (sec.size > UINT32_MAX)
		return -E2BIG;
	*size = (uint32_t)sec.size;
	return 0;
}

static int elf_var_offset(void *ctx, const char *section, const char *var, uint32_t *offset)
{
	const struct bl_object *obj = ctx;
	struct bl_elf_symbol sym;
	size_t index = bl_elf_find_section(&obj->elf, section), i;

	if (!index)
		return -ENOENT;
	for (i = 0; i < obj->elf.symbol_count; i++) {
		bl_elf_symbol(&obj->elf, i, &sym);
		if (sym.shndx == index && sym.type == STT_OBJECT && strcmp(sym.name, var) == 0 &&
		    sym.value <= UINT32_MAX) {
			*offset = (uint32_t)sym.value;
			return 0;
		}
	}
	return -ENOENT;
}

/* Narration: which kinds the copy rewrites, and since when kernels know them. */
static void trace_missing(unsigned int missing)
{
	static const char *const names[] = {
		"FUNC (5.0)", "VAR and DATASEC (5.2)", "global FUNC (5.6)", "FLOAT (5.13)",
		"DECL_TAG (5.16)", "TYPE_TAG (5.17)", "ENUM64 (6.0)",
	};
	char list[256] = "";
	size_t i, len = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && len < sizeof(list); i++)
		if (missing & (1u << i))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
						names[i]);
	bl_trace_emit(BL_TRACE_NOTE, "this kernel lacks BTF kinds the object uses: %s; loading a copy with them rewritten",
		      list);
}

/* BPF_BTF_LOAD, and on refusal once more with the kinds the kernel
 * lacks rewritten; obj->btf_missing keeps what was rewritten, since a
 * program's func_info means nothing once FUNC records are gone. */
static int load_or_sanitize(struct bl_object *obj, struct bl_err *err)
{
	struct bl_err probe_err;
	struct bl_btf *sanitized;
	int fd = bl_btf_load(obj->btf, NULL, err), missing;

	if (fd >= 0)
		return fd;
	if (bl_tracing())
		bl_trace_emit(BL_TRACE_NOTE, "the kernel refused the object's BTF; probing which BTF kinds it lacks, with one tiny BTF each");
	missing = bl_btf_probe_missing(&probe_err);
	if (missing <= 0 || !(missing & (int)bl_btf_features_used(obj->btf))) {
		if (bl_tracing())
			bl_trace_emit(BL_TRACE_NOTE, "no kind it lacks explains the refusal; maps and programs load without BTF");
		return fd;
	}
	if (bl_tracing())
		trace_missing((unsigned int)missing & bl_btf_features_used(obj->btf));
	sanitized = bl_btf_sanitize(obj->btf, (unsigned int)missing, err);
	if (!sanitized)
		return -err->code;
	fd = bl_btf_load(sanitized, NULL, err);
	bl_btf_free(sanitized);
	if (fd >= 0)
		obj->btf_missing = (unsigned int)missing;
	return fd;
}

int bl_object_complete_btf(struct bl_object *obj, struct bl_err *err)
{
	struct bl_btf_elf_info elf = { elf_section_size, elf_var_offset, obj };

	return obj->btf ? bl_btf_fixup_datasecs(obj->btf, &elf, err) : 0;
}

void bl_object_load_btf(struct bl_object *obj)
{
	struct bl_err err;

	obj->btf_fd = -1;
	if (!obj->btf)
		return;
	if (bl_object_complete_btf(obj, &err)) {
		bl_object_note(obj, "its BTF could not be completed (%s); loaded without BTF.", err.msg);
		return;
	}
	bl_object_btf_static_hidden_funcs(obj);
	obj->btf_fd = load_or_sanitize(obj, &err);
	if (obj->btf_fd < 0)
		bl_object_note(obj, "the kernel refused its BTF (%s); loaded without BTF, so verifier messages cannot show source lines.",
			       err.msg);
}

/* ---- per program ---- */

static int append_function_info(const struct bl_object *obj, const struct bl_placed_func *placed,
				struct bl_btf_ext_info *func_info, struct bl_btf_ext_info *line_info,
				struct bl_err *err)
{
	const struct bl_function *f = &obj->funcs[placed->func];
	struct bl_elf_section sec;
	uint64_t start = f->section_offset, end = start + f->insn_cnt * sizeof(struct bpf_insn);
	int ret;

	bl_elf_section(&obj->elf, f->section_index, &sec);
	ret = bl_btf_ext_prog_info(obj->btf_ext, BL_BTF_EXT_FUNC_INFO, sec.name, start, end,
				   (uint32_t)placed->base, func_info, err);
	if (!ret)
		ret = bl_btf_ext_prog_info(obj->btf_ext, BL_BTF_EXT_LINE_INFO, sec.name, start, end,
					   (uint32_t)placed->base, line_info, err);
	return ret;
}

int bl_program_btf_info(struct bl_object *obj, const struct bl_program *prog,
			struct bl_btf_ext_info *func_info, struct bl_btf_ext_info *line_info,
			struct bl_err *err)
{
	size_t i;
	int ret = 0;

	memset(func_info, 0, sizeof(*func_info));
	memset(line_info, 0, sizeof(*line_info));
	if (!obj->btf_ext || obj->btf_fd < 0)
		return 0;
	for (i = 0; !ret && i < prog->layout_cnt; i++)
		ret = append_function_info(obj, &prog->layout[i], func_info, line_info, err);
	/* The kernel wants exactly one func_info per function, or none. */
	if (!ret && func_info->count == prog->layout_cnt)
		return 0;
	bl_btf_ext_info_free(func_info);
	bl_btf_ext_info_free(line_info);
	memset(func_info, 0, sizeof(*func_info));
	memset(line_info, 0, sizeof(*line_info));
	if (ret == -ENOMEM)
		return ret;
	/* Loading without them still works; the user loses source lines in
	 * verifier messages, and should know why. */
	bl_object_note(obj, "program %s is loaded without BTF function and line information: %s.",
		       prog->name, ret ? err->msg : "its .BTF.ext does not describe every function it calls");
	return 0;
}

int bl_program_attach_btf_id(struct bl_object *obj, const struct bl_program *prog,
			     uint32_t *btf_id, int *btf_obj_fd, struct bl_err *err)
{
	char name[256];
	int is_tp = prog->kind->expected_attach_type == BPF_TRACE_RAW_TP;
	int is_lsm = prog->kind->prog_type == BPF_PROG_TYPE_LSM;
	int is_iter = prog->kind->expected_attach_type == BPF_TRACE_ITER;
	unsigned int kind = is_tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC;
	struct bl_kernel_type found;
	int ret;

	/* a BTF tracepoint is known by its typedef btf_trace_<name>, an LSM
	 * hook by the function bpf_lsm_<hook> the kernel calls for it, an
	 * iterator by the function bpf_iter_<type> that declares its context */
	snprintf(name, sizeof(name), "%s%s",
		 is_tp ? "btf_trace_" : is_lsm ? "bpf_lsm_" : is_iter ? "bpf_iter_" : "",
		 prog->attach_target);
	ret = bl_kernel_type_find(obj, name, kind, &found, err);
	if (ret == -ENOENT)
		return bl_fail(err, ENOENT, "program %s: the kernel's BTF has no %s %s (in vmlinux or its modules); check the name after %.*s",
			       prog->name, is_tp ? "tracepoint" : is_lsm ? "LSM hook" : is_iter ? "iterator" : "function",
			       prog->attach_target,
			       (int)(strlen(prog->section_name) - strlen(prog->attach_target)),
			       prog->section_name);
	if (ret)
		return bl_err_context(err, "program %s (section %s)", prog->name, prog->section_name);
	*btf_id = found.id;
	*btf_obj_fd = found.btf_fd;	/* 0 for vmlinux; a module's BTF otherwise (5.11) */
	return 0;
}
