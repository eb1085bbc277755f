// SPDX-License-Identifier: GPL-2.0
/*
 * read_trace.bpf.c - every read(): who, which fd, how much asked, how
 * much read.
 *
 * Like bpf-iotrace, this joins a system call's entry and its exit.  The
 * arguments exist only at entry (tracepoint syscalls/sys_enter_read), the
 * result only at exit (syscalls/sys_exit_read), and one thread is in at
 * most one system call at a time.  So:
 *
 *   read_enter   stores {fd, count} in a hash keyed by the thread id
 *   read_exit    looks the thread up, joins the entry with the return
 *                value, deletes the entry and sends {comm, pid, fd,
 *                count, ret} through a BPF_MAP_TYPE_RINGBUF
 *
 * Where the fields are.  A tracepoint program's context is the record
 * the tracepoint writes, laid out as its tracefs "format" file says.
 * Rather than compile in a struct copied from one kernel, user space
 * reads the format files (loader/tracepoint_format.c) and writes each
 * field's offset and size into .rodata before loading.  The verifier
 * lets a program read its context only at offsets written into the load
 * instruction itself, and an offset from .rodata is a value in a
 * register, so the fields are copied out with bpf_probe_read_kernel()
 * from ctx + offset: the record is kernel memory, and that helper may
 * read any of it.  (The other way, comparing the format with a struct
 * compiled in and refusing to run when they differ, costs no helper call
 * but fails on a kernel whose layout differs; this way adapts to it.)
 *
 * --pid sets target_pid, also in .rodata: the verifier sees its value as
 * a constant, and with 0 drops the filter from the program altogether.
 */
#include "bpf_kern.h"
#include "event_counts_common.h"
#include "read_trace_common.h"

/* Set by user space before loading; .rodata is frozen after. */
const volatile __u32 target_pid = 0;	/* 0: every process */
const volatile struct tp_field_loc fd_field = { 0 };	/* sys_enter_read's "fd" */
const volatile struct tp_field_loc count_field = { 0 };	/* sys_enter_read's "count" */
const volatile struct tp_field_loc ret_field = { 0 };	/* sys_exit_read's "ret" */

struct read_args {
	__u64 fd;
	__u64 count;
};

/* Reads in progress, by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct read_args);
} reads SEC(".maps");

/* User space may resize it before loading (--ringbuf-size). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EVENT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static inline __attribute__((always_inline)) void count(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);	/* atomic: exact whatever the scheduling */
}

/* The field at offset in the record at ctx, widened to 64 bits.  The
 * sizes are constants to the verifier, which keeps one branch. */
static inline __attribute__((always_inline))
__u64 read_field(const void *ctx, __u32 offset, __u32 size, __u32 is_signed)
{
	const char *at = (const char *)ctx + offset;

	if (size == 8) {
		__u64 v = 0;

		bpf_probe_read_kernel(&v, sizeof(v), at);
		return v;
	}
	if (size == 4) {
		__u32 v = 0;

		bpf_probe_read_kernel(&v, sizeof(v), at);
		return is_signed ? (__u64)(__s64)(__s32)v : v;
	}
	if (size == 2) {
		__u16 v = 0;

		bpf_probe_read_kernel(&v, sizeof(v), at);
		return is_signed ? (__u64)(__s64)(__s16)v : v;
	}
	if (size == 1) {
		__u8 v = 0;

		bpf_probe_read_kernel(&v, sizeof(v), at);
		return is_signed ? (__u64)(__s64)(__s8)v : v;
	}
	return 0;
}

#define READ_FIELD(ctx, loc) read_field(ctx, (loc).offset, (loc).size, (loc).is_signed)

static inline __attribute__((always_inline)) int wanted(__u64 pid_tgid)
{
	return !target_pid || (__u32)(pid_tgid >> 32) == target_pid;
}

SEC("tracepoint/syscalls/sys_enter_read")
int read_enter(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct read_args args;

	if (!wanted(id))
		return 0;
	args.fd = READ_FIELD(ctx, fd_field);
	args.count = READ_FIELD(ctx, count_field);
	bpf_map_update_elem(&reads, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int read_exit(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct read_args *args;
	struct read_event ev;

	if (!wanted(id))
		return 0;
	args = bpf_map_lookup_elem(&reads, &tid);
	if (!args)
		return 0;	/* the read began before we attached */
	/* copy out first: after the delete the element may be reused */
	ev.fd = (__u32)args->fd;
	ev.count = args->count;
	bpf_map_delete_elem(&reads, &tid);
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	ev.pid = (__u32)(id >> 32);
	ev.ret = (__s64)READ_FIELD(ctx, ret_field);

	count(EVENT_PRODUCED);
	if (bpf_ringbuf_output(&events, &ev, sizeof(ev), 0))	/* -EAGAIN: full */
		count(EVENT_LOST);
	return 0;
}

char _license[] SEC("license") = "GPL";
