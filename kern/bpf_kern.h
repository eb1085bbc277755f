/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpf_kern.h - the little that our BPF C programs need, without libbpf.
 *
 * Helpers are called through function pointers whose "address" is the
 * helper's number in enum bpf_func_id: clang turns such a call into
 * "call N", which is exactly what the verifier expects.
 */
#ifndef BPF_KERN_H
#define BPF_KERN_H

#include <linux/bpf.h>
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

/*
 * BTF-defined maps, the convention libbpf introduced: a global variable in
 * section ".maps" whose struct type spells the attributes in its members'
 * types (loader/btf_maps.c reads them back):
 *
 *   struct {
 *           __uint(type, BPF_MAP_TYPE_HASH);
 *           __uint(max_entries, 1024);
 *           __type(key, __u32);
 *           __type(value, __u64);
 *   } counts SEC(".maps");
 */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]

enum { BL_PIN_NONE, BL_PIN_BY_NAME };	/* values of __uint(pinning, ...) */

/* A legacy map definition, read by loader/object.c from section "maps". */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

static void *(*bpf_map_lookup_elem)(const void *map, const void *key) =
	(void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_map_update_elem)(const void *map, const void *key,
				   const void *value, __u64 flags) =
	(void *)BPF_FUNC_map_update_elem;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) =
	(void *)BPF_FUNC_trace_printk;
static __u64 (*bpf_get_current_pid_tgid)(void) =
	(void *)BPF_FUNC_get_current_pid_tgid;
static __u64 (*bpf_get_current_uid_gid)(void) =
	(void *)BPF_FUNC_get_current_uid_gid;
static long (*bpf_get_current_comm)(void *buf, __u32 size) =
	(void *)BPF_FUNC_get_current_comm;
static __u64 (*bpf_ktime_get_ns)(void) =
	(void *)BPF_FUNC_ktime_get_ns;
static __u32 (*bpf_get_smp_processor_id)(void) =
	(void *)BPF_FUNC_get_smp_processor_id;
static long (*bpf_tail_call)(void *ctx, void *prog_array, __u32 index) =
	(void *)BPF_FUNC_tail_call;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_user;
static long (*bpf_map_delete_elem)(const void *map, const void *key) =
	(void *)BPF_FUNC_map_delete_elem;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_kernel;
static long (*bpf_perf_event_output)(void *ctx, const void *map, __u64 flags,
				     const void *data, __u64 size) =
	(void *)BPF_FUNC_perf_event_output;
static long (*bpf_ringbuf_output)(const void *ringbuf, const void *data,
				  __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_output;
static void *(*bpf_ringbuf_reserve)(const void *ringbuf, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_reserve;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_submit;
static void (*bpf_ringbuf_discard)(void *data, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_discard;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_user_str;

/* A volatile read of a context field: clang must emit exactly this load,
 * at this constant offset (see bl_kprobe_arg). */
#define BL_CTX_READ(field) (*(volatile const unsigned long *)&(field))

/*
 * Function arguments in a kprobe's context, which is the CPU's saved
 * registers (struct pt_regs).  The layout differs per architecture, so
 * the Makefile defines __TARGET_ARCH_<arch> for the kernel we build for.
 */
#if defined(__TARGET_ARCH_x86)
/* arch/x86/include/uapi/asm/ptrace.h, x86_64: 21 saved registers, the
 * System V argument registers are di, si, dx, cx, r8, r9. */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#define BL_ARG1(r) BL_CTX_READ((r)->di)
#define BL_ARG2(r) BL_CTX_READ((r)->si)
#define BL_ARG3(r) BL_CTX_READ((r)->dx)
#define BL_ARG4(r) BL_CTX_READ((r)->cx)
#define BL_ARG5(r) BL_CTX_READ((r)->r8)
#define BL_ARG6(r) BL_CTX_READ((r)->r9)
#elif defined(__TARGET_ARCH_arm64)
/* arch/arm64/include/uapi/asm/ptrace.h (struct user_pt_regs): the
 * AAPCS64 argument registers are x0..x7. */
struct pt_regs {
	unsigned long regs[31];
	unsigned long sp, pc, pstate;
};
#define BL_ARG1(r) BL_CTX_READ((r)->regs[0])
#define BL_ARG2(r) BL_CTX_READ((r)->regs[1])
#define BL_ARG3(r) BL_CTX_READ((r)->regs[2])
#define BL_ARG4(r) BL_CTX_READ((r)->regs[3])
#define BL_ARG5(r) BL_CTX_READ((r)->regs[4])
#define BL_ARG6(r) BL_CTX_READ((r)->regs[5])
#else
#error "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64 (the Makefile does)"
#endif

/*
 * Argument n (1..6) of the probed function; 0 for any other n.
 *
 * The verifier allows context reads only through the unmodified context
 * pointer at a constant offset.  A switch over six field reads lets clang
 * merge them into "ctx += offset; load", which the verifier rejects
 * ("dereference of modified ctx ptr"), so all six are read first, as
 * volatile loads clang may not move, and only the values are chosen.
 */
static inline __attribute__((always_inline))
unsigned long bl_kprobe_arg(const struct pt_regs *ctx, __u32 n)
{
	unsigned long a1 = BL_ARG1(ctx), a2 = BL_ARG2(ctx), a3 = BL_ARG3(ctx);
	unsigned long a4 = BL_ARG4(ctx), a5 = BL_ARG5(ctx), a6 = BL_ARG6(ctx);

	switch (n) {
	case 1: return a1;
	case 2: return a2;
	case 3: return a3;
	case 4: return a4;
	case 5: return a5;
	case 6: return a6;
	default: return 0;
	}
}

#endif
