/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel_features.h - what the running kernel's BPF can do, asked of the
 * kernel itself: a tiny program for the verifier, or a system call whose
 * answer differs between kernels that have a feature and kernels that do
 * not.  Tests use the answers to expect the loader's fallback where a
 * feature is missing, or to skip with the reason; the Linux version that
 * brought each feature is only for the reason's text.
 */
#ifndef KERNEL_FEATURES_H
#define KERNEL_FEATURES_H

#include <stddef.h>

enum kfeature {
	KF_PERF_LINK,		/* BPF_LINK_CREATE on perf events (kprobes, tracepoints) */
	KF_ATOMIC_FETCH,	/* BPF_ATOMIC with BPF_FETCH: atomic_fetch_add() and friends */
	KF_RINGBUF,		/* BPF_MAP_TYPE_RINGBUF */
	KF_BPF_LOOP,		/* the bpf_loop() helper */
	KF_ATTACH_COOKIE,	/* bpf_get_attach_cookie() */
	KF_KPROBE_MULTI,	/* BPF_TRACE_KPROBE_MULTI links */
	KF_COUNT
};

/* 1: the kernel has it, 0: it has not, or a negative errno when the
 * probe got no answer (no privileges). Asked once, then remembered. */
int kfeature_has(enum kfeature f);

/* What the feature is, e.g. "the bpf_loop() helper". */
const char *kfeature_name(enum kfeature f);

/* The Linux version that brought it, e.g. "5.17". */
const char *kfeature_since(enum kfeature f);

/* The reason a kernel without it gives, e.g. "this kernel lacks the
 * bpf_loop() helper (Linux 5.17)"; into buf, which is returned. */
const char *kfeature_lacking(enum kfeature f, char *buf, size_t size);

/* One comment line for the test log: "# kernel features: perf-link=yes ...". */
void kfeature_print_all(void);

#endif
