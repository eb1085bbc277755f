// SPDX-License-Identifier: GPL-2.0
/*
 * externs_bad_type.bpf.c - a __kconfig extern of a type no kernel config
 * value can have (a struct): the loader must refuse it at open, naming
 * the extern and its type.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct two { int a, b; };
extern struct two CONFIG_BPF_SYSCALL __kconfig;

__u64 out;

SEC("syscall")
int read_it(void *ctx)
{
	out = CONFIG_BPF_SYSCALL.a;
	return 0;
}

char _license[] SEC("license") = "GPL";
