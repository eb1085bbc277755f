// SPDX-License-Identifier: GPL-2.0
/*
 * hello_map.bpf.c - count execve() calls per user in a hash map.
 *
 * Attached to the tracepoint syscalls/sys_enter_execve, each program runs
 * in the process that calls execve(), before the new program replaces it,
 * so bpf_get_current_uid_gid() names the user who runs it (low 32 bits:
 * uid, high 32 bits: gid).  User space reads the map every interval.
 *
 * The counts are exact.  A plain "read, add one, write back" (as Learning
 * eBPF's hello-map does) loses counts when two CPUs do it for the same user at once; here
 * the entry is created once with BPF_NOEXIST and then only ever increased
 * with an atomic add, which clang emits for __sync_fetch_and_add() as
 * BPF_STX | BPF_ATOMIC with BPF_ADD (the old BPF_XADD; llvm-objdump shows
 * "lock *(u64 *)(r1 + 0) += r2").
 */
#include "bpf_kern.h"
#include "hello_map_common.h"

/* hello_map: uid -> number of execve() calls. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HELLO_MAP_MAX_USERS);
	__type(key, __u32);
	__type(value, __u64);
} counter_table SEC(".maps");

/* hello_map --struct: uid -> { uid, gid, counter }. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HELLO_MAP_MAX_USERS);
	__type(key, __u32);
	__type(value, struct exec_record);
} counter_structs SEC(".maps");

/* execve() calls that found their map full. */
__u64 not_counted = 0;

/*
 * The entry for key, created from initial (its counter 0) if it does not
 * exist yet.  When two
 * CPUs create it at the same time, BPF_NOEXIST lets only the first one
 * write; the second one's update fails and its lookup finds the winner's
 * entry, so no count is overwritten.  NULL only when the map is full.
 */
static __attribute__((always_inline))
void *lookup_or_create(void *map, const __u32 *key, const void *initial)
{
	void *value = bpf_map_lookup_elem(map, key);

	if (value)
		return value;
	bpf_map_update_elem(map, key, initial, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_map(void *ctx)
{
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	__u64 zero = 0, *counter;

	(void)ctx;
	counter = lookup_or_create(&counter_table, &uid, &zero);
	if (!counter) {
		__sync_fetch_and_add(&not_counted, 1);
		return 0;
	}
	__sync_fetch_and_add(counter, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_struct(void *ctx)
{
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct exec_record fresh = { .uid = (__u32)uid_gid, .gid = (__u32)(uid_gid >> 32) };
	struct exec_record *rec;

	(void)ctx;
	rec = lookup_or_create(&counter_structs, &fresh.uid, &fresh);
	if (!rec) {
		__sync_fetch_and_add(&not_counted, 1);
		return 0;
	}
	rec->gid = fresh.gid;	/* a plain store: either racing writer's gid is right */
	__sync_fetch_and_add(&rec->counter, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
