// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_tail.bpf.c - one program per system call, reached by tail calls.
 *
 * syscall_tail runs on the raw tracepoint sys_enter, at the entry of every
 * system call; its context holds the tracepoint's arguments as u64s, here
 * (struct pt_regs *regs, long id).  It tail-calls (bpf_tail_call) into the
 * slot of the prog array syscall_progs whose index is the system call
 * number.  A tail call is a jump, not a call: the target replaces the
 * running program, gets the same context, and never returns; only when
 * the slot is empty does bpf_tail_call() return, and the main program
 * prints the number itself.
 *
 * User space fills the slots by name from this architecture's system call
 * table, so no number is written here: the timer program learns which
 * number means what from .rodata, which user space sets before loading
 * (BPF_MAP_FREEZE then makes the values constants for the verifier).
 */
#include "bpf_kern.h"
#include "syscall_tail_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SYSCALL_TAIL_SLOTS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} syscall_progs SEC(".maps");

/* Set by user space before loading.  tool_tgid is syscall_tail's own
 * process, whose system calls (reading trace_pipe, writing the lines)
 * would otherwise print lines about themselves. */
const volatile __u32 tool_tgid = 0;
const volatile __u32 skip_others = 0;		/* --skip-others */
const volatile __u64 nr_timer_create = ~0ULL;	/* this architecture's numbers; */
const volatile __u64 nr_timer_settime = ~0ULL;	/* ~0 matches nothing */
const volatile __u64 nr_timer_gettime = ~0ULL;
const volatile __u64 nr_timer_delete = ~0ULL;

/* bpf_trace_printk() wants its format in memory the program can read,
 * and its length; this puts it on the stack.  No "\n": the kernels we run
 * (6.1, 6.18) write the text through the trace event bpf_trace_printk,
 * whose output ends the line itself, so a "\n" would add an empty line. */
#define PRINT(msg)                                          \
	do {                                                \
		char fmt[] = msg;                           \
		bpf_trace_printk(fmt, sizeof(fmt));         \
	} while (0)

SEC("raw_tp/sys_enter")
int syscall_tail(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = ctx->args[1];
	char other[] = SYSCALL_TAIL_OTHER "%ld";

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) == tool_tgid)
		return 0;
	bpf_tail_call(ctx, &syscall_progs, (__u32)id);
	/* Only reached when the slot is empty (or id is out of range). */
	if (!skip_others)
		bpf_trace_printk(other, sizeof(other), id);
	return 0;
}

/*
 * The tail-call targets.  A prog array holds programs of the caller's
 * type, so they are raw tracepoint programs too, but attached to nothing
 * ("raw_tp/" names no tracepoint): they run only through syscall_progs.
 */
SEC("raw_tp/")
int hello_exec(struct bpf_raw_tracepoint_args *ctx)
{
	(void)ctx;
	PRINT("Executing a program");
	return 0;
}

/* One program for the POSIX timer calls, which tells them apart by the
 * number in its context, as Learning eBPF's hello-tail does. */
SEC("raw_tp/")
int hello_timer(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = ctx->args[1];

	if (id == nr_timer_create)
		PRINT("Creating a timer");
	else if (id == nr_timer_settime)
		PRINT("Setting a timer");
	else if (id == nr_timer_gettime)
		PRINT("Getting timer value");
	else if (id == nr_timer_delete)
		PRINT("Deleting a timer");
	else
		PRINT("Some other timer operation");
	return 0;
}

/* For the system calls too frequent to show. */
SEC("raw_tp/")
int ignore_syscall(struct bpf_raw_tracepoint_args *ctx)
{
	(void)ctx;
	return 0;
}

char _license[] SEC("license") = "GPL";
