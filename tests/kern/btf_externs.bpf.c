// SPDX-License-Identifier: GPL-2.0
/*
 * btf_externs.bpf.c - what the kernel refuses in BTF as clang writes it,
 * and the loader must fix up before BPF_BTF_LOAD: extern variables
 * (libbpf's __kconfig and __ksym), extern kernel functions (kfuncs) in
 * the ".ksyms" DATASEC, a function-scope static ("count_calls.calls"),
 * a static and a hidden global, all at offsets clang leaves as zero.
 *
 * The tests only read and load its BTF; nothing here needs to run.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern __u64 CONFIG_HZ __kconfig __weak;
extern const int bpf_prog_active __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

static __u32 static_seen = 5;
__hidden __u64 hidden_total;
__u16 small_one = 3;

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_calls(void *ctx)
{
	static __u32 calls;
	__u64 addr = (__u64)&bpf_prog_active;

	calls++;
	static_seen++;
	hidden_total += small_one;
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	if (LINUX_KERNEL_VERSION < 0x050000 || !CONFIG_BPF_SYSCALL || CONFIG_HZ == 1)
		return 0;
	return (int)(addr >> 3) + calls;
}

char _license[] SEC("license") = "GPL";
