// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe_helpers.c - the target process, its memory, and leftovers.
 */
#define _GNU_SOURCE
#include "uprobe_helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <linux/bpf.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/bpf_link.h"
#include "sys/bpf_syscall.h"
#include "sys/tracefs.h"

#define ANSWER_TIMEOUT_MS 20000	/* qemu without KVM is slow */

const char *test_bindir(void)
{
	static char dir[PATH_MAX];
	char *slash;

	if (!dir[0] && realpath("/proc/self/exe", dir) && (slash = strrchr(dir, '/')))
		*slash = '\0';
	return dir;
}

/* One line from fd, waiting at most ANSWER_TIMEOUT_MS. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, ANSWER_TIMEOUT_MS) <= 0)
			return -1;
		n = read(fd, buf + len, 1);
		if (n <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return 0;
}

int target_start(struct target_proc *t, const char *path, char *why, size_t size)
{
	int in[2], out[2], pid_seen;
	char line[128];
	void *addr;

	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "%s", path);
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		snprintf(why, size, "pipe: %s", strerror(errno));
		return -1;
	}
	t->pid = fork();
	if (t->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	t->to = in[1];
	t->from = out[0];
	if (t->pid < 0 || read_line(t->from, line, sizeof(line)) ||
	    sscanf(line, "ready %d %p", &pid_seen, &addr) != 2) {
		snprintf(why, size, "%s did not start (is it built? it needs libuprobe_target.so next to it)", path);
		target_stop(t);
		return -1;
	}
	t->sema_addr = (uint64_t)(uintptr_t)addr;
	return 0;
}

int target_cmd(struct target_proc *t, const char *cmd, char *reply, size_t size)
{
	char line[256], buf[256];
	size_t len = (size_t)snprintf(line, sizeof(line), "%s\n", cmd);

	if (write(t->to, line, len) != (ssize_t)len || read_line(t->from, buf, sizeof(buf)))
		return -1;
	if (reply)
		snprintf(reply, size, "%s", buf);
	return strncmp(buf, "ok", 2) == 0 ? 0 : -1;
}

int target_semaphore(const struct target_proc *t, uint16_t *value)
{
	struct iovec local = { value, sizeof(*value) };
	struct iovec remote = { (void *)(uintptr_t)t->sema_addr, sizeof(*value) };

	return process_vm_readv(t->pid, &local, 1, &remote, 1, 0) == sizeof(*value) ? 0 : -errno;
}

void target_stop(struct target_proc *t)
{
	int status;

	if (t->to > 0)
		close(t->to);
	if (t->from > 0)
		close(t->from);
	t->to = t->from = -1;
	if (t->pid > 0) {
		/* it ends when its stdin does; a stuck one is killed */
		for (int i = 0; i < 100 && waitpid(t->pid, &status, WNOHANG) == 0; i++)
			usleep(20000);
		if (kill(t->pid, 0) == 0) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &status, 0);
		}
	}
	t->pid = 0;
}

static uint32_t prog_id(int prog_fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bl_obj_get_info(prog_fd, &info, &len) == 0 ? info.id : 0;
}

int links_of_program(int prog_fd)
{
	uint32_t id = 0, want = prog_id(prog_fd);
	int n = 0;

	while (want && bl_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info;
		uint32_t len = sizeof(info);
		int fd = bl_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(fd, &info, &len) == 0 && info.prog_id == want)
			n++;
		close(fd);
	}
	return n;
}

int open_perf_events(void)
{
	return perf_events_of(0);
}

int perf_events_of(pid_t pid)
{
	char dir[64], path[64 + 256], target[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (pid)
		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	else
		snprintf(dir, sizeof(dir), "/proc/self/fd");
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		ssize_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, "anon_inode:[perf_event]") == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

int uprobe_events_of(pid_t pid, char *found, size_t size)
{
	char buf[32768], mark[32];
	const char *p;
	int n = 0;

	found[0] = '\0';
	if (bl_tracefs_read("uprobe_events", buf, sizeof(buf)) < 0)
		return 0;
	/* our event names: bl_u<p|r><attempt>_<pid>_... */
	snprintf(mark, sizeof(mark), "_%d_", (int)pid);
	for (p = buf; (p = strstr(p, ":uprobes/bl_u")); p++) {
		const char *end = strchr(p, ' ');
		const char *m = strstr(p, mark);

		if (m && end && m < end) {
			snprintf(found, size, "%.80s", p + 1);
			n++;
		}
	}
	return n;
}
