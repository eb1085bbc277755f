// SPDX-License-Identifier: GPL-2.0
/*
 * profile.bpf.c - the smallest profiler: a perf_event program that counts
 * samples per CPU and per process.  `bpfload --freq 99 profile.bpf.o`
 * attaches it to the CPU clock of every CPU and prints both maps on exit;
 * ktest_bpfload checks that each CPU sampled and that both maps count
 * every sample.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} samples_by_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);	/* tgid; 0 for the idle task */
	__type(value, __u64);
} samples_by_tgid SEC(".maps");

SEC("perf_event")
int sample(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id(), tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 zero = 0, *n;

	n = bpf_map_lookup_elem(&samples_by_cpu, &cpu);
	if (n)
		__sync_fetch_and_add(n, 1);
	/* two CPUs may create the same process's entry at once (the idle
	 * tasks, tgid 0): create it empty, then add, so no sample is lost */
	n = bpf_map_lookup_elem(&samples_by_tgid, &tgid);
	if (!n) {
		bpf_map_update_elem(&samples_by_tgid, &tgid, &zero, BPF_NOEXIST);
		n = bpf_map_lookup_elem(&samples_by_tgid, &tgid);
	}
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}
