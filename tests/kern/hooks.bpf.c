// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.bpf.c - one program per BTF-typed or syscall hook, written as
 * libbpf users write them (vmlinux.h, BPF_PROG, BPF_KSYSCALL), for
 * ktest_hooks:
 *
 *   tp_btf/sys_enter               getppid() calls of the test process
 *   fentry/do_sys_openat2          its opens, with the flags they asked for
 *   fexit/do_sys_openat2           the same opens' results (the fds)
 *   fmod_ret/security_file_open    its opens refused with fmod_value
 *                                  while that is nonzero (fmod_ret may
 *                                  replace the result of security_*
 *                                  functions and error-injectable ones)
 *   ksyscall/getpgid, kretsyscall/getpgid   the system call's argument
 *                                  and result, through its arch wrapper
 *   lsm/file_open                  the test process's opens, as the LSM
 *                                  hook sees them
 *   iter/task                      a line "tgid tid" per thread of the
 *                                  test process
 *   iter/bpf_map                   a line "map ID" per map in the kernel
 *   fentry/virtblk_getgeo          a function of a module (virtio_blk):
 *                                  its HDIO_GETGEO ioctls on /dev/vda
 *   kprobe.multi, kretprobe.multi  getppid() calls, counted per function
 *     (glob "*sys_getppid")        address (bpf_get_func_ip), and results
 *   perf_event                     samples, counted per CPU
 *
 * Every program counts only the process whose tgid user space writes
 * into target_tgid before loading.  The counters are plain globals in
 * .bss, read back through the object's mmap'ed global data.
 */
#if defined(__TARGET_ARCH_x86)
#include "vmlinux.h"
#else
/* vmlinux.h here is x86-64's (this machine's BTF); arm64's pt_regs and
 * the one kernel struct used are declared as vmlinux.h would. */
#include <linux/bpf.h>
#include <linux/types.h>
#include "uprobe_regs.h"
typedef int pid_t;
struct open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
} __attribute__((preserve_access_index));
struct file;
struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));
struct task_struct {
	pid_t pid;
	pid_t tgid;
} __attribute__((preserve_access_index));
struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));
struct bpf_map {
	__u32 id;
} __attribute__((preserve_access_index));
struct bpf_iter__bpf_map {
	struct bpf_iter_meta *meta;
	struct bpf_map *map;
} __attribute__((preserve_access_index));
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define HOOKS_O_CLOEXEC 02000000	/* the same on x86-64 and arm64 */

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
const volatile long getppid_nr = -1;	/* __NR_getppid differs per arch */
__s32 fmod_value = 0;

__u64 tp_btf_hits = 0;
__u64 fentry_hits = 0, fentry_cloexec = 0;
__u64 fexit_hits = 0, fexit_fd_sum = 0;
__u64 fmod_calls = 0;
__u64 ksyscall_hits = 0, ksyscall_arg_sum = 0;
__u64 kretsyscall_hits = 0, kretsyscall_ret_sum = 0;
__u64 lsm_hits = 0;
__u64 module_fentry_hits = 0;
__u64 samples[256] = {};		/* perf_event: per CPU */

/* kprobe.multi/kretprobe.multi: per matched function (its address) */
struct ip_counts {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, __u64);
};
struct ip_counts multi_entries SEC(".maps");
struct ip_counts multi_returns SEC(".maps");
struct ip_counts multi_ret_sums SEC(".maps");

static __always_inline int is_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	if (is_target() && id == getppid_nr)
		__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("fentry/do_sys_openat2")
int BPF_PROG(on_openat2, int dfd, const char *filename, struct open_how *how)
{
	if (!is_target())
		return 0;
	__sync_fetch_and_add(&fentry_hits, 1);
	if (BPF_CORE_READ(how, flags) & HOOKS_O_CLOEXEC)
		__sync_fetch_and_add(&fentry_cloexec, 1);
	return 0;
}

SEC("fexit/do_sys_openat2")
int BPF_PROG(on_openat2_exit, int dfd, const char *filename, struct open_how *how, long ret)
{
	if (!is_target())
		return 0;
	__sync_fetch_and_add(&fexit_hits, 1);
	if (ret > 0)
		__sync_fetch_and_add(&fexit_fd_sum, ret);
	return 0;
}

/* A nonzero return replaces the function's result and skips its body;
 * ret is what earlier fmod_ret programs returned.  Every other process's
 * opens go on untouched. */
SEC("fmod_ret/security_file_open")
int BPF_PROG(on_modify_return, struct file *file, int ret)
{
	if (!is_target())
		return ret;
	__sync_fetch_and_add(&fmod_calls, 1);
	return ret ? ret : fmod_value;
}

SEC("ksyscall/getpgid")
int BPF_KSYSCALL(on_getpgid, pid_t pid)
{
	if (!is_target())
		return 0;
	__sync_fetch_and_add(&ksyscall_hits, 1);
	if (pid > 0)
		__sync_fetch_and_add(&ksyscall_arg_sum, pid);
	return 0;
}

SEC("kretsyscall/getpgid")
int BPF_KRETPROBE(on_getpgid_return, long ret)
{
	if (!is_target())
		return 0;
	__sync_fetch_and_add(&kretsyscall_hits, 1);
	if (ret > 0)
		__sync_fetch_and_add(&kretsyscall_ret_sum, ret);
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(on_file_open, struct file *file)
{
	if (is_target())
		__sync_fetch_and_add(&lsm_hits, 1);
	return 0;
}

/* An iterator program runs once per object and once more with NULL at
 * the end of the walk. */
SEC("iter/task")
int list_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (task && task->tgid == target_tgid)
		BPF_SEQ_PRINTF(ctx->meta->seq, "%d %d\n", task->tgid, task->pid);
	return 0;
}

SEC("iter/bpf_map")
int list_maps(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map *map = ctx->map;

	if (map)
		BPF_SEQ_PRINTF(ctx->meta->seq, "map %u\n", map->id);
	return 0;
}

static __always_inline void add_at(void *map, __u64 key, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(map, &key);

	if (v)
		__sync_fetch_and_add(v, n);
	else
		bpf_map_update_elem(map, &key, &n, BPF_NOEXIST);
}

/* A module's function: the loader finds it in the module's BTF
 * (/sys/kernel/btf/virtio_blk, Linux 5.11) and names that BTF object
 * (attach_btf_obj_fd) when it loads the program. */
SEC("fentry/virtblk_getgeo")
int BPF_PROG(on_virtblk_getgeo)
{
	if (is_target())
		__sync_fetch_and_add(&module_fentry_hits, 1);
	return 0;
}

/* Whatever names the glob matches in available_filter_functions (the
 * arch's __x64_sys_getppid or __arm64_sys_getppid, an alias of them),
 * each function the call passes through counts once per call. */
SEC("kprobe.multi/*sys_getppid")
int on_getppid_multi(struct pt_regs *ctx)
{
	if (is_target())
		add_at(&multi_entries, bpf_get_func_ip(ctx), 1);
	return 0;
}

SEC("kretprobe.multi/*sys_getppid")
int BPF_KRETPROBE(on_getppid_multi_return, long ret)
{
	if (!is_target())
		return 0;
	add_at(&multi_returns, bpf_get_func_ip(ctx), 1);
	add_at(&multi_ret_sums, bpf_get_func_ip(ctx), (__u64)ret);
	return 0;
}

/* A sample of the CPU clock on the CPU it fires on, whatever runs there. */
SEC("perf_event")
int on_sample(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (cpu < sizeof(samples) / sizeof(samples[0]))
		__sync_fetch_and_add(&samples[cpu], 1);
	return 0;
}
