// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_test.bpf.c - the uprobe tests' programs, written as libbpf users
 * write them (<bpf/bpf_helpers.h>, <bpf/bpf_tracing.h>'s BPF_KPROBE).
 *
 * Every program counts into `calls`, keyed by the calling process and a
 * slot: its BPF cookie where the test gave one (bpf_get_attach_cookie()
 * is 0 otherwise), or a fixed slot for the programs whose section names
 * say where they attach.  Each slot holds the number of calls and the
 * sums of the arguments and return values seen, so that a test can check
 * that N calls gave exactly N hits and that every value arrived intact.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "uprobe_regs.h"
#include "uprobe_test_common.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct call_key);
	__type(value, struct call_stats);
} calls SEC(".maps");

/* What the sleepable program copied from the traced process. */
char copied[COPY_MAX];

static __always_inline struct call_stats *stats_for(__u32 slot)
{
	struct call_key key = { .tgid = bpf_get_current_pid_tgid() >> 32, .slot = slot };
	struct call_stats zero = {}, *s;

	s = bpf_map_lookup_elem(&calls, &key);
	if (s)
		return s;
	bpf_map_update_elem(&calls, &key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&calls, &key);
}

static __always_inline void count_entry(__u32 slot, long a, long b)
{
	struct call_stats *s = stats_for(slot);

	if (!s)
		return;
	__sync_fetch_and_add(&s->hits, 1);
	/* Adding a constant 0 is left out, not just cheap: clang turns an
	 * atomic add of 0 into an atomic OR, which kernels before 5.12 refuse
	 * ("BPF_STX uses reserved fields"). */
	if (a)
		__sync_fetch_and_add(&s->sum_a, a);
	if (b)
		__sync_fetch_and_add(&s->sum_b, b);
}

static __always_inline void count_return(__u32 slot, long ret)
{
	struct call_stats *s = stats_for(slot);

	if (!s)
		return;
	__sync_fetch_and_add(&s->hits, 1);
	if (ret)
		__sync_fetch_and_add(&s->sum_ret, ret);
}

/* Bare sections: the test attaches them with a path, a function and
 * options (process, cookie, tracefs or PMU, link or ioctl). */
SEC("uprobe")
int BPF_KPROBE(on_entry, long a, long b)
{
	count_entry((__u32)bpf_get_attach_cookie(ctx), a, b);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_return, long ret)
{
	count_return((__u32)bpf_get_attach_cookie(ctx), ret);
	return 0;
}

/* The same two without bpf_get_attach_cookie(), which kernels before 5.15
 * do not have: entries count in slot 0, returns in SLOT_PLAIN_RETURN. */
SEC("uprobe")
int BPF_KPROBE(on_entry_plain, long a, long b)
{
	count_entry(0, a, b);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_return_plain, long ret)
{
	count_return(SLOT_PLAIN_RETURN, ret);
	return 0;
}

/* Section names with a library found by name, as the dynamic loader
 * would find it (LD_LIBRARY_PATH, /etc/ld.so.cache). */
SEC("uretprobe/libuprobe_target.so:bl_lib_mul")
int BPF_KRETPROBE(on_lib_mul_return, long ret)
{
	count_return(SLOT_LIB_MUL_RETURN, ret);
	return 0;
}

SEC("uprobe/libc.so.6:getpid")
int BPF_KPROBE(on_libc_getpid)
{
	count_entry(SLOT_LIBC_GETPID, 0, 0);
	return 0;
}

/* Sleepable: only these may call bpf_copy_from_user(), which can fault
 * the traced process's page in. */
SEC("uprobe.s")
int BPF_KPROBE(on_copy, const char *buf, long len)
{
	if (len > COPY_MAX - 1)
		len = COPY_MAX - 1;
	if (len > 0 && bpf_copy_from_user(copied, len & (COPY_MAX - 1), buf) == 0)
		count_entry(SLOT_COPY, len, 0);
	return 0;
}

SEC("uretprobe.s")
int BPF_KRETPROBE(on_copy_return, long ret)
{
	count_return(SLOT_COPY_RETURN, ret);
	return 0;
}

/* uprobe_multi links (6.6), cookies per function. */
SEC("uprobe.multi")
int BPF_KPROBE(on_multi, int x)
{
	count_entry((__u32)bpf_get_attach_cookie(ctx), x, 0);
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(on_multi_return, int ret)
{
	count_return((__u32)bpf_get_attach_cookie(ctx), ret);
	return 0;
}

/* A USDT program written without <bpf/usdt.bpf.h>: it reads no arguments,
 * and its cookie is the one the test gave. */
SEC("usdt")
int on_usdt(struct pt_regs *ctx)
{
	count_entry((__u32)bpf_get_attach_cookie(ctx), 0, 0);
	return 0;
}

/* on_usdt for kernels before 5.15: slot 0. */
SEC("usdt")
int on_usdt_plain(struct pt_regs *ctx)
{
	count_entry(0, 0, 0);
	return 0;
}
