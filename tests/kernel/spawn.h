/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spawn.h - run a tool as a child process and capture what it prints.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct spawn_result {
	int exit_code;		/* -1 when killed by a signal */
	int signal;		/* the signal that ended it, or 0 */
	int timed_out;
	char *out;		/* everything written to stdout, NUL-terminated */
	char *err;		/* everything written to stderr */
};

struct spawn_options {
	const char *const *argv;	/* argv[0] is the program's path */
	const char *const *env;		/* extra NAME=VALUE entries, NULL-terminated, or NULL */
	uid_t run_as_uid;		/* 0: stay root; else setgid/setuid to it */
	/* limit_caps: the child keeps only the capabilities in caps (bit n:
	 * capability n), as root (the rest leave its bounding set) or as
	 * run_as_uid (they stay as ambient capabilities across exec) */
	int limit_caps;
	uint64_t caps;
	/* directories covered, for the child only, by an empty tmpfs in a
	 * mount namespace of its own (NULL-terminated, or NULL): a kernel
	 * without /sys/kernel/btf, without tracefs or bpffs mounted */
	const char *const *hide;
	/* a cgroup's cgroup.procs, which the child joins before exec, or NULL */
	const char *cgroup_procs;
	int timeout_ms;			/* killed with SIGKILL after this */
	int signal_after_ms;		/* send stop_signal after this (0: never) */
	int stop_signal;
	/* called about every 50 ms while the child runs, with what it has
	 * written to stderr so far */
	void (*while_running)(pid_t child, const char *err, void *ctx);
	void *ctx;
};

/* Run the child to completion; returns 0 or -errno (fork/pipe failure). */
int spawn_run(const struct spawn_options *opts, struct spawn_result *res);

void spawn_result_free(struct spawn_result *res);

/* A child spinning on each online CPU, pinned there (at most max): for
 * tests of sampling, which an idle CPU does not do in step with its
 * clock.  Returns how many started; busy_cpus_stop() kills and reaps. */
int busy_cpus_start(pid_t *pids, int max);
void busy_cpus_stop(pid_t *pids, int n);

/* A copy of file prog (mode 0755) in a new directory under /tmp that
 * every user can enter (dir, at least 64 bytes): what a test dropping
 * to another uid gives that uid, as a clone in /root or a 0700 home
 * directory is out of its reach.  0 with the copy's path in path, or
 * -errno; spawn_run() makes one itself for run_as_uid. */
int spawn_public_copy(const char *prog, char *dir, size_t dir_size, char *path, size_t path_size);
void spawn_public_copy_remove(const char *dir, const char *path);

/* Number of lines in text (a last line without newline counts). */
int count_lines(const char *text);

#endif
