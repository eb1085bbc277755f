// SPDX-License-Identifier: BSD-2-Clause
/*
 * kcost - nanoseconds per run, inside the kernel, of memcpy_stat's
 * program against the shared-counter version learn-bpf had
 * (bench/kern/kcost.bpf.c says what each program is).
 *
 *   kcost [--kprobe FUNC --memcpy-stat FILE] [--cpus N] [--rounds R]
 *         [--calls C] kcost.bpf.o
 *
 * Without --kprobe, the programs run on tracepoint syscalls/sys_enter_write
 * and the workload is write(2) to /dev/null with sizes 0..2047 in turn.
 * With --kprobe FUNC (a kernel with kprobes: the guests), they run on a
 * kprobe on FUNC (__check_object_size: argument 2 is the size, argument 3
 * says "to user"), memcpy_stat's being kern/memcpy_stat.bpf.o itself with
 * the config memcpy_stat gives it, and the workload is getcwd(2), whose
 * copy to user space has a size the compiler cannot know.
 *
 * Each round attaches one program, runs C calls on each of N CPUs (one
 * pinned process per CPU, all at once), detaches it and reads the
 * kernel's counters of that program (bpf(BPF_ENABLE_STATS), Linux 5.8,
 * then run_time_ns and run_cnt from BPF_OBJ_GET_INFO_BY_FD).  Rounds go
 * through the programs in turn.  One line per program:
 *
 *   kcost PROBE CPUS NAME runs RUNS ns_per_run MEDIAN min MIN counted COUNTED
 *
 * NAME: memcpy_stat, memcpy_stat_rodata (the same with its config in
 * .rodata), memcpy_stat_fixed_args (kprobe only), shared, shared_atomic
 * (bench/kern/kcost.bpf.c).
 *
 * counted is what the program's histogram holds at the end, summed over
 * the buckets (and CPUs): equal to RUNS for an exact counter.  The runs
 * include other processes' calls on the same probe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>

#include "memcpy_common.h"

#define MAX_ROUNDS 51
#define MAX_PROGS 5

struct subject {
	const char *name;	/* as printed */
	struct bl_object *obj;
	struct bl_program *prog;
	const char *hist;	/* its histogram map */
	int percpu;
	double ns[MAX_ROUNDS];
	unsigned long long runs;
	int rounds;
};

static int bpf_call(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int prog_stats(int fd, unsigned long long *run_ns, unsigned long long *run_cnt)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (__u64)(unsigned long)&info;
	if (bpf_call(BPF_OBJ_GET_INFO_BY_FD, &attr))
		return -errno;
	*run_ns = info.run_time_ns;
	*run_cnt = info.run_cnt;
	return 0;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* calls system calls on each of cpus CPUs at once. */
static void workload(int kprobe, int cpus, long calls)
{
	pid_t pid[64];
	int k;

	for (k = 0; k < cpus && k < 64; k++) {
		pid[k] = fork();
		if (pid[k] == 0) {
			static char buf[4096];
			int null = open("/dev/null", O_WRONLY);
			long i;

			pin_to_cpu(k);
			for (i = 0; i < calls; i++) {
				if (kprobe)
					syscall(SYS_getcwd, buf, sizeof(buf));
				else if (write(null, buf, (size_t)(i & 2047)) < 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (k = 0; k < cpus && k < 64; k++)
		if (pid[k] > 0)
			waitpid(pid[k], NULL, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sum of the histogram: every slot, over every CPU for a per-CPU map. */
static unsigned long long counted(const struct subject *s, int ncpus)
{
	int fd = bl_map_fd(bl_object_map(s->obj, s->hist));
	unsigned long long total = 0;
	__u32 slot;

	for (slot = 0; slot < MEMCPY_SLOTS; slot++) {
		uint64_t v = 0;

		if (s->percpu)
			bl_percpu_sum_u64(fd, slot, ncpus, &v, NULL);
		else
			bl_map_lookup(fd, &slot, &v);
		total += v;
	}
	return total;
}

static int usage(void)
{
	fprintf(stderr, "usage: kcost [--kprobe FUNC --memcpy-stat FILE] [--cpus N] [--rounds R] [--calls C] kcost.bpf.o\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *kprobe = NULL, *memcpy_stat = NULL, *path = NULL;
	int cpus = 1, rounds = 5, i, r, n = 0, ncpus, stats_fd, ret = 1;
	long calls = 200000;
	struct subject subjects[MAX_PROGS];
	struct bl_object *obj = NULL, *mobj = NULL;
	struct bl_err err;
	union bpf_attr attr;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kprobe") && i + 1 < argc)
			kprobe = argv[++i];
		else if (!strcmp(argv[i], "--memcpy-stat") && i + 1 < argc)
			memcpy_stat = argv[++i];
		else if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			cpus = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			calls = atol(argv[++i]);
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			return usage();
	}
	if (!path || cpus < 1 || rounds < 1 || rounds > MAX_ROUNDS || (kprobe && !memcpy_stat))
		return usage();

	obj = bl_object_open_file(path, NULL, &err);
	if (!obj || bl_object_load(obj, &err))
		goto fail;
	if (kprobe) {
		/* memcpy_stat's own object, configured as the tool does for
		 * __check_object_size: size in argument 2, count only copies to
		 * user space (argument 3 non-zero). */
		struct memcpy_config cfg = { .arg = 2, .only_if_arg = 3 };
		__u32 zero = 0;

		snprintf(cfg.func, sizeof(cfg.func), "%s", kprobe);
		mobj = bl_object_open_file(memcpy_stat, NULL, &err);
		if (!mobj || bl_object_load(mobj, &err))
			goto fail;
		if (bl_map_update(bl_map_fd(bl_object_map(mobj, "config")), &zero, &cfg, BPF_ANY)) {
			bl_fail(&err, EIO, "cannot write memcpy_stat's config");
			goto fail;
		}
		subjects[n++] = (struct subject){ .name = "memcpy_stat", .obj = mobj,
			.prog = bl_object_program(mobj, "memcpy_stat"), .hist = "size_hist", .percpu = 1 };
		subjects[n++] = (struct subject){ .name = "memcpy_stat_rodata", .obj = obj,
			.prog = bl_object_program(obj, "kp_rodata"), .hist = "hist_rodata", .percpu = 1 };
		subjects[n++] = (struct subject){ .name = "memcpy_stat_fixed_args", .obj = obj,
			.prog = bl_object_program(obj, "kp_fixed"), .hist = "hist_fixed", .percpu = 1 };
		subjects[n++] = (struct subject){ .name = "shared", .obj = obj,
			.prog = bl_object_program(obj, "kp_shared"), .hist = "hist_shared" };
		subjects[n++] = (struct subject){ .name = "shared_atomic", .obj = obj,
			.prog = bl_object_program(obj, "kp_atomic"), .hist = "hist_atomic" };
	} else {
		/* memcpy_stat's config for write(2): the size is argument 3. */
		struct memcpy_config cfg = { .arg = 3, .func = "write" };
		__u32 zero = 0;

		if (bl_map_update(bl_map_fd(bl_object_map(obj, "config")), &zero, &cfg, BPF_ANY)) {
			bl_fail(&err, EIO, "cannot write the config");
			goto fail;
		}
		subjects[n++] = (struct subject){ .name = "memcpy_stat", .obj = obj,
			.prog = bl_object_program(obj, "stat_percpu"), .hist = "hist_percpu", .percpu = 1 };
		subjects[n++] = (struct subject){ .name = "memcpy_stat_rodata", .obj = obj,
			.prog = bl_object_program(obj, "stat_rodata"), .hist = "hist_rodata", .percpu = 1 };
		subjects[n++] = (struct subject){ .name = "shared", .obj = obj,
			.prog = bl_object_program(obj, "stat_shared"), .hist = "hist_shared" };
		subjects[n++] = (struct subject){ .name = "shared_atomic", .obj = obj,
			.prog = bl_object_program(obj, "stat_atomic"), .hist = "hist_atomic" };
	}
	for (i = 0; i < n; i++)
		if (!subjects[i].prog) {
			bl_fail(&err, ENOENT, "a program of %s is missing", subjects[i].name);
			goto fail;
		}
	ncpus = bl_possible_cpus(&err);
	if (ncpus < 0)
		goto fail;

	/* The kernel counts run time while this fd is open. */
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	stats_fd = bpf_call(BPF_ENABLE_STATS, &attr);
	if (stats_fd < 0) {
		bl_fail(&err, errno, "BPF_ENABLE_STATS failed: %s (Linux 5.8)", bl_errno_name(errno));
		goto fail;
	}

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			struct subject *s = &subjects[i];
			unsigned long long ns0, cnt0, ns1, cnt1;
			struct bl_attachment *att;
			int fd = bl_program_fd(s->prog);

			if (prog_stats(fd, &ns0, &cnt0))
				goto fail_stats;
			att = kprobe ? bl_attach_kprobe(s->prog, kprobe, 0, NULL, &err)
				     : bl_program_attach(s->prog, NULL, &err);
			if (!att)
				goto fail;
			workload(!!kprobe, cpus, calls);
			bl_attachment_destroy(att, NULL);
			if (prog_stats(fd, &ns1, &cnt1))
				goto fail_stats;
			if (cnt1 > cnt0)
				s->ns[s->rounds++] = (double)(ns1 - ns0) / (double)(cnt1 - cnt0);
			s->runs += cnt1 - cnt0;
		}
	}
	for (i = 0; i < n; i++) {
		struct subject *s = &subjects[i];

		qsort(s->ns, (size_t)s->rounds, sizeof(double), cmp_double);
		printf("kcost %s %d %s runs %llu ns_per_run %.1f min %.1f counted %llu\n",
		       kprobe ? "kprobe" : "tracepoint", cpus, s->name, s->runs,
		       s->rounds ? s->ns[s->rounds / 2] : 0, s->rounds ? s->ns[0] : 0,
		       counted(s, ncpus));
	}
	ret = 0;
	goto out;
fail_stats:
	bl_fail(&err, errno, "BPF_OBJ_GET_INFO_BY_FD failed");
fail:
	fprintf(stderr, "kcost: %s\n", err.msg);
out:
	bl_object_close(obj);
	bl_object_close(mobj);
	return ret;
}
