/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/trace.h - narration: every kernel call the loader makes, one
 * line each, handed to a function the tool provides, in order and
 * grouped by the phase that made it (open, load, attach, read, detach).
 *
 *   [load] bpf(BPF_MAP_CREATE, type=percpu_array name=size_hist key=4 ...) = 5
 *   [load] insn 7 of memcpy_stat: ld_imm64 r1 = map size_hist (BPF_PSEUDO_MAP_FD 5)
 *   [attach] perf_event_open(type=kprobe(6) config1="__check_object_size" ...) = 7
 *
 * The README's "Watching the loader work" shows a whole run and lists
 * the fields of each line.  What is narrated:
 *   bpf(2)            every command, its attributes decoded from the
 *                     union bpf_attr the kernel was given, and the result:
 *                     the fd or value, or the errno's name and what it
 *                     means for that command
 *   perf_event_open   the attributes that choose the event, pid and cpu;
 *   ioctl, mmap       PERF_EVENT_IOC_* on its fd; mmap(2) and munmap(2)
 *                     of perf rings, BPF ring buffers and global data
 *   close(2)          of the fds of maps, programs, links and perf events
 *                     when they are let go (that is what detaches)
 *   tracefs, bpffs    mounts, writes (kprobe_events), the tracepoint ids
 *                     and PMU types read, directories made, trace_pipe
 *   setrlimit(2)      RLIMIT_MEMLOCK
 *   relocations       what the loader changed in the instructions: map
 *                     fds and global data patched into ld_imm64,
 *                     subprograms placed and called, CO-RE values
 *   notes             what an opened object holds, how the kernel's BTF
 *                     was read, why BTF is probed or loaded again
 *
 * This is the library's one process-wide setting.  Everything else
 * lives in the objects a tool holds; a narration hook cannot, because
 * many of the calls it narrates carry no object (bl_map_lookup(fd, ...),
 * the probes of what an old kernel's BTF lacks) and a learner wants all
 * of them, in the order the kernel saw them.  So there is one hook and
 * one current phase for the whole process.  Set the hook before anything
 * else, from one thread; calls made on several threads at once are
 * narrated on their threads, each line with the phase last marked.
 *
 * The library itself never prints and never reads the environment: a
 * tool decides (our tools: BPFLOAD_TRACE=1, bpfload --trace) and writes
 * the lines where it likes.  With no hook set each narrated call costs
 * one test of a pointer, predicted not taken; narrating makes no extra
 * kernel call, and reads attribute memory (names, paths) only as far as
 * the kernel was told to read it.
 */
#ifndef BPFLOAD_TRACE_H
#define BPFLOAD_TRACE_H

enum bl_trace_phase {
	BL_TRACE_NONE,		/* before any phase was marked */
	BL_TRACE_OPEN,		/* bl_object_open_*(): the ELF file is read; no kernel calls */
	BL_TRACE_LOAD,		/* bl_object_load() and its halves: BTF, maps, programs */
	BL_TRACE_ATTACH,	/* bl_program_attach() and bl_attach_*() */
	BL_TRACE_READ,		/* the readers (perf buffer, ring buffer, trace_pipe);
				 * tools mark their own map reads */
	BL_TRACE_DETACH,	/* bl_attachment_destroy(), freeing readers, bl_object_close() */
};

enum bl_trace_kind {
	BL_TRACE_SYSCALL,	/* a kernel call and its result: "bpf(...) = 5" */
	BL_TRACE_RELOC,		/* an instruction the loader changed: "insn 7 of P: ..." */
	BL_TRACE_NOTE,		/* what the loader found or decided, no kernel call */
};

struct bl_trace_event {
	enum bl_trace_phase phase;
	enum bl_trace_kind kind;
	const char *text;	/* one line, no newline; valid during the call */
};

typedef void (*bl_trace_fn)(const struct bl_trace_event *event, void *ctx);

/* Narrate every following kernel call to fn (with ctx); NULL stops.
 * Setting a hook reads the effective uid once (geteuid), so that the
 * meaning of EPERM can say whether root was refused. */
void bl_trace_set(bl_trace_fn fn, void *ctx);

/* Mark the phase of the calls that follow.  The library marks open,
 * load, attach, detach and its readers' reads itself; a tool marks
 * BL_TRACE_READ where it reads maps with <bpfload/maps.h>. */
void bl_trace_phase(enum bl_trace_phase phase);

/* "open", "load", "attach", "read", "detach" ("-" before any phase). */
const char *bl_trace_phase_name(enum bl_trace_phase phase);

#endif
