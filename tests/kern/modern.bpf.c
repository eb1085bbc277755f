// SPDX-License-Identifier: GPL-2.0
/*
 * modern.bpf.c - an object written the way libbpf users write them
 * (<bpf/bpf_helpers.h>, maps in ".maps"), for the loader's tests of
 * BTF-defined maps (hash with struct key and value, per-CPU array, a map
 * of maps and a prog array with declared .values, a map pinned by name),
 * global data, bpf-to-bpf calls, a bpf_loop() callback, tail calls, and
 * the section names tp/, raw_tp/, kprobe/, fentry/ and tp_btf/.
 *
 * The tail call and the bpf_loop() callback are programs of their own
 * (jump_getppid, loop_getppid), so that the rest runs on older kernels:
 * a callback pointer (BPF_PSEUDO_FUNC) needs Linux 5.13 and bpf_loop()
 * 5.17, and a tail call from a program with bpf-to-bpf calls needs a JIT
 * that mixes them (Debian's 5.10 has one on x86_64, not on arm64).
 *
 * Everything counts only the process whose id user space writes into
 * target_tgid before loading.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#if defined(__TARGET_ARCH_x86)
#define GETPPID_NR 110
#elif defined(__TARGET_ARCH_arm64)
#define GETPPID_NR 173
#endif

struct call_key {
	__u32 tgid;
	__u32 kind;
};

struct call_stats {
	__u64 calls;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct call_key);
	__type(value, struct call_stats);
} stats_by_key SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} percpu_hits SEC(".maps");

struct inner_counter {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_counter);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

int tail_getppid(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&tail_getppid },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared_counts SEC(".maps");

const volatile __u32 target_tgid = 0;
__u64 tail_calls = 0;
__u64 raw_tp_calls = 0;
__u64 kprobe_calls = 0;
__u64 loop_sum = 0;

static __always_inline int is_target(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static int add_index(__u32 index, void *ctx)
{
	loop_sum += index;
	return 0;
}

__noinline int bump_stats(__u32 kind)
{
	struct call_key key = { .tgid = target_tgid, .kind = kind };
	struct call_stats *stats = bpf_map_lookup_elem(&stats_by_key, &key);
	struct call_stats first = { .calls = 1, .last_ns = bpf_ktime_get_ns() };

	if (!stats)
		return bpf_map_update_elem(&stats_by_key, &key, &first, BPF_NOEXIST);
	__sync_fetch_and_add(&stats->calls, 1);
	stats->last_ns = first.last_ns;
	return 0;
}

static __always_inline void bump_u64(void *map, __u32 key)
{
	__u64 one = 1, *value = bpf_map_lookup_elem(map, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
	else
		bpf_map_update_elem(map, &key, &one, BPF_NOEXIST);
}

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u32 zero = 0, second = 1;
	__u64 *hits = bpf_map_lookup_elem(&percpu_hits, &zero);
	void *inner = bpf_map_lookup_elem(&outer, &second);

	if (!is_target())
		return 0;
	bump_stats(1);
	if (hits)
		*hits += 1;
	if (inner)
		bump_u64(inner, 0);
	bump_u64(&shared_counts, 0);
	return 0;
}

/* Jumps to tail_getppid through the declared prog array. */
SEC("tp/syscalls/sys_enter_getppid")
int jump_getppid(void *ctx)
{
	if (is_target())
		bpf_tail_call(ctx, &jump_table, 1);
	return 0;
}

/* Adds 0 + 1 + 2 + 3 to loop_sum on each call, through a callback. */
SEC("tp/syscalls/sys_enter_getppid")
int loop_getppid(void *ctx)
{
	if (is_target())
		bpf_loop(4, add_index, NULL, 0);
	return 0;
}

/* Reached only through jump_table; tests attach jump_getppid, not this. */
SEC("tp/syscalls/sys_enter_getppid")
int tail_getppid(void *ctx)
{
	tail_calls++;
	return 0;
}

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (is_target() && ctx->args[1] == GETPPID_NR)
		raw_tp_calls++;
	return 0;
}

SEC("kprobe/do_sys_openat2")
int on_open(void *ctx)
{
	if (is_target())
		kprobe_calls++;
	return 0;
}

SEC("fentry/do_sys_openat2")
int on_open_fentry(__u64 *ctx)
{
	if (is_target())
		bump_stats(2);
	return 0;
}

SEC("tp_btf/sys_enter")
int on_sys_enter_btf(__u64 *ctx)
{
	if (is_target() && ctx[1] == GETPPID_NR)
		bump_stats(3);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
