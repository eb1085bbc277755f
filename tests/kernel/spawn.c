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
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

static void exec_child(const struct spawn_options *o, int out_fd, int err_fd)
{
	size_t i;

	dup2(out_fd, 1);
	dup2(err_fd, 2);
	for (i = 0; o->env && o->env[i]; i++)
		putenv((char *)o->env[i]);
	if (o->run_as_uid && (setgroups(0, NULL) < 0 || setgid(o->run_as_uid) < 0 ||
			      setuid(o->run_as_uid) < 0))
		_exit(126);
	execv(o->argv[0], (char *const *)o->argv);
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
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		exec_child(o, out_pipe[1], err_pipe[1]);
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
			o->while_running(pid, o->ctx);
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
	return 0;
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
