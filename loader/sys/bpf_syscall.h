/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpf_syscall.h - the bpf(2) system call, one small wrapper per command.
 *
 * Everything the loader asks of the BPF subsystem goes through here, so a
 * reader can see the exact union bpf_attr fields each command uses.
 * Wrappers return a file descriptor or 0 on success and a negative errno
 * on failure; they fill no message (the callers know what failed).
 */
#ifndef BL_BPF_SYSCALL_H
#define BL_BPF_SYSCALL_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>
#include <bpfload/maps.h>

/* The raw system call: returns its result or -errno. */
long bl_sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr, unsigned int size);

/* Raise RLIMIT_MEMLOCK where the kernel still charges BPF memory to it
 * (before 5.11).  Failure is harmless on newer kernels and is ignored. */
void bl_raise_memlock_limit(void);

/* "a.b.c" of the running kernel as KERNEL_VERSION(a, b, c), for the
 * kern_version field that kprobe programs needed before Linux 5.0. */
uint32_t bl_running_kernel_version(void);

struct bl_map_spec {
	const char *name;	/* shown by bpftool; cut to 15 characters */
	uint32_t type;		/* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	uint32_t numa_node;	/* with BPF_F_NUMA_NODE in flags */
	uint64_t map_extra;	/* e.g. a bloom filter's hash count */
	int inner_map_fd;	/* map-in-map: a map shaped like the inner ones; 0: none */
	int btf_fd;		/* the object's BTF, 0 when none, and the types */
	uint32_t btf_key_type_id;	/* of key and value in it (bpftool shows */
	uint32_t btf_value_type_id;	/* maps with them formatted) */
};

/* BPF_MAP_CREATE: the new map's fd, or -errno.  BTF ids are passed only
 * with spec->btf_fd and a value type id. */
int bl_map_create(const struct bl_map_spec *spec);

/* BPF_MAP_FREEZE (5.2): no more writes from user space. */
int bl_map_freeze(int map_fd);

struct bl_prog_spec {
	const char *name;	/* cut to 15 characters */
	uint32_t type;		/* enum bpf_prog_type */
	uint32_t expected_attach_type;
	uint32_t prog_flags;	/* BPF_F_SLEEPABLE (5.10; uprobes 6.0), ... */
	const struct bpf_insn *insns;
	size_t insn_cnt;
	const char *license;
	uint32_t kern_version;
	uint32_t attach_btf_id;	/* fentry/fexit/tp_btf: the kernel type to attach to */
	int attach_btf_obj_fd;	/* ... in this module's BTF (5.11); 0: vmlinux */
	int prog_btf_fd;	/* the object's BTF (0: none), with func_info and */
	const void *func_info;	/* line_info records: the verifier then names */
	uint32_t func_info_cnt;	/* functions and shows C source lines in its log */
	uint32_t func_info_rec_size;
	const void *line_info;
	uint32_t line_info_cnt;
	uint32_t line_info_rec_size;
	const int *fd_array;	/* kfuncs of modules (5.14): insn.off indexes the */
};				/* module BTF fds here; NULL: none */

/* BPF_PROG_LOAD: the program's fd or -errno.  When log is not NULL and
 * the kernel refused the program, *log receives the verifier's log
 * (malloc'd, the caller frees it), or NULL when it wrote none. */
int bl_prog_load(const struct bl_prog_spec *spec, char **log);

/* BPF_OBJ_GET_INFO_BY_FD for any BPF object (info is a bpf_prog_info,
 * bpf_map_info, ...); *len is in/out. */
int bl_obj_get_info(int fd, void *info, uint32_t *len);

/* BPF_PROG_GET_NEXT_ID: *next_id receives the id after start_id. */
int bl_prog_get_next_id(uint32_t start_id, uint32_t *next_id);

/* BPF_PROG_GET_FD_BY_ID: returns an fd that keeps the program alive. */
int bl_prog_get_fd_by_id(uint32_t id);

/* BPF_MAP_GET_FD_BY_ID: a map a program uses, from its id in the
 * program's info (map_ids). */
int bl_map_get_fd_by_id(uint32_t id);

/* BPF_BTF_GET_NEXT_ID (5.4): *next_id receives the BTF id after
 * start_id, the kernel's own (vmlinux, modules) among them; -ENOENT
 * after the last. */
int bl_btf_get_next_id(uint32_t start_id, uint32_t *next_id);

/* BPF_BTF_GET_FD_BY_ID (5.0): returns an fd that keeps the BTF alive. */
int bl_btf_get_fd_by_id(uint32_t id);

/* BPF_RAW_TRACEPOINT_OPEN (4.17): attach prog to raw tracepoint name;
 * returns an fd whose closing detaches. */
int bl_raw_tracepoint_open(const char *name, int prog_fd);

/* BPF_LINK_CREATE (5.7; for perf events 5.15): returns a BPF link fd. */
int bl_bpf_link_create(int prog_fd, int target_fd, enum bpf_attach_type type);

/* BPF_OBJ_PIN / BPF_OBJ_GET: a path in a BPF file system. */
int bl_obj_pin(int fd, const char *path);
int bl_obj_get(const char *path);

#endif
