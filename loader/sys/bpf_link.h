/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpf_link.h - BPF links for probes: bpf(BPF_LINK_CREATE) on a perf
 * event with a BPF cookie, kprobe_multi and uprobe_multi links; iterator links and
 * their runs (BPF_ITER_CREATE); finding links again.
 *
 * A BPF link is a file descriptor that holds one attachment of a program;
 * closing its last reference detaches.  Unlike PERF_EVENT_IOC_SET_BPF it
 * is visible to bpftool ("bpftool link") and can carry a BPF cookie, a
 * u64 the program reads with bpf_get_attach_cookie(), so one program can
 * tell its attachments apart.
 *   - perf event links, with bpf_cookie: Linux 5.15
 *   - kprobe_multi links (many kernel functions, one syscall): 5.18
 *   - uprobe_multi links (many offsets in one file, one syscall): 6.6
 * The uprobe_multi constants and attr fields are newer than some uapi
 * headers (Debian 12 has 6.1's), so they are spelled out here.
 */
#ifndef BL_BPF_LINK_H
#define BL_BPF_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "sys/bpf_syscall.h"

/* enum bpf_attach_type, enum bpf_link_type and link_create flags of
 * Linux 6.6's <linux/bpf.h> */
#define BL_BPF_TRACE_UPROBE_MULTI 48
#define BL_BPF_LINK_TYPE_UPROBE_MULTI 12
#define BL_BPF_F_UPROBE_MULTI_RETURN (1u << 0)

/* BPF_LINK_CREATE with attach type BPF_PERF_EVENT and a cookie (5.15):
 * returns the link's fd or -errno. */
int bl_link_create_perf_event(int prog_fd, int perf_fd, uint64_t cookie);

struct bl_uprobe_multi_spec {
	const char *path;
	const uint64_t *offsets;		/* cnt file offsets */
	const uint64_t *ref_ctr_offsets;	/* cnt semaphore offsets, or NULL */
	const uint64_t *cookies;		/* cnt cookies, or NULL */
	uint32_t cnt;
	uint32_t flags;				/* BL_BPF_F_UPROBE_MULTI_RETURN */
	uint32_t pid;				/* 0: every process */
};

/* BPF_LINK_CREATE with BPF_TRACE_UPROBE_MULTI (6.6); the program must
 * have been loaded with that expected_attach_type.  Returns the link's
 * fd or -errno. */
int bl_link_create_uprobe_multi(int prog_fd, const struct bl_uprobe_multi_spec *spec);

/* BPF_LINK_CREATE with BPF_TRACE_KPROBE_MULTI (5.18, CONFIG_FPROBE): one
 * link putting the program on cnt kernel functions named by syms (the
 * kernel sorts and resolves them), each with its cookie when cookies is
 * not NULL; flags BPF_F_KPROBE_MULTI_RETURN for return probes.  The
 * program must have been loaded with that expected_attach_type.
 * Returns the link's fd or -errno. */
int bl_link_create_kprobe_multi(int prog_fd, const char *const *syms, const uint64_t *cookies,
				uint32_t cnt, uint32_t flags);

/* BPF_LINK_CREATE with BPF_TRACE_ITER (5.8): an iterator program's
 * link, for a map's elements when map_fd >= 0 (bpf_map_elem, sk_storage
 * iterators), for everything of its kind otherwise.  Returns the link's
 * fd or -errno. */
int bl_link_create_iter(int prog_fd, int map_fd);

/* BPF_ITER_CREATE: a new run of the iterator as a file whose read(2)
 * returns what the program writes with bpf_seq_printf(); one run per
 * fd, from the start.  Returns the fd or -errno. */
int bl_iter_create(int link_fd);

/* BPF_LINK_GET_NEXT_ID and BPF_LINK_GET_FD_BY_ID (5.8): walking every
 * link the kernel holds. */
int bl_link_get_next_id(uint32_t start_id, uint32_t *next_id);
int bl_link_get_fd_by_id(uint32_t id);

#endif
