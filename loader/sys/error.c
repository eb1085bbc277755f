// SPDX-License-Identifier: BSD-2-Clause
/*
 * error.c - filling struct bl_err, and what to try after common errnos.
 * Syscalls: geteuid(2), to tell "not root" from "root, but refused".
 */
#include <bpfload/error.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

const char *bl_errno_hint(int code)
{
	if (code == EMFILE)
		return "; this process is out of file descriptors (each map, program, BTF object, link and "
		       "per-CPU perf event holds one): raise the limit with ulimit -n";
	if (code == ENFILE)
		return "; the system is out of file descriptors (sysctl fs.file-max)";
	if (code != EPERM && code != EACCES)
		return "";
	if (geteuid() != 0)
		return "; run as root (BPF needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)";
	return "; root lacks a capability here (CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN), or a security module forbids BPF";
}
