// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf_syscall.c - thin wrappers around bpf(2).
 *
 * Syscalls: bpf(BPF_MAP_CREATE, BPF_MAP_*_ELEM, BPF_MAP_GET_NEXT_KEY,
 * BPF_MAP_FREEZE,
 * BPF_PROG_LOAD, BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_GET_NEXT_ID,
 * BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID, BPF_BTF_GET_NEXT_ID,
 * BPF_BTF_GET_FD_BY_ID, BPF_RAW_TRACEPOINT_OPEN, BPF_LINK_CREATE,
 * BPF_OBJ_PIN, BPF_OBJ_GET), setrlimit(RLIMIT_MEMLOCK), uname.
 *
 * Every wrapper returns its result or -errno and fills no message: the
 * layers above know what the call was for, and say it.
 *
 * The attr union is zeroed before every call: the kernel rejects a
 * command when bytes past the fields it knows are not zero, which is how
 * one binary runs on kernels older and newer than its headers.
 */
#include "sys/bpf_syscall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/trace.h"

static uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The one place bpf(2) is called: narration (sys/trace.h) decodes attr
 * after the call, so that its line has the result. */
long bl_sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr, unsigned int size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	if (ret < 0)
		ret = -errno;
	if (bl_tracing())
		bl_trace_bpf(cmd, attr, size, ret);
	return ret;
}

void bl_raise_memlock_limit(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	/* Since 5.11 BPF memory is charged to the memory cgroup and this
	 * limit is not consulted; without CAP_SYS_RESOURCE the call fails
	 * with EPERM, which is fine there. */
	int ret = setrlimit(RLIMIT_MEMLOCK, &unlimited) < 0 ? -errno : 0;

	if (bl_tracing())
		bl_trace_memlock(ret);
}

uint32_t bl_running_kernel_version(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	if (c > 255)	/* KERNEL_VERSION() keeps 8 bits for the sublevel */
		c = 255;
	return (a << 16) + (b << 8) + c;
}

/* Object names may hold only [A-Za-z0-9_.] and 15 characters. */
static void copy_object_name(char dst[BPF_OBJ_NAME_LEN], const char *src)
{
	size_t i;

	memset(dst, 0, BPF_OBJ_NAME_LEN);
	for (i = 0; src && src[i] && i < BPF_OBJ_NAME_LEN - 1; i++) {
		char c = src[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '.';
		dst[i] = ok ? c : '_';
	}
}

int bl_map_create(const struct bl_map_spec *spec)
{
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = spec->type;
	attr.key_size = spec->key_size;
	attr.value_size = spec->value_size;
	attr.max_entries = spec->max_entries;
	attr.map_flags = spec->flags;
	attr.numa_node = spec->numa_node;
	attr.map_extra = spec->map_extra;
	attr.inner_map_fd = (uint32_t)spec->inner_map_fd;
	if (spec->btf_fd > 0 && spec->btf_value_type_id) {
		attr.btf_fd = (uint32_t)spec->btf_fd;
		attr.btf_key_type_id = spec->btf_key_type_id;
		attr.btf_value_type_id = spec->btf_value_type_id;
	}
	copy_object_name(attr.map_name, spec->name);

	/* Whether to retry without BTF types is the caller's decision
	 * (object/map_compat.c): it knows which map it is and can say so. */
	fd = bl_sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd == -EINVAL && spec->name) {
		/* Kernels before 4.15 know no map names. */
		memset(attr.map_name, 0, sizeof(attr.map_name));
		fd = bl_sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	}
	return (int)fd;
}

static int map_elem_op(enum bpf_cmd cmd, int fd, const void *key,
		       void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return (int)bl_sys_bpf(cmd, &attr, sizeof(attr));
}

int bl_map_lookup(int map_fd, const void *key, void *value)
{
	return map_elem_op(BPF_MAP_LOOKUP_ELEM, map_fd, key, value, 0);
}

int bl_map_update(int map_fd, const void *key, const void *value, uint64_t flags)
{
	return map_elem_op(BPF_MAP_UPDATE_ELEM, map_fd, key, (void *)value, flags);
}

int bl_map_delete(int map_fd, const void *key)
{
	return map_elem_op(BPF_MAP_DELETE_ELEM, map_fd, key, NULL, 0);
}

int bl_map_next_key(int map_fd, const void *key, void *next_key)
{
	return map_elem_op(BPF_MAP_GET_NEXT_KEY, map_fd, key, next_key, 0);
}

int bl_map_freeze(int map_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	return (int)bl_sys_bpf(BPF_MAP_FREEZE, &attr, sizeof(attr));
}

static long prog_load_attempt(const struct bl_prog_spec *spec, char *log_buf,
			      uint32_t log_size, int with_name)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = spec->type;
	attr.expected_attach_type = spec->expected_attach_type;
	attr.prog_flags = spec->prog_flags;
	attr.insns = ptr_to_u64(spec->insns);
	attr.insn_cnt = (uint32_t)spec->insn_cnt;
	attr.license = ptr_to_u64(spec->license ? spec->license : "");
	attr.kern_version = spec->kern_version;
	attr.attach_btf_id = spec->attach_btf_id;
	attr.attach_btf_obj_fd = (uint32_t)spec->attach_btf_obj_fd;
	if (spec->prog_btf_fd > 0) {
		attr.prog_btf_fd = (uint32_t)spec->prog_btf_fd;
		attr.func_info = ptr_to_u64(spec->func_info);
		attr.func_info_cnt = spec->func_info_cnt;
		attr.func_info_rec_size = spec->func_info_rec_size;
		attr.line_info = ptr_to_u64(spec->line_info);
		attr.line_info_cnt = spec->line_info_cnt;
		attr.line_info_rec_size = spec->line_info_rec_size;
	}
	attr.fd_array = ptr_to_u64(spec->fd_array);
	if (with_name)
		copy_object_name(attr.prog_name, spec->name);
	if (log_buf && log_size) {
		log_buf[0] = '\0';
		attr.log_level = 1;
		attr.log_buf = ptr_to_u64(log_buf);
		attr.log_size = log_size;
	}
	return bl_sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}

/* Load once without a log (the common, fast case); on failure load again
 * asking for the verifier's log, growing the buffer while it is too small. */
int bl_prog_load(const struct bl_prog_spec *spec, char **log)
{
	uint32_t log_size = 256 * 1024;
	char *log_buf = NULL;
	int with_name = 1;
	long fd;

	if (log)
		*log = NULL;
	fd = prog_load_attempt(spec, NULL, 0, with_name);
	if (fd == -EINVAL && spec->name) {
		/* Kernels before 4.15 know no program names. */
		with_name = 0;
		fd = prog_load_attempt(spec, NULL, 0, with_name);
	}
	/* A second run with a log helps only if the verifier said no: EPERM
	 * comes before it, EMFILE and ENFILE after it accepted the program
	 * (no descriptor was left to return it in). */
	while (fd < 0 && log && fd != -EPERM && fd != -EMFILE && fd != -ENFILE &&
	       log_size <= 16u * 1024 * 1024) {
		char *bigger = realloc(log_buf, log_size);

		if (!bigger)
			break;
		log_buf = bigger;
		fd = prog_load_attempt(spec, log_buf, log_size, with_name);
		if (fd != -ENOSPC)
			break;
		log_size *= 4;
	}
	if (fd >= 0 || !log_buf || !log_buf[0]) {
		free(log_buf);
		return (int)fd;
	}
	*log = log_buf;
	return (int)fd;
}

int bl_obj_get_info(int fd, void *info, uint32_t *len)
{
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = *len;
	attr.info.info = ptr_to_u64(info);
	ret = bl_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (ret == 0)
		*len = attr.info.info_len;
	return (int)ret;
}

int bl_prog_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = bl_sys_bpf(BPF_PROG_GET_NEXT_ID, &attr, sizeof(attr));
	if (ret == 0)
		*next_id = attr.next_id;
	return (int)ret;
}

int bl_prog_get_fd_by_id(uint32_t id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	return (int)bl_sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
}

int bl_btf_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = bl_sys_bpf(BPF_BTF_GET_NEXT_ID, &attr, sizeof(attr));
	if (ret == 0)
		*next_id = attr.next_id;
	return (int)ret;
}

int bl_btf_get_fd_by_id(uint32_t id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf_id = id;
	return (int)bl_sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
}

int bl_map_get_fd_by_id(uint32_t id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_id = id;
	return (int)bl_sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
}

int bl_raw_tracepoint_open(const char *name, int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = ptr_to_u64(name);
	attr.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	return (int)bl_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

int bl_bpf_link_create(int prog_fd, int target_fd, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.target_fd = (uint32_t)target_fd;
	attr.link_create.attach_type = type;
	return (int)bl_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

int bl_obj_pin(int fd, const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(path);
	attr.bpf_fd = (uint32_t)fd;
	return (int)bl_sys_bpf(BPF_OBJ_PIN, &attr, sizeof(attr));
}

int bl_obj_get(const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(path);
	return (int)bl_sys_bpf(BPF_OBJ_GET, &attr, sizeof(attr));
}
