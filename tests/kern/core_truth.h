/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core_truth.h - what core_truth.bpf.c reads about the process that makes
 * the traced system call, shared with the test that checks it
 * (tests/kernel/ktest_core_relo.c).
 */
#ifndef CORE_TRUTH_H
#define CORE_TRUTH_H

struct core_truth {
	__u64 hits;
	/* task_struct, through a reordered, flavored local definition */
	__s32 pid, tgid, ppid;
	char comm[16];
	char comm1;			/* comm[1]: an array element */
	__u32 reset_on_fork;		/* a 1-bit bitfield */
	__u64 flags, flags_size;	/* unsigned int in the kernel, 8 bytes here */
	__u64 pid_exists, missing_exists;
	__u64 comm_size, parent_size, pid_signed, flags_signed;
	/* mm_struct: the kernel nests these in an anonymous struct */
	__u64 arg_start, env_end, start_stack;
	/* the tracepoint's context (id and args[0] are direct loads) */
	__s64 id;
	__u64 arg0;
	__u32 ent_pid, ent_type;	/* ent.type is 2 bytes in the kernel, 4 here */
	__u64 args_offset, args_size, id_offset, ent_pid_offset;
	/* types and enums */
	__u64 trace_entry_size;
	__u64 task_exists, missing_type_exists;
	__u64 pidtype_tgid, pidtype_sid, pidtype_missing_exists;
	__s64 perf_context_kernel;	/* an ENUM64 in recent kernels' BTF */
	__u64 local_type_id, kernel_type_id;
	__u64 type_matches, type_mismatches;	/* ~0 when clang cannot emit them */
	__u64 guarded_missing;		/* a poisoned read behind an exists check */
};

#endif
