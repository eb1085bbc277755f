// SPDX-License-Identifier: BSD-2-Clause
/*
 * fault_run.c - bpfload run as a child set up to fail (see fault_run.h).
 */
#define _GNU_SOURCE
#include "fault_run.h"

#include <linux/capability.h>
#include <string.h>
#include <sys/utsname.h>

#include "../testlib.h"

int fault_kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &major, &minor);
	return major * 100 + minor;
}

/*
 * A child running as nobody with capabilities caps.  Before 5.11 maps
 * count against RLIMIT_MEMLOCK, charged to the user and given back only
 * some time after a map is freed: such a user needs CAP_SYS_RESOURCE to
 * raise it (faults/small-memlock-limit tests what happens without).
 */
struct spawn_options nobody_with(uint64_t caps)
{
	struct spawn_options o = { .run_as_uid = NOBODY, .limit_caps = 1, .caps = caps };

	if (fault_kernel_version() < 511)
		o.caps |= CAP(CAP_SYS_RESOURCE);
	return o;
}

int count_of(const char *haystack, const char *needle)
{
	int n = 0;

	for (; (haystack = strstr(haystack, needle)); haystack += strlen(needle))
		n++;
	return n;
}

int run_tool(const struct ktest_options *opts, struct run *run)
{
	char tool[512], obj[512], dir[64] = "", copy[512];
	const char *argv[10];
	int i, ret;

	fault_tool_path(opts, tool, sizeof(tool));
	argv[0] = tool;
	for (i = 0; run->args[i] && i < 8; i++)
		argv[i + 1] = run->args[i];
	argv[i + 1] = NULL;
	fault_object_path(opts, obj, sizeof(obj), run->args[run->obj_arg]);
	argv[run->obj_arg + 1] = obj;
	if (run->o.run_as_uid) {
		ret = spawn_public_copy(obj, dir, sizeof(dir), copy, sizeof(copy));
		if (ret)
			return ret;
		argv[run->obj_arg + 1] = copy;
	}
	run->o.argv = argv;
	if (!run->o.timeout_ms)
		run->o.timeout_ms = 60000;
	ret = spawn_run(&run->o, &run->r);
	if (dir[0])
		spawn_public_copy_remove(dir, copy);
	return ret;
}

/* A run that failed, with the one line per failure expected: each of
 * needles in stderr and stdout together. */
void expect_failure(const char *name, struct run *run, const char *const *needles)
{
	char all[16384];
	size_t i;

	snprintf(all, sizeof(all), "%s%s", run->r.out, run->r.err);
	if (run->r.exit_code == 126) {
		t_fail(name, "the child could not set up its uid, capabilities, mounts or cgroup");
		return;
	}
	if (run->r.exit_code != 1) {
		t_fail(name, "exit code %d, expected 1: %s", run->r.exit_code, all);
		return;
	}
	for (i = 0; needles[i]; i++) {
		if (!strstr(all, needles[i])) {
			t_fail(name, "no \"%s\" in: %s", needles[i], all);
			return;
		}
	}
	t_pass(name);
}

