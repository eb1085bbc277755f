// SPDX-License-Identifier: GPL-2.0
/*
 * externs_typed.bpf.c - a typed __ksym: the kernel's per-CPU run queues,
 * declared with their type from vmlinux.h, reached with
 * bpf_this_cpu_ptr() and bpf_per_cpu_ptr().  Only pointers are compared
 * and stored (never struct rq's fields), so nothing depends on the
 * layout of struct rq in the kernel this was compiled against.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "externs_common.h"

extern struct rq runqueues __ksym;

struct typed_seen typed;

SEC("raw_tp")
int read_runqueues(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();

	typed.addr = (__u64)&runqueues;
	typed.this_rq = (__u64)bpf_this_cpu_ptr(&runqueues);
	typed.cpu_rq = (__u64)bpf_per_cpu_ptr(&runqueues, cpu);
	typed.bad_rq = (__u64)bpf_per_cpu_ptr(&runqueues, 1000000);
	typed.cpu = cpu;
	typed.ran = 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
