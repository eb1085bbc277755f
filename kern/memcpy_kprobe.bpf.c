// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy_kprobe.bpf.c - print a copy routine's size argument on every call.
 *
 * learn-bpf's memcpy_kprobe program: one bpf_trace_printk() line per call, read from
 * tracefs trace_pipe by user space.  The function name comes from the
 * config map, so that the line names the function actually probed.
 */
#include "bpf_kern.h"
#include "memcpy_common.h"

struct bpf_map_def SEC("maps") config = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct memcpy_config),
	.max_entries = 1,
};

SEC("kprobe/memcpy")
int memcpy_kprobe(struct pt_regs *ctx)
{
	/* No "\n": since Linux 5.10 the bpf_trace_printk trace event ends
	 * each line itself, and a newline here adds an empty one. */
	char fmt[] = "%s size %lu";
	__u32 zero = 0;
	struct memcpy_config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (!cfg || (cfg->only_if_arg && !bl_kprobe_arg(ctx, cfg->only_if_arg)))
		return 0;
	bpf_trace_printk(fmt, sizeof(fmt), cfg->func, bl_kprobe_arg(ctx, cfg->arg));
	return 0;
}

char _license[] SEC("license") = "GPL";
