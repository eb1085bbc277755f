/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object/object_trace.h - narration of what the object layer finds and
 * changes (sys/trace.h has the hook and the system calls):
 *
 *   [open] narrate.bpf.o: 5 maps, 2 programs, 1 subprogram ...
 *   [load] insn 7 of memcpy_stat: ld_imm64 r1 = map size_hist (BPF_PSEUDO_MAP_FD 5)
 *   [load] insn 34 of core_truth: CO-RE field byte offset task_struct.real_parent: 24 -> 1280
 *
 * Callers check bl_tracing() first; these functions only format.
 * Instruction numbers are those of the program as loaded (entry function
 * first, subprograms appended), the numbers the verifier's log uses.
 *
 * A new kind of relocation gets a case in bl_trace_resolved(), written
 * with bl_trace_reloc(), which puts "insn N of PROG" (and the function)
 * in front of the text, as the externs' lines do:
 *   insn 3 of P: ld_imm64 r1 = &LINUX_KERNEL_VERSION, in .kconfig+0 (BPF_PSEUDO_MAP_VALUE fd 5, offset 0)
 *   insn 9 of P: call kfunc bpf_task_acquire (BPF_PSEUDO_KFUNC_CALL, kernel BTF id 5087, fd_array index 0)
 */
#ifndef BL_OBJECT_TRACE_H
#define BL_OBJECT_TRACE_H

#include <stddef.h>

#include "object/object.h"

/* The object just parsed: what is in it, before anything is in the kernel. */
void bl_trace_object_opened(const struct bl_object *obj, size_t size);

/* One line about instruction idx of prog (an index into prog->insns). */
void bl_trace_reloc(const struct bl_object *obj, const struct bl_program *prog, size_t idx,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Subprogram func was appended to prog at instruction base. */
void bl_trace_placed(const struct bl_object *obj, const struct bl_program *prog, size_t func,
		     size_t base);

/* Relocation r of the function placed at base was applied to prog. */
void bl_trace_resolved(const struct bl_object *obj, const struct bl_program *prog, size_t base,
		       const struct bl_reloc *r);

/* CO-RE record r was applied at instruction idx of prog. */
void bl_trace_core_applied(const struct bl_object *obj, const struct bl_program *prog, size_t idx,
			   const struct bl_core_relo_info *r);

#endif
