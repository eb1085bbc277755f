// SPDX-License-Identifier: GPL-2.0
/*
 * btf_funcinfo.bpf.c - a program that calls a static and a global
 * subprogram (both in .text), and uses no maps or global data, so that a
 * test can link it by hand and load it with func_info and line_info from
 * .BTF.ext: the kernel checks those records against the subprograms'
 * boundaries.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

static __noinline __u64 mix(__u64 a, __u64 b)
{
	a ^= b << 7;
	a += b >> 3;
	return a * 31;
}

__noinline int fold(__u32 x)
{
	if (x > 1000)
		x -= 1000;
	return (int)(x & 0xff);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u64 v = bpf_get_current_pid_tgid();

	v = mix(v, bpf_ktime_get_ns());
	return fold((__u32)v);
}

char _license[] SEC("license") = "GPL";
