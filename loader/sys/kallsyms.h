/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kallsyms.h - the kernel's symbol table, /proc/kallsyms.
 *
 * One line per symbol of the kernel and its loaded modules:
 *   ffffffff81e01a40 D bpf_prog_active
 *   ffffffffc0a31000 t nf_ct_helper_hash_fn	[nf_conntrack]
 * the address in hexadecimal, nm's one-letter type (T/t text, D/d data,
 * B/b bss, R/r read-only, ...; capital: global), the name, and for a
 * module's symbol a tab and the module in brackets.
 *
 * Functions are always listed; variables only in kernels built with
 * CONFIG_KALLSYMS_ALL (Debian's x86_64 kernels, not its arm64 ones).
 *
 * Addresses are shown only to readers the kernel trusts, judged by the
 * credentials of whoever opened the file: with kernel.kptr_restrict=0 to
 * everyone when kernel.perf_event_paranoid <= 1, else to readers with
 * CAP_SYSLOG; with kptr_restrict=1 to readers with CAP_SYSLOG; with 2 to
 * nobody.  Everyone else reads every address as 0 - so a 0 means
 * "hidden", not "at 0".
 *
 * Syscalls: open/read/close of /proc/kallsyms.
 */
#ifndef BL_KALLSYMS_H
#define BL_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

#define BL_KALLSYMS_PATH "/proc/kallsyms"
#define BL_KSYM_NAME_MAX 512	/* the kernel's KSYM_NAME_LEN (6.1) */

/* One line, valid during the callback only. */
struct bl_ksym {
	uint64_t addr;
	char type;		/* 'T', 'd', ... */
	const char *name;
	const char *module;	/* "nf_conntrack", or NULL for vmlinux */
};

/* Called for each symbol; a non-zero return stops the walk and is
 * returned. */
typedef int (*bl_ksym_fn)(void *ctx, const struct bl_ksym *sym);

/* Every line of a kallsyms text in memory.  A malformed line is refused
 * with its number. */
int bl_kallsyms_parse(const char *text, size_t len, bl_ksym_fn fn, void *ctx, struct bl_err *err);

/* The same, streaming a file (normally BL_KALLSYMS_PATH) without
 * holding it all in memory. */
int bl_kallsyms_read(const char *path, bl_ksym_fn fn, void *ctx, struct bl_err *err);

/* A name to look up, and what the lookup found. */
struct bl_ksym_query {
	const char *name;
	unsigned int found;		/* lines with this name */
	uint64_t addr;			/* of the first */
	uint64_t other_addr;		/* a second, different address: ambiguous */
	char module[64];		/* of the first; "" for vmlinux */
};

/*
 * Look up n names in one pass over path.  A name may be found several
 * times at the same address (aliases), but several addresses make it
 * ambiguous (other_addr != 0).  When the file shows no address other
 * than 0, *hidden is set: the caller may not see addresses (see above),
 * and found addresses are all 0.
 */
int bl_kallsyms_lookup(const char *path, struct bl_ksym_query *q, size_t n, int *hidden,
		       struct bl_err *err);

/* A sentence on why addresses are hidden here and what to do. */
const char *bl_kallsyms_hidden_hint(void);

/* The architecture's prefix of system call wrappers, the functions
 * __PREFIX_sys_NAME(struct pt_regs *) through which system calls enter
 * (x86-64 since 4.17, arm64 since 4.19): "x64", "arm64", ...; NULL where
 * there are none to look for. */
const char *bl_syscall_wrapper_prefix(void);

#endif
