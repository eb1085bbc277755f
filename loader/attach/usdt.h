/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * usdt.h - attaching to USDT probes (SystemTap SDT, <sys/sdt.h>), the way
 * libbpf does, so that programs written with <bpf/usdt.bpf.h>'s
 * BPF_USDT() run unchanged.
 *
 * A USDT probe PROVIDER:NAME may sit at several places of a file (an
 * inlined function, a macro used twice).  At each, we put a uprobe
 * (uprobe.h) carrying the probe's semaphore, if it has one, so that the
 * kernel counts us in it while we are attached.  The places' argument
 * operands (usdt_args.h) go into __bpf_usdt_specs, one slot per distinct
 * spec (usdt_specs.h), and each uprobe is told its slot by its BPF cookie
 * (Linux 5.15); older kernels have no cookies, and the BPF side then
 * finds the slot by the probe's address in the process, which we write
 * into __bpf_usdt_ip_to_spec_id.  That address is the file's link-time
 * address for a non-PIE executable; for PIE executables and shared
 * libraries it differs per process, so without cookies a process id must
 * be given, whose mappings say where the file is.
 *
 * A program written without usdt.bpf.h attaches too: it gets the probe's
 * places and the user's cookie (bpf_get_attach_cookie()), and no specs.
 */
#ifndef BL_USDT_H
#define BL_USDT_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/uprobe.h>

#include "attach/kprobe.h"
#include "attach/usdt_specs.h"

/* One place of the probe, as attached. */
struct bl_usdt_site {
	uint64_t offset;	/* in the file */
	uint64_t sema_offset;	/* the semaphore's file offset, or 0 */
	int64_t ip;		/* its address in the process, or 0 when unknown */
	int ip_added;		/* we put ip into __bpf_usdt_ip_to_spec_id */
	uint32_t spec_id;
	int perf_fd;
	int link_fd;
	char legacy_event[BL_KPROBE_EVENT_MAX];
};

struct bl_usdt_attachment {
	struct bl_usdt_maps maps;	/* our own references to the two maps */
	uint32_t *spec_ids;		/* the slots we filled */
	size_t spec_cnt;
	struct bl_usdt_site *sites;
	size_t site_cnt;
	int by_cookie;			/* the BPF side finds its spec by cookie */
};

/* bl_attach_usdt() and its options are in <bpfload/uprobe.h>. */

/* Attach as a section's target "PATH:PROVIDER:NAME" says (usdt/PATH:PROVIDER:NAME). */
struct bl_attachment *bl_attach_usdt_spec(const struct bl_program *prog, const char *spec,
					  struct bl_err *err);

/* Detach every place, then take our map entries out again, and free;
 * bl_attachment_destroy() calls it.  Returns 0 or the first error. */
int bl_usdt_detach(struct bl_usdt_attachment *usdt, struct bl_err *err);

#endif
