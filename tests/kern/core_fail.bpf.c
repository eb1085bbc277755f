// SPDX-License-Identifier: GPL-2.0
/*
 * core_fail.bpf.c - CO-RE relocations that cannot be satisfied on any
 * kernel.  reads_missing reaches its read of a member no kernel has: the
 * loader poisons the instruction, the verifier stops there, and the error
 * must name the relocation (type, field path, kind) and the C source
 * line.  guards_missing has the same read behind bpf_core_field_exists()
 * and loads: the poisoned instruction is dead code.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___gone {
	int pid;
	int no_such_member;
} __attribute__((preserve_access_index));

__u64 seen;

SEC("tracepoint/raw_syscalls/sys_enter")
int reads_missing(void *ctx)
{
	struct task_struct___gone *t = (void *)bpf_get_current_task();

	seen = BPF_CORE_READ(t, no_such_member);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int guards_missing(void *ctx)
{
	struct task_struct___gone *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->no_such_member))
		seen = BPF_CORE_READ(t, no_such_member);
	else
		seen = BPF_CORE_READ(t, pid);
	return 0;
}

char _license[] SEC("license") = "GPL";
