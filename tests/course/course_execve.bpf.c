// SPDX-License-Identifier: GPL-2.0
/*
 * course_execve.bpf.c - the course's first program, as it writes it:
 * #include "vmlinux.h" (here ours, from bpfload btf dump), libbpf's
 * <bpf/bpf_helpers.h>, and a counter of execve() calls in a map.
 *
 * Counted per process (tgid), so that a test can make a known number of
 * calls from one process while the rest of the system execs too.  The
 * tracepoint's context is the header's struct trace_event_raw_sys_enter:
 * the program keeps the system call number and the file name it saw, so
 * the test can check the header's layout against the kernel's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct execve_seen {
	u64 calls;
	long syscall_nr;	/* ctx->id: __NR_execve */
	char filename[32];	/* ctx->args[0], the path passed to execve */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct execve_seen);
} execve_by_tgid SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int count_execve(struct trace_event_raw_sys_enter *ctx)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct execve_seen fresh = {}, *seen;

	seen = bpf_map_lookup_elem(&execve_by_tgid, &tgid);
	if (!seen) {
		bpf_map_update_elem(&execve_by_tgid, &tgid, &fresh, BPF_NOEXIST);
		seen = bpf_map_lookup_elem(&execve_by_tgid, &tgid);
		if (!seen)
			return 0;
	}
	__sync_fetch_and_add(&seen->calls, 1);
	seen->syscall_nr = ctx->id;
	bpf_probe_read_user_str(seen->filename, sizeof(seen->filename), (const char *)ctx->args[0]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
