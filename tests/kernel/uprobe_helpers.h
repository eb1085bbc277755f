/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uprobe_helpers.h - for the uprobe and USDT kernel tests: running the
 * target program (tests/target/uprobe_target) and talking to it, reading
 * its USDT semaphore out of its memory, and finding what an attachment
 * could leave behind (BPF links, perf events, tracefs uprobe events).
 */
#ifndef UPROBE_HELPERS_H
#define UPROBE_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct target_proc {
	pid_t pid;
	int to;			/* its stdin */
	int from;		/* its stdout */
	uint64_t sema_addr;	/* where bltest_sema_semaphore is in it */
	char path[512];
};

/* The directory of the running test binary, where the targets are. */
const char *test_bindir(void);

/* Start path (the target program); it answers "ready PID ADDR". */
int target_start(struct target_proc *t, const char *path, char *why, size_t size);

/* Send one command line ("add 100 1 2") and read the answer line into
 * reply (may be NULL); 0, or -1 on a timeout or an answer not "ok". */
int target_cmd(struct target_proc *t, const char *cmd, char *reply, size_t size);

/* The target's semaphore as its memory holds it (process_vm_readv). */
int target_semaphore(const struct target_proc *t, uint16_t *value);

/* Close its stdin and wait for it to end. */
void target_stop(struct target_proc *t);

/* BPF links whose program is prog_fd's, perf event fds this process (or
 * process pid) has open, and lines of tracefs uprobe_events that loaders
 * with process id pid made (the last copied to found). */
int links_of_program(int prog_fd);
int open_perf_events(void);
int perf_events_of(pid_t pid);
int uprobe_events_of(pid_t pid, char *found, size_t size);

#endif
