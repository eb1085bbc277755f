/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/features.h - asking the running kernel what it can do.
 *
 * Each feature is tried, not guessed from the version: a tiny program or
 * map is loaded and thrown away.  A probe runs only when asked, and is
 * not remembered (the library keeps no global state): ask once, keep
 * the answer, and ask only on the path that needs it (a tool explaining
 * why its program was refused, a loader choosing a fallback).
 */
#ifndef BPFLOAD_FEATURES_H
#define BPFLOAD_FEATURES_H

enum bl_feature {
	BL_FEAT_ATOMIC_FETCH,	/* BPF_ATOMIC with BPF_FETCH (fetch-and-add, xchg): 5.12 */
	BL_FEAT_BPF_COOKIE,	/* bpf_get_attach_cookie() for tracing programs: 5.15 */
	BL_FEAT_COUNT
};

/* 1 when the kernel has it, 0 when it refuses it, -errno when the probe
 * could not tell (no privileges to load a program at all: -EPERM). */
int bl_kernel_has(enum bl_feature feature);

/* "BPF_ATOMIC with BPF_FETCH", and the Linux version that brought it
 * ("5.12"), for messages. */
const char *bl_feature_name(enum bl_feature feature);
const char *bl_feature_since(enum bl_feature feature);

#endif
