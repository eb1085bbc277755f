// SPDX-License-Identifier: BSD-2-Clause
/*
 * cpus.c - possible and online CPUs, and per-CPU values.  Syscalls:
 * open/read of sysfs (sys/file.c), bpf(BPF_MAP_LOOKUP_ELEM).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "sys/bpf_syscall.h"
#include "sys/file.h"

static int read_cpu_file(const char *path, char *buf, size_t size, struct bl_err *err)
{
	int n = bl_read_text(path, buf, size, 1);

	if (n < 0)
		return bl_fail(err, -n, "cannot read %s: %s", path, strerror(-n));
	return 0;
}

/* Walk a CPU list such as "0-3,8-11": mark each CPU below ncpus in mask
 * (when not NULL) and return the highest CPU number plus one, or -EINVAL
 * for a list with no CPU. */
static int walk_cpu_list(const char *list, unsigned char *mask, int ncpus)
{
	const char *p = list;
	long highest = -1;

	while (*p >= '0' && *p <= '9') {
		char *end;
		long first = strtol(p, &end, 10), last = first;

		if (*end == '-')
			last = strtol(end + 1, &end, 10);
		for (; mask && first <= last && first < ncpus; first++)
			mask[first] = 1;
		if (last > highest)
			highest = last;
		p = *end == ',' ? end + 1 : end;
	}
	return highest < 0 || highest >= 1 << 20 ? -EINVAL : (int)(highest + 1);
}

/* The kernel sizes per-CPU values by the highest possible CPU id. */
int bl_possible_cpus(struct bl_err *err)
{
	const char *path = "/sys/devices/system/cpu/possible";
	char buf[1024];
	int count;

	if (read_cpu_file(path, buf, sizeof(buf), err))
		return -err->code;
	count = walk_cpu_list(buf, NULL, 0);
	if (count < 0)
		return bl_fail(err, EINVAL, "%s holds no CPU list: \"%s\"", path, buf);
	return count;
}

int bl_online_cpus(unsigned char *online, int ncpus, struct bl_err *err)
{
	const char *path = "/sys/devices/system/cpu/online";
	char buf[1024];

	memset(online, 0, (size_t)ncpus);
	if (read_cpu_file(path, buf, sizeof(buf), err))
		return -err->code;
	if (walk_cpu_list(buf, online, ncpus) < 0)
		return bl_fail(err, EINVAL, "%s holds no CPU list: \"%s\"", path, buf);
	return 0;
}

size_t bl_percpu_value_stride(size_t value_size)
{
	return (value_size + 7) & ~(size_t)7;
}

int bl_percpu_sum_u64(int map_fd, uint32_t key, int ncpus, uint64_t *sum, struct bl_err *err)
{
	uint64_t *per_cpu;
	int cpu, ret;

	if (ncpus <= 0)
		return bl_fail(err, EINVAL, "summing a per-CPU value over %d CPUs", ncpus);
	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return bl_fail(err, ENOMEM, "out of memory reading a per-CPU value");
	ret = bl_map_lookup(map_fd, &key, per_cpu);
	if (ret)
		bl_fail(err, -ret, "reading key %u of a per-CPU map failed: %s", key, bl_errno_name(-ret));
	for (*sum = 0, cpu = 0; cpu < ncpus; cpu++)
		*sum += per_cpu[cpu];
	free(per_cpu);
	return ret;
}
