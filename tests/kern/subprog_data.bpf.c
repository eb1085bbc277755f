// SPDX-License-Identifier: GPL-2.0
/*
 * subprog_data.bpf.c - bpf-to-bpf calls and global data.
 *
 * On every getppid() of the target process: a global subprogram in .text,
 * a static subprogram shared by two programs, a subprogram that calls
 * another, and variables in .data, .bss, .rodata and a named .data.stats
 * section.
 */
#include "bpf_kern.h"

const volatile __u32 target_tgid = 0;	/* .rodata: set by user space before load */
const volatile __u32 step = 1;		/* .rodata */
__u64 calls = 0;			/* .bss */
__u64 total = 100;			/* .data: starts at 100 */
__u64 loop_iterations SEC(".data.stats") = 0;
__u64 second_program_calls SEC(".data.stats") = 0;
static char scratch[8];			/* .bss, reached through the section symbol */

__attribute__((noinline)) int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __attribute__((noinline)) __u64 add_step(__u64 value)
{
	return value + step;
}

static __attribute__((noinline)) int count_iterations(__u32 n)
{
	__u32 i;

	for (i = 0; i < n && i < 8; i++) {
		loop_iterations += is_target();
		scratch[i & 7]++;
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_calls(void *ctx)
{
	if (!is_target())
		return 0;
	calls++;
	total = add_step(total);
	count_iterations(3);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_again(void *ctx)
{
	if (is_target())
		second_program_calls = add_step(second_program_calls);
	return 0;
}

char _license[] SEC("license") = "GPL";
