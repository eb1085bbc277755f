// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_core.c - CO-RE relocation of any object against a real kernel
 * BTF: the object opened from the bytes, every .BTF.ext CO-RE record's
 * access string parsed against the object's BTF and matched against the
 * kernel's types (bl_object_core_resolve), then each program assembled
 * and patched (bl_core_relocate_program), as a load does just before
 * BPF_PROG_LOAD.  No bpf(2) call: maps get stand-in fd numbers, never
 * used as files.
 *
 * The kernel's BTF comes from $FUZZ_CORE_BTF when set (a saved copy, so
 * that a crash replays against the BTF that found it; make fuzz saves
 * this machine's as build/tests/fuzz/vmlinux.btf), else from
 * /sys/kernel/btf/vmlinux.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "object/assemble.h"
#include "object/core_relocate.h"
#include "object/object.h"

/* Stand-in fds, far above what the process holds; put back to -1
 * before close so that nothing real is closed. */
#define FAKE_FD_BASE 100000

static void relocate_programs(struct bl_object *obj)
{
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		struct bl_err err = { 0 };
		struct bl_program *prog = &obj->progs[i];

		if (bl_program_assemble(obj, prog, &err) < 0 || bl_core_relocate_program(obj, prog, &err) < 0) {
			if (!err.code || !err.msg[0])
				__builtin_trap();	/* a refusal must say why */
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_object_opts opts = { .btf_path = getenv("FUZZ_CORE_BTF") };
	struct bl_err err = { 0 };
	struct bl_object *obj = bl_object_open_mem(data, size, "fuzz.bpf.o", &opts, &err);
	size_t i;

	if (!obj) {
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return 0;
	}
	if (bl_core_relo_count(obj) && bl_object_core_resolve(obj, &err) < 0 && (!err.code || !err.msg[0]))
		__builtin_trap();
	for (i = 0; i < obj->map_cnt; i++)
		obj->maps[i].fd = FAKE_FD_BASE + (int)i;
	relocate_programs(obj);
	for (i = 0; i < obj->map_cnt; i++)
		obj->maps[i].fd = -1;
	bl_object_close(obj);
	return 0;
}
