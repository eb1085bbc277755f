// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_features.c - asking the running kernel what its BPF can do.
 *
 * Each probe is chosen so that the kernel's answer cannot be mistaken:
 * a program the verifier refuses only for the feature in question
 * ("invalid func" for a helper it does not know, "reserved fields" for
 * an atomic it cannot do), or a system call that fails differently with
 * and without the feature (a BPF link on fd -1: EBADF when the kernel
 * would look for a perf event there, EINVAL when it does not know the
 * attach type).
 */
#include "kernel_features.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_load.h"
#include "sys/bpf_syscall.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT_INSN() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static const struct {
	const char *key, *name, *since;
} info[KF_COUNT] = {
	[KF_PERF_LINK] = { "perf-link", "BPF links for perf events (kprobes, tracepoints)", "5.15" },
	[KF_ATOMIC_FETCH] = { "atomic-fetch", "BPF_ATOMIC with BPF_FETCH (atomic fetch-and-add)", "5.12" },
	[KF_RINGBUF] = { "ringbuf", "BPF ring buffers", "5.8" },
	[KF_BPF_LOOP] = { "bpf_loop", "the bpf_loop() helper", "5.17" },
	[KF_ATTACH_COOKIE] = { "attach-cookie", "BPF cookies (bpf_get_attach_cookie())", "5.15" },
	[KF_KPROBE_MULTI] = { "kprobe-multi", "kprobe_multi links", "5.18, with CONFIG_FPROBE" },
};

static int answers[KF_COUNT];
static int asked[KF_COUNT];

/* Load a tracepoint program; the fd, or -errno with the verifier's log
 * in *log (malloc'd) when log is not NULL. */
static int load(const struct bpf_insn *insns, size_t cnt, uint32_t type, uint32_t attach_type, char **log)
{
	struct bl_prog_spec spec = {
		.name = "bl_probe", .type = type, .expected_attach_type = attach_type,
		.insns = insns, .insn_cnt = cnt, .license = "GPL",
	};

	return bl_prog_load(&spec, log);
}

static int is_privilege_error(int ret)
{
	return ret == -EPERM || ret == -EACCES;
}

/* A program that only calls helper id: a kernel that does not know the
 * helper says "invalid func" (or "unknown func" when it knows it but not
 * for this program type); one that does complains about the arguments. */
static int probe_helper(int id)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id), MOV64_IMM(0, 0), EXIT_INSN(),
	};
	char *log = NULL;
	int fd = load(insns, 3, BPF_PROG_TYPE_TRACEPOINT, 0, &log), ret;

	/* the verifier's refusals are EACCES or EINVAL: only a refusal
	 * without a log is no answer */
	if (fd >= 0) {
		close(fd);
		ret = 1;
	} else if (!log || !log[0]) {
		ret = is_privilege_error(fd) ? fd : 0;
	} else {
		ret = !(strstr(log, "invalid func ") || strstr(log, "unknown func "));
	}
	free(log);
	return ret;
}

static int probe_perf_link(void)
{
	const struct bpf_insn insns[] = { MOV64_IMM(0, 0), EXIT_INSN() };
	int fd = load(insns, 2, BPF_PROG_TYPE_TRACEPOINT, 0, NULL), ret;

	if (fd < 0)
		return fd;
	ret = bl_bpf_link_create(fd, -1, BPF_PERF_EVENT);
	close(fd);
	if (ret >= 0) {		/* cannot happen: fd -1 is no perf event */
		close(ret);
		return 1;
	}
	return ret == -EBADF ? 1 : ret == -EINVAL ? 0 : ret;
}

/* r1 = atomic_fetch_add((u64 *)(r10 - 8), r1) on a stack slot: before
 * 5.12 the verifier refuses a BPF_XADD whose imm is not 0. */
static int probe_atomic_fetch(void)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0),
		MOV64_IMM(1, 1),
		INSN(BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_10, BPF_REG_1, -8, BPF_ADD | BPF_FETCH),
		MOV64_IMM(0, 0),
		EXIT_INSN(),
	};
	char *log = NULL;
	int fd = load(insns, 5, BPF_PROG_TYPE_TRACEPOINT, 0, &log), ret;

	if (fd >= 0) {
		close(fd);
		ret = 1;
	} else {
		ret = log && log[0] ? 0 : is_privilege_error(fd) ? fd : 0;
	}
	free(log);
	return ret;
}

static int probe_ringbuf(void)
{
	struct bl_map_spec spec = { .name = "bl_probe", .type = BPF_MAP_TYPE_RINGBUF,
				    .max_entries = (uint32_t)sysconf(_SC_PAGESIZE) };
	int fd = bl_map_create(&spec);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return is_privilege_error(fd) ? fd : 0;
}

/* A kprobe_multi link on a function that does not exist: a kernel with
 * such links looks the name up and fails (ESRCH, ENOENT); without
 * CONFIG_FPROBE it says EOPNOTSUPP, before 5.18 EINVAL (unknown type). */
static int probe_kprobe_multi(void)
{
	const struct bpf_insn insns[] = { MOV64_IMM(0, 0), EXIT_INSN() };
	const char *syms[] = { "bl_no_such_function" };
	union bpf_attr attr;
	int fd = load(insns, 2, BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, NULL);
	long ret;

	if (fd < 0)
		return is_privilege_error(fd) ? fd : 0;
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)fd;
	attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	attr.link_create.kprobe_multi.cnt = 1;
	attr.link_create.kprobe_multi.syms = (uint64_t)(uintptr_t)syms;
	ret = bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
	close(fd);
	if (ret >= 0) {
		close((int)ret);
		return 1;
	}
	return ret == -ESRCH || ret == -ENOENT ? 1 : is_privilege_error((int)ret) ? (int)ret : 0;
}

int kfeature_has(enum kfeature f)
{
	if (f < 0 || f >= KF_COUNT)
		return -EINVAL;
	if (asked[f])
		return answers[f];
	bl_raise_memlock_limit();	/* before 5.11 the probes count against RLIMIT_MEMLOCK */
	switch (f) {
	case KF_PERF_LINK: answers[f] = probe_perf_link(); break;
	case KF_ATOMIC_FETCH: answers[f] = probe_atomic_fetch(); break;
	case KF_RINGBUF: answers[f] = probe_ringbuf(); break;
	case KF_BPF_LOOP: answers[f] = probe_helper(BPF_FUNC_loop); break;
	case KF_ATTACH_COOKIE: answers[f] = probe_helper(BPF_FUNC_get_attach_cookie); break;
	case KF_KPROBE_MULTI: answers[f] = probe_kprobe_multi(); break;
	default: return -EINVAL;
	}
	asked[f] = 1;
	return answers[f];
}

const char *kfeature_name(enum kfeature f)
{
	return f >= 0 && f < KF_COUNT ? info[f].name : "?";
}

const char *kfeature_since(enum kfeature f)
{
	return f >= 0 && f < KF_COUNT ? info[f].since : "?";
}

const char *kfeature_lacking(enum kfeature f, char *buf, size_t size)
{
	snprintf(buf, size, "this kernel lacks %s (Linux %s)", kfeature_name(f), kfeature_since(f));
	return buf;
}

void kfeature_print_all(void)
{
	static const struct { unsigned int bit; const char *name; } kinds[] = {
		{ BL_BTF_FEAT_FUNC, "func" }, { BL_BTF_FEAT_DATASEC, "datasec" },
		{ BL_BTF_FEAT_GLOBAL_FUNC, "global-func" }, { BL_BTF_FEAT_FLOAT, "float" },
		{ BL_BTF_FEAT_DECL_TAG, "decl_tag" }, { BL_BTF_FEAT_TYPE_TAG, "type_tag" },
		{ BL_BTF_FEAT_ENUM64, "enum64" },
	};
	struct bl_err err;
	int f, missing = bl_btf_probe_missing(&err);
	size_t i;

	printf("# kernel features:");
	for (f = 0; f < KF_COUNT; f++) {
		int has = kfeature_has((enum kfeature)f);

		printf(" %s=%s", info[f].key, has > 0 ? "yes" : has == 0 ? "no" : "?");
	}
	printf("; BTF kinds missing:");
	if (missing < 0)
		printf(" ?");
	for (i = 0; missing > 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (missing & (int)kinds[i].bit)
			printf(" %s", kinds[i].name);
	printf("%s\n", missing == 0 ? " none" : "");
	fflush(stdout);
}
