/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fault_run.h - running bpfload where the machine is against it, for
 * ktest_faults.c (out of resources, pins) and ktest_privileges.c
 * (capabilities, missing file systems, lockdown): a child with some
 * capabilities, uid, hidden directories or cgroup (spawn.h), and the
 * checks of what it said.
 */
#ifndef FAULT_RUN_H
#define FAULT_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "ktest_options.h"
#include "spawn.h"

#define CAP(c) (1ull << (c))
#define ALL_CAPS (~0ull)
#define NOBODY 65534

static inline void fault_tool_path(const struct ktest_options *opts, char *path, size_t size)
{
	snprintf(path, size, "%s/bpfload", opts->bindir);
}

static inline void fault_object_path(const struct ktest_options *opts, char *path, size_t size,
				     const char *object)
{
	snprintf(path, size, "%s/%s", opts->objdir, object);
}

/* The running kernel as major * 100 + minor (5.10 is 510). */
int fault_kernel_version(void);

/* Spawn options for nobody with capabilities caps (and, before 5.11,
 * CAP_SYS_RESOURCE: see fault_run.c). */
struct spawn_options nobody_with(uint64_t caps);

/* Occurrences of needle in haystack. */
int count_of(const char *haystack, const char *needle);

/*
 * bpfload with args, as o says (uid, capabilities, hidden paths); the
 * object (args[obj_arg]) is given as a copy under /tmp when the child is
 * not root, which may not reach a build directory in a 0700 home.
 */
struct run {
	struct spawn_options o;
	const char *args[8];		/* after argv[0]; NULL-terminated */
	int obj_arg;			/* index in args of the object's name */
	struct spawn_result r;
};


/* Run it; 0, or -errno when the child could not be started. */
int run_tool(const struct ktest_options *opts, struct run *run);

/* A run that failed (exit code 1) with each of needles (NULL-ended) in
 * its stdout and stderr together: one PASS or FAIL line for name. */
void expect_failure(const char *name, struct run *run, const char *const *needles);

#endif
