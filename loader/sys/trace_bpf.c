// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/trace_bpf.c - one narration line for a bpf(2) call: the command's
 * name, the union bpf_attr fields that command uses, and the result.
 * No syscalls.
 *
 * Decoding happens after the call, from the attr the wrapper filled in
 * bpf_syscall.c: the line then has the result, and outputs the kernel
 * wrote back (next_id, info_len) are there to show.  Only the first
 * `size` bytes of attr are read, as the kernel reads only those; strings
 * behind attr's pointers (a license, a tracepoint name, a pin's path)
 * are read only for the commands that make the kernel read them, and no
 * further than the kernel reads.  Key and value buffers are never read:
 * the attr does not say how large they are (the map does).
 *
 * Names are the kernel's, without the prefix a reader can add back:
 * "percpu_array" is BPF_MAP_TYPE_PERCPU_ARRAY, "tracepoint" is
 * BPF_PROG_TYPE_TRACEPOINT, "perf_event" is BPF_PERF_EVENT.
 */
#include <errno.h>
#include <linux/limits.h>
#include <stdint.h>
#include <string.h>

#include "sys/trace_format.h"

#define NAMES(table) (sizeof(table) / sizeof(table[0]))

static const char *const cmd_names[] = {
	[BPF_MAP_CREATE] = "BPF_MAP_CREATE",
	[BPF_MAP_LOOKUP_ELEM] = "BPF_MAP_LOOKUP_ELEM",
	[BPF_MAP_UPDATE_ELEM] = "BPF_MAP_UPDATE_ELEM",
	[BPF_MAP_DELETE_ELEM] = "BPF_MAP_DELETE_ELEM",
	[BPF_MAP_GET_NEXT_KEY] = "BPF_MAP_GET_NEXT_KEY",
	[BPF_PROG_LOAD] = "BPF_PROG_LOAD",
	[BPF_OBJ_PIN] = "BPF_OBJ_PIN",
	[BPF_OBJ_GET] = "BPF_OBJ_GET",
	[BPF_PROG_ATTACH] = "BPF_PROG_ATTACH",
	[BPF_PROG_DETACH] = "BPF_PROG_DETACH",
	[BPF_PROG_TEST_RUN] = "BPF_PROG_TEST_RUN",
	[BPF_PROG_GET_NEXT_ID] = "BPF_PROG_GET_NEXT_ID",
	[BPF_MAP_GET_NEXT_ID] = "BPF_MAP_GET_NEXT_ID",
	[BPF_PROG_GET_FD_BY_ID] = "BPF_PROG_GET_FD_BY_ID",
	[BPF_MAP_GET_FD_BY_ID] = "BPF_MAP_GET_FD_BY_ID",
	[BPF_OBJ_GET_INFO_BY_FD] = "BPF_OBJ_GET_INFO_BY_FD",
	[BPF_PROG_QUERY] = "BPF_PROG_QUERY",
	[BPF_RAW_TRACEPOINT_OPEN] = "BPF_RAW_TRACEPOINT_OPEN",
	[BPF_BTF_LOAD] = "BPF_BTF_LOAD",
	[BPF_BTF_GET_FD_BY_ID] = "BPF_BTF_GET_FD_BY_ID",
	[BPF_TASK_FD_QUERY] = "BPF_TASK_FD_QUERY",
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = "BPF_MAP_LOOKUP_AND_DELETE_ELEM",
	[BPF_MAP_FREEZE] = "BPF_MAP_FREEZE",
	[BPF_BTF_GET_NEXT_ID] = "BPF_BTF_GET_NEXT_ID",
	[BPF_MAP_LOOKUP_BATCH] = "BPF_MAP_LOOKUP_BATCH",
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
	[BPF_MAP_UPDATE_BATCH] = "BPF_MAP_UPDATE_BATCH",
	[BPF_MAP_DELETE_BATCH] = "BPF_MAP_DELETE_BATCH",
	[BPF_LINK_CREATE] = "BPF_LINK_CREATE",
	[BPF_LINK_UPDATE] = "BPF_LINK_UPDATE",
	[BPF_LINK_GET_FD_BY_ID] = "BPF_LINK_GET_FD_BY_ID",
	[BPF_LINK_GET_NEXT_ID] = "BPF_LINK_GET_NEXT_ID",
	[BPF_ENABLE_STATS] = "BPF_ENABLE_STATS",
	[BPF_ITER_CREATE] = "BPF_ITER_CREATE",
	[BPF_LINK_DETACH] = "BPF_LINK_DETACH",
	[BPF_PROG_BIND_MAP] = "BPF_PROG_BIND_MAP",
};

static const char *const map_types[] = {
	[BPF_MAP_TYPE_UNSPEC] = "unspec",
	[BPF_MAP_TYPE_HASH] = "hash",
	[BPF_MAP_TYPE_ARRAY] = "array",
	[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP] = "devmap",
	[BPF_MAP_TYPE_SOCKMAP] = "sockmap",
	[BPF_MAP_TYPE_CPUMAP] = "cpumap",
	[BPF_MAP_TYPE_XSKMAP] = "xskmap",
	[BPF_MAP_TYPE_SOCKHASH] = "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE] = "queue",
	[BPF_MAP_TYPE_STACK] = "stack",
	[BPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
};

static const char *const prog_types[] = {
	[BPF_PROG_TYPE_UNSPEC] = "unspec",
	[BPF_PROG_TYPE_SOCKET_FILTER] = "socket_filter",
	[BPF_PROG_TYPE_KPROBE] = "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS] = "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT] = "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT] = "tracepoint",
	[BPF_PROG_TYPE_XDP] = "xdp",
	[BPF_PROG_TYPE_PERF_EVENT] = "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB] = "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK] = "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN] = "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT] = "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT] = "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS] = "sock_ops",
	[BPF_PROG_TYPE_SK_SKB] = "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE] = "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG] = "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL] = "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2] = "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT] = "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR] = "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL] = "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT] = "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING] = "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_PROG_TYPE_EXT] = "ext",
	[BPF_PROG_TYPE_LSM] = "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP] = "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL] = "syscall",
};

static const char *const attach_types[] = {
	[BPF_CGROUP_INET_INGRESS] = "cgroup_inet_ingress",
	[BPF_CGROUP_INET_EGRESS] = "cgroup_inet_egress",
	[BPF_CGROUP_INET_SOCK_CREATE] = "cgroup_inet_sock_create",
	[BPF_CGROUP_SOCK_OPS] = "cgroup_sock_ops",
	[BPF_SK_SKB_STREAM_PARSER] = "sk_skb_stream_parser",
	[BPF_SK_SKB_STREAM_VERDICT] = "sk_skb_stream_verdict",
	[BPF_CGROUP_DEVICE] = "cgroup_device",
	[BPF_SK_MSG_VERDICT] = "sk_msg_verdict",
	[BPF_CGROUP_INET4_BIND] = "cgroup_inet4_bind",
	[BPF_CGROUP_INET6_BIND] = "cgroup_inet6_bind",
	[BPF_CGROUP_INET4_CONNECT] = "cgroup_inet4_connect",
	[BPF_CGROUP_INET6_CONNECT] = "cgroup_inet6_connect",
	[BPF_CGROUP_INET4_POST_BIND] = "cgroup_inet4_post_bind",
	[BPF_CGROUP_INET6_POST_BIND] = "cgroup_inet6_post_bind",
	[BPF_CGROUP_UDP4_SENDMSG] = "cgroup_udp4_sendmsg",
	[BPF_CGROUP_UDP6_SENDMSG] = "cgroup_udp6_sendmsg",
	[BPF_LIRC_MODE2] = "lirc_mode2",
	[BPF_FLOW_DISSECTOR] = "flow_dissector",
	[BPF_CGROUP_SYSCTL] = "cgroup_sysctl",
	[BPF_CGROUP_UDP4_RECVMSG] = "cgroup_udp4_recvmsg",
	[BPF_CGROUP_UDP6_RECVMSG] = "cgroup_udp6_recvmsg",
	[BPF_CGROUP_GETSOCKOPT] = "cgroup_getsockopt",
	[BPF_CGROUP_SETSOCKOPT] = "cgroup_setsockopt",
	[BPF_TRACE_RAW_TP] = "trace_raw_tp",
	[BPF_TRACE_FENTRY] = "trace_fentry",
	[BPF_TRACE_FEXIT] = "trace_fexit",
	[BPF_MODIFY_RETURN] = "modify_return",
	[BPF_LSM_MAC] = "lsm_mac",
	[BPF_TRACE_ITER] = "trace_iter",
	[BPF_CGROUP_INET4_GETPEERNAME] = "cgroup_inet4_getpeername",
	[BPF_CGROUP_INET6_GETPEERNAME] = "cgroup_inet6_getpeername",
	[BPF_CGROUP_INET4_GETSOCKNAME] = "cgroup_inet4_getsockname",
	[BPF_CGROUP_INET6_GETSOCKNAME] = "cgroup_inet6_getsockname",
	[BPF_XDP_DEVMAP] = "xdp_devmap",
	[BPF_CGROUP_INET_SOCK_RELEASE] = "cgroup_inet_sock_release",
	[BPF_XDP_CPUMAP] = "xdp_cpumap",
	[BPF_SK_LOOKUP] = "sk_lookup",
	[BPF_XDP] = "xdp",
	[BPF_SK_SKB_VERDICT] = "sk_skb_verdict",
	[BPF_SK_REUSEPORT_SELECT] = "sk_reuseport_select",
	[BPF_SK_REUSEPORT_SELECT_OR_MIGRATE] = "sk_reuseport_select_or_migrate",
	[BPF_PERF_EVENT] = "perf_event",
	[BPF_TRACE_KPROBE_MULTI] = "trace_kprobe_multi",
	[BPF_LSM_CGROUP] = "lsm_cgroup",
};

static const char *lookup(const char *const *table, size_t n, uint64_t v)
{
	return v < n ? table[v] : NULL;
}

const char *bl_bpf_cmd_name(int cmd)
{
	return cmd >= 0 ? lookup(cmd_names, NAMES(cmd_names), (uint64_t)cmd) : NULL;
}

const char *bl_map_type_str(uint32_t type)
{
	return lookup(map_types, NAMES(map_types), type);
}

const char *bl_prog_type_str(uint32_t type)
{
	return lookup(prog_types, NAMES(prog_types), type);
}

const char *bl_attach_type_str(uint32_t type)
{
	return lookup(attach_types, NAMES(attach_types), type);
}

static const struct bl_flag_name map_flags[] = {
	{ BPF_F_NO_PREALLOC, "BPF_F_NO_PREALLOC" },
	{ BPF_F_NO_COMMON_LRU, "BPF_F_NO_COMMON_LRU" },
	{ BPF_F_NUMA_NODE, "BPF_F_NUMA_NODE" },
	{ BPF_F_RDONLY, "BPF_F_RDONLY" },
	{ BPF_F_WRONLY, "BPF_F_WRONLY" },
	{ BPF_F_STACK_BUILD_ID, "BPF_F_STACK_BUILD_ID" },
	{ BPF_F_ZERO_SEED, "BPF_F_ZERO_SEED" },
	{ BPF_F_RDONLY_PROG, "BPF_F_RDONLY_PROG" },
	{ BPF_F_WRONLY_PROG, "BPF_F_WRONLY_PROG" },
	{ BPF_F_CLONE, "BPF_F_CLONE" },
	{ BPF_F_MMAPABLE, "BPF_F_MMAPABLE" },
	{ BPF_F_PRESERVE_ELEMS, "BPF_F_PRESERVE_ELEMS" },
	{ BPF_F_INNER_MAP, "BPF_F_INNER_MAP" },
};

static const struct bl_flag_name prog_flags[] = {
	{ BPF_F_STRICT_ALIGNMENT, "BPF_F_STRICT_ALIGNMENT" },
	{ BPF_F_ANY_ALIGNMENT, "BPF_F_ANY_ALIGNMENT" },
	{ BPF_F_TEST_RND_HI32, "BPF_F_TEST_RND_HI32" },
	{ BPF_F_TEST_STATE_FREQ, "BPF_F_TEST_STATE_FREQ" },
	{ BPF_F_SLEEPABLE, "BPF_F_SLEEPABLE" },
};

/* "name=percpu_array", or "name=42" for a value this build cannot name. */
static void add_enum(struct bl_line *l, const char *field, const char *name, uint32_t v)
{
	if (name)
		bl_line_add(l, "%s=%s", field, name);
	else
		bl_line_add(l, "%s=%u", field, v);
}

/* An object name inside attr (char[BPF_OBJ_NAME_LEN], maybe unterminated). */
static void add_obj_name(struct bl_line *l, const char name[BPF_OBJ_NAME_LEN])
{
	size_t len = strnlen(name, BPF_OBJ_NAME_LEN);

	if (len)
		bl_line_add(l, " name=%.*s", (int)len, name);
	else
		bl_line_add(l, " name=\"\"");
}

static const char *ptr(uint64_t p)
{
	return (const char *)(uintptr_t)p;
}

/* The kernel copies at most this much of these strings (kernel/bpf/syscall.c:
 * char license[128]; raw tracepoint names into char buf[128]). */
#define LICENSE_MAX 128
#define TP_NAME_MAX 128

static void map_create(struct bl_line *l, const union bpf_attr *a)
{
	add_enum(l, "type", bl_map_type_str(a->map_type), a->map_type);
	add_obj_name(l, a->map_name);
	bl_line_add(l, " key=%u value=%u entries=%u flags=", a->key_size, a->value_size,
		    a->max_entries);
	bl_line_flags(l, a->map_flags, map_flags, NAMES(map_flags));
	bl_line_add(l, " btf_fd=%u", a->btf_fd);
	if (a->btf_fd)
		bl_line_add(l, " key_type=%u value_type=%u", a->btf_key_type_id, a->btf_value_type_id);
	if (a->inner_map_fd)
		bl_line_add(l, " inner_map_fd=%u", a->inner_map_fd);
	if (a->map_flags & BPF_F_NUMA_NODE)
		bl_line_add(l, " numa_node=%u", a->numa_node);
	if (a->map_extra)
		bl_line_add(l, " map_extra=%llu", (unsigned long long)a->map_extra);
}

static void map_elem(struct bl_line *l, int cmd, const union bpf_attr *a)
{
	static const char *const how[] = { "BPF_ANY", "BPF_NOEXIST", "BPF_EXIST", "3" };

	bl_line_add(l, "map_fd=%u", a->map_fd);
	if (cmd == BPF_MAP_GET_NEXT_KEY && !a->key)
		bl_line_add(l, " key=NULL (the first key)");
	if (cmd == BPF_MAP_UPDATE_ELEM) {
		bl_line_add(l, " flags=%s", how[a->flags & 3]);
		if (a->flags & BPF_F_LOCK)
			bl_line_add(l, "|BPF_F_LOCK");
		if (a->flags & ~(uint64_t)(3 | BPF_F_LOCK))
			bl_line_add(l, "|%#llx", (unsigned long long)(a->flags & ~(uint64_t)(3 | BPF_F_LOCK)));
	} else if (a->flags) {
		bl_line_add(l, " flags=%#llx", (unsigned long long)a->flags);
	}
}

static void prog_load(struct bl_line *l, const union bpf_attr *a)
{
	add_enum(l, "type", bl_prog_type_str(a->prog_type), a->prog_type);
	add_obj_name(l, a->prog_name);
	bl_line_add(l, " insns=%u license=", a->insn_cnt);
	bl_line_str(l, ptr(a->license), LICENSE_MAX);
	if (a->kern_version)
		bl_line_add(l, " kern_version=%u.%u.%u", a->kern_version >> 16,
			    (a->kern_version >> 8) & 0xff, a->kern_version & 0xff);
	if (a->expected_attach_type) {
		bl_line_add(l, " ");
		add_enum(l, "attach_type", bl_attach_type_str(a->expected_attach_type),
			 a->expected_attach_type);
	}
	if (a->attach_btf_id)
		bl_line_add(l, " attach_btf_id=%u", a->attach_btf_id);
	if (a->attach_prog_fd)	/* one field: a program an ext program replaces, else a module's BTF */
		bl_line_add(l, " %s=%u", a->prog_type == BPF_PROG_TYPE_EXT ? "attach_prog_fd" :
			    "attach_btf_obj_fd", a->attach_prog_fd);
	if (a->prog_flags) {
		bl_line_add(l, " prog_flags=");
		bl_line_flags(l, a->prog_flags, prog_flags, NAMES(prog_flags));
	}
	if (a->prog_btf_fd)
		bl_line_add(l, " btf_fd=%u func_info=%u line_info=%u", a->prog_btf_fd,
			    a->func_info_cnt, a->line_info_cnt);
	if (a->fd_array)
		bl_line_add(l, " fd_array=set");
	bl_line_add(l, " log_level=%u", a->log_level);
	if (a->log_buf)
		bl_line_add(l, " log_size=%u", a->log_size);
}

static void btf_load(struct bl_line *l, const union bpf_attr *a)
{
	bl_line_add(l, "size=%u log_level=%u", a->btf_size, a->btf_log_level);
	if (a->btf_log_buf)
		bl_line_add(l, " log_size=%u", a->btf_log_size);
}

static void link_create(struct bl_line *l, const union bpf_attr *a)
{
	bl_line_add(l, "prog_fd=%u target_fd=%u ", a->link_create.prog_fd, a->link_create.target_fd);
	add_enum(l, "attach_type", bl_attach_type_str(a->link_create.attach_type),
		 a->link_create.attach_type);
	if (a->link_create.flags)
		bl_line_add(l, " flags=%#x", a->link_create.flags);
	if (a->link_create.attach_type == BPF_PERF_EVENT && a->link_create.perf_event.bpf_cookie)
		bl_line_add(l, " bpf_cookie=%llu", (unsigned long long)a->link_create.perf_event.bpf_cookie);
	else if (a->link_create.attach_type == BPF_TRACE_KPROBE_MULTI) {
		const char *const *syms = (const char *const *)(uintptr_t)a->link_create.kprobe_multi.syms;

		bl_line_add(l, " kprobe_multi.cnt=%u", a->link_create.kprobe_multi.cnt);
		if (a->link_create.kprobe_multi.flags)
			bl_line_add(l, " kprobe_multi.flags=%#x", a->link_create.kprobe_multi.flags);
		if (syms && a->link_create.kprobe_multi.cnt) {
			bl_line_add(l, " syms[0]=");
			bl_line_str(l, syms[0], TP_NAME_MAX);
		}
	} else if (a->link_create.target_btf_id)
		bl_line_add(l, " target_btf_id=%u", a->link_create.target_btf_id);
}

static int is_get_next_id(int cmd)
{
	return cmd == BPF_PROG_GET_NEXT_ID || cmd == BPF_MAP_GET_NEXT_ID ||
	       cmd == BPF_BTF_GET_NEXT_ID || cmd == BPF_LINK_GET_NEXT_ID;
}

static int is_get_fd_by_id(int cmd)
{
	return cmd == BPF_PROG_GET_FD_BY_ID || cmd == BPF_MAP_GET_FD_BY_ID ||
	       cmd == BPF_BTF_GET_FD_BY_ID || cmd == BPF_LINK_GET_FD_BY_ID;
}

/* The attributes of cmd; 0 when this file knows no decoding for it. */
static int attributes(struct bl_line *l, int cmd, const union bpf_attr *a)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		map_create(l, a);
		return 1;
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY:
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		map_elem(l, cmd, a);
		return 1;
	case BPF_MAP_FREEZE:
		bl_line_add(l, "map_fd=%u", a->map_fd);
		return 1;
	case BPF_PROG_LOAD:
		prog_load(l, a);
		return 1;
	case BPF_BTF_LOAD:
		btf_load(l, a);
		return 1;
	case BPF_OBJ_PIN:
	case BPF_OBJ_GET:
		bl_line_add(l, "path=");
		bl_line_str(l, ptr(a->pathname), PATH_MAX);
		if (cmd == BPF_OBJ_PIN)
			bl_line_add(l, " fd=%u", a->bpf_fd);
		if (a->file_flags)
			bl_line_add(l, " file_flags=%#x", a->file_flags);
		return 1;
	case BPF_OBJ_GET_INFO_BY_FD:
		bl_line_add(l, "fd=%u info_len=%u", a->info.bpf_fd, a->info.info_len);
		return 1;
	case BPF_RAW_TRACEPOINT_OPEN:
		bl_line_add(l, "name=");
		bl_line_str(l, ptr(a->raw_tracepoint.name), TP_NAME_MAX);
		bl_line_add(l, " prog_fd=%u", a->raw_tracepoint.prog_fd);
		return 1;
	case BPF_LINK_CREATE:
		link_create(l, a);
		return 1;
	case BPF_LINK_DETACH:
	case BPF_LINK_UPDATE:
		bl_line_add(l, "link_fd=%u", a->link_update.link_fd);
		return 1;
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		bl_line_add(l, "target_fd=%u attach_bpf_fd=%u ", a->target_fd, a->attach_bpf_fd);
		add_enum(l, "attach_type", bl_attach_type_str(a->attach_type), a->attach_type);
		return 1;
	case BPF_PROG_BIND_MAP:
		bl_line_add(l, "prog_fd=%u map_fd=%u", a->prog_bind_map.prog_fd, a->prog_bind_map.map_fd);
		return 1;
	case BPF_ENABLE_STATS:
		bl_line_add(l, "type=%u", a->enable_stats.type);
		return 1;
	}
	if (is_get_next_id(cmd)) {
		bl_line_add(l, "start_id=%u", a->start_id);
		return 1;
	}
	if (is_get_fd_by_id(cmd)) {
		bl_line_add(l, "id=%u", a->prog_id);
		return 1;
	}
	return 0;
}

void bl_trace_format_bpf(struct bl_line *l, int cmd, const union bpf_attr *attr,
			 unsigned int size, long ret)
{
	const char *name = bl_bpf_cmd_name(cmd);
	union bpf_attr a;

	/* Only what the kernel was given; the rest reads as zero. */
	memset(&a, 0, sizeof(a));
	memcpy(&a, attr, size < sizeof(a) ? size : sizeof(a));
	if (name)
		bl_line_add(l, "bpf(%s, ", name);
	else
		bl_line_add(l, "bpf(%d, ", cmd);
	if (!attributes(l, cmd, &a))
		bl_line_add(l, "...");
	bl_line_add(l, ")");
	if (cmd == BPF_MAP_GET_NEXT_KEY && !a.key && ret == -ENOENT)
		bl_line_add(l, " = -ENOENT (the map is empty)");
	else
		bl_line_result(l, BL_CALL_BPF, cmd, ret);
	/* what the kernel wrote back */
	if (ret == 0 && is_get_next_id(cmd))
		bl_line_add(l, " (next_id=%u)", a.next_id);
}
