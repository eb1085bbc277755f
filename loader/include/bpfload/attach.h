/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/attach.h - hooking a loaded program to a kernel event, and
 * unhooking it.
 *
 * A struct bl_attachment is one attachment.  bl_attachment_destroy()
 * undoes it completely: the BPF link and the perf event are closed (which detaches
 * the program) and a kprobe event created through tracefs is removed.
 *
 * Perf-event attachments (kprobes, tracepoints) use a BPF link
 * (BPF_LINK_CREATE, Linux 5.15) where the kernel has it, so that
 * bpftool shows them; older kernels get PERF_EVENT_IOC_SET_BPF.
 */
#ifndef BPFLOAD_ATTACH_H
#define BPFLOAD_ATTACH_H

#include <stddef.h>

#include <bpfload/error.h>
#include <bpfload/object.h>

struct bl_attachment;

struct bl_attach_opts {
	int force_legacy_kprobe;	/* use tracefs kprobe_events even with the PMU */
	unsigned int perf_freq;		/* perf_event sections: samples per second on
					 * each CPU; 0: BL_PERF_DEFAULT_FREQ */
};

/* How often a perf_event section's program runs on each CPU by default:
 * 49 Hz, as profilers pick, an odd rate that does not march in step with
 * the kernel's own timers. */
#define BL_PERF_DEFAULT_FREQ 49

/* Attach a kprobe program to func (retprobe: on return). */
struct bl_attachment *bl_attach_kprobe(const struct bl_program *prog, const char *func,
				 int retprobe, const struct bl_attach_opts *opts,
				 struct bl_err *err);

/* Attach a kprobe program loaded from a kprobe.multi/ or kretprobe.multi/
 * section to every function glob matches ('*', '?', '[...]') among
 * tracefs's available_filter_functions, through one kprobe_multi link
 * (Linux 5.18 with CONFIG_FPROBE). */
struct bl_attachment *bl_attach_kprobe_multi(const struct bl_program *prog, const char *glob,
				       int retprobe, struct bl_err *err);

struct perf_event_attr;

/* Attach a perf_event program to a perf event opened with attr for pid
 * (-1: every process) on cpu (-1: every CPU, needs pid >= 0), as
 * perf_event_open(2) takes them: the program runs on each sample or
 * overflow, e.g. attr->freq and attr->sample_freq for a sampling rate. */
struct bl_attachment *bl_attach_perf_event(const struct bl_program *prog,
				     const struct perf_event_attr *attr, int pid, int cpu,
				     struct bl_err *err);

/* The same on every online CPU, all processes: one perf event per CPU,
 * all of them undone by one bl_attachment_destroy().  A "perf_event"
 * section gets this with a software CPU clock at opts->perf_freq. */
struct bl_attachment *bl_attach_perf_event_cpus(const struct bl_program *prog,
					  const struct perf_event_attr *attr, struct bl_err *err);

/* Attach a tracepoint program to category/name. */
struct bl_attachment *bl_attach_tracepoint(const struct bl_program *prog, const char *category,
				     const char *name, struct bl_err *err);

/* Attach a kprobe program to system call name ("openat"): a kprobe on
 * the function it enters through (__x64_sys_openat, __arm64_sys_openat,
 * or sys_openat on kernels without syscall wrappers), as the sections
 * ksyscall/NAME and kretsyscall/NAME do. */
struct bl_attachment *bl_attach_ksyscall(const struct bl_program *prog, const char *name,
				   int retprobe, const struct bl_attach_opts *opts,
				   struct bl_err *err);

/* Attach an fentry/, fexit/, fmod_ret/, tp_btf/ or lsm/ program to the
 * hook its load named (through a BPF link: Linux 5.5, lsm 5.7). */
struct bl_attachment *bl_attach_tracing(const struct bl_program *prog, struct bl_err *err);

/* An iter/ program's BPF link (Linux 5.8): map_fd is the map whose
 * elements an iter/bpf_map_elem program walks, -1 for the iterators over
 * every object of a kind (iter/task, iter/bpf_map, ...). */
struct bl_attachment *bl_attach_iter(const struct bl_program *prog, int map_fd, struct bl_err *err);

/* One walk of the iterator: a new file descriptor (BPF_ITER_CREATE) to
 * read(2) until it returns 0, then close; what the program printed with
 * bpf_seq_printf().  Returns the fd or -errno. */
int bl_iter_open(const struct bl_attachment *att, struct bl_err *err);

/* Attach a raw tracepoint program to tracepoint name ("sys_enter"). */
struct bl_attachment *bl_attach_raw_tracepoint(const struct bl_program *prog, const char *name,
					 struct bl_err *err);

/* Attach where the program's section name says ("kprobe/FUNC",
 * "tracepoint/CAT/NAME", ...).  opts may be NULL. */
struct bl_attachment *bl_program_attach(const struct bl_program *prog,
				  const struct bl_attach_opts *opts, struct bl_err *err);

/* Detach and free (NULL is fine); returns 0 or the error removing a
 * tracefs kprobe event, which is then left in the kernel. */
int bl_attachment_destroy(struct bl_attachment *link, struct bl_err *err);

/* Remove the tracefs kprobe and uprobe events that a loader of ours made
 * (their names carry its pid) and whose process no longer exists: what a
 * run killed with SIGKILL leaves behind.  Returns how many, naming them in
 * removed, or -errno.  Reads nothing, and removes nothing, where tracefs
 * is not mounted.  The tools call it when they start as root. */
int bl_remove_stale_probes(char *removed, size_t size, struct bl_err *err);

/* Whether this kernel has kprobes at all (CONFIG_KPROBES, KPROBE_EVENTS). */
int bl_kprobes_available(void);

/* Why the kernel refused a kprobe on func with errno code: not root, no
 * kprobes, not a kernel symbol, on the kprobe blacklist, notrace. */
void bl_kprobe_explain(const char *func, int code, char *why, size_t size);

#endif
