// SPDX-License-Identifier: BSD-2-Clause
/*
 * ksyms.c - finding __ksym externs in the running kernel.
 *
 *   extern const void bpf_prog_active __ksym;      typeless: an address,
 *                                                  from /proc/kallsyms
 *   extern struct rq runqueues __ksym;             typed: a VAR of the
 *                                                  kernel's BTF
 *   extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
 *                                                  a kfunc: a FUNC of the
 *                                                  kernel's BTF
 *
 * The object's type of a typed ksym or kfunc must be compatible with the
 * kernel's, by libbpf's rule: after typedefs and qualifiers the same
 * kind (any enum matching any enum); pointers and arrays compared by
 * what they point to or hold; function prototypes by their number of
 * parameters, each parameter and the return type; integers unless they
 * are bitfield-like; structs, unions and enums by kind alone.
 *
 * Syscalls: open/read of /proc/kallsyms (only for typeless ksyms and
 * LINUX_HAS_SYSCALL_WRAPPER), and what kernel_types.c does.
 */
#include "object/externs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf.h"
#include "object/kernel_types.h"
#include "sys/kallsyms.h"

#define COMPAT_DEPTH 32		/* as deep as types are compared */

static int kinds_compatible(const struct btf_type *a, const struct btf_type *b)
{
	unsigned int ka = bl_btf_kind(a), kb = bl_btf_kind(b);
	int enum_a = ka == BTF_KIND_ENUM || ka == BTF_KIND_ENUM64;
	int enum_b = kb == BTF_KIND_ENUM || kb == BTF_KIND_ENUM64;

	return ka == kb || (enum_a && enum_b);
}

static int types_compatible(const struct bl_btf *la, uint32_t a, const struct bl_btf *lb, uint32_t b,
			    int depth)
{
	const struct btf_type *ta, *tb;
	uint32_t i;

	if (depth <= 0)
		return 0;
	a = bl_btf_skip_modifiers(la, a);
	b = bl_btf_skip_modifiers(lb, b);
	ta = bl_btf_type(la, a);
	tb = bl_btf_type(lb, b);
	if (!ta || !tb || !kinds_compatible(ta, tb))
		return 0;
	switch (bl_btf_kind(ta)) {
	case BTF_KIND_UNKN:	/* void */
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		return 1;
	case BTF_KIND_INT:
		return BTF_INT_OFFSET(bl_btf_int_info(ta)) == 0 && BTF_INT_OFFSET(bl_btf_int_info(tb)) == 0;
	case BTF_KIND_PTR:
		return types_compatible(la, ta->type, lb, tb->type, depth - 1);
	case BTF_KIND_ARRAY:
		return types_compatible(la, bl_btf_array(ta)->type, lb, bl_btf_array(tb)->type, depth - 1);
	case BTF_KIND_FUNC_PROTO:
		if (bl_btf_vlen(ta) != bl_btf_vlen(tb))
			return 0;
		for (i = 0; i < bl_btf_vlen(ta); i++)
			if (!types_compatible(la, bl_btf_params(ta)[i].type, lb, bl_btf_params(tb)[i].type,
					      depth - 1))
				return 0;
		return types_compatible(la, ta->type, lb, tb->type, depth - 1);
	default:
		return 0;
	}
}

/* "struct rq", "int", "(function)" for messages. */
static void describe(const struct bl_btf *btf, uint32_t id, char *out, size_t size)
{
	const struct btf_type *t = bl_btf_type(btf, bl_btf_skip_modifiers(btf, id));
	const char *name = bl_btf_type_name(btf, bl_btf_skip_modifiers(btf, id));

	snprintf(out, size, "%s%s%s", t ? bl_btf_kind_str(bl_btf_kind(t)) : "?", *name ? " " : "", name);
}

/* The module BTF's place in fd_array (off of the call), added once. */
static int fd_array_index(struct bl_externs *x, int btf_fd, struct bl_err *err)
{
	size_t i;
	int *more;

	for (i = 1; i < x->fd_array_cnt; i++)
		if (x->fd_array[i] == btf_fd)
			return (int)i;
	if (x->fd_array_cnt >= INT16_MAX)
		return bl_fail(err, E2BIG, "kfuncs from more than %d modules", INT16_MAX - 1);
	more = realloc(x->fd_array, (x->fd_array_cnt ? x->fd_array_cnt + 1 : 2) * sizeof(*more));
	if (!more)
		return bl_fail(err, ENOMEM, "out of memory");
	x->fd_array = more;
	if (!x->fd_array_cnt)
		x->fd_array[x->fd_array_cnt++] = 0;	/* off 0 means vmlinux */
	x->fd_array[x->fd_array_cnt] = btf_fd;
	return (int)x->fd_array_cnt++;
}

/* A typed ksym or a kfunc: its VAR or FUNC in the kernel's BTF. */
static int resolve_btf(struct bl_object *obj, struct bl_extern *e, struct bl_err *err)
{
	int is_func = e->kind == BL_EXTERN_KFUNC;
	struct bl_kernel_type k;
	const struct btf_type *kt;
	char ours[128], theirs[128];
	int ret = bl_kernel_type_find(obj, e->name, is_func ? BTF_KIND_FUNC : BTF_KIND_VAR, &k, err);

	if (ret == -ENOENT && e->is_weak)
		return 0;
	if (ret == -ENOENT) {
		char why[BL_ERR_MAX];

		memcpy(why, err->msg, sizeof(why));	/* bl_fail writes err->msg */
		return bl_fail(err, ENOENT, "extern %s: %s; declare it __weak%s to load without it",
			       e->name, why,
			       is_func ? " and guard its calls with bpf_ksym_exists()" : " and test it with bpf_ksym_exists()");
	}
	if (ret)
		return bl_err_context(err, "extern %s %s", e->name, is_func ? "(kfunc)" : "(typed ksym)");
	kt = bl_btf_type(k.btf, k.id);
	if (!types_compatible(obj->btf, e->type_id, k.btf, kt->type, COMPAT_DEPTH)) {
		if (is_func && e->is_weak)
			return 0;	/* as libbpf: a weak kfunc of another shape is missing */
		describe(obj->btf, e->type_id, ours, sizeof(ours));
		describe(k.btf, kt->type, theirs, sizeof(theirs));
		return bl_fail(err, EINVAL, "extern %s: the object declares it as %s, but in the kernel%s%s it is %s, which is not compatible",
			       e->name, ours, k.module ? "'s module " : "", k.module ? k.module : "", theirs);
	}
	e->kernel_btf_id = k.id;
	e->kernel_btf_fd = k.btf_fd;
	if (is_func && k.module) {
		ret = fd_array_index(obj->externs, k.btf_fd, err);
		if (ret < 0)
			return ret;
		e->fd_array_index = ret;
	}
	e->is_set = 1;
	return 0;
}

static int is_typeless(const struct bl_object *obj, const struct bl_extern *e)
{
	return e->kind == BL_EXTERN_KSYM && bl_btf_skip_modifiers(obj->btf, e->type_id) == 0;
}

/* __x64_sys_bpf and the like, when LINUX_HAS_SYSCALL_WRAPPER is asked
 * for; names are listed even where addresses are hidden. */
static int wrapper_query(const struct bl_externs *x, char *name, size_t size)
{
	const char *prefix = bl_syscall_wrapper_prefix();
	size_t i;

	for (i = 0; prefix && i < x->cnt; i++)
		if (x->list[i].kind == BL_EXTERN_KCONFIG &&
		    strcmp(x->list[i].name, "LINUX_HAS_SYSCALL_WRAPPER") == 0) {
			snprintf(name, size, "__%s_sys_bpf", prefix);
			return 1;
		}
	return 0;
}

/* All typeless ksyms, and the syscall wrapper, in one pass over
 * /proc/kallsyms (tens of milliseconds: the kernel formats every line). */
static int resolve_typeless(struct bl_object *obj, struct bl_err *err)
{
	struct bl_externs *x = obj->externs;
	struct bl_ksym_query *q = calloc(x->cnt + 1, sizeof(*q));
	char wrapper[64];
	size_t i, n = 0;
	int hidden = 0, ret = 0, want_wrapper;

	if (!q)
		return bl_fail(err, ENOMEM, "out of memory");
	for (i = 0; i < x->cnt; i++)
		if (is_typeless(obj, &x->list[i]))
			q[n++].name = x->list[i].name;
	want_wrapper = wrapper_query(x, wrapper, sizeof(wrapper));
	if (want_wrapper)
		q[n].name = wrapper;
	if (n + (size_t)want_wrapper)
		ret = bl_kallsyms_lookup(BL_KALLSYMS_PATH, q, n + (size_t)want_wrapper, &hidden, err);
	if (!n && ret)
		ret = 0;	/* only the wrapper was asked for: unknown is 0 */
	x->syscall_wrapper = want_wrapper && q[n].found > 0;
	for (i = 0, n = 0; !ret && i < x->cnt; i++) {
		struct bl_extern *e = &x->list[i];
		struct bl_ksym_query *found;

		if (!is_typeless(obj, e))
			continue;
		found = &q[n++];
		if (found->found && hidden)
			ret = bl_fail(err, EPERM, "extern %s: /proc/kallsyms shows every address as 0 here: %s",
				      e->name, bl_kallsyms_hidden_hint());
		else if (found->other_addr)
			ret = bl_fail(err, EINVAL, "extern %s: /proc/kallsyms has it at two addresses (%#llx and %#llx), so it cannot say which is meant",
				      e->name, (unsigned long long)found->addr,
				      (unsigned long long)found->other_addr);
		else if (found->found) {
			e->addr = found->addr;
			e->is_set = 1;
		} else if (!e->is_weak)
			ret = bl_fail(err, ENOENT, "extern %s: the kernel has no symbol of that name in /proc/kallsyms (it lists variables only when built with CONFIG_KALLSYMS_ALL); declare it __weak to read 0 then",
				      e->name);
	}
	free(q);
	return ret;
}

int bl_resolve_ksyms(struct bl_object *obj, struct bl_err *err)
{
	struct bl_externs *x = obj->externs;
	size_t i;
	int ret;

	if ((ret = resolve_typeless(obj, err)))
		return ret;
	for (i = 0; i < x->cnt; i++) {
		struct bl_extern *e = &x->list[i];

		if (e->kind == BL_EXTERN_KCONFIG || is_typeless(obj, e))
			continue;
		if ((ret = resolve_btf(obj, e, err)))
			return ret;
	}
	return 0;
}
