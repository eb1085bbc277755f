// SPDX-License-Identifier: GPL-2.0
/*
 * probes.bpf.c - kernel-test programs: a kprobe and a kretprobe counting
 * one process's calls of do_sys_openat2, and two tracepoint programs in
 * one section (counting, and printing a token to trace_pipe) for
 * getppid().  User space writes the process id to watch into target_tgid.
 */
#include "bpf_kern.h"

struct bpf_map_def SEC("maps") target_tgid = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 1,
};

/* Slot 0: kprobe hits, 1: kretprobe hits, 2: getppid tracepoint hits. */
struct bpf_map_def SEC("maps") hits = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

/* The number print_getppid prints, so a test can find its own line. */
struct bpf_map_def SEC("maps") token = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

static inline __attribute__((always_inline)) int is_target(void)
{
	__u32 zero = 0;
	__u32 *tgid = bpf_map_lookup_elem(&target_tgid, &zero);

	return tgid && *tgid == (__u32)(bpf_get_current_pid_tgid() >> 32);
}

static inline __attribute__((always_inline)) void bump(__u32 slot)
{
	__u64 *count = bpf_map_lookup_elem(&hits, &slot);

	if (count)
		__sync_fetch_and_add(count, 1);
}

SEC("kprobe/do_sys_openat2")
int count_open_entry(struct pt_regs *ctx)
{
	if (is_target())
		bump(0);
	return 0;
}

SEC("kretprobe/do_sys_openat2")
int count_open_return(struct pt_regs *ctx)
{
	if (is_target())
		bump(1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	if (is_target())
		bump(2);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int print_getppid(void *ctx)
{
	char fmt[] = "bl-test-token %llu\n";
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&token, &zero);

	if (value && *value && is_target())
		bpf_trace_printk(fmt, sizeof(fmt), *value);
	return 0;
}

char _license[] SEC("license") = "GPL";
