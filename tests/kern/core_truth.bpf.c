// SPDX-License-Identifier: GPL-2.0
/*
 * core_truth.bpf.c - CO-RE reads of the kernel's structs through local
 * definitions that disagree with the kernel on purpose: members in
 * another order, flavored names ("___mine"), fields the kernel does not
 * have, fields of other sizes.  Written the way
 * libbpf users write it (vmlinux.h, BPF_CORE_READ); built once, it must
 * read the right values on every kernel the tests run on (this machine's
 * and the qemu guests', whose layouts differ).
 *
 * The program runs at every system call (raw_syscalls/sys_enter) and
 * records, for the one call user space makes (target_nr from
 * target_tgid), what it reads into `out`.  tests/kernel/ktest_core_relo.c
 * compares that with what user space knows: getpid(), getppid(),
 * prctl(PR_GET_NAME), /proc/self/stat, tracefs' format of the event, and
 * the uapi values of the enums.  Local field sizes differ from the
 * kernel's for task_struct.flags (8 bytes here, 4 there: read with
 * BPF_CORE_READ_BITFIELD_PROBED) and the context's args (4 here, 8 there:
 * the direct load is widened).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "core_truth.h"

/* Reordered and flavored; real_parent points at the same flavor. */
struct task_struct___mine {
	char comm[16];
	unsigned int sched_reset_on_fork:1;
	struct task_struct___mine *real_parent;
	union {				/* an anonymous union the kernel does not have */
		int tgid;
		unsigned int tgid_bits;
	};
	int pid;
	unsigned long flags;		/* unsigned int in the kernel */
	struct mm_struct___mine *mm;
	long missing_field;
} __attribute__((preserve_access_index));

/* The kernel keeps these inside an anonymous struct. */
struct mm_struct___mine {
	unsigned long env_end;
	unsigned long start_stack;
	unsigned long arg_start;
} __attribute__((preserve_access_index));

/* The kernel's trace_entry (the kernel writes a pt_regs pointer over it
 * before BPF programs run, so only its layout is of use). */
struct trace_entry___mine {
	int pid;
	unsigned int type;
} __attribute__((preserve_access_index));

/* args are unsigned long in the kernel: loads of them are widened */
struct trace_event_raw_sys_enter___mine {
	unsigned int args[6];
	long id;
	struct trace_entry___mine ent;
} __attribute__((preserve_access_index));

enum pid_type___mine {
	PIDTYPE_SID___mine = 100,
	PIDTYPE_TGID___mine = 200,
	PIDTYPE_NOT_IN_KERNEL___mine = 300,
};

enum perf_callchain_context___mine {
	PERF_CONTEXT_KERNEL___mine = 1,
};

struct no_such_kernel_type___mine {
	int x;
};

const volatile __u32 target_tgid = 0;
const volatile __s64 target_nr = -1;

struct core_truth out;

static __always_inline void read_task(struct task_struct___mine *t)
{
	struct mm_struct___mine *mm;

	out.pid = BPF_CORE_READ(t, pid);
	out.tgid = BPF_CORE_READ(t, tgid);
	out.ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_INTO(&out.comm, t, comm);
	bpf_core_read(&out.comm1, 1, &t->comm[1]);
	out.reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	/* 8 bytes here, 4 in the kernel: read with the kernel's size */
	out.flags = BPF_CORE_READ_BITFIELD_PROBED(t, flags);
	out.flags_size = bpf_core_field_size(t->flags);
	out.pid_exists = bpf_core_field_exists(t->pid);
	out.missing_exists = bpf_core_field_exists(t->missing_field);
	out.comm_size = bpf_core_field_size(t->comm);
	out.parent_size = bpf_core_field_size(t->real_parent);
	out.pid_signed = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
	out.flags_signed = __builtin_preserve_field_info(t->flags, BPF_FIELD_SIGNED);
	/* poisoned on every kernel, but never reached */
	if (bpf_core_field_exists(t->missing_field))
		out.guarded_missing = BPF_CORE_READ(t, missing_field);
	mm = BPF_CORE_READ(t, mm);
	out.arg_start = BPF_CORE_READ(mm, arg_start);
	out.env_end = BPF_CORE_READ(mm, env_end);
	out.start_stack = BPF_CORE_READ(mm, start_stack);
}

static __always_inline void read_context(struct trace_event_raw_sys_enter___mine *ctx)
{
	/* direct loads from the context: CO-RE patches their offsets, and
	 * the size of the load of args[0] */
	out.id = ctx->id;
	out.arg0 = ctx->args[0];
	out.args_offset = bpf_core_field_offset(ctx->args);
	out.args_size = bpf_core_field_size(ctx->args);
	out.id_offset = bpf_core_field_offset(ctx->id);
	out.ent_pid_offset = bpf_core_field_offset(ctx->ent.pid);
}

static __always_inline void read_types(void)
{
	out.trace_entry_size = bpf_core_type_size(struct trace_entry___mine);
	out.task_exists = bpf_core_type_exists(struct task_struct___mine);
	out.missing_type_exists = bpf_core_type_exists(struct no_such_kernel_type___mine);
	out.pidtype_tgid = bpf_core_enum_value(enum pid_type___mine, PIDTYPE_TGID___mine);
	out.pidtype_sid = bpf_core_enum_value(enum pid_type___mine, PIDTYPE_SID___mine);
	out.pidtype_missing_exists = bpf_core_enum_value_exists(enum pid_type___mine,
								 PIDTYPE_NOT_IN_KERNEL___mine);
	out.perf_context_kernel = bpf_core_enum_value(enum perf_callchain_context___mine,
						      PERF_CONTEXT_KERNEL___mine);
	out.local_type_id = bpf_core_type_id_local(struct task_struct___mine);
	out.kernel_type_id = bpf_core_type_id_kernel(struct task_struct___mine);
#if __clang_major__ >= 15
	out.type_matches = bpf_core_type_matches(struct trace_entry___mine);
	out.type_mismatches = bpf_core_type_matches(struct task_struct___mine);
#else
	out.type_matches = out.type_mismatches = ~0ull;	/* clang 14 has no BPF_TYPE_MATCHES */
#endif
}

SEC("tracepoint/raw_syscalls/sys_enter")
int core_truth(struct trace_event_raw_sys_enter___mine *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid || ctx->id != target_nr)
		return 0;
	read_task((struct task_struct___mine *)bpf_get_current_task());
	read_context(ctx);
	read_types();
	__sync_fetch_and_add(&out.hits, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
