// SPDX-License-Identifier: BSD-2-Clause
/*
 * caps.c - the capabilities, memlock limit and lockdown mode that decide
 * whether the kernel lets this process use BPF (see caps.h).
 * Syscalls: capget(2), geteuid(2), getrlimit(2), uname(2); open/read/close of
 * /sys/kernel/security/lockdown.
 */
#include "sys/caps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"

int bl_caps_effective(uint64_t *mask)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	/* glibc has no wrapper without libcap: the raw call, two 32-bit words */
	if (syscall(SYS_capget, &header, data) < 0)
		return -1;
	*mask = (uint64_t)data[1].effective << 32 | data[0].effective;
	return 0;
}

int bl_memlock_limited(void)
{
	struct rlimit limit;

	if (bl_running_kernel_version() >= (5u << 16 | 11u << 8))
		return 0;
	return getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
}

enum bl_lockdown bl_lockdown_parse(const char *text)
{
	static const struct { const char *word; enum bl_lockdown mode; } modes[] = {
		{ "[none]", BL_LOCKDOWN_NONE },
		{ "[integrity]", BL_LOCKDOWN_INTEGRITY },
		{ "[confidentiality]", BL_LOCKDOWN_CONFIDENTIALITY },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strstr(text, modes[i].word))
			return modes[i].mode;
	return BL_LOCKDOWN_UNKNOWN;
}

enum bl_lockdown bl_lockdown_mode(void)
{
	char text[128];
	int fd = open("/sys/kernel/security/lockdown", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return BL_LOCKDOWN_UNKNOWN;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return BL_LOCKDOWN_UNKNOWN;
	text[n] = '\0';
	return bl_lockdown_parse(text);
}

const char *bl_mount_hint(int code)
{
	uint64_t caps = 0;

	if (code == ENODEV)
		return "; this kernel does not have that file system";
	if (code != EPERM)
		return "";
	if (geteuid() != 0)
		return "; mounting needs root";
	if (bl_caps_effective(&caps) == 0 && !bl_caps_has(caps, CAP_SYS_ADMIN))
		return "; mounting needs CAP_SYS_ADMIN, which this process lacks: mount it beforehand, "
		       "or run with CAP_SYS_ADMIN";
	return "; root may not mount here (a container or a security module forbids it): mount it beforehand";
}
