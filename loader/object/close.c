// SPDX-License-Identifier: BSD-2-Clause
/*
 * object/close.c - bl_object_close(): every fd the object holds closed,
 * and everything the phases added freed.  The kernel frees a map or a
 * program once nothing holds it (a pin, an attachment, another fd).
 *
 * It frees what open.c, load.c, core_relocate.c and externs.c made, so
 * it includes them, and none of them includes it: the model (object.c)
 * stays below every phase.
 *
 * Syscalls: close(2), munmap(2) of mapped global data, narrated through
 * sys/kernel_fd.c (the detach phase).
 */
#include <stdlib.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_ext.h"
#include "btf/kernel_btf.h"
#include "object/externs.h"
#include "object/object.h"
#include "sys/kernel_fd.h"
#include "sys/trace.h"

static void free_core_relos(struct bl_core_relos *core)
{
	if (!core)
		return;
	free(core->relos);
	free(core);
}

void bl_object_close(struct bl_object *obj)
{
	size_t i;

	if (!obj)
		return;
	bl_trace_enter(BL_TRACE_DETACH);
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].fd >= 0)
			bl_sys_close(obj->progs[i].fd, obj->progs[i].name);
		free(obj->progs[i].insns);
		free(obj->progs[i].layout);
		free(obj->progs[i].verifier_log);
	}
	for (i = 0; i < obj->func_cnt; i++)
		free(obj->funcs[i].relocs);
	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].mapped)
			bl_sys_munmap(obj->maps[i].mapped, obj->maps[i].mapped_size, obj->maps[i].name);
		if (obj->maps[i].fd >= 0)
			bl_sys_close(obj->maps[i].fd, obj->maps[i].name);
		free(obj->maps[i].initial_value);
		free(obj->maps[i].inits);
	}
	if (obj->btf_fd >= 0)
		bl_sys_close(obj->btf_fd, "the object's BTF");
	bl_btf_ext_free(obj->btf_ext);
	bl_btf_free(obj->btf);
	bl_externs_free(obj->externs);	/* closes module BTF fds */
	for (i = 0; i < obj->module_btf_fd_cnt; i++)
		if (obj->module_btf_fds[i] > 0)
			bl_sys_close(obj->module_btf_fds[i], "a module's BTF (for kfunc calls)");
	free(obj->module_btf_fds);
	bl_kernel_btf_close(obj->core_btf);
	bl_kernel_btf_close(obj->kernel_btf);
	free_core_relos(obj->core);
	free(obj->btf_path);
	free(obj->funcs);
	free(obj->progs);
	free(obj->maps);
	free(obj->file_buf);
	free(obj);
}
