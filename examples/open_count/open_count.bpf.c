// SPDX-License-Identifier: GPL-2.0
/* open_count.bpf.c - count the openat() calls of one process. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_tgid = 0;	/* .rodata: set before load */
__u64 opens = 0;			/* .bss: read while it runs */

SEC("tracepoint/syscalls/sys_enter_openat")
int count_openat(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 == target_tgid)
		__sync_fetch_and_add(&opens, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
