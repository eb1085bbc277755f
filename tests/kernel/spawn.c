// SPDX-License-Identifier: BSD-2-Clause
/*
 * spawn.c - fork, exec, collect stdout and stderr, enforce a timeout.
 */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct buffer {
	char *data;
	size_t len, cap;
};

static void append(struct buffer *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 4096);

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A child that drops to another uid runs a copy of the program made in a
 * new directory under /tmp: the program's own mode lets every user run
 * it, but the directories above it may not let that user pass (a clone
 * in /root, or in a 0700 home directory), and exec would fail with
 * EACCES.  (Executing through a descriptor opened as root, fexecve(),
 * would avoid the copy, but Debian's 5.10 kernel answers ENOENT to
 * execveat(fd, "", AT_EMPTY_PATH) in the qemu guest.)
 * Returns 0 with the copy's path in path, or -errno. */
int spawn_public_copy(const char *prog, char *dir, size_t dir_size, char *path, size_t path_size)
{
	char buf[65536];
	const char *base = strrchr(prog, '/');
	int in, out = -1, ret = 0;
	ssize_t n;

	snprintf(dir, dir_size, "/tmp/bl-spawn-XXXXXX");
	if (!mkdtemp(dir))
		return -errno;
	if (chmod(dir, 0755) < 0) {
		ret = -errno;
		rmdir(dir);
		return ret;
	}
	snprintf(path, path_size, "%s/%s", dir, base ? base + 1 : prog);
	in = open(prog, O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		ret = -errno;
	while (!ret && (n = read(in, buf, sizeof(buf))) != 0)
		if (n < 0 || write(out, buf, (size_t)n) != n)
			ret = n < 0 ? -errno : -EIO;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && !ret)
		ret = -errno;
	if (ret) {
		unlink(path);
		rmdir(dir);
	}
	return ret;
}

/* Cover each of paths with an empty tmpfs, seen by this process only. */
static int hide_paths(const char *const *paths)
{
	size_t i;

	if (!paths || !paths[0])
		return 0;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	for (i = 0; paths[i]; i++)
		if (mount("none", paths[i], "tmpfs", 0, "mode=0755") < 0)
			return -1;
	return 0;
}

static int join_cgroup(const char *procs)
{
	char pid[24];
	int fd, n, ok;

	if (!procs)
		return 0;
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	ok = write(fd, pid, (size_t)n) == n;
	close(fd);
	return ok ? 0 : -1;
}

static int set_uid(uid_t uid)
{
	return setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0 ? -1 : 0;
}

/* Keep only the capabilities in keep: out of the bounding set, so that
 * root's exec cannot get the others back, and for another uid kept over
 * setuid() and raised as ambient, so that its exec keeps them. */
static int limit_caps(uint64_t keep, uid_t uid)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int cap;

	for (cap = 0; cap < 64; cap++)	/* EINVAL: a capability this kernel lacks */
		if (!((keep >> cap) & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	if (uid && (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || set_uid(uid) < 0))
		return -1;
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &header, data) < 0)
		return -1;
	keep &= (uint64_t)data[1].permitted << 32 | data[0].permitted;	/* what exists here */
	data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t)keep;
	data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &header, data) < 0)
		return -1;
	for (cap = 0; uid && cap < 64; cap++)
		if (((keep >> cap) & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return -1;
	return 0;
}

/* exec path (a copy, or argv[0] itself) with argv; 127 when exec fails,
 * 126 when the uid, the capabilities, the hidden paths or the cgroup
 * cannot be set. */
static void exec_child(const struct spawn_options *o, const char *path, int out_fd, int err_fd)
{
	size_t i;

	dup2(out_fd, 1);
	dup2(err_fd, 2);
	for (i = 0; o->env && o->env[i]; i++)
		putenv((char *)o->env[i]);
	if (hide_paths(o->hide) < 0 || join_cgroup(o->cgroup_procs) < 0)
		_exit(126);
	if (o->limit_caps ? limit_caps(o->caps, o->run_as_uid) < 0 : o->run_as_uid && set_uid(o->run_as_uid) < 0)
		_exit(126);
	execv(path, (char *const *)o->argv);
	_exit(127);
}

static void drain(int *fd, struct buffer *b)
{
	char chunk[4096];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n > 0) {
		append(b, chunk, (size_t)n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

int spawn_run(const struct spawn_options *o, struct spawn_result *res)
{
	struct buffer out = { 0 }, err = { 0 };
	int out_pipe[2], err_pipe[2], status = 0, signalled = 0;
	long long start = now_ms(), last_tick = 0;
	char copy_dir[64] = "", copy[512];
	const char *path = o->argv[0];
	pid_t pid;
	int ret;

	memset(res, 0, sizeof(*res));
	if (o->run_as_uid) {
		ret = spawn_public_copy(o->argv[0], copy_dir, sizeof(copy_dir), copy, sizeof(copy));
		if (ret)
			return ret;
		path = copy;
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		ret = -errno;
		goto out;
	}
	if (pipe2(err_pipe, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		ret = -errno;
		close(out_pipe[0]);
		close(out_pipe[1]);
		goto out;
	}
	if (pid == 0)
		exec_child(o, path, out_pipe[1], err_pipe[1]);
	close(out_pipe[1]);
	close(err_pipe[1]);

	while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
		struct pollfd fds[2] = { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 } };
		long long elapsed = now_ms() - start;

		if (o->signal_after_ms && !signalled && elapsed >= o->signal_after_ms) {
			kill(pid, o->stop_signal);
			signalled = 1;
		}
		if (elapsed >= o->timeout_ms) {
			kill(pid, SIGKILL);
			res->timed_out = 1;
			break;
		}
		if (o->while_running && elapsed - last_tick >= 50) {
			o->while_running(pid, err.data ? err.data : "", o->ctx);
			last_tick = elapsed;
		}
		if (poll(fds, 2, 20) > 0) {
			if (fds[0].revents)
				drain(&out_pipe[0], &out);
			if (fds[1].revents)
				drain(&err_pipe[0], &err);
		}
	}
	if (out_pipe[0] >= 0)
		close(out_pipe[0]);
	if (err_pipe[0] >= 0)
		close(err_pipe[0]);
	waitpid(pid, &status, 0);
	res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	append(&out, "", 0);
	append(&err, "", 0);
	res->out = out.data;
	res->err = err.data;
	ret = 0;
out:
	if (copy_dir[0]) {
		unlink(copy);
		rmdir(copy_dir);
	}
	return ret;
}

void spawn_result_free(struct spawn_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

int count_lines(const char *text)
{
	int n = 0;
	const char *p;

	for (p = text; *p; p++)
		if (*p == '\n')
			n++;
	if (p > text && p[-1] != '\n')
		n++;
	return n;
}

int busy_cpus_start(pid_t *pids, int max)
{
	cpu_set_t online;
	int n = 0;

	if (sched_getaffinity(0, sizeof(online), &online))
		return 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++) {
		cpu_set_t one;
		pid_t pid;

		if (!CPU_ISSET(cpu, &online))
			continue;
		pid = fork();
		if (pid == 0) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			alarm(60);	/* never outlive a test that crashed */
			for (;;)
				;
		}
		if (pid > 0)
			pids[n++] = pid;
	}
	return n;
}

void busy_cpus_stop(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

void spawn_public_copy_remove(const char *dir, const char *path)
{
	unlink(path);
	rmdir(dir);
}
