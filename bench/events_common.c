// SPDX-License-Identifier: BSD-2-Clause
/*
 * events_common.c - producers, options and the result line of the event
 * throughput benchmark (see events_common.h).
 */
#define _GNU_SOURCE
#include "events_common.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t evb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t evb_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

int evb_parse(int argc, char **argv, const char *tool, struct evb_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->size = EVB_SMALL;
	o->producers = 1;
	o->seconds = 1;
	o->ring_bytes = 1u << 20;
	o->perf_pages = 128;	/* 512 KiB per CPU: the ring buffer's 1 MiB on 2 CPUs */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--ringbuf"))
			o->perf = 0;
		else if (!strcmp(a, "--perf"))
			o->perf = 1;
		else if (!strcmp(a, "--size") && v)
			o->size = atoi(v), i++;
		else if (!strcmp(a, "--producers") && v)
			o->producers = atoi(v), i++;
		else if (!strcmp(a, "--seconds") && v)
			o->seconds = atof(v), i++;
		else if (!strcmp(a, "--ring-bytes") && v)
			o->ring_bytes = (uint32_t)strtoul(v, NULL, 0), i++;
		else if (!strcmp(a, "--perf-pages") && v)
			o->perf_pages = atoi(v), i++;
		else if (!strcmp(a, "--drain"))
			o->drain = 1;
		else if (a[0] != '-' && !o->object)
			o->object = a;
		else
			break;
	}
	if (i < argc || !o->object || (o->size != EVB_SMALL && o->size != EVB_BIG) ||
	    o->producers < 1 || o->producers > EVB_MAX_PRODUCERS || o->seconds <= 0) {
		fprintf(stderr, "usage: %s [--ringbuf | --perf] [--size %d|%d] [--producers 1|2] [--seconds S]\n"
			"       [--ring-bytes N] [--perf-pages N] [--drain] events.bpf.o\n", tool, EVB_SMALL, EVB_BIG);
		return -1;
	}
	return 0;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* Producer k runs on the last CPUs, so that with one producer CPU 0 is
 * left to the reader. */
static int producer_cpu(const struct evb_opts *opts, int k)
{
	int n = online_cpus(), cpu = n - opts->producers + k;

	return cpu < 0 ? k % n : cpu;
}

static void produce(int go_fd, volatile int *stop, int cpu)
{
	char c;

	pin_to_cpu(cpu);
	if (read(go_fd, &c, 1) < 0)	/* returns 0 when the parent closes it */
		_exit(1);
	while (!*stop) {
		int i;

		for (i = 0; i < 64; i++)
			syscall(SYS_getppid);
	}
	_exit(0);
}

int evb_producers_start(struct evb_producers *p, const struct evb_opts *opts)
{
	int fds[2], k;

	memset(p, 0, sizeof(*p));
	p->go_fd = -1;
	p->stop = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->stop == MAP_FAILED || pipe(fds)) {
		perror("producers");
		return -1;
	}
	*p->stop = 0;
	for (k = 0; k < opts->producers; k++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0) {
			close(fds[1]);
			produce(fds[0], p->stop, producer_cpu(opts, k));
		}
		p->pid[p->count++] = pid;
	}
	close(fds[0]);
	p->go_fd = fds[1];
	if (p->count != opts->producers) {
		evb_producers_kill(p);
		return -1;
	}
	return 0;
}

void evb_place_consumer(const struct evb_opts *opts)
{
	/* With --drain the reader runs alone afterwards: always on CPU 0,
	 * so that every run reads the same records from the same caches. */
	if (opts->drain || opts->producers < online_cpus())
		pin_to_cpu(0);
}

uint64_t evb_producers_go(struct evb_producers *p)
{
	uint64_t start = evb_now_ns();

	close(p->go_fd);
	p->go_fd = -1;
	return start;
}

void evb_producers_stop(struct evb_producers *p)
{
	int k;

	*p->stop = 1;
	for (k = 0; k < p->count; k++)
		waitpid(p->pid[k], NULL, 0);
	p->count = 0;
}

void evb_producers_kill(struct evb_producers *p)
{
	int k;

	for (k = 0; k < p->count; k++)
		kill(p->pid[k], SIGKILL);
	for (k = 0; k < p->count; k++)
		waitpid(p->pid[k], NULL, 0);
	p->count = 0;
	if (p->go_fd >= 0)
		close(p->go_fd);
	p->go_fd = -1;
}

void evb_idle_until(uint64_t end_ns)
{
	uint64_t now;

	while ((now = evb_now_ns()) < end_ns) {
		struct timespec ts = { 0, (long)(end_ns - now) };

		nanosleep(&ts, NULL);
	}
}

void evb_report(const char *reader, const struct evb_opts *o, uint64_t produced, uint64_t lost,
		const struct evb_seen *seen, uint64_t elapsed_ns, uint64_t cpu_ns,
		uint64_t drain_ns, uint64_t drained)
{
	double s = (double)elapsed_ns / 1e9;

	printf("events %s %s %d %d produced %llu received %llu lost %llu bad %llu seconds %.3f events_per_s %.0f consumer_cpu_ms %.1f drain_ns_per_record %.1f\n",
	       reader, o->perf ? "perf" : "ringbuf", o->size, o->producers,
	       (unsigned long long)produced, (unsigned long long)seen->received,
	       (unsigned long long)lost, (unsigned long long)seen->bad, s,
	       s > 0 ? (double)seen->received / s : 0, (double)cpu_ns / 1e6,
	       drained ? (double)drain_ns / (double)drained : 0);
}
