// SPDX-License-Identifier: BSD-2-Clause
/*
 * sys/trace_errno.c - what an errno means, for the call that returned it:
 * the one table the narration takes its "(meaning)" from.  No syscalls.
 *
 * An errno alone says little: EINVAL from BPF_MAP_CREATE, from
 * PERF_EVENT_IOC_SET_BPF and from a kprobe_events write are three
 * different stories.  Rows are looked up most specific first: this call
 * and command, this call and any command, then any call.  Meanings are
 * short, say what the kernel objected to, and name the knob or kernel
 * version involved where there is one.
 */
#include <errno.h>
#include <stddef.h>

#include <bpfload/error.h>

#include "sys/trace_format.h"

#define ANY_CMD (-1)

struct meaning {
	enum bl_trace_call call;
	int cmd;			/* ANY_CMD, or the bpf command / ioctl request */
	int code;
	const char *text;
	const char *as_root;		/* when root gets it, if that differs */
};

static const struct meaning table[] = {
	/* ---- bpf(2), by command ---- */
	{ BL_CALL_BPF, BPF_MAP_CREATE, EINVAL,
	  "the kernel refused an attribute: a map type or flag it does not know, sizes this type does not take, or BTF types that do not fit the map", NULL },
	{ BL_CALL_BPF, BPF_MAP_CREATE, E2BIG,
	  "too large (key, value or entries), or an attribute this kernel does not know", NULL },
	{ BL_CALL_BPF, BPF_MAP_LOOKUP_ELEM, ENOENT, "no such key", NULL },
	{ BL_CALL_BPF, BPF_MAP_DELETE_ELEM, ENOENT, "no such key", NULL },
	{ BL_CALL_BPF, BPF_MAP_DELETE_ELEM, EINVAL,
	  "this map type deletes nothing: every slot of an array always exists", NULL },
	{ BL_CALL_BPF, BPF_MAP_UPDATE_ELEM, EEXIST, "the key exists and BPF_NOEXIST was asked", NULL },
	{ BL_CALL_BPF, BPF_MAP_UPDATE_ELEM, ENOENT, "no such key, and BPF_EXIST was asked", NULL },
	{ BL_CALL_BPF, BPF_MAP_UPDATE_ELEM, E2BIG, "the map is full (max_entries)", NULL },
	{ BL_CALL_BPF, BPF_MAP_UPDATE_ELEM, EPERM,
	  "the map is frozen (BPF_MAP_FREEZE) or read-only for user space", NULL },
	{ BL_CALL_BPF, BPF_MAP_GET_NEXT_KEY, ENOENT, "no key after this one: the walk is done", NULL },
	{ BL_CALL_BPF, BPF_MAP_FREEZE, EBUSY, "frozen already, or mapped writable", NULL },
	{ BL_CALL_BPF, BPF_PROG_LOAD, EACCES, "the verifier rejected it; see the log", NULL },
	{ BL_CALL_BPF, BPF_PROG_LOAD, EINVAL,
	  "refused: an attribute this kernel does not take, or code the verifier finds malformed; see the log", NULL },
	{ BL_CALL_BPF, BPF_PROG_LOAD, EPERM,
	  "not permitted: loading programs needs root, or CAP_BPF and, for tracing, CAP_PERFMON",
	  "root was refused: lockdown or a security module forbids it, or a capability (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN) is missing here" },
	{ BL_CALL_BPF, BPF_PROG_LOAD, ENOSPC,
	  "the log buffer is too small for the verifier's log: asked again with a larger one", NULL },
	{ BL_CALL_BPF, BPF_PROG_LOAD, E2BIG,
	  "an attribute this kernel does not know (it is older than the loader), or too many instructions", NULL },
	{ BL_CALL_BPF, BPF_BTF_LOAD, EINVAL,
	  "the kernel refused this BTF: a kind or value it does not know; the log says which", NULL },
	{ BL_CALL_BPF, BPF_BTF_LOAD, ENOSPC, "the log buffer is too small for the BTF log", NULL },
	{ BL_CALL_BPF, BPF_BTF_LOAD, E2BIG,
	  "the BTF is larger than the kernel takes, or an attribute it does not know", NULL },
	{ BL_CALL_BPF, BPF_OBJ_PIN, EEXIST, "something is pinned at that path already", NULL },
	{ BL_CALL_BPF, BPF_OBJ_PIN, EPERM, "that directory is not on a BPF file system", NULL },
	{ BL_CALL_BPF, BPF_OBJ_PIN, ENOENT, "the directory does not exist", NULL },
	{ BL_CALL_BPF, BPF_OBJ_GET, ENOENT, "nothing is pinned at that path", NULL },
	{ BL_CALL_BPF, BPF_RAW_TRACEPOINT_OPEN, ENOENT, "no tracepoint of that name", NULL },
	{ BL_CALL_BPF, BPF_RAW_TRACEPOINT_OPEN, EINVAL,
	  "the program is not a raw tracepoint program, or reads more arguments than the tracepoint has", NULL },
	{ BL_CALL_BPF, BPF_LINK_CREATE, EINVAL,
	  "this kernel cannot link this program to that target; links to perf events came in Linux 5.15", NULL },
	{ BL_CALL_BPF, BPF_LINK_CREATE, EEXIST, "a program is attached there already", NULL },
	{ BL_CALL_BPF, BPF_PROG_GET_NEXT_ID, ENOENT, "no program after that id: the walk is done", NULL },
	{ BL_CALL_BPF, BPF_MAP_GET_NEXT_ID, ENOENT, "no map after that id: the walk is done", NULL },
	{ BL_CALL_BPF, BPF_BTF_GET_NEXT_ID, ENOENT, "no BTF after that id: the walk is done", NULL },
	{ BL_CALL_BPF, BPF_LINK_GET_NEXT_ID, ENOENT, "no link after that id: the walk is done", NULL },
	{ BL_CALL_BPF, BPF_PROG_GET_FD_BY_ID, ENOENT, "no program has that id now", NULL },
	{ BL_CALL_BPF, BPF_MAP_GET_FD_BY_ID, ENOENT, "no map has that id now", NULL },
	{ BL_CALL_BPF, BPF_BTF_GET_FD_BY_ID, ENOENT, "no BTF has that id now", NULL },
	{ BL_CALL_BPF, BPF_LINK_GET_FD_BY_ID, ENOENT, "no link has that id now", NULL },

	/* ---- bpf(2), any command ---- */
	{ BL_CALL_BPF, ANY_CMD, EPERM,
	  "not permitted: BPF needs root, or CAP_BPF and, for tracing, CAP_PERFMON",
	  "root was refused: a capability (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN) is missing here, or a security module forbids it" },
	{ BL_CALL_BPF, ANY_CMD, E2BIG,
	  "the kernel does not know an attribute this loader set (non-zero bytes past the fields it knows): it is older than the loader's headers", NULL },
	{ BL_CALL_BPF, ANY_CMD, EINVAL,
	  "the kernel refused an attribute: a value it does not know, or one this command does not take", NULL },
	{ BL_CALL_BPF, ANY_CMD, ENOSYS, "this kernel has no bpf(2): CONFIG_BPF_SYSCALL is off", NULL },
	{ BL_CALL_BPF, ANY_CMD, ENOMEM,
	  "the kernel could not allocate it: the memory cgroup's limit, or RLIMIT_MEMLOCK before Linux 5.11", NULL },
	{ BL_CALL_BPF, ANY_CMD, ENOTSUPP_KERNEL,
	  "not supported here: the kernel-internal ENOTSUPP, which bpf(2) lets out", NULL },

	/* ---- perf_event_open(2) and its ioctls ---- */
	{ BL_CALL_PERF_OPEN, ANY_CMD, ENOENT,
	  "no such event: this kernel knows no PMU of that type or no tracepoint of that id", NULL },
	{ BL_CALL_PERF_OPEN, ANY_CMD, EINVAL,
	  "the kernel refused the attributes; for a kprobe: a function that cannot be probed, e.g. notrace", NULL },
	{ BL_CALL_PERF_OPEN, ANY_CMD, EACCES,
	  "not permitted: needs CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it", NULL },
	{ BL_CALL_PERF_OPEN, ANY_CMD, EPERM,
	  "not permitted: needs CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it",
	  "root was refused: lockdown or a security module forbids this event" },
	{ BL_CALL_PERF_OPEN, ANY_CMD, EADDRNOTAVAIL,
	  "several kernel functions have that name; a kprobe by name cannot choose", NULL },
	{ BL_CALL_PERF_OPEN, ANY_CMD, ENODEV, "the PMU cannot count here: an offline CPU?", NULL },
	{ BL_CALL_PERF_OPEN, ANY_CMD, EOPNOTSUPP, "the PMU does not support these attributes", NULL },
	{ BL_CALL_PERF_IOCTL, PERF_EVENT_IOC_SET_BPF, EINVAL,
	  "the program's type does not fit this event", NULL },
	{ BL_CALL_PERF_IOCTL, PERF_EVENT_IOC_SET_BPF, EEXIST,
	  "a program is attached to this event already, and this kernel allows one", NULL },
	{ BL_CALL_PERF_IOCTL, ANY_CMD, ENOTTY, "not a perf event fd", NULL },

	/* ---- memory ---- */
	{ BL_CALL_MMAP, ANY_CMD, EPERM,
	  "not permitted: for a perf ring, more than kernel.perf_event_mlock_kb lets this user lock; for a map, writable pages of read-only memory", NULL },
	{ BL_CALL_MMAP, ANY_CMD, EINVAL,
	  "the length or offset does not fit the object: whole pages, and a perf ring is 1 + 2^n of them", NULL },
	{ BL_CALL_MMAP, ANY_CMD, ENODEV,
	  "this fd cannot be mapped: a map created without BPF_F_MMAPABLE, or a kernel before 5.5", NULL },
	{ BL_CALL_MMAP, ANY_CMD, ENOMEM, "out of memory or of locked-memory allowance", NULL },

	/* ---- files, mounts, limits ---- */
	{ BL_CALL_WRITE, ANY_CMD, EINVAL,
	  "refused; in kprobe_events: a function that cannot be probed, or bad syntax", NULL },
	{ BL_CALL_WRITE, ANY_CMD, EEXIST, "an event of that name exists already", NULL },
	{ BL_CALL_WRITE, ANY_CMD, ENOENT, "no such event, or no such file", NULL },
	{ BL_CALL_OPEN, ANY_CMD, EBUSY,
	  "another process is reading it, and the kernel allows one reader", NULL },
	{ BL_CALL_MKDIR, ANY_CMD, EEXIST, "it exists already, which is fine", NULL },
	{ BL_CALL_MOUNT, ANY_CMD, EPERM, "mounting needs root", NULL },
	{ BL_CALL_MOUNT, ANY_CMD, ENODEV, "this kernel has no file system of that type", NULL },
	{ BL_CALL_MOUNT, ANY_CMD, EBUSY, "mounted there already", NULL },
	{ BL_CALL_MEMLOCK, ANY_CMD, EPERM,
	  "harmless: since Linux 5.11 BPF memory is charged to the memory cgroup, not to this limit; raising it needs CAP_SYS_RESOURCE", NULL },

	/* ---- any call ---- */
	{ BL_CALL_ANY, ANY_CMD, EBADF, "an fd it was given is not open", NULL },
	{ BL_CALL_ANY, ANY_CMD, EFAULT, "the kernel could not read or write memory it was pointed to", NULL },
	{ BL_CALL_ANY, ANY_CMD, EMFILE, "too many open files: see ulimit -n", NULL },
	{ BL_CALL_ANY, ANY_CMD, ENOMEM, "out of memory", NULL },
	{ BL_CALL_ANY, ANY_CMD, ENOENT, "no such file or object", NULL },
	{ BL_CALL_ANY, ANY_CMD, EACCES, "permission denied", NULL },
	{ BL_CALL_ANY, ANY_CMD, EPERM, "not permitted", NULL },
	{ BL_CALL_ANY, ANY_CMD, EBUSY, "busy: something else holds it", NULL },
	{ BL_CALL_ANY, ANY_CMD, EINTR, "interrupted by a signal", NULL },
	{ BL_CALL_ANY, ANY_CMD, EOPNOTSUPP, "not supported by this kernel", NULL },
};

static const struct meaning *find(enum bl_trace_call call, int cmd, int code)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].call == call && table[i].cmd == cmd && table[i].code == code)
			return &table[i];
	return NULL;
}

const char *bl_trace_meaning(enum bl_trace_call call, int cmd, int code)
{
	const struct meaning *m = find(call, cmd, code);

	if (!m)
		m = find(call, ANY_CMD, code);
	if (!m)
		m = find(BL_CALL_ANY, ANY_CMD, code);
	if (!m)
		return NULL;
	return bl_trace_as_root && m->as_root ? m->as_root : m->text;
}
