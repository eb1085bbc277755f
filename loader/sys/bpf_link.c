// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf_link.c - bpf(BPF_LINK_CREATE) for perf events with a cookie, for
 * kprobe_multi, uprobe_multi and for iterators; bpf(BPF_ITER_CREATE),
 * bpf(BPF_LINK_GET_NEXT_ID, BPF_LINK_GET_FD_BY_ID).
 */
#include "sys/bpf_link.h"

#include <string.h>

static uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

int bl_link_create_perf_event(int prog_fd, int perf_fd, uint64_t cookie)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.target_fd = (uint32_t)perf_fd;
	attr.link_create.attach_type = BPF_PERF_EVENT;
	attr.link_create.perf_event.bpf_cookie = cookie;
	return (int)bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

/* link_create.uprobe_multi as Linux 6.6 lays it out: the union after
 * prog_fd, target_fd, attach_type and flags, where kprobe_multi is. */
struct uprobe_multi_attr {
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t flags;
	uint32_t pid;
};

#define UPROBE_MULTI_AT offsetof(union bpf_attr, link_create.kprobe_multi)
_Static_assert(UPROBE_MULTI_AT == 16, "link_create's union starts at byte 16");
_Static_assert(UPROBE_MULTI_AT + sizeof(struct uprobe_multi_attr) <= sizeof(union bpf_attr),
	       "uprobe_multi fits in this header's union bpf_attr");

int bl_link_create_uprobe_multi(int prog_fd, const struct bl_uprobe_multi_spec *spec)
{
	struct uprobe_multi_attr m = {
		.path = ptr_to_u64(spec->path),
		.offsets = ptr_to_u64(spec->offsets),
		.ref_ctr_offsets = ptr_to_u64(spec->ref_ctr_offsets),
		.cookies = ptr_to_u64(spec->cookies),
		.cnt = spec->cnt,
		.flags = spec->flags,
		.pid = spec->pid,
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.attach_type = BL_BPF_TRACE_UPROBE_MULTI;
	memcpy((char *)&attr + UPROBE_MULTI_AT, &m, sizeof(m));
	return (int)bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

int bl_link_create_kprobe_multi(int prog_fd, const char *const *syms, const uint64_t *cookies,
				uint32_t cnt, uint32_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	attr.link_create.kprobe_multi.flags = flags;
	attr.link_create.kprobe_multi.cnt = cnt;
	attr.link_create.kprobe_multi.syms = ptr_to_u64(syms);
	attr.link_create.kprobe_multi.cookies = ptr_to_u64(cookies);
	return (int)bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

int bl_link_create_iter(int prog_fd, int map_fd)
{
	union bpf_iter_link_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.attach_type = BPF_TRACE_ITER;
	if (map_fd >= 0) {
		info.map.map_fd = (uint32_t)map_fd;
		attr.link_create.iter_info = ptr_to_u64(&info);
		attr.link_create.iter_info_len = sizeof(info);
	}
	return (int)bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

int bl_iter_create(int link_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (uint32_t)link_fd;
	return (int)bl_sys_bpf(BPF_ITER_CREATE, &attr, sizeof(attr));
}

int bl_link_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = (int)bl_sys_bpf(BPF_LINK_GET_NEXT_ID, &attr, sizeof(attr));
	if (ret == 0)
		*next_id = attr.next_id;
	return ret;
}

int bl_link_get_fd_by_id(uint32_t id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_id = id;
	return (int)bl_sys_bpf(BPF_LINK_GET_FD_BY_ID, &attr, sizeof(attr));
}
