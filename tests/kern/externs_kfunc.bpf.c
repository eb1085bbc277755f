// SPDX-License-Identifier: GPL-2.0
/*
 * externs_kfunc.bpf.c - calls of kernel functions (kfuncs, Linux 6.2+
 * for these): bpf_rcu_read_lock/unlock, and bpf_task_from_pid, whose
 * reference bpf_task_release gives back.  A syscall program run for
 * the test's own pid finds the test's own task: the pointer must equal
 * bpf_get_current_task_btf().  Kernels without these kfuncs refuse the
 * object, naming the function.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "externs_common.h"

#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

const volatile int target_pid;
struct kfunc_seen kfunc;

SEC("syscall")
int call_kfuncs(void *ctx)
{
	struct task_struct *task;

	kfunc.exists = bpf_ksym_exists(bpf_task_from_pid);
	bpf_rcu_read_lock();
	kfunc.current = (__u64)bpf_get_current_task_btf();
	bpf_rcu_read_unlock();
	task = bpf_task_from_pid(target_pid);
	if (task) {
		kfunc.found = (__u64)task;
		bpf_task_release(task);
	}
	task = bpf_task_from_pid(-1);
	if (task) {
		kfunc.missing = (__u64)task;
		bpf_task_release(task);
	}
	kfunc.ran = 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
