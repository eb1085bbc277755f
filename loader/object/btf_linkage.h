/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_linkage.h - subprograms of hidden visibility verified as static.
 *
 * The verifier checks a BTF_FUNC_GLOBAL subprogram on its own, knowing
 * nothing of its callers: a pointer argument is "memory or NULL" and must
 * be checked before use.  A static one is checked in each caller's
 * context.  libbpf lets a programmer choose the second for a function
 * that must be global or weak in C (for instance to be overridable) by
 * giving it hidden visibility, and turns its BTF FUNC static before
 * loading.  <bpf/usdt.bpf.h>'s bpf_usdt_arg() and friends are
 * `__weak __hidden` and are rejected by the verifier otherwise.
 */
#ifndef BL_BTF_LINKAGE_H
#define BL_BTF_LINKAGE_H

#include "object/object.h"

/* Make the BTF FUNC of every global or weak subprogram with STV_HIDDEN
 * or STV_INTERNAL visibility static, in obj->btf, before it is loaded. */
void bl_object_btf_static_hidden_funcs(struct bl_object *obj);

#endif
