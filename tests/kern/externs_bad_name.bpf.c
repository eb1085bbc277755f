// SPDX-License-Identifier: GPL-2.0
/*
 * externs_bad_name.bpf.c - a strong __kconfig extern that is neither a
 * CONFIG_ option nor one of the LINUX_ values libbpf defines: refused at
 * open, by name.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

extern int LINUX_NO_SUCH_VALUE __kconfig;

__u64 out;

SEC("syscall")
int read_it(void *ctx)
{
	out = LINUX_NO_SUCH_VALUE;
	return 0;
}

char _license[] SEC("license") = "GPL";
