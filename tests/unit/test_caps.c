// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_caps.c - what the loader says after EPERM, EMFILE or ENOMEM
 * (loader/sys/caps.c, bl_errno_hint(), bl_mount_hint()): the lockdown
 * file's format, this process's capabilities as capget(2) gives them
 * against /proc/self/status, and the hint chosen for this process.
 * The same hints for other users and capability sets are tested end to
 * end by tests/kernel/ktest_privileges.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/error.h>

#include "../testlib.h"
#include "sys/caps.h"

static void test_lockdown_parse(void)
{
	static const struct { const char *text; enum bl_lockdown mode; } cases[] = {
		{ "[none] integrity confidentiality\n", BL_LOCKDOWN_NONE },
		{ "none [integrity] confidentiality\n", BL_LOCKDOWN_INTEGRITY },
		{ "none integrity [confidentiality]\n", BL_LOCKDOWN_CONFIDENTIALITY },
		{ "", BL_LOCKDOWN_UNKNOWN },
		{ "none integrity confidentiality", BL_LOCKDOWN_UNKNOWN },
		{ "[integrity", BL_LOCKDOWN_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (bl_lockdown_parse(cases[i].text) != cases[i].mode) {
			t_fail("caps/lockdown-parse", "\"%s\": %d, expected %d", cases[i].text,
			       bl_lockdown_parse(cases[i].text), cases[i].mode);
			return;
		}
	}
	t_pass("caps/lockdown-parse");
}

/* CapEff: in /proc/self/status, the kernel's own word for the same set. */
static void test_caps_effective(void)
{
	const char *name = "caps/effective-as-proc-status";
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	uint64_t from_proc = 0, mask = 0;
	int found = 0;

	T_EXPECT(name, f != NULL, "cannot open /proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %" SCNx64, &from_proc) == 1)
			found = 1;
	fclose(f);
	T_EXPECT(name, found, "no CapEff line in /proc/self/status");
	T_EXPECT(name, bl_caps_effective(&mask) == 0, "capget failed: %s", strerror(errno));
	if (mask != from_proc)
		t_fail(name, "capget %#" PRIx64 ", /proc/self/status %#" PRIx64, mask, from_proc);
	else
		t_pass(name);
}

static void expect_hint(const char *name, const char *hint, const char *needle)
{
	if (strncmp(hint, "; ", 2) != 0 || !strstr(hint, needle))
		t_fail(name, "no \"%s\" in \"%s\"", needle, hint);
	else
		t_pass(name);
}

static void test_hints(void)
{
	uint64_t caps = 0;
	int privileged = bl_caps_effective(&caps) == 0 && bl_caps_has(caps, CAP_SYS_ADMIN);

	expect_hint("caps/hint-emfile", bl_errno_hint(EMFILE), "ulimit -n");
	expect_hint("caps/hint-enfile", bl_errno_hint(ENFILE), "fs.file-max");
	expect_hint("caps/hint-enomem", bl_errno_hint(ENOMEM), "memory cgroup");
	if (bl_errno_hint(EINVAL)[0] || bl_mount_hint(EINVAL)[0])
		t_fail("caps/hint-none", "a hint for EINVAL");
	else
		t_pass("caps/hint-none");
	expect_hint("caps/mount-hint-enodev", bl_mount_hint(ENODEV), "does not have that file system");
	if (privileged) {
		/* what is left when nothing this process holds is missing */
		const char *hint = bl_errno_hint(EPERM);

		if (!strstr(hint, "security module") && !strstr(hint, "RLIMIT_MEMLOCK") && !strstr(hint, "lockdown"))
			t_fail("caps/hint-eperm-privileged", "\"%s\"", hint);
		else
			t_pass("caps/hint-eperm-privileged");
		expect_hint("caps/mount-hint-eperm-privileged", bl_mount_hint(EPERM), "mount it beforehand");
	} else if (geteuid() != 0 && !bl_caps_has(caps, CAP_BPF) && !bl_caps_has(caps, CAP_PERFMON)) {
		expect_hint("caps/hint-eperm-unprivileged", bl_errno_hint(EPERM), "run as root");
		expect_hint("caps/mount-hint-eperm-unprivileged", bl_mount_hint(EPERM), "needs root");
	} else {
		t_skip("caps/hint-eperm", "a process with some of the capabilities (tests/kernel/ktest_privileges.c sets them)");
	}
}

int main(void)
{
	test_lockdown_parse();
	test_caps_effective();
	test_hints();
	return t_exit_code();
}
