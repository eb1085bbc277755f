/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf/btf_load.h - BTF into the kernel: BPF_BTF_LOAD, probes for the
 * kinds a kernel lacks, and sanitized copies for such kernels.
 *
 * Syscalls: bpf(BPF_BTF_LOAD) in bl_btf_load() and bl_btf_probe_missing().
 */
#ifndef BL_BTF_LOAD_H
#define BL_BTF_LOAD_H

#include "btf/btf.h"

/* BPF_BTF_LOAD; returns the BTF's fd.  On refusal the kernel's log is
 * copied to *log (malloc'd, caller frees) when log is not NULL, and its
 * last line ends err->msg. */
int bl_btf_load(const struct bl_btf *btf, char **log, struct bl_err *err);

/* BTF features a kernel may predate (the version that added each). */
enum bl_btf_feature {
	BL_BTF_FEAT_FUNC = 1 << 0,		/* FUNC, FUNC_PROTO: 5.0 */
	BL_BTF_FEAT_DATASEC = 1 << 1,		/* VAR, DATASEC: 5.2 */
	BL_BTF_FEAT_GLOBAL_FUNC = 1 << 2,	/* FUNC linkage global: 5.6 */
	BL_BTF_FEAT_FLOAT = 1 << 3,		/* FLOAT: 5.13 */
	BL_BTF_FEAT_DECL_TAG = 1 << 4,		/* DECL_TAG: 5.16 */
	BL_BTF_FEAT_TYPE_TAG = 1 << 5,		/* TYPE_TAG: 5.17 */
	BL_BTF_FEAT_ENUM64 = 1 << 6,		/* ENUM64, signed ENUM: 6.0 */
};

/* The features this BTF uses (a mask of enum bl_btf_feature). */
unsigned int bl_btf_features_used(const struct bl_btf *btf);

/* Load a tiny BTF for each feature and return the mask of those the
 * running kernel refuses, or a negative errno when it refuses them all
 * for another reason (no privileges, no BTF at all). */
int bl_btf_probe_missing(struct bl_err *err);

/*
 * A copy of btf that a kernel lacking the features in `missing` accepts:
 *   FUNC        FUNC_PROTO -> ENUM of its parameters, FUNC -> TYPEDEF
 *   DATASEC     VAR -> 1-byte INT, DATASEC -> STRUCT of its variables
 *   GLOBAL_FUNC global FUNC -> static FUNC
 *   FLOAT       -> anonymous empty STRUCT of the same size
 *   DECL_TAG    -> 1-byte INT
 *   TYPE_TAG    -> CONST
 *   ENUM64      ENUM64 -> UNION of 1-byte INTs (one added type),
 *               signed ENUM -> unsigned
 * Type ids do not change, so func_info and map BTF ids stay valid; what
 * the rewritten types described is lost to the kernel (verification of
 * global functions, typed map values), which is why the loader does this
 * only when the original was refused.
 */
struct bl_btf *bl_btf_sanitize(const struct bl_btf *btf, unsigned int missing,
			       struct bl_err *err);

#endif
