// SPDX-License-Identifier: BSD-2-Clause
/*
 * error.c - filling struct bl_err, and what to try after common errnos.
 * Syscalls: geteuid(2) and, through caps.c, capget(2), getrlimit(2) and
 * a read of the lockdown mode, to tell "not root" from "root, but refused".
 */
#include <bpfload/error.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "sys/caps.h"

int bl_fail(struct bl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (code <= 0)
		code = EINVAL;
	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -code;
}

int bl_err_context(struct bl_err *err, const char *fmt, ...)
{
	char old[BL_ERR_MAX];
	size_t len;
	va_list ap;

	if (!err)
		return -EINVAL;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	if (len + 2 < sizeof(err->msg)) {
		memcpy(err->msg + len, ": ", 2);
		len += 2;
		old[sizeof(old) - 1 - len] = '\0';	/* cut the old text to what fits */
		memcpy(err->msg + len, old, strlen(old) + 1);
	}
	return -err->code;
}

const char *bl_errno_name(int code)
{
	static __thread char unknown[24];

	switch (code) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EINVAL: return "EINVAL";
	case ENXIO: return "ENXIO";
	case ENOTTY: return "ENOTTY";
	case EROFS: return "EROFS";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case ENOEXEC: return "ENOEXEC";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EBADMSG: return "EBADMSG";
	case ECANCELED: return "ECANCELED";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOTSUPP_KERNEL: return "ENOTSUPP";
	default:
		snprintf(unknown, sizeof(unknown), "errno %d", code);
		return unknown;
	}
}

/*
 * Why the kernel refused a process holding the capabilities BPF needs:
 * RLIMIT_MEMLOCK before 5.11, or lockdown in confidentiality mode
 * (integrity mode only withholds bpf_probe_write_user(), which the
 * verifier reports); else a security module, whose policy nothing here
 * can see.
 */
static const char *refused_with_capabilities(void)
{
	if (bl_memlock_limited())
		return "; before Linux 5.11 BPF memory counts against RLIMIT_MEMLOCK, which is limited here and "
		       "could not be raised (that needs CAP_SYS_RESOURCE): run with ulimit -l unlimited";
	switch (bl_lockdown_mode()) {
	case BL_LOCKDOWN_CONFIDENTIALITY:
		return "; kernel lockdown is in confidentiality mode, which forbids kprobes, perf events, tracefs "
		       "and reading kernel memory even to root (see /sys/kernel/security/lockdown)";
	default:
		break;
	}
	return "; refused although this process has the capabilities BPF needs: a security module "
	       "(SELinux, AppArmor, the BPF LSM) forbids it, or the program type needs CAP_SYS_ADMIN";
}

static const char *privilege_hint(void)
{
	uint64_t caps = 0;
	int known = bl_caps_effective(&caps) == 0;
	int bpf = bl_caps_has(caps, CAP_BPF), perfmon = bl_caps_has(caps, CAP_PERFMON);

	if (known && bl_caps_has(caps, CAP_SYS_ADMIN))
		return refused_with_capabilities();
	if (bpf && perfmon)
		return refused_with_capabilities();
	if (bpf)
		return "; this process has CAP_BPF but not CAP_PERFMON, which tracing programs, perf events "
		       "and reading kernel memory need: add CAP_PERFMON, or run as root";
	if (perfmon)
		return "; this process has CAP_PERFMON but not CAP_BPF, which maps and programs need: "
		       "add CAP_BPF, or run as root";
	if (geteuid() != 0 || !known)
		return "; run as root (BPF needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)";
	return "; this process is root but without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN "
	       "(they were dropped before it started): run it with them";
}

const char *bl_errno_hint(int code)
{
	if (code == EMFILE)
		return "; this process is out of file descriptors (each map, program, BTF object, link and "
		       "per-CPU perf event holds one): raise the limit with ulimit -n";
	if (code == ENFILE)
		return "; the system is out of file descriptors (sysctl fs.file-max)";
	if (code == ENOMEM)
		return "; the kernel could not allocate it: this process's memory cgroup is at its limit "
		       "(memory.max; since Linux 5.11 BPF memory counts there), or the system is out of memory";
	if (code != EPERM && code != EACCES)
		return "";
	return privilege_hint();
}
