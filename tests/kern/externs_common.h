/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * externs_common.h - what the extern test programs write into .bss, for
 * them and for tests/kernel/ktest_externs.c.  Fixed-size types only, so
 * both sides agree on the layout; pointers are stored as u64.
 */
#ifndef EXTERNS_COMMON_H
#define EXTERNS_COMMON_H

struct externs_seen {
	__u32 kernel_version;		/* LINUX_KERNEL_VERSION */
	__u8 has_cookie;		/* LINUX_HAS_BPF_COOKIE */
	__u8 has_wrapper;		/* LINUX_HAS_SYSCALL_WRAPPER */
	__u8 bpf_syscall;		/* bool CONFIG_BPF_SYSCALL */
	__s8 bpf_jit;			/* char CONFIG_BPF_JIT: 'y', 'm', 'n' */
	__s32 hz;			/* int CONFIG_HZ */
	__u32 blk_dev_loop;		/* enum libbpf_tristate CONFIG_BLK_DEV_LOOP */
	__u32 ikconfig;			/* enum libbpf_tristate CONFIG_IKCONFIG */
	__u16 nr_cpus;			/* __u16 CONFIG_NR_CPUS */
	__u16 pad;
	__s32 redboot_block;		/* int CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK (-1 in Debian) */
	__u64 illegal_pointer;		/* __u64 CONFIG_ILLEGAL_POINTER_VALUE (hex) */
	char hostname[16];		/* char[16] CONFIG_DEFAULT_HOSTNAME */
	char localversion[8];		/* char[8] CONFIG_LOCALVERSION: cut to 7 */
	__u8 no_such_option;		/* weak bool, not in any config: 0 */
	__u8 no_such_variable_exists;	/* weak typed ksym the kernel lacks */
	__u8 no_such_kfunc_exists;	/* weak kfunc the kernel lacks */
	__u8 kfunc_branch_ran;		/* the guarded call of it: never */
	__s32 future_linux;		/* weak LINUX_ name libbpf may add one day: 0 */
	__u32 pad2;
	__u64 schedule;			/* typeless ksym: a function */
	__u64 prog_active;		/* weak typeless ksym: a variable */
	__u64 no_such_symbol;		/* weak typeless ksym the kernel lacks */
};

struct typed_seen {
	__u64 addr;			/* &runqueues: the per-CPU symbol's address */
	__u64 this_rq;			/* bpf_this_cpu_ptr(&runqueues) */
	__u64 cpu_rq;			/* bpf_per_cpu_ptr(&runqueues, this CPU) */
	__u64 bad_rq;			/* bpf_per_cpu_ptr(&runqueues, no such CPU): 0 */
	__u32 cpu;
	__u32 ran;
};

struct kfunc_seen {
	__u64 found;			/* bpf_task_from_pid(target_pid) */
	__u64 current;			/* bpf_get_current_task_btf() */
	__u64 missing;			/* bpf_task_from_pid(-1): 0 */
	__u8 exists;			/* bpf_ksym_exists(bpf_task_from_pid) */
	__u8 ran;
};

#endif
