// SPDX-License-Identifier: BSD-2-Clause
/*
 * core.c - resolving CO-RE relocations: candidates, values, agreement.
 * No syscalls (module BTF is read through kernel_btf.c when needed).
 *
 * For each local type, the list of kernel candidates is found once (by
 * essential name, through the lazy index of btf_names.c) and kept; as in
 * libbpf, candidates that do not match a relocation are dropped from the
 * list for the relocations of the same type that follow, so results
 * depend on the order relocations are resolved: callers go through
 * .BTF.ext in its order, as libbpf does.
 */
#include "btf/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_names.h"

/* bl_core_calc_*() asks for poisoning this way (libbpf uses -EUCLEAN). */
#define POISON 1

struct cand {
	const struct bl_btf *btf;
	uint32_t id;
	const char *src;	/* "vmlinux", a module's name */
};

struct cand_list {
	uint32_t local_id;
	struct cand *cands;
	uint32_t count;
	uint32_t found;		/* before pruning, for messages */
};

struct bl_core_ctx {
	const struct bl_btf *local;
	struct bl_kernel_btf *kernel;
	struct cand_list *lists;
	size_t nlists;
};

struct bl_core_ctx *bl_core_ctx_new(const struct bl_btf *local, struct bl_kernel_btf *kernel,
				    struct bl_err *err)
{
	struct bl_core_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	ctx->local = local;
	ctx->kernel = kernel;
	return ctx;
}

void bl_core_ctx_free(struct bl_core_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;
	for (i = 0; i < ctx->nlists; i++)
		free(ctx->lists[i].cands);
	free(ctx->lists);
	free(ctx);
}

int bl_core_ctx_want(struct bl_core_ctx *ctx, const struct bpf_core_relo *relo, struct bl_err *err)
{
	struct bl_btf_names *names;
	const char *name = bl_btf_type_name(ctx->local, relo->type_id);

	if (relo->kind == BPF_CORE_TYPE_ID_LOCAL || !*name)
		return 0;
	bl_kernel_btf_get(ctx->kernel, 0, NULL, &names);
	return bl_btf_names_want(names, name, err);
}

/* ---- candidates ------------------------------------------------------------ */

static int add_cand(struct cand_list *list, const struct bl_btf *btf, uint32_t id, const char *src,
		    struct bl_err *err)
{
	struct cand *more = realloc(list->cands, (list->count + 1) * sizeof(*more));

	if (!more)
		return bl_fail(err, ENOMEM, "out of memory");
	list->cands = more;
	list->cands[list->count++] = (struct cand){ btf, id, src };
	return 0;
}

/* The types of kernel BTF i named like the local type, of a compatible kind. */
static int cands_in(struct bl_core_ctx *ctx, size_t i, const struct btf_type *lt, const char *name,
		    struct cand_list *list, struct bl_err *err)
{
	struct bl_btf_names *names;
	const char *src;
	const struct bl_btf *btf = bl_kernel_btf_get(ctx->kernel, i, &src, &names);
	const uint32_t *ids;
	uint32_t n, k;

	if (bl_btf_names_find(names, name, &ids, &n, err))
		return -err->code;
	for (k = 0; k < n; k++) {
		const struct btf_type *t = bl_btf_type(btf, ids[k]);

		if (t && bl_core_kinds_compat(lt, t) && add_cand(list, btf, ids[k], src, err))
			return -err->code;
	}
	return 0;
}

/* vmlinux first; module BTF is read only when vmlinux has no candidate. */
static int find_cands(struct bl_core_ctx *ctx, uint32_t local_id, struct cand_list *list,
		      struct bl_err *err)
{
	const struct btf_type *lt = bl_btf_type(ctx->local, local_id);
	const char *name = bl_btf_type_name(ctx->local, local_id);
	size_t i;
	int n;

	list->local_id = local_id;
	if (cands_in(ctx, 0, lt, name, list, err))
		return -err->code;
	if (list->count)
		return 0;
	n = bl_kernel_btf_read_modules(ctx->kernel, err);
	if (n < 0)
		return n;
	for (i = 1; i <= (size_t)n; i++)
		if (cands_in(ctx, i, lt, name, list, err))
			return -err->code;
	return 0;
}

static struct cand_list *cands_of(struct bl_core_ctx *ctx, uint32_t local_id, struct bl_err *err)
{
	struct cand_list *more;
	size_t i;

	for (i = 0; i < ctx->nlists; i++)
		if (ctx->lists[i].local_id == local_id)
			return &ctx->lists[i];
	more = realloc(ctx->lists, (ctx->nlists + 1) * sizeof(*more));
	if (!more) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	ctx->lists = more;
	memset(&more[ctx->nlists], 0, sizeof(more[0]));
	if (find_cands(ctx, local_id, &more[ctx->nlists], err)) {
		free(more[ctx->nlists].cands);
		return NULL;
	}
	more[ctx->nlists].found = more[ctx->nlists].count;
	return &ctx->lists[ctx->nlists++];
}

/* ---- values ------------------------------------------------------------------ */

static int is_int(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_INT;
}

static int is_any_enum(const struct btf_type *t)
{
	return bl_btf_kind(t) == BTF_KIND_ENUM || bl_btf_kind(t) == BTF_KIND_ENUM64;
}

/* The size a load of a field of type id moves: for arrays, one element
 * (libbpf since 1.2; 1.1 used the whole array). */
static int access_size(const struct bl_btf *btf, uint32_t id, uint32_t *size, struct bl_err *err)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < 32; depth++) {
		id = bl_btf_skip_modifiers(btf, id);
		t = bl_btf_type(btf, id);
		if (!t || bl_btf_kind(t) != BTF_KIND_ARRAY)
			break;
		id = bl_btf_array(t)->type;
	}
	return bl_btf_resolve_size(btf, id, size, err);
}

/* Where a bitfield of bit_sz bits at bit_off is loaded from: the
 * smallest aligned load of at least its type's size that covers it. */
static int bitfield_load(const struct btf_type *mt, uint64_t bit_off, uint32_t bit_sz,
			 uint32_t *byte_off, uint32_t *byte_sz, struct bl_err *err)
{
	uint64_t sz = mt->size;

	if (sz != 1 && sz != 2 && sz != 4 && sz != 8)
		return bl_fail(err, EINVAL, "a bitfield of a %llu-byte type", (unsigned long long)sz);
	while (bit_off + bit_sz - bit_off / 8 / sz * sz * 8 > sz * 8) {
		if (sz >= 8)
			return bl_fail(err, E2BIG, "the bitfield (%u bits at bit %llu) cannot be read with one 64-bit load",
				       bit_sz, (unsigned long long)bit_off);
		sz *= 2;
	}
	if (bit_off / 8 > UINT32_MAX)
		return bl_fail(err, E2BIG, "the field's offset does not fit in 32 bits");
	*byte_sz = (uint32_t)sz;
	*byte_off = (uint32_t)(bit_off / 8 / sz * sz);
	return 0;
}

struct field_val {
	uint64_t val;
	uint32_t size;		/* BYTE_OFFSET of a plain field: bytes moved */
	uint32_t type_id;	/* and the field's type */
	int validate;
};

/* An array element (or the root) is the last step: only its offset and size. */
static int element_value(const struct bpf_core_relo *relo, const struct bl_core_spec *spec,
			 const struct bl_core_access *acc, struct field_val *out, struct bl_err *err)
{
	uint32_t size;

	out->validate = 1;
	if (relo->kind == BPF_CORE_FIELD_BYTE_OFFSET) {
		out->val = spec->bit_offset / 8;
		if (access_size(spec->btf, acc->type_id, &out->size, err))
			return -err->code;
		out->type_id = acc->type_id;
		return 0;
	}
	if (relo->kind == BPF_CORE_FIELD_BYTE_SIZE) {
		if (bl_btf_resolve_size(spec->btf, acc->type_id, &size, err))
			return -err->code;
		out->val = size;
		return 0;
	}
	return bl_fail(err, EINVAL, "%s does not apply to an array element", bl_core_kind_str(relo->kind));
}

/* One side's value of a field relocation; POISON when spec is NULL (no
 * match) and the kind needs a match. */
static int field_value(const struct bpf_core_relo *relo, const struct bl_core_spec *spec,
		       struct field_val *out, struct bl_err *err)
{
	const struct bl_core_access *acc;
	const struct btf_type *t, *mt;
	uint32_t byte_off = 0, byte_sz = 0, bit_sz, ftype;
	uint64_t bit_off;

	memset(out, 0, sizeof(*out));
	if (relo->kind == BPF_CORE_FIELD_EXISTS) {
		out->val = spec != NULL;
		out->validate = 1;
		return 0;
	}
	if (!spec)
		return POISON;
	acc = &spec->acc[spec->len - 1];
	if (!acc->name)
		return element_value(relo, spec, acc, out, err);
	t = bl_btf_type(spec->btf, acc->type_id);
	ftype = bl_btf_skip_modifiers(spec->btf, bl_btf_members(t)[acc->idx].type);
	mt = bl_btf_type(spec->btf, ftype);
	if (!mt)
		return bl_fail(err, EINVAL, "member %s has a bad type", acc->name);
	bit_off = spec->bit_offset;
	bit_sz = bl_btf_member_bitfield_size(t, acc->idx);
	if (bit_sz) {
		if (bitfield_load(mt, bit_off, bit_sz, &byte_off, &byte_sz, err))
			return -err->code;
	} else {
		if (bl_btf_resolve_size(spec->btf, ftype, &byte_sz, err))
			return -err->code;
		if (bit_off / 8 > UINT32_MAX)
			return bl_fail(err, E2BIG, "the field's offset does not fit in 32 bits");
		byte_off = (uint32_t)(bit_off / 8);
		bit_sz = byte_sz * 8;
	}
	/* the compiler's offsets and sizes of bitfields may differ from ours
	 * and are not checked; signedness and right shifts are never ambiguous */
	out->validate = !bl_btf_member_bitfield_size(t, acc->idx);
	switch (relo->kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		out->val = byte_off;
		if (!bl_btf_member_bitfield_size(t, acc->idx)) {
			if (access_size(spec->btf, ftype, &out->size, err))
				return -err->code;
			out->type_id = ftype;
		}
		return 0;
	case BPF_CORE_FIELD_BYTE_SIZE:
		out->val = byte_sz;
		return 0;
	case BPF_CORE_FIELD_SIGNED:
		out->val = (is_any_enum(mt) && bl_btf_kflag(mt)) ||
			   (is_int(mt) && (BTF_INT_ENCODING(bl_btf_int_info(mt)) & BTF_INT_SIGNED));
		out->validate = 1;
		return 0;
	case BPF_CORE_FIELD_LSHIFT_U64:
		/* BPF is little-endian here: the field's top bit to bit 63 */
		out->val = 64 - (bit_off + bit_sz - (uint64_t)byte_off * 8);
		return 0;
	case BPF_CORE_FIELD_RSHIFT_U64:
		out->val = 64 - bit_sz;
		out->validate = 1;
		return 0;
	default:
		return bl_fail(err, EINVAL, "relocation kind %u is not a field kind", relo->kind);
	}
}

/* Type relocations give 0 when the type is missing, never poison. */
static int type_value(const struct bpf_core_relo *relo, const struct bl_core_spec *spec,
		      uint64_t *val, struct bl_err *err)
{
	uint32_t size;

	*val = 0;
	if (!spec)
		return 0;
	switch (relo->kind) {
	case BPF_CORE_TYPE_ID_TARGET:
		*val = spec->root_id;
		return 0;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BPF_CORE_TYPE_SIZE:
		if (bl_btf_resolve_size(spec->btf, spec->root_id, &size, err))
			return -err->code;
		*val = size;
		return 0;
	default:
		return bl_fail(err, EINVAL, "relocation kind %u is not a type kind", relo->kind);
	}
}

/* As libbpf does, a 32-bit enumerator's value is sign-extended even when
 * the enum is unsigned (libbpf and the instruction the compiler wrote
 * agree on that). */
static int enumval_value(const struct bpf_core_relo *relo, const struct bl_core_spec *spec,
			 uint64_t *val)
{
	const struct btf_type *t;

	if (relo->kind == BPF_CORE_ENUMVAL_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (!spec)
		return POISON;
	t = bl_btf_type(spec->btf, spec->acc[0].type_id);
	if (bl_btf_kind(t) == BTF_KIND_ENUM)
		*val = (uint64_t)(int64_t)bl_btf_enums(t)[spec->acc[0].idx].val;
	else
		*val = (uint64_t)bl_btf_enum_value(t, spec->acc[0].idx);
	return 0;
}

/* A load that changes size keeps the value only for pointers (a 32-bit
 * kernel's, zero-extended) and unsigned integers. */
static int size_change_ok(const struct bl_btf *lb, uint32_t lid, const struct bl_btf *tb, uint32_t tid)
{
	const struct btf_type *l = bl_btf_type(lb, lid), *t = bl_btf_type(tb, tid);

	if (!l || !t)
		return 0;
	if (bl_btf_kind(l) == BTF_KIND_PTR && bl_btf_kind(t) == BTF_KIND_PTR)
		return 1;
	return is_int(l) && is_int(t) && !(BTF_INT_ENCODING(bl_btf_int_info(l)) & BTF_INT_SIGNED) &&
	       !(BTF_INT_ENCODING(bl_btf_int_info(t)) & BTF_INT_SIGNED);
}

/* Local and target values of one relocation (targ NULL: nothing matched). */
static int calc(const struct bpf_core_relo *relo, const struct bl_core_spec *local,
		const struct bl_core_spec *targ, struct bl_core_result *res, struct bl_err *err)
{
	struct field_val lv, tv;
	int ret;

	res->validate = 1;
	res->poison = res->bad_size = 0;
	res->local_size = res->target_size = 0;
	if (bl_core_kind_is_field(relo->kind)) {
		ret = field_value(relo, local, &lv, err);
		if (ret == POISON)
			return bl_fail(err, EINVAL, "the local field cannot be computed");
		if (ret < 0)
			return ret;
		ret = field_value(relo, targ, &tv, err);
		if (ret < 0)
			return ret;
		res->poison = ret == POISON;
		res->local_val = lv.val;
		res->target_val = tv.val;
		res->validate = lv.validate;
		res->local_size = lv.size;
		res->target_size = tv.size;
		if (!res->poison && lv.size != tv.size)
			res->bad_size = !size_change_ok(local->btf, lv.type_id, targ->btf, tv.type_id);
		return 0;
	}
	if (bl_core_kind_is_type(relo->kind)) {
		if (type_value(relo, local, &res->local_val, err) || type_value(relo, targ, &res->target_val, err))
			return -err->code;
		/* type ids change when objects are linked: not checked */
		res->validate = relo->kind != BPF_CORE_TYPE_ID_TARGET;
		return 0;
	}
	if (enumval_value(relo, local, &res->local_val) == POISON)
		return bl_fail(err, EINVAL, "the local enum value cannot be computed");
	res->poison = enumval_value(relo, targ, &res->target_val) == POISON;
	return 0;
}

/* ---- why nothing matched ------------------------------------------------------- */

/* The C keyword of a type's kind, for messages. */
static const char *c_kind(const struct btf_type *t)
{
	switch (t ? bl_btf_kind(t) : BTF_KIND_UNKN) {
	case BTF_KIND_STRUCT: return "struct";
	case BTF_KIND_UNION: return "union";
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return "enum";
	case BTF_KIND_TYPEDEF: return "typedef";
	case BTF_KIND_FWD: return "declared type";
	default: return "type";
	}
}

static void explain_field(const struct bl_core_spec *local, const struct cand *c, char *why, size_t size)
{
	struct bl_core_spec prefix = *local, out;
	uint32_t i;

	for (i = 1; i < local->len; i++) {
		const struct bl_core_access *a = &local->acc[i];

		prefix.len = i + 1;
		if (bl_core_spec_match(&prefix, c->btf, c->id, &out, NULL) > 0)
			continue;
		prefix.len = i;
		if (bl_core_spec_match(&prefix, c->btf, c->id, &out, NULL) <= 0)
			break;
		if (a->name)
			snprintf(why, size, "%s %s in %s has no member %s of a compatible type",
				 c_kind(bl_btf_type(c->btf, c->id)), bl_btf_type_name(c->btf, c->id), c->src,
				 a->name);
		else
			snprintf(why, size, "index %u is outside the array in %s's %s", a->idx, c->src,
				 bl_btf_type_name(c->btf, c->id));
		return;
	}
	snprintf(why, size, "%s in %s does not have this field", bl_btf_type_name(c->btf, c->id), c->src);
}

static void explain(const struct bpf_core_relo *relo, const struct bl_core_spec *local,
		    const struct cand_list *list, struct bl_core_ctx *ctx, char *why, size_t size)
{
	const char *name = bl_btf_type_name(ctx->local, relo->type_id);
	int len = (int)bl_btf_essential_name_len(name);
	const char *kind = c_kind(bl_btf_type(ctx->local, relo->type_id));

	if (!list->found)
		snprintf(why, size, "the kernel's BTF has no %s named %.*s", kind, len, name);
	else if (bl_core_kind_is_field(relo->kind))
		explain_field(local, &list->cands[0], why, size);
	else if (bl_core_kind_is_enumval(relo->kind))
		snprintf(why, size, "enum %.*s in the kernel has no value %s", len, name, local->acc[0].name);
	else
		snprintf(why, size, "%s %.*s in the kernel %s the local one", kind, len, name,
			 relo->kind == BPF_CORE_TYPE_MATCHES ? "does not match" : "is not compatible with");
}

/* ---- resolving ----------------------------------------------------------------- */

int bl_core_local(const struct bl_btf *local, const struct bpf_core_relo *relo,
		  struct bl_core_result *res, struct bl_err *err)
{
	struct bl_core_spec spec;

	memset(res, 0, sizeof(*res));
	if (bl_core_parse_spec(local, relo, &spec, err))
		return -err->code;
	bl_core_spec_path(&spec, res->path, sizeof(res->path));
	if (relo->kind == BPF_CORE_TYPE_ID_LOCAL) {
		/* needs no kernel; ids may change in linking: not checked */
		res->local_val = res->target_val = relo->type_id;
		return 0;
	}
	if (calc(relo, &spec, NULL, res, err))
		return -err->code;
	res->poison = 0;
	return 0;
}

static int ambiguous(const struct cand *a, const struct cand *b, const char *what,
		     struct bl_err *err)
{
	return bl_fail(err, EINVAL, "ambiguous: kernel types [%u] (%s) and [%u] (%s) of that name both match and give different %s",
		       a->id, a->src, b->id, b->src, what);
}

/* Try every candidate; keep those that match, which must all agree. */
static int match_cands(const struct bpf_core_relo *relo, const struct bl_core_spec *local,
		       struct cand_list *list, struct bl_core_result *res, struct bl_err *err)
{
	struct bl_core_spec cand, first = { 0 };
	struct bl_core_result r;
	uint32_t i, kept = 0;
	int ret;

	for (i = 0; i < list->count; i++) {
		ret = bl_core_spec_match(local, list->cands[i].btf, list->cands[i].id, &cand, err);
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue;
		r = *res;
		if (calc(relo, local, &cand, &r, err))
			return -err->code;
		if (kept == 0) {
			*res = r;
			first = cand;
			res->target_btf = cand.btf;
			res->target_name = list->cands[i].src;
			res->target_id = list->cands[i].id;
		} else if (cand.bit_offset != first.bit_offset) {
			return ambiguous(&list->cands[0], &list->cands[i], "field offsets", err);
		} else if (r.poison != res->poison || r.target_val != res->target_val) {
			return ambiguous(&list->cands[0], &list->cands[i], "values", err);
		}
		list->cands[kept++] = list->cands[i];
	}
	/* with no match the list stays: an existence check is expected to fail */
	if (kept)
		list->count = kept;
	res->matches = kept;
	return 0;
}

int bl_core_resolve(struct bl_core_ctx *ctx, const struct bpf_core_relo *relo,
		    struct bl_core_result *res, struct bl_err *err)
{
	struct bl_core_spec local;
	struct cand_list *list;

	if (bl_core_local(ctx->local, relo, res, err))
		return -err->code;
	if (relo->kind == BPF_CORE_TYPE_ID_LOCAL)
		return 0;
	if (!*bl_btf_type_name(ctx->local, relo->type_id))
		return bl_fail(err, EINVAL, "%s %s: CO-RE cannot relocate anonymous types",
			       bl_core_kind_str(relo->kind), res->path);
	bl_core_parse_spec(ctx->local, relo, &local, err);	/* succeeded in bl_core_local */
	list = cands_of(ctx, relo->type_id, err);
	if (!list || match_cands(relo, &local, list, res, err))
		return bl_err_context(err, "%s %s", bl_core_kind_str(relo->kind), res->path);
	if (res->matches == 0) {
		if (calc(relo, &local, NULL, res, err))
			return bl_err_context(err, "%s %s", bl_core_kind_str(relo->kind), res->path);
		explain(relo, &local, list, ctx, res->why, sizeof(res->why));
	} else if (res->bad_size) {
		snprintf(res->why, sizeof(res->why), "the field is %u bytes here and %u bytes in the kernel, and is not a pointer or an unsigned integer, so a load of it cannot follow",
			 res->local_size, res->target_size);
	}
	return 0;
}
