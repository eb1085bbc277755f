// SPDX-License-Identifier: BSD-2-Clause
/*
 * stale_probes.c - removing the tracefs kprobe and uprobe events that a
 * loader of ours made and never removed because it was killed.
 *
 * Kernels without the kprobe or uprobe PMU (and BPFLOAD_LEGACY_KPROBES)
 * get probes written into tracefs kprobe_events or uprobe_events; they
 * stay there after the process dies unless someone writes "-:NAME".  Our
 * names carry the creator's pid (bl_p0_PID_FUNC, bl_ur1_PID_..., see
 * kprobe.c and uprobe.c), so a later run can tell which are orphans: those
 * whose process no longer exists.
 *
 * Syscalls: reads and writes of tracefs kprobe_events and uprobe_events,
 * kill(pid, 0) to ask whether a process exists, and a read of
 * /proc/PID/stat to tell a zombie from a live one.
 */
#include "attach/attach.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/file.h"
#include "sys/tracefs.h"

#define EVENTS_MAX (256 * 1024)

/* The creator's pid in one of our event names ("bl_p0_1234_memcpy",
 * "bl_ur1_1234_libc_so_6_1a2b"), or 0 for a name that is not ours. */
static long creator_pid(const char *name)
{
	const char *p = name;
	char *end;
	long pid;

	if (strncmp(p, "bl_", 3) != 0)
		return 0;
	p += 3;
	if (*p == 'u')
		p++;
	if (*p != 'p' && *p != 'r')
		return 0;
	strtol(p + 1, &end, 10);		/* the attempt number */
	if (end == p + 1 || *end != '_')
		return 0;
	pid = strtol(end + 1, &end, 10);
	return pid > 0 && *end == '_' ? pid : 0;
}

/* Whether process pid is gone: no such process, or a zombie (its files,
 * and so its perf events, are closed; only its parent has not reaped it). */
static int process_gone(long pid)
{
	char path[64], stat[256];
	const char *state;

	if (kill((pid_t)pid, 0) != 0)
		return errno == ESRCH;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (bl_read_text(path, stat, sizeof(stat), 0) < 0)
		return 0;
	state = strrchr(stat, ')');	/* "PID (COMM) STATE ...": COMM may hold anything */
	return state && state[1] == ' ' && state[2] == 'Z';
}

/* One line of kprobe_events or uprobe_events: "p:GROUP/NAME TARGET". */
static int remove_if_orphan(const char *file, const char *line, char *removed, size_t size,
			    struct bl_err *err)
{
	char event[BL_KPROBE_EVENT_MAX], cmd[BL_KPROBE_EVENT_MAX + 4];
	const char *colon = strchr(line, ':'), *slash, *space;
	size_t len, used;
	long pid;

	if (!colon || !(space = strchr(colon, ' ')) || (size_t)(space - colon - 1) >= sizeof(event))
		return 0;
	len = (size_t)(space - colon - 1);
	memcpy(event, colon + 1, len);
	event[len] = '\0';
	slash = strchr(event, '/');
	pid = creator_pid(slash ? slash + 1 : event);
	if (!pid || !process_gone(pid))
		return 0;	/* not ours, or its process is alive */
	snprintf(cmd, sizeof(cmd), "-:%s\n", event);
	if (bl_tracefs_append(file, cmd, err))
		return -1;
	used = strlen(removed);
	snprintf(removed + used, size - used, "%s%s (process %ld)", used ? ", " : "", event, pid);
	return 1;
}

static int clean_file(const char *file, char *buf, char *removed, size_t size, struct bl_err *err)
{
	int n = bl_tracefs_read(file, buf, EVENTS_MAX), count = 0, ret;
	char *line, *next;

	if (n < 0)
		return 0;	/* no such file: this kernel has no such probes */
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ret = remove_if_orphan(file, line, removed, size, err);
		if (ret < 0)
			return -1;
		count += ret;
	}
	return count;
}

int bl_remove_stale_probes(char *removed, size_t size, struct bl_err *err)
{
	static const char *const files[] = { "kprobe_events", "uprobe_events" };
	char *buf;
	int total = 0, n;

	if (size)
		removed[0] = '\0';
	if (!bl_tracefs_mounted())
		return 0;	/* nothing can be left where nothing is mounted */
	buf = malloc(EVENTS_MAX);
	if (!buf)
		return bl_fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = clean_file(files[i], buf, removed, size, err);
		if (n < 0) {
			free(buf);
			return -err->code;
		}
		total += n;
	}
	free(buf);
	return total;
}
