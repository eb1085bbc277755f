// SPDX-License-Identifier: GPL-2.0
/*
 * course_kprobe.bpf.c - the course's kprobe program, as it writes it:
 * BPF_KPROBE() and BPF_CORE_READ() over the kernel's own structs from
 * "vmlinux.h" (ours).  Every field access here is a CO-RE relocation,
 * which the loader will resolve against the running kernel's BTF; until
 * it does, the tests only build this and check the relocations clang
 * recorded.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(do_unlinkat, int dfd, struct filename *name)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	pid_t ppid = BPF_CORE_READ(task, real_parent, tgid);
	const char *path = BPF_CORE_READ(name, name);

	bpf_printk("unlinkat by %d (parent %d): %s", (int)(bpf_get_current_pid_tgid() >> 32), ppid, path);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
