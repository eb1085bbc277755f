// SPDX-License-Identifier: GPL-2.0
/*
 * raw_tp.bpf.c - a raw tracepoint program for bpfload's tests: counts
 * every system call entry in a global variable, and getppid() calls in a
 * hash map keyed by process id.
 */
#include "bpf_kern.h"

struct bpf_map_def SEC("maps") getppid_by_tgid = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1024,
};

#if defined(__TARGET_ARCH_x86)
#define GETPPID_NR 110	/* arch/x86/entry/syscalls/syscall_64.tbl */
#elif defined(__TARGET_ARCH_arm64)
#define GETPPID_NR 173	/* include/uapi/asm-generic/unistd.h */
#endif

__u64 syscalls = 0;

/* struct bpf_raw_tracepoint_args: the tracepoint's arguments as u64s;
 * sys_enter's are (struct pt_regs *regs, long id). */
SEC("raw_tracepoint/sys_enter")
int count_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	__u64 one = 1, *count;

	__sync_fetch_and_add(&syscalls, 1);
	if (ctx->args[1] != GETPPID_NR)
		return 0;
	count = bpf_map_lookup_elem(&getppid_by_tgid, &tgid);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&getppid_by_tgid, &tgid, &one, BPF_NOEXIST);
	return 0;
}

char _license[] SEC("license") = "GPL";
