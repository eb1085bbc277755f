/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * caps.h - what this process may do, for explaining an EPERM: which of
 * the capabilities BPF asks for it holds, its RLIMIT_MEMLOCK, and the
 * kernel's lockdown mode.
 *
 * Since Linux 5.8 BPF takes CAP_BPF (maps, programs, BTF) with
 * CAP_PERFMON (tracing programs, perf events, reading kernel memory)
 * instead of CAP_SYS_ADMIN, which still grants everything.  Before 5.11
 * every map and program is charged to RLIMIT_MEMLOCK, and the kernel
 * answers EPERM, not ENOMEM, when it is exceeded.  Kernel lockdown
 * ("integrity" or "confidentiality", /sys/kernel/security/lockdown)
 * refuses some of it even to root.
 *
 * Syscalls: capget(2), getrlimit(2), uname(2); reads
 * /sys/kernel/security/lockdown.
 */
#ifndef BL_SYS_CAPS_H
#define BL_SYS_CAPS_H

#include <stdint.h>

/* The effective capabilities as a bit mask (bit n: capability n). */
int bl_caps_effective(uint64_t *mask);

static inline int bl_caps_has(uint64_t mask, int cap)
{
	return (int)((mask >> cap) & 1);
}

/* Whether the kernel still charges BPF memory to RLIMIT_MEMLOCK (before
 * 5.11) and this process's limit is not unlimited. */
int bl_memlock_limited(void);

enum bl_lockdown {
	BL_LOCKDOWN_UNKNOWN,		/* no securityfs, or no lockdown LSM */
	BL_LOCKDOWN_NONE,
	BL_LOCKDOWN_INTEGRITY,
	BL_LOCKDOWN_CONFIDENTIALITY,
};

/* The mode in brackets in text such as "none [integrity] confidentiality". */
enum bl_lockdown bl_lockdown_parse(const char *text);

/* The running kernel's mode, from /sys/kernel/security/lockdown. */
enum bl_lockdown bl_lockdown_mode(void);

/* What to try after mount(2) failed with code, as "; ..." (or ""):
 * mounting takes CAP_SYS_ADMIN, which root may have been run without. */
const char *bl_mount_hint(int code);

#endif
