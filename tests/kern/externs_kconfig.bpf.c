// SPDX-License-Identifier: GPL-2.0
/*
 * externs_kconfig.bpf.c - __kconfig externs of each type libbpf allows,
 * typeless __ksym addresses, and __weak externs the kernel lacks, as
 * libbpf users write them.  read_externs (a bare raw_tp program, which
 * BPF_PROG_TEST_RUN runs on every kernel of the matrix: syscall programs
 * need 5.14, raw tracepoints 5.10)
 * copies every one into .bss; tests/kernel/ktest_externs.c compares them
 * with the kernel's config file, uname and /proc/kallsyms.
 * call_unguarded calls a missing weak kfunc without bpf_ksym_exists():
 * the verifier must refuse it, and the loader name the function.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

#include "externs_common.h"

#ifndef bpf_ksym_exists	/* libbpf 1.2 has it; Debian 12 has 1.1 */
#define bpf_ksym_exists(sym) (!!(sym))
#endif

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern int LINUX_BL_FUTURE_VALUE __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_HZ __kconfig;
extern enum libbpf_tristate CONFIG_BLK_DEV_LOOP __kconfig __weak;
extern enum libbpf_tristate CONFIG_IKCONFIG __kconfig __weak;
extern char CONFIG_BPF_JIT __kconfig __weak;
extern __u16 CONFIG_NR_CPUS __kconfig __weak;
extern int CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK __kconfig __weak;
extern __u64 CONFIG_ILLEGAL_POINTER_VALUE __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern char CONFIG_LOCALVERSION[8] __kconfig __weak;
extern bool CONFIG_BL_NO_SUCH_OPTION __kconfig __weak;

extern const void schedule __ksym;		/* functions are always in kallsyms */
extern const void bpf_prog_active __ksym __weak;	/* variables need CONFIG_KALLSYMS_ALL */
extern const void bl_no_such_symbol __ksym __weak;
extern const int bl_no_such_variable __ksym __weak;
extern void bl_no_such_kfunc(void) __ksym __weak;

struct externs_seen seen;

SEC("raw_tp")
int read_externs(void *ctx)
{
	seen.kernel_version = LINUX_KERNEL_VERSION;
	seen.has_cookie = LINUX_HAS_BPF_COOKIE;
	seen.has_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	seen.future_linux = LINUX_BL_FUTURE_VALUE;
	seen.bpf_syscall = CONFIG_BPF_SYSCALL;
	seen.bpf_jit = CONFIG_BPF_JIT;
	seen.hz = CONFIG_HZ;
	seen.blk_dev_loop = CONFIG_BLK_DEV_LOOP;
	seen.ikconfig = CONFIG_IKCONFIG;
	seen.nr_cpus = CONFIG_NR_CPUS;
	seen.redboot_block = CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK;
	seen.illegal_pointer = CONFIG_ILLEGAL_POINTER_VALUE;
	__builtin_memcpy(seen.hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(seen.hostname));
	__builtin_memcpy(seen.localversion, CONFIG_LOCALVERSION, sizeof(seen.localversion));
	seen.no_such_option = CONFIG_BL_NO_SUCH_OPTION;

	seen.schedule = (__u64)&schedule;
	seen.prog_active = (__u64)&bpf_prog_active;
	seen.no_such_symbol = (__u64)&bl_no_such_symbol;
	seen.no_such_variable_exists = bpf_ksym_exists(&bl_no_such_variable);
	seen.no_such_kfunc_exists = bpf_ksym_exists(bl_no_such_kfunc);
	if (bpf_ksym_exists(bl_no_such_kfunc)) {
		bl_no_such_kfunc();	/* dead code: the verifier never looks at it */
		seen.kfunc_branch_ran = 1;
	}
	return 0;
}

SEC("raw_tp")
int call_unguarded(void *ctx)
{
	bl_no_such_kfunc();
	return 0;
}

char _license[] SEC("license") = "GPL";
