/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/uprobe.h - programs on user-space code: uprobes and
 * uretprobes, uprobe_multi links, and USDT probes.
 *
 * A binary is named by a path, a library name found as the dynamic
 * loader finds it ("libc.so.6": LD_LIBRARY_PATH, /etc/ld.so.cache, the
 * default directories), or a program on $PATH ("bash"); with a process
 * id, by what that process has mapped.  A function is found in the
 * file's .symtab, then .dynsym, and placed through its PT_LOAD segments,
 * so PIE executables and shared libraries work as non-PIE ones do.
 *
 * Every attachment is undone by bl_attachment_destroy() (<bpfload/attach.h>):
 * its BPF links and perf events closed, tracefs uprobe events removed,
 * USDT specs taken out of the program's maps, and with them the
 * semaphores the kernel raised in the traced processes.
 *
 * Kernel versions: uprobe PMU 4.17 (else tracefs uprobe_events),
 * semaphores 4.20, BPF links and cookies for perf events 5.15 (else
 * PERF_EVENT_IOC_SET_BPF, without cookies), sleepable uprobes 6.0,
 * uprobe_multi links 6.6.
 */
#ifndef BPFLOAD_UPROBE_H
#define BPFLOAD_UPROBE_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/attach.h>
#include <bpfload/error.h>
#include <bpfload/object.h>

#define BL_BINARY_PATH_MAX 4096

/* Whether this kernel has uprobes at all (CONFIG_UPROBE_EVENTS). */
int bl_uprobes_available(void);

/* Which file name means (see above) into out[BL_BINARY_PATH_MAX]; pid 0:
 * no process to look at. */
int bl_binary_path(const char *name, int pid, char *out, struct bl_err *err);

struct bl_uprobe_opts {
	int pid;		/* only this process; 0: every process */
	uint64_t ref_ctr_offset;	/* file offset of a USDT semaphore, or 0 */
	uint64_t cookie;	/* for bpf_get_attach_cookie(); needs a BPF link (5.15) */
	int force_tracefs;	/* tracefs uprobe_events even where the PMU exists */
	int force_ioctl;	/* PERF_EVENT_IOC_SET_BPF even where BPF links exist */
};

/* Attach a kprobe-type program (SEC("uprobe"), "uretprobe", "uprobe.s",
 * ...) to binary at func + offset, or at file offset `offset` when func
 * is NULL or "".  retprobe: on return from func (offset must be 0).
 * opts may be NULL.  BPFLOAD_LEGACY_UPROBES=1 in the environment forces
 * tracefs, as BPFLOAD_LEGACY_KPROBES does for kprobes. */
struct bl_attachment *bl_attach_uprobe(const struct bl_program *prog, const char *binary,
				       const char *func, uint64_t offset, int retprobe,
				       const struct bl_uprobe_opts *opts, struct bl_err *err);

struct bl_uprobe_multi_opts {
	int pid;			/* only this process; 0: every process */
	int retprobe;			/* on return instead of entry */
	const char *const *funcs;	/* func_cnt names, instead of a pattern */
	size_t func_cnt;
	const uint64_t *cookies;	/* one per name of funcs, or NULL */
};

/* Attach a program loaded for uprobe_multi links (SEC("uprobe.multi"))
 * to every function of binary whose name matches the glob pattern
 * (fnmatch(3)), or to opts->funcs when pattern is NULL, with one link
 * (Linux 6.6).  Aliases (names of one address) are probed once. */
struct bl_attachment *bl_attach_uprobe_multi(const struct bl_program *prog, const char *binary,
					     const char *pattern,
					     const struct bl_uprobe_multi_opts *opts,
					     struct bl_err *err);

struct bl_usdt_opts {
	int pid;		/* only this process; 0: every process */
	uint64_t cookie;	/* what bpf_usdt_cookie() returns */
	int force_tracefs;	/* uprobes through tracefs uprobe_events */
	int force_ioctl;	/* PERF_EVENT_IOC_SET_BPF: no links, so no cookies */
};

/* Attach a kprobe-type program (SEC("usdt")) to every place of USDT probe
 * provider:name in binary, its argument specs where libbpf's
 * <bpf/usdt.bpf.h> reads them.  opts may be NULL. */
struct bl_attachment *bl_attach_usdt(const struct bl_program *prog, const char *binary,
				     const char *provider, const char *name,
				     const struct bl_usdt_opts *opts, struct bl_err *err);

#endif
