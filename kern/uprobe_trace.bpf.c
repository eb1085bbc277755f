// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_trace.bpf.c - each call of one function of a user program or
 * library: its arguments at entry and its return value.
 *
 * Like bash's readline or libc's getaddrinfo, a user-space function has
 * its arguments only at entry and its result only at return, so two
 * programs share the work (the join read_trace does for system calls):
 *
 *   trace_entry   a uprobe on the function's first instruction: keeps the
 *                 argument registers (and, if asked, the string one of
 *                 them points to) in a hash keyed by thread id
 *   trace_return  a uretprobe: the kernel replaced the return address on
 *                 the thread's stack with a trampoline, so this runs when
 *                 the function returns, with its result in the return
 *                 register; it joins it with the entry and sends one
 *                 event through a BPF ring buffer
 *
 * Strings are read from the traced process's memory with
 * bpf_probe_read_user_str(); a page not yet faulted in reads as "".
 * Neither program names the function: user space attaches them (bare
 * SEC("uprobe") sections) where the command line says.
 */
#include "bpf_kern.h"
#include "uprobe_trace_common.h"

/* Set by user space before loading; .rodata is frozen after. */
const volatile __u32 string_arg = 0;	/* 1..6: that argument is a C string */
const volatile __u32 ret_string = 0;	/* the return value is a C string */

struct call {
	__u64 args[UT_MAX_ARGS];
	__u64 start_ns;
	char arg_str[UT_STR_LEN];
};

/* Calls under way, by thread.  LRU: a thread that never returns (exit,
 * longjmp) leaves an entry, which the oldest-first eviction reclaims. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct call);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Events the full ring buffer refused. */
__u64 lost = 0;

#if defined(__TARGET_ARCH_x86)
#define RETURN_VALUE(r) BL_CTX_READ((r)->ax)
#else
#define RETURN_VALUE(r) BL_CTX_READ((r)->regs[0])
#endif

SEC("uprobe")
int trace_entry(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct call c = {};
	__u32 i;

	for (i = 0; i < UT_MAX_ARGS; i++)
		c.args[i] = bl_kprobe_arg(ctx, i + 1);
	c.start_ns = bpf_ktime_get_ns();
	if (string_arg)
		bpf_probe_read_user_str(c.arg_str, sizeof(c.arg_str),
					(const void *)bl_kprobe_arg(ctx, string_arg));
	bpf_map_update_elem(&calls, &tid, &c, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int trace_return(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct call *c = bpf_map_lookup_elem(&calls, &tid);
	struct ut_event *e;
	__u32 i;

	if (!c)
		return 0;	/* it was called before we attached */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		bpf_map_delete_elem(&calls, &tid);
		return 0;
	}
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->pid = pid_tgid >> 32;
	e->tid = tid;
	for (i = 0; i < UT_MAX_ARGS; i++)
		e->args[i] = c->args[i];
	e->ret = (__s64)RETURN_VALUE(ctx);
	e->duration_ns = bpf_ktime_get_ns() - c->start_ns;
	e->arg_str[0] = '\0';
	e->ret_str[0] = '\0';
	if (string_arg)
		bpf_probe_read_kernel(e->arg_str, sizeof(e->arg_str), c->arg_str);
	if (ret_string && e->ret)
		bpf_probe_read_user_str(e->ret_str, sizeof(e->ret_str), (const void *)e->ret);
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
