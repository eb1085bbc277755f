// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_ours - what our CO-RE pass costs: time and peak-RSS growth from
 * /sys/kernel/btf/vmlinux to every CO-RE record of an object resolved
 * (bl_object_core_resolve(): the kernel's BTF found and mapped, its
 * by-name index filled for the names asked about, each record matched
 * against it).  The peer of bench/peer/libbpf_core.c, which times the
 * same stretch inside libbpf's bpf_object__load().  No bpf(2) call, no
 * root needed.  Patching the instructions (bl_core_relocate_program(),
 * a store per record) needs the maps, so it is not in the figure; in
 * libbpf's it is.
 *
 *   core_ours FILE.bpf.o
 *
 * Prints: core ours total_ms T hwm_kib H relocations N
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "object/core_relocate.h"
#include "object/object.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* VmHWM of this process in KiB. */
static long hwm_kib(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "VmHWM:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
	struct bl_object *obj;
	struct bl_err err;
	double start, end;
	long hwm0, hwm1;

	if (argc != 2) {
		fprintf(stderr, "usage: core_ours FILE.bpf.o\n");
		return 2;
	}
	obj = bl_object_open_file(argv[1], NULL, &err);
	if (!obj) {
		fprintf(stderr, "core_ours: %s\n", err.msg);
		return 1;
	}
	hwm0 = hwm_kib();
	start = now_ms();
	if (bl_object_core_resolve(obj, &err)) {
		fprintf(stderr, "core_ours: %s\n", err.msg);
		return 1;
	}
	end = now_ms();
	hwm1 = hwm_kib();
	printf("core ours total_ms %.3f hwm_kib %ld relocations %zu\n", end - start, hwm1 - hwm0,
	       bl_core_relo_count(obj));
	bl_object_close(obj);
	return 0;
}
