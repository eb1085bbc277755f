// SPDX-License-Identifier: GPL-2.0
/*
 * externs_bad_size.bpf.c - __kconfig externs of 2 MiB in all, past the
 * loader's MAX_KCONFIG_SIZE (1 MiB; a kernel configuration's strings are
 * short): the loader must refuse it at open, saying how many bytes.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

extern char CONFIG_BL_TEST_HUGE[2 << 20] __kconfig __weak;

__u64 out;

SEC("syscall")
int read_it(void *ctx)
{
	out = CONFIG_BL_TEST_HUGE[0];
	return 0;
}

char _license[] SEC("license") = "GPL";
