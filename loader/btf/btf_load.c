// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf_load.c - BPF_BTF_LOAD (Linux 4.18), and the probes that find
 * which BTF kinds the running kernel lacks: each loads a tiny blob using
 * one kind, once, only when an object's BTF was refused.
 *
 * Syscalls: bpf(BPF_BTF_LOAD).
 */
#include "btf/btf_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf_internal.h"
#include "sys/bpf_syscall.h"

static long btf_load_attempt(const void *data, uint32_t size, char *log, uint32_t log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	if (log && log_size) {
		log[0] = '\0';
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = log_size;
		attr.btf_log_level = 1;
	}
	return bl_sys_bpf(BPF_BTF_LOAD, &attr, sizeof(attr));
}

/* The last non-empty line of a log: the kernel's reason. */
static void last_line(const char *log, char *out, size_t out_size)
{
	size_t end = strlen(log), start;

	while (end > 0 && (log[end - 1] == '\n' || log[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && log[start - 1] != '\n')
		start--;
	snprintf(out, out_size, "%.*s", (int)(end - start), log + start);
}

/* Load once without a log (fast); on failure again with one, growing it
 * while the kernel says it is too small (the reason is at its end). */
int bl_btf_load(const struct bl_btf *btf, char **log, struct bl_err *err)
{
	uint32_t log_size = 64 * 1024;
	char *buf = NULL, reason[256] = "";
	long fd = btf_load_attempt(btf->data, btf->size, NULL, 0);

	while (fd < 0 && fd != -EPERM && log_size <= 16u * 1024 * 1024) {
		char *bigger = realloc(buf, log_size);

		if (!bigger)
			break;
		buf = bigger;
		fd = btf_load_attempt(btf->data, btf->size, buf, log_size);
		if (fd != -ENOSPC)
			break;
		log_size *= 4;
	}
	if (fd >= 0) {
		free(buf);
		return (int)fd;
	}
	if (buf && buf[0])
		last_line(buf, reason, sizeof(reason));
	if (log)
		*log = buf;
	else
		free(buf);
	if (reason[0])
		return bl_fail(err, (int)-fd, "loading BTF (%u types) failed: the kernel refused it (%s): %s",
			       btf->nr_types, bl_errno_name((int)-fd), reason);
	return bl_fail(err, (int)-fd, "loading BTF (%u types) failed: %s%s", btf->nr_types,
		       bl_errno_name((int)-fd), bl_errno_hint((int)-fd));
}

/* ---- features and probes --------------------------------------------------- */

unsigned int bl_btf_features_used(const struct bl_btf *btf)
{
	uint32_t id, count = bl_btf_type_count(btf);
	unsigned int used = 0;

	for (id = btf->start_id; id < count; id++) {
		const struct btf_type *t = bl_btf_type(btf, id);

		switch (bl_btf_kind(t)) {
		case BTF_KIND_FUNC:
			if (bl_btf_func_linkage(t) == BTF_FUNC_GLOBAL)
				used |= BL_BTF_FEAT_GLOBAL_FUNC;
			/* fall through */
		case BTF_KIND_FUNC_PROTO: used |= BL_BTF_FEAT_FUNC; break;
		case BTF_KIND_VAR: case BTF_KIND_DATASEC: used |= BL_BTF_FEAT_DATASEC; break;
		case BTF_KIND_FLOAT: used |= BL_BTF_FEAT_FLOAT; break;
		case BTF_KIND_DECL_TAG: used |= BL_BTF_FEAT_DECL_TAG; break;
		case BTF_KIND_TYPE_TAG: used |= BL_BTF_FEAT_TYPE_TAG; break;
		case KIND_ENUM64: used |= BL_BTF_FEAT_ENUM64; break;
		case BTF_KIND_ENUM:
			if (bl_btf_kflag(t))
				used |= BL_BTF_FEAT_ENUM64;
			break;
		}
	}
	return used;
}

#define T(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

/* One tiny BTF per feature; strings: 1 "int", 5 "x", 7 "f", 9 ".data",
 * 15 "float", 21 "tag", 25 "s", 27 "e". */
static const char probe_strs[] = "\0int\0x\0f\0.data\0float\0tag\0s\0e";

struct probe {
	unsigned int feature;
	uint32_t words[16];
	uint32_t nwords;
};

static const struct probe probes[] = {
	{ BL_BTF_FEAT_FUNC, { 1, T(BTF_KIND_INT, 0), 4, 32,		/* [1] int */
			      0, T(BTF_KIND_FUNC_PROTO, 1), 1, 5, 1,	/* [2] int (int x) */
			      7, T(BTF_KIND_FUNC, BTF_FUNC_STATIC), 2 }, 12 },
	{ BL_BTF_FEAT_DATASEC, { 1, T(BTF_KIND_INT, 0), 4, 32,
				 5, T(BTF_KIND_VAR, 0), 1, BTF_VAR_GLOBAL_ALLOCATED,
				 9, T(BTF_KIND_DATASEC, 1), 4, 2, 0, 4 }, 14 },
	{ BL_BTF_FEAT_GLOBAL_FUNC, { 1, T(BTF_KIND_INT, 0), 4, 32,
				     0, T(BTF_KIND_FUNC_PROTO, 1), 1, 5, 1,
				     7, T(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 2 }, 12 },
	{ BL_BTF_FEAT_FLOAT, { 15, T(BTF_KIND_FLOAT, 0), 4 }, 3 },
	{ BL_BTF_FEAT_DECL_TAG, { 1, T(BTF_KIND_INT, 0), 4, 32,
				  25, T(BTF_KIND_STRUCT, 1), 4, 5, 1, 0,	/* struct s { int x; } */
				  21, T(BTF_KIND_DECL_TAG, 0), 2, (uint32_t)-1 }, 14 },
	{ BL_BTF_FEAT_TYPE_TAG, { 1, T(BTF_KIND_INT, 0), 4, 32,
				  21, T(BTF_KIND_TYPE_TAG, 0), 1,
				  0, T(BTF_KIND_PTR, 0), 2 }, 10 },
	{ BL_BTF_FEAT_ENUM64, { 27, T(KIND_ENUM64, 1), 8, 5, 1, 0 }, 6 },
};

#undef T

/* 1: the kernel took it, 0: refused it, or a negative errno that is no
 * answer (no privileges). */
static int probe_one(const struct probe *p)
{
	unsigned char blob[HDR_MIN + sizeof(p->words) + sizeof(probe_strs)];
	uint32_t hdr[6] = { 0, HDR_MIN, 0, p->nwords * 4, p->nwords * 4, sizeof(probe_strs) };
	uint16_t magic = BTF_MAGIC;
	long fd;

	memcpy(hdr, &magic, 2);
	((unsigned char *)hdr)[2] = BTF_VERSION;
	memcpy(blob, hdr, HDR_MIN);
	memcpy(blob + HDR_MIN, p->words, p->nwords * 4);
	memcpy(blob + HDR_MIN + p->nwords * 4, probe_strs, sizeof(probe_strs));
	fd = btf_load_attempt(blob, HDR_MIN + p->nwords * 4 + sizeof(probe_strs), NULL, 0);
	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	return fd == -EPERM || fd == -EACCES || fd == -ENOSYS ? (int)fd : 0;
}

int bl_btf_probe_missing(struct bl_err *err)
{
	static const struct probe plain = { 0, { 1, (BTF_KIND_INT << 24), 4, 32 }, 4 };
	unsigned int missing = 0;
	size_t i;
	int ret = probe_one(&plain);

	if (ret <= 0)	/* not even an int: no BTF at all (before 4.18) */
		return bl_fail(err, ret < 0 ? -ret : EOPNOTSUPP, "the kernel loads no BTF at all: %s%s",
			       bl_errno_name(ret < 0 ? -ret : EOPNOTSUPP), bl_errno_hint(-ret));
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		ret = probe_one(&probes[i]);
		if (ret < 0)
			return bl_fail(err, -ret, "probing the kernel's BTF support failed: %s%s",
				       bl_errno_name(-ret), bl_errno_hint(-ret));
		if (ret == 0)
			missing |= probes[i].feature;
	}
	return (int)missing;
}

