// SPDX-License-Identifier: GPL-2.0
/*
 * btf_types.bpf.c - a program written the way libbpf users write them, so
 * that clang emits every BTF kind it knows: BTF-defined maps in ".maps",
 * global variables in .data, .rodata and .bss (a static one among them),
 * structs with bitfields, a union, arrays, enums, a typedef, a forward
 * declaration, const/volatile/restrict, float and double, a decl tag, a
 * type tag, a static and a global subprogram besides the two programs,
 * and CO-RE reads of a kernel struct (so .BTF.ext has core_relo records).
 *
 * The tests only read and load its BTF; nothing here needs to run.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef __u32 pid_key_t;

enum slot {
	SLOT_ENTRY,
	SLOT_RETURN = 5,
	SLOT_NEGATIVE = -3,
};

struct opaque_thing;	/* never defined: a FWD */

struct sample {
	__u64 when;
	__u32 pid;
	unsigned int flags : 3;
	unsigned int level : 5;
	union {
		__u32 as_u32;
		__u8 bytes[4];
	} u;
	char comm[16];
	__u64 matrix[2][3];
	struct opaque_thing *later;
	float ratio;
	double scale;
	enum slot slot;
	const volatile __u64 *cv;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, pid_key_t);
	__type(value, struct sample);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* .rodata: set by user space before loading */
const volatile __u32 target_pid = 0;
const volatile char banner[12] = "btf-types";

/* .data */
__u64 events_seen = 1;
int tagged_total __attribute__((btf_decl_tag("bl_tag"))) = 7;

/* .bss */
struct sample last_sample;
static __u64 static_counter;
int *restrict restricted_ptr;
int __attribute__((btf_type_tag("bl_user"))) *user_ptr;

/* The kernel's struct, as much of it as we read; "___bl" is a CO-RE
 * flavour suffix that relocation ignores when matching names. */
struct task_struct___bl {
	int pid;
	int tgid;
	struct task_struct___bl *real_parent;
} __attribute__((preserve_access_index));

static __noinline int fill_sample(struct sample *s, pid_key_t pid)
{
	s->pid = pid;
	s->when = bpf_ktime_get_ns();
	s->slot = pid & 1 ? SLOT_RETURN : SLOT_NEGATIVE;
	s->level = 3;
	static_counter++;
	return s->slot;
}

__noinline int count_slot(__u32 slot)
{
	__u64 *value;

	value = bpf_map_lookup_elem(&counters, &slot);
	if (!value)
		return 0;
	__sync_fetch_and_add(value, 1);
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	pid_key_t pid = bpf_get_current_pid_tgid() >> 32;
	struct sample *s;

	if (target_pid && pid != target_pid)
		return 0;
	s = bpf_map_lookup_elem(&samples, &pid);
	if (!s) {
		bpf_map_update_elem(&samples, &pid, &last_sample, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&samples, &pid);
		if (!s)
			return 0;
	}
	fill_sample(s, pid);
	events_seen++;
	return count_slot(SLOT_ENTRY);
}

SEC("kprobe/do_sys_openat2")
int on_open(void *ctx)
{
	struct task_struct___bl *task = (void *)bpf_get_current_task();

	if (restricted_ptr || user_ptr)
		return 1;
	if (bpf_core_field_exists(task->tgid) &&
	    BPF_CORE_READ(task, real_parent, tgid) == (int)target_pid)
		return 2;
	tagged_total += banner[0];
	return count_slot(SLOT_RETURN);
}

char _license[] SEC("license") = "GPL";
