// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_dump_order.c - which types a C header must define, and in which
 * order.  No syscalls.
 *
 * C wants a type complete where its size matters: a struct embedded in
 * another (not through a pointer), an array's element, a typedef's
 * target when the typedef is embedded.  A pointer needs only a forward
 * declaration of a named struct or union.  So the types form a graph
 * with two kinds of edges:
 *   strong  the target must be defined first (embedding);
 *   weak    a forward declaration is enough (a pointer to a named
 *           struct or union, or to a typedef of one).
 * A depth-first walk over the strong edges queues each named definition
 * after the ones it needs: a topological sort.  Anonymous structs and
 * unions are written inline where they are used, so what they embed is
 * needed by the type that uses them, even through a pointer.  A strong
 * cycle (a struct embedding itself) cannot be written in C; weak cycles
 * (a struct pointing to itself) are what forward declarations are for.
 *
 * Only struct, union, enum, FWD and typedef are definitions.  Pointers,
 * arrays, qualifiers and function prototypes are ways of reaching them;
 * whether such a path is strong depends on how it was entered, so they
 * get no state of their own (pointers excepted: past a pointer it is
 * always the same).
 */
#include <errno.h>

#include "btf/btf_dump_priv.h"

static void mark(struct c_dump *d, uint32_t id)
{
	if (id < d->count)
		d->types[id].referenced = 1;
}

void dump_mark_referenced(struct c_dump *d)
{
	uint32_t id, i;

	for (id = 1; id < d->count; id++) {
		const struct btf_type *t = bl_btf_type(d->btf, id);

		switch (bl_btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		case BTF_KIND_FUNC: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
			mark(d, t->type);
			break;
		case BTF_KIND_ARRAY:
			mark(d, bl_btf_array(t)->type);
			mark(d, bl_btf_array(t)->index_type);
			break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			for (i = 0; i < bl_btf_vlen(t); i++)
				mark(d, bl_btf_members(t)[i].type);
			break;
		case BTF_KIND_FUNC_PROTO:
			mark(d, t->type);
			for (i = 0; i < bl_btf_vlen(t); i++)
				mark(d, bl_btf_params(t)[i].type);
			break;
		case BTF_KIND_DATASEC:
			for (i = 0; i < bl_btf_vlen(t); i++)
				mark(d, bl_btf_secinfos(t)[i].type);
			break;
		}
	}
}

static void enqueue(struct c_dump *d, uint32_t id)
{
	/* each id is queued at most once (its state is DONE afterwards),
	 * so the queue, sized by the type count, cannot overflow */
	d->queue[d->queue_len++] = id;
}

static int order_members(struct c_dump *d, const struct btf_type *t, int depth)
{
	uint32_t i;
	int ret;

	for (i = 0; i < bl_btf_vlen(t); i++) {
		ret = dump_order(d, bl_btf_members(t)[i].type, 0, depth + 1);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* A prototype is strong when its return type or a parameter is. */
static int order_proto(struct c_dump *d, const struct btf_type *t, int through_ptr, int depth)
{
	int ret, strong;
	uint32_t i;

	ret = dump_order(d, t->type, through_ptr, depth + 1);
	if (ret < 0)
		return ret;
	strong = ret;
	for (i = 0; i < bl_btf_vlen(t); i++) {
		ret = dump_order(d, bl_btf_params(t)[i].type, through_ptr, depth + 1);
		if (ret < 0)
			return ret;
		strong |= ret;
	}
	return strong;
}

static int cycle(struct c_dump *d, uint32_t id, const struct btf_type *t)
{
	const char *name = bl_btf_type_name(d->btf, id);

	return dump_fail(d, ELOOP, "BTF type [%u] (%s%s%s) contains itself, not through a pointer: C cannot declare it",
			 id, bl_btf_kind_str(bl_btf_kind(t)), *name ? " " : "", name);
}

int dump_order(struct c_dump *d, uint32_t id, int through_ptr, int depth)
{
	struct dump_type *st = &d->types[id];
	const struct btf_type *t = bl_btf_type(d->btf, id);
	int named = t->name_off != 0, ret;
	unsigned int kind = bl_btf_kind(t);

	if (st->order == ORDER_DONE)
		return 1;	/* defined already: fine for a typedef to use */
	if (depth > DUMP_MAX_NESTING)
		return dump_fail(d, ELOOP, "BTF type [%u]: types nest more than %d deep (a loop of typedefs, qualifiers or arrays?)",
				 id, DUMP_MAX_NESTING);
	if (st->order == ORDER_BUSY) {
		if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && through_ptr && named)
			return 0;
		return cycle(d, id, t);
	}

	switch (kind) {
	case BTF_KIND_UNKN:	/* void */
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		st->order = ORDER_DONE;
		return 0;
	case BTF_KIND_PTR:
		ret = dump_order(d, t->type, 1, depth + 1);
		if (ret >= 0)
			st->order = ORDER_DONE;
		return ret;
	case BTF_KIND_ARRAY:
		return dump_order(d, bl_btf_array(t)->type, 0, depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (through_ptr && named)
			return 0;	/* a forward declaration will do */
		st->order = ORDER_BUSY;
		ret = order_members(d, t, depth);
		if (ret < 0)
			return ret;
		if (named)
			enqueue(d, id);
		st->order = ORDER_DONE;
		return 1;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FWD:
		/* an anonymous enum nothing refers to declares constants on
		 * its own: it gets written at top level too */
		if (named || !st->referenced)
			enqueue(d, id);
		st->order = ORDER_DONE;
		return 1;
	case BTF_KIND_TYPEDEF:
		ret = dump_order(d, t->type, through_ptr, depth + 1);
		if (ret < 0)
			return ret;
		if (through_ptr && !ret)
			return 0;	/* like the struct it names */
		enqueue(d, id);
		st->order = ORDER_DONE;
		return 1;
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return dump_order(d, t->type, through_ptr, depth + 1);
	case BTF_KIND_FUNC_PROTO:
		return order_proto(d, t, through_ptr, depth);
	default:
		/* FUNC, VAR, DATASEC, DECL_TAG: not written as C */
		st->order = ORDER_DONE;
		return 0;
	}
}
