// SPDX-License-Identifier: BSD-2-Clause
/*
 * kconfig_map.c - the values of __kconfig externs, written into the
 * .kconfig map's value at each extern's offset.
 *
 * Where values come from:
 *   CONFIG_*                   the kernel's configuration (sys/kconfig.h),
 *                              read once, only when such an extern exists
 *   LINUX_KERNEL_VERSION       KERNEL_VERSION(a, b, c) as libbpf computes it
 *   LINUX_HAS_BPF_COOKIE       whether bpf_get_attach_cookie() exists (5.15):
 *                              a tracepoint program calling it is loaded
 *   LINUX_HAS_SYSCALL_WRAPPER  whether system calls enter through
 *                              __<arch>_sys_*(struct pt_regs *) wrappers
 *                              (x86_64 since 4.17, arm64 since 4.19), so
 *                              that BPF_KSYSCALL programs read arguments
 *                              from the pt_regs.  libbpf tries a kprobe on
 *                              __<arch>_sys_bpf; ksyms.c looks it up in
 *                              kallsyms, which also answers on kernels
 *                              without kprobes.
 *
 * How a value is stored follows the extern's C type, as libbpf does:
 *   bool               y 1, n 0; m is refused (declare a tristate)
 *   enum libbpf_tristate   n 0, y 1, m 2
 *   1-byte integers    the letter 'y', 'm' or 'n', or a number
 *   2/4/8-byte ints    numbers, range-checked for size and signedness
 *   char[N]            strings, cut to N - 1 bytes and NUL-terminated
 * "# CONFIG_X is not set" is n for bool, tristate and char; for numbers
 * and strings the option is then absent.  An absent option is 0 for a
 * __weak extern and refused, with its name, for a strong one.
 *
 * Syscalls: open/read of the config file; bpf(BPF_PROG_LOAD) for the
 * cookie probe.
 */
#include "object/externs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/features.h>

#include "btf/btf.h"
#include "sys/bpf_syscall.h"
#include "sys/kconfig.h"

static const char *const virtual_names[] = {
	"LINUX_KERNEL_VERSION", "LINUX_HAS_BPF_COOKIE", "LINUX_HAS_SYSCALL_WRAPPER",
};

static int is_virtual(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(virtual_names) / sizeof(virtual_names[0]); i++)
		if (strcmp(name, virtual_names[i]) == 0)
			return 1;
	return 0;
}

static const char *kcfg_type_name(enum bl_kconfig_type t)
{
	switch (t) {
	case BL_KCFG_BOOL: return "a bool";
	case BL_KCFG_TRISTATE: return "an enum libbpf_tristate";
	case BL_KCFG_CHAR: return "a 1-byte integer";
	case BL_KCFG_INT: return "an integer";
	default: return "a char array";
	}
}

/* ---- at open: what C type each extern has ----------------------------------------------- */

static int check_name(const struct bl_extern *e, struct bl_err *err)
{
	if (strncmp(e->name, "CONFIG_", 7) == 0 || is_virtual(e->name))
		return 0;
	if (strncmp(e->name, "LINUX_", 6) == 0 && e->is_weak)
		return 0;	/* a future libbpf name: 0, as libbpf does */
	return bl_fail(err, ENOTSUP, "extern %s __kconfig: only CONFIG_* options and LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER are known",
		       e->name);
}

int bl_kconfig_extern_type(const struct bl_object *obj, struct bl_extern *e, struct bl_err *err)
{
	const struct bl_btf *btf = obj->btf;
	uint32_t id = bl_btf_skip_modifiers(btf, e->type_id);
	const struct btf_type *t = bl_btf_type(btf, id), *elem;
	unsigned int kind = t ? bl_btf_kind(t) : BTF_KIND_UNKN;
	int ret;

	if ((ret = check_name(e, err)))
		return ret;
	if (kind == BTF_KIND_INT) {
		unsigned int enc = BTF_INT_ENCODING(bl_btf_int_info(t));

		e->kcfg_size = t->size;
		e->kcfg_signed = (enc & BTF_INT_SIGNED) != 0;
		if ((enc & BTF_INT_BOOL) && t->size == 1)
			e->kcfg_type = BL_KCFG_BOOL;
		else if (t->size == 1 && !(enc & BTF_INT_BOOL))
			e->kcfg_type = BL_KCFG_CHAR;
		else if ((t->size == 2 || t->size == 4 || t->size == 8) && !(enc & BTF_INT_BOOL))
			e->kcfg_type = BL_KCFG_INT;
		else
			goto unsupported;
		return 0;
	}
	if ((kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64) &&
	    strcmp(bl_btf_type_name(btf, id), "libbpf_tristate") == 0 && (t->size == 4 || t->size == 8)) {
		e->kcfg_type = BL_KCFG_TRISTATE;
		e->kcfg_size = t->size;
		return 0;
	}
	if (kind == BTF_KIND_ARRAY && bl_btf_array(t)->nelems > 0) {
		elem = bl_btf_type(btf, bl_btf_skip_modifiers(btf, bl_btf_array(t)->type));
		if (elem && bl_btf_kind(elem) == BTF_KIND_INT && elem->size == 1 &&
		    !(BTF_INT_ENCODING(bl_btf_int_info(elem)) & BTF_INT_BOOL)) {
			e->kcfg_type = BL_KCFG_CHAR_ARRAY;
			e->kcfg_size = bl_btf_array(t)->nelems;
			return 0;
		}
	}
unsupported:
	return bl_fail(err, ENOTSUP, "extern %s __kconfig has type %s %s; a kconfig value is a bool, an enum libbpf_tristate, an integer of 1, 2, 4 or 8 bytes, or a char array",
		       e->name, bl_btf_kind_str(kind), bl_btf_type_name(btf, id));
}

/* ---- at load: storing values --------------------------------------------------------------- */

static void put_uint(unsigned char *dst, uint32_t size, uint64_t v)
{
	switch (size) {
	case 1: { uint8_t x = (uint8_t)v; memcpy(dst, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)v; memcpy(dst, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(dst, &x, 4); break; }
	default: memcpy(dst, &v, 8); break;
	}
}

/* A number, if the extern's type can hold it. */
static int store_number(const struct bl_extern *e, unsigned char *dst, uint64_t magnitude,
			int negative, struct bl_err *err)
{
	unsigned int bits = e->kcfg_size * 8;
	uint64_t limit;

	if (e->kcfg_type == BL_KCFG_BOOL) {
		if (negative || magnitude > 1)
			return bl_fail(err, ERANGE, "extern %s is a bool, and the value %s%llu is neither 0 nor 1",
				       e->name, negative ? "-" : "", (unsigned long long)magnitude);
		dst[0] = (unsigned char)magnitude;
		return 0;
	}
	if (e->kcfg_type != BL_KCFG_INT && e->kcfg_type != BL_KCFG_CHAR)
		return bl_fail(err, EINVAL, "extern %s is %s, which cannot hold the number %s%llu",
			       e->name, kcfg_type_name(e->kcfg_type), negative ? "-" : "",
			       (unsigned long long)magnitude);
	if (e->kcfg_signed)
		limit = negative ? 1ull << (bits - 1) : (1ull << (bits - 1)) - 1;
	else
		limit = negative ? 0 : bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
	if (magnitude > limit)
		return bl_fail(err, ERANGE, "extern %s: the value %s%llu does not fit in its %s %u-bit integer",
			       e->name, negative ? "-" : "", (unsigned long long)magnitude,
			       e->kcfg_signed ? "signed" : "unsigned", bits);
	put_uint(dst, e->kcfg_size, negative ? 0 - magnitude : magnitude);
	return 0;
}

/* y, m or n.  Returns 1 when the option counts as absent. */
static int store_tristate(const struct bl_extern *e, unsigned char *dst, char v, struct bl_err *err)
{
	switch (e->kcfg_type) {
	case BL_KCFG_BOOL:
		if (v == 'm')
			return bl_fail(err, EINVAL, "extern %s is a bool, but the kernel has it as a module (m); declare it enum libbpf_tristate",
				       e->name);
		dst[0] = v == 'y';
		return 0;
	case BL_KCFG_TRISTATE:
		put_uint(dst, e->kcfg_size, v == 'y' ? 1 : v == 'm' ? 2 : 0);
		return 0;
	case BL_KCFG_CHAR:
		dst[0] = (unsigned char)v;
		return 0;
	default:
		if (v == 'n')
			return 1;	/* "is not set": an int or string option that is absent */
		return bl_fail(err, EINVAL, "extern %s is %s, but the kernel's value is %c",
			       e->name, kcfg_type_name(e->kcfg_type), v);
	}
}

static int store_string(struct bl_object *obj, const struct bl_extern *e, unsigned char *dst,
			const struct bl_kconfig_entry *v, struct bl_err *err)
{
	size_t n = v->string_len;

	if (e->kcfg_type != BL_KCFG_CHAR_ARRAY)
		return bl_fail(err, EINVAL, "extern %s is %s, but the kernel's value is the string \"%.40s\"",
			       e->name, kcfg_type_name(e->kcfg_type), v->string);
	if (n > e->kcfg_size - 1) {
		n = e->kcfg_size - 1;
		bl_object_note(obj, "extern %s holds only the first %zu bytes of its value.", e->name, n);
	}
	memcpy(dst, v->string, n);
	dst[n] = '\0';
	return 0;
}

static int store_entry(struct bl_object *obj, const struct bl_extern *e, unsigned char *dst,
		       const struct bl_kconfig_entry *v, struct bl_err *err)
{
	switch (v->kind) {
	case BL_KCONFIG_TRISTATE:
		return store_tristate(e, dst, v->tristate, err);
	case BL_KCONFIG_NUMBER:
		return store_number(e, dst, v->magnitude, v->negative, err);
	default:
		return store_string(obj, e, dst, v, err);
	}
}

/* ---- the virtual LINUX_ values --------------------------------------------------------------- */

static int store_virtual(const struct bl_object *obj, const struct bl_extern *e, unsigned char *dst,
			 struct bl_err *err)
{
	uint32_t version;

	if (strcmp(e->name, "LINUX_KERNEL_VERSION") == 0) {
		version = bl_linux_kernel_version();
		if (!version)
			return bl_fail(err, ENOENT, "extern %s: the kernel's version cannot be read from uname -r (it needs three numbers, a.b.c)",
				       e->name);
		return store_number(e, dst, version, 0, err);
	}
	if (strcmp(e->name, "LINUX_HAS_BPF_COOKIE") == 0)
		return store_number(e, dst, bl_kernel_has(BL_FEAT_BPF_COOKIE) > 0, 0, err);
	/* looked up in ksyms.c's pass over /proc/kallsyms */
	return store_number(e, dst, (uint64_t)obj->externs->syscall_wrapper, 0, err);
}

/* ---- CONFIG_ values ------------------------------------------------------------------------ */

struct config_source {
	struct bl_kconfig *kc;
	int tried;
	char path[256];
	struct bl_err why;	/* when kc is NULL */
};

static const struct bl_kconfig *config(struct bl_object *obj, struct config_source *src)
{
	if (src->tried)
		return src->kc;
	src->tried = 1;
	if (obj->kconfig_path[0]) {
		snprintf(src->path, sizeof(src->path), "%s", obj->kconfig_path);
		src->kc = bl_kconfig_read_file(obj->kconfig_path, &src->why);
	} else {
		src->kc = bl_kconfig_read_running(src->path, sizeof(src->path), &src->why);
	}
	return src->kc;
}

/* Returns 1 when the option is absent (or "not set" for a number or string). */
static int store_config(struct bl_object *obj, struct config_source *src, const struct bl_extern *e,
			unsigned char *dst, struct bl_err *err)
{
	const struct bl_kconfig *kc = config(obj, src);
	const struct bl_kconfig_entry *v;
	int ret;

	if (!kc) {
		if (e->is_weak)
			return 1;
		*err = src->why;
		return bl_err_context(err, "extern %s needs the kernel's configuration", e->name);
	}
	v = bl_kconfig_find(kc, e->name);
	ret = v ? store_entry(obj, e, dst, v, err) : 1;
	if (ret < 0)
		return bl_err_context(err, "%s line %u", src->path, v->line);
	if (ret == 1 && !e->is_weak)
		return bl_fail(err, ENOENT, "extern %s: the kernel's configuration (%s) %s; declare it __weak to read 0 then",
			       e->name, src->path, v ? "has it not set" : "does not have it");
	return ret;
}

int bl_fill_kconfig_externs(struct bl_object *obj, unsigned char *value, uint32_t size,
			    struct bl_err *err)
{
	struct config_source src = { 0 };
	size_t i, unread = 0;
	int ret = 0;

	for (i = 0; i < obj->externs->cnt && ret >= 0; i++) {
		struct bl_extern *e = &obj->externs->list[i];

		if (e->kind != BL_EXTERN_KCONFIG)
			continue;
		if (e->kcfg_offset > size || e->kcfg_size > size - e->kcfg_offset)
			ret = bl_fail(err, EINVAL, "extern %s lies outside the %u-byte .kconfig map", e->name, size);
		else if (is_virtual(e->name))
			ret = store_virtual(obj, e, value + e->kcfg_offset, err);
		else if (strncmp(e->name, "CONFIG_", 7) == 0) {
			ret = store_config(obj, &src, e, value + e->kcfg_offset, err);
			unread += ret == 1 && !src.kc;
		} else {
			ret = 1;	/* a weak LINUX_ name we do not know */
		}
		e->is_set = ret == 0;
	}
	if (ret >= 0 && unread)
		bl_object_note(obj, "%zu weak CONFIG_ extern%s read 0: %s.", unread, unread == 1 ? "" : "s",
			       src.why.msg);
	bl_kconfig_free(src.kc);
	return ret < 0 ? ret : 0;
}
