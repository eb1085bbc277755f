// SPDX-License-Identifier: BSD-2-Clause
/*
 * syscall_tail - a program per system call, chosen by tail calls.
 *
 * The BPF programs (kern/syscall_tail.bpf.c): syscall_tail runs at every
 * system call entry (raw tracepoint sys_enter) and tail-calls through the
 * prog array syscall_progs, indexed by system call number, into
 * hello_exec ("Executing a program"), hello_timer ("Creating a timer",
 * ...) or ignore_syscall; for an empty slot it prints "Another syscall: N"
 * itself.  As in Learning eBPF's HelloTail, user space fills the slots:
 * BPF_MAP_UPDATE_ELEM with a slot number as key and a program fd as value.
 *
 * Numbers differ between architectures, so the slots are found by name in
 * $(BUILD)/gen/syscall_names.h, generated from the target's
 * <asm/unistd.h> (user/gen_syscall_names.sh), and the same table turns
 * "Another syscall: 110" back into "Another syscall: getppid" as we copy
 * trace_pipe to stdout.  (On x86_64, 32-bit programs make system calls
 * with i386's numbers, which this table names wrongly.)
 *
 * The object comes with its generated skeleton (build/gen/
 * syscall_tail.skel.h): skel->rodata->nr_timer_create = ... before load,
 * skel->maps.syscall_progs and skel->progs.hello_exec after.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/trace_pipe.h>

#include "syscall_names.h"
#include "syscall_tail.skel.h"
#include "syscall_tail_common.h"
#include "tool_common.h"
#include "tool_main.h"

struct options {
	int64_t duration_ms;	/* 0: until Ctrl-C */
	int skip_others;
};

/* Which program each system call's slot gets. */
static const char *const exec_calls[] = { "execve" };
static const char *const timer_calls[] = {
	"timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete",
};
/* Calls so frequent that they would drown the others, not shown.  Names
 * this architecture does not have (arm64 has no open, poll, select...)
 * are passed over. */
static const char *const ignored_calls[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "close",
	"open", "openat", "stat", "fstat", "lstat", "newfstatat", "statx", "access", "faccessat",
	"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_ctl",
	"futex", "nanosleep", "clock_nanosleep", "clock_gettime", "gettimeofday",
	"mmap", "munmap", "mprotect", "madvise", "brk", "ioctl", "fcntl",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_yield",
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	"recvmsg", "sendmsg", "recvfrom", "sendto", "getrandom",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* This architecture's number for a system call name, or -1. */
static long syscall_nr(const char *name)
{
	size_t i;

	for (i = 0; i < SYSCALL_NAME_COUNT; i++)
		if (strcmp(syscall_names[i].name, name) == 0)
			return syscall_names[i].nr;
	return -1;
}

/* The name of a system call number, or NULL. */
static const char *syscall_name(unsigned long nr)
{
	size_t i;

	for (i = 0; i < SYSCALL_NAME_COUNT; i++)
		if (syscall_names[i].nr == nr)
			return syscall_names[i].name;
	return NULL;
}

/* This architecture's number for a system call, or ~0 (which matches
 * no call) when it has no such call. */
static uint64_t syscall_nr_or_none(const char *name)
{
	long nr = syscall_nr(name);

	return nr < 0 ? ~0ULL : (uint64_t)nr;
}

/* Before loading: who we are, what --skip-others says, and which numbers
 * the timer program is to tell apart (.rodata, frozen at load). */
static void configure(struct syscall_tail *skel, const struct options *o)
{
	skel->rodata->tool_tgid = (uint32_t)getpid();
	skel->rodata->skip_others = (uint32_t)o->skip_others;
	skel->rodata->nr_timer_create = syscall_nr_or_none("timer_create");
	skel->rodata->nr_timer_settime = syscall_nr_or_none("timer_settime");
	skel->rodata->nr_timer_gettime = syscall_nr_or_none("timer_gettime");
	skel->rodata->nr_timer_delete = syscall_nr_or_none("timer_delete");
}

/* Point the slot of each named system call at prog. */
static int fill_slots(const struct bl_map *slots, const struct bl_program *prog,
		      const char *const *names, size_t count, struct bl_err *err)
{
	uint32_t fd = (uint32_t)bl_program_fd(prog);
	size_t i;

	for (i = 0; i < count; i++) {
		long nr = syscall_nr(names[i]);
		uint32_t key = (uint32_t)nr;
		int ret;

		if (nr < 0)
			continue;	/* not a system call on this architecture */
		if (nr >= SYSCALL_TAIL_SLOTS)
			return bl_fail(err, ERANGE, "system call %s is number %ld, beyond the %d slots of %s; raise SYSCALL_TAIL_SLOTS",
				       names[i], nr, SYSCALL_TAIL_SLOTS, bl_map_name(slots));
		ret = bl_map_update(bl_map_fd(slots), &key, &fd, BPF_ANY);
		if (ret)
			return bl_fail(err, -ret, "putting program %s in slot %u (%s) of %s failed: %s",
				       bl_program_name(prog), key, names[i], bl_map_name(slots), bl_errno_name(-ret));
	}
	return 0;
}

static int fill_prog_array(const struct syscall_tail *skel, struct bl_err *err)
{
	const struct bl_map *slots = skel->maps.syscall_progs;

	if (fill_slots(slots, skel->progs.hello_exec, exec_calls, COUNT(exec_calls), err) ||
	    fill_slots(slots, skel->progs.hello_timer, timer_calls, COUNT(timer_calls), err) ||
	    fill_slots(slots, skel->progs.ignore_syscall, ignored_calls, COUNT(ignored_calls), err))
		return -1;
	return 0;
}

/* Copy a trace_pipe line to stdout, naming the number in "Another
 * syscall: N" when this architecture's table knows it. */
static void print_line(const char *line, void *ctx)
{
	const char *other = strstr(line, SYSCALL_TAIL_OTHER), *digits, *name = NULL;
	char *end = NULL;
	long nr = -1;

	(void)ctx;
	if (!line[0])
		return;		/* an empty line carries nothing */
	if (other) {
		digits = other + strlen(SYSCALL_TAIL_OTHER);
		nr = strtol(digits, &end, 10);
		if (end != digits && *end == '\0' && nr >= 0)
			name = syscall_name((unsigned long)nr);
	}
	if (name)
		printf("%.*s%s%s\n", (int)(digits - line), line, name, end);
	else
		puts(line);
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct bl_trace_pipe tp = { .fd = -1 };
	struct syscall_tail *skel;
	int ret = -1;

	/* 1. Open: parse the BPF object the skeleton embeds, and set its
	 *    constants. */
	skel = syscall_tail__open(err);
	if (!skel)
		return -1;
	configure(skel, o);

	/* 2. Load: maps and all four programs, then the prog array's slots. */
	if (syscall_tail__load(skel, err)) {
		tool_print_verifier_logs(skel->obj);
		goto out;
	}
	if (fill_prog_array(skel, err))
		goto out;

	/* 3. Attach: the main program to sys_enter.  The others run only
	 *    through their slots: their sections ("raw_tp/") name no
	 *    tracepoint, so syscall_tail__attach() passes them over. */
	if (syscall_tail__attach(skel, err) || bl_trace_pipe_open(&tp, err))
		goto out;
	fprintf(stderr, "Tracing system calls (raw tracepoint sys_enter, tail calls by number)... Hit Ctrl-C to end.\n");

	/* 4. Read: stream the programs' lines. */
	ret = tool_stream_trace_pipe(&tp, o->duration_ms ? tool_now_ms() + o->duration_ms : 0,
				     print_line, NULL, err);
	if (syscall_tail__detach(skel, err) && ret == 0)
		ret = -1;
out:
	/* 5. Close: detach if still attached, then free maps and programs. */
	bl_trace_pipe_close(&tp);
	syscall_tail__destroy(skel);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_DURATION(struct options, duration_ms),
	TOOL_FLAG('s', "skip-others", "print nothing for the other system calls",
		  struct options, skip_others),
	{ 0 }
};

static const struct tool syscall_tail = {
	.name = "syscall_tail",
	.summary = "Print a line for system calls as they are made, by tail calls into a\n"
		   "BPF program per system call: execve, the POSIX timer calls, and\n"
		   "\"Another syscall: NAME\" for the rest (frequent ones are not shown).",
	.epilog = "System call numbers are this architecture's (" SYSCALL_NAMES_ARCH ").\n",
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { 0 };

	return tool_main(&syscall_tail, &o, argc, argv);
}
