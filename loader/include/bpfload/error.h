/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * error.h - how the loader reports a failure.
 *
 * Every fallible loader function returns a negative errno and fills a
 * struct bl_err with one line a user can read: what failed, why, and what
 * to try.  The library never prints and never exits; the caller decides.
 */
#ifndef BL_ERROR_H
#define BL_ERROR_H

#define BL_ERR_MAX 512

/* The kernel-internal ENOTSUPP that bpf(2) sometimes returns to user space. */
#define ENOTSUPP_KERNEL 524

struct bl_err {
	int code;		/* positive errno of the first failure */
	char msg[BL_ERR_MAX];	/* one line, no trailing newline */
};

/* Fill err (which may be NULL) from a printf format; returns -code. */
int bl_fail(struct bl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "context: " in front of the message already in err; returns -err->code. */
int bl_err_context(struct bl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The errno's symbolic name ("EINVAL"), or "errno N" when unknown. */
const char *bl_errno_name(int code);

/* What to try after an errno that usually means missing privileges
 * (EPERM, EACCES: not root, a missing capability, a security module) or
 * running out of file descriptors (EMFILE, ENFILE) or memory (ENOMEM,
 * usually a memory cgroup's limit), as "; ..." to append
 * to a message; "" for any other errno. */
const char *bl_errno_hint(int code);

#endif
