// SPDX-License-Identifier: GPL-2.0
/*
 * core_subprog.bpf.c - CO-RE relocations inside a subprogram (.text)
 * that two programs call: the records of .text apply to each program's
 * own copy of it.  libbpf and we must submit the same instructions.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___sub {
	int tgid;
	struct task_struct___sub *real_parent;
} __attribute__((preserve_access_index));

const volatile __u32 target_tgid = 0;
__u64 parent_from_tp, parent_from_raw_tp;

__noinline int parent_tgid(void)
{
	struct task_struct___sub *t = (void *)bpf_get_current_task();

	if (BPF_CORE_READ(t, tgid) != (int)target_tgid)
		return -1;
	return BPF_CORE_READ(t, real_parent, tgid);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	int ppid = parent_tgid();

	if (ppid >= 0)
		parent_from_tp = ppid;
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	int ppid = parent_tgid();

	if (ppid >= 0)
		parent_from_raw_tp = ppid;
	return 0;
}

char _license[] SEC("license") = "GPL";
