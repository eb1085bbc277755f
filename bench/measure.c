// SPDX-License-Identifier: BSD-2-Clause
/*
 * measure - run commands alternately and report each one's median wall
 * time, peak RSS and CPU time.
 *
 *   measure [-n RUNS] [-w WARMUP] [-v] [-x] GROUP [::: GROUP ...]
 *   GROUP:  NAME [--cleanup=SHELL-COMMAND] PROGRAM [ARG...]
 *
 * Every round runs each group once, in order (A B C A B C ...), so that
 * a change in the machine's load during the benchmark falls on all of
 * them alike; WARMUP rounds (default 1) come first and are not counted.
 * A group's cleanup command runs after each of its runs, untimed (for
 * bpftool's pins).  One line per group on stdout:
 *
 *   NAME runs N wall_ms MEDIAN min MIN max MAX rss_kib MEDIAN user_ms MEDIAN sys_ms MEDIAN fail F
 *
 * Wall time runs from just before fork(2) to the return of wait4(2), so
 * it includes exec, the dynamic linker and exit; every group pays those
 * alike.  Peak RSS is wait4()'s ru_maxrss of the child.  The kernel keeps
 * in it the high-water mark of the memory the child had before exec()
 * (the copy of our own that fork() made), so the children are forked
 * from a small spawner process made at start, before this process
 * allocates anything, and only a few pages of it count: see `measure -n 3
 * floor /bin/true`, the floor every figure includes.
 *
 * The children's stdout and stderr go to /dev/null unless -v.  A run
 * that exits non-zero counts as a failure and is left out of the figures,
 * unless -x (for a tool measured up to where this kernel stops it).  Exit
 * status 0 when there was no failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_GROUPS 16
#define MAX_RUNS 101
#define MAX_ARGS 64

struct group {
	const char *name;
	const char *cleanup;
	char *argv[MAX_ARGS + 1];
	int runs, failures;
	double wall_ms[MAX_RUNS], user_ms[MAX_RUNS], sys_ms[MAX_RUNS];
	long rss_kib[MAX_RUNS];
};

/* What the spawner sends back for one run. */
struct result {
	int status;
	double wall_ms, user_ms, sys_ms;
	long rss_kib;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

/* ---- the spawner: a small process that forks, execs and waits ---------- */

/* The request is the group index; argv is the spawner's own copy of
 * the groups (it was forked after parsing). */
static void spawner(struct group *groups, int in, int out, int verbose)
{
	int index;

	while (read(in, &index, sizeof(index)) == sizeof(index)) {
		struct group *g = &groups[index];
		struct result r = { 0 };
		struct rusage ru;
		double start = now_ms();
		pid_t pid = fork();

		if (pid == 0) {
			if (!verbose) {
				int null = open("/dev/null", O_WRONLY);

				dup2(null, 1);
				dup2(null, 2);
			}
			execvp(g->argv[0], g->argv);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &r.status, 0, &ru) < 0) {
			r.status = -1;
		} else {
			r.wall_ms = now_ms() - start;
			r.user_ms = tv_ms(ru.ru_utime);
			r.sys_ms = tv_ms(ru.ru_stime);
			r.rss_kib = ru.ru_maxrss;
		}
		if (g->cleanup && fork() == 0) {
			execl("/bin/sh", "sh", "-c", g->cleanup, (char *)NULL);
			_exit(127);
		}
		if (g->cleanup)
			wait(NULL);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	_exit(0);
}

/* ---- statistics --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_RUNS];

	if (n == 0)
		return 0;
	memcpy(s, v, (size_t)n * sizeof(*v));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double extreme(const double *v, int n, int max)
{
	double e = n ? v[0] : 0;
	int i;

	for (i = 1; i < n; i++)
		if (max ? v[i] > e : v[i] < e)
			e = v[i];
	return e;
}

/* ---- main --------------------------------------------------------------- */

static int usage(void)
{
	fprintf(stderr, "usage: measure [-n RUNS] [-w WARMUP] [-v] [-x] NAME [--cleanup=CMD] PROGRAM [ARG...] [::: NAME ...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct group groups[MAX_GROUPS];
	int runs = 7, warmup = 1, verbose = 0, any_status = 0, group_cnt = 0, i, r, to_spawner[2], from_spawner[2];
	int ok = 1;
	pid_t spawner_pid;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			warmup = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-x"))
			any_status = 1;
		else
			return usage();
	}
	if (runs < 1 || runs > MAX_RUNS || warmup < 0)
		return usage();
	while (i < argc) {
		struct group *g = &groups[group_cnt];
		int a = 0;

		if (group_cnt == MAX_GROUPS)
			return usage();
		g->name = argv[i++];
		if (i < argc && !strncmp(argv[i], "--cleanup=", 10))
			g->cleanup = argv[i++] + 10;
		while (i < argc && strcmp(argv[i], ":::") && a < MAX_ARGS)
			g->argv[a++] = argv[i++];
		if (a == 0)
			return usage();
		i++;	/* the ::: */
		group_cnt++;
	}
	if (group_cnt == 0)
		return usage();

	if (pipe(to_spawner) || pipe(from_spawner)) {
		perror("measure: pipe");
		return 1;
	}
	spawner_pid = fork();
	if (spawner_pid < 0) {
		perror("measure: fork");
		return 1;
	}
	if (spawner_pid == 0) {
		close(to_spawner[1]);
		close(from_spawner[0]);
		spawner(groups, to_spawner[0], from_spawner[1], verbose);
	}
	close(to_spawner[0]);
	close(from_spawner[1]);

	for (r = 0; r < warmup + runs; r++) {
		for (i = 0; i < group_cnt; i++) {
			struct group *g = &groups[i];
			struct result res;

			if (write(to_spawner[1], &i, sizeof(i)) != sizeof(i) ||
			    read(from_spawner[0], &res, sizeof(res)) != sizeof(res)) {
				fprintf(stderr, "measure: the spawner died\n");
				return 1;
			}
			if (res.status == -1 || (res.status != 0 && !any_status)) {
				g->failures++;
				ok = 0;
				continue;
			}
			if (r < warmup)
				continue;
			g->wall_ms[g->runs] = res.wall_ms;
			g->user_ms[g->runs] = res.user_ms;
			g->sys_ms[g->runs] = res.sys_ms;
			g->rss_kib[g->runs] = res.rss_kib;
			g->runs++;
		}
	}
	close(to_spawner[1]);
	waitpid(spawner_pid, NULL, 0);

	for (i = 0; i < group_cnt; i++) {
		struct group *g = &groups[i];
		double rss[MAX_RUNS];
		int k;

		for (k = 0; k < g->runs; k++)
			rss[k] = (double)g->rss_kib[k];
		printf("%s runs %d wall_ms %.3f min %.3f max %.3f rss_kib %.0f user_ms %.3f sys_ms %.3f fail %d\n",
		       g->name, g->runs, median(g->wall_ms, g->runs), extreme(g->wall_ms, g->runs, 0),
		       extreme(g->wall_ms, g->runs, 1), median(rss, g->runs),
		       median(g->user_ms, g->runs), median(g->sys_ms, g->runs), g->failures);
	}
	return ok ? 0 : 1;
}
