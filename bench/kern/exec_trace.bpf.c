// SPDX-License-Identifier: GPL-2.0
/*
 * exec_trace.bpf.c - a benchmark object shaped like the execve tracers
 * people write against libbpf: a hash joins sys_enter_execve with
 * sys_exit_execve, the task's parent and start time come from
 * task_struct through CO-RE (BPF_CORE_READ, bpf_core_field_exists),
 * filters are .rodata set before load, counters live in .bss and .data,
 * a subprogram fills the record, and records go out through a BPF ring
 * buffer.  Only the loading benchmark uses it: what matters is what the
 * loaders must do to get it into the kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define COMM_LEN 16
#define ARG_LEN 128

struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__u32 loginuid;
	__s32 retval;
	__u32 arg_len;
	__u64 start_ns;
	char comm[COMM_LEN];
	char arg0[ARG_LEN];
};

const volatile __u32 target_uid = (__u32)-1;	/* -1: every user */
const volatile bool ignore_failed = true;

__u64 dropped = 0;		/* .bss: ring buffer full */
__u64 started = 0;		/* .bss */
__u32 generation SEC(".data") = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exec_event);
} execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static const struct exec_event empty_event;

/* What the task says about itself, read through CO-RE. */
static __noinline int fill_task(struct exec_event *e)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->start_ns = BPF_CORE_READ(task, start_time);
	if (bpf_core_field_exists(task->loginuid))
		e->loginuid = BPF_CORE_READ(task, loginuid.val);
	else
		e->loginuid = (__u32)-1;
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int exec_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = (__u32)id, uid = (__u32)bpf_get_current_uid_gid();
	const char *const *argv = (const char *const *)ctx->args[1];
	struct exec_event *e;
	const char *arg0 = NULL;
	long len;

	if (target_uid != (__u32)-1 && uid != target_uid)
		return 0;
	if (bpf_map_update_elem(&execs, &pid, &empty_event, BPF_NOEXIST))
		return 0;
	e = bpf_map_lookup_elem(&execs, &pid);
	if (!e)
		return 0;
	e->pid = (__u32)(id >> 32);
	e->uid = uid;
	fill_task(e);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user(&arg0, sizeof(arg0), &argv[0]);
	len = arg0 ? bpf_probe_read_user_str(e->arg0, sizeof(e->arg0), arg0) : 0;
	e->arg_len = len > 0 ? (__u32)len : 0;
	__sync_fetch_and_add(&started, 1);
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 pid = (__u32)bpf_get_current_pid_tgid();
	struct exec_event *e = bpf_map_lookup_elem(&execs, &pid);

	if (!e)
		return 0;
	e->retval = (__s32)ctx->ret;
	if (!(ignore_failed && e->retval < 0) &&
	    bpf_ringbuf_output(&events, e, sizeof(*e), 0))
		__sync_fetch_and_add(&dropped, generation);
	bpf_map_delete_elem(&execs, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
