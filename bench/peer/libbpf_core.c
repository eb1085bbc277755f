// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf_core - what libbpf's CO-RE pass costs: the time and memory it
 * takes to get from /sys/kernel/btf/vmlinux to relocated instructions,
 * inside a real bpf_object__load().  The peer of bench/core_ours.c.
 *
 *   libbpf_core FILE.bpf.o
 *
 * libbpf has no call for the CO-RE pass alone, so this times it where it
 * happens.  bpf_object__load() (libbpf 1.1, libbpf.c: bpf_object_load)
 * runs, in order: probe program loads; bpf_object__load_vmlinux_btf()
 * (parses the kernel's BTF; no bpf(2) call); the BTF feature probes and
 * the object's BTF load (BPF_BTF_LOAD); map creation and filling;
 * bpf_object__relocate() (CO-RE, then data and calls; no bpf(2) call but
 * perhaps a lazy feature probe); the programs' loads.  So the pass is
 *   the gap just before the first BPF_BTF_LOAD           (kernel BTF), plus
 *   the gaps from the last map call to the first load of
 *   one of the object's programs                          (relocation).
 * The binary is linked statically with -Wl,--wrap=syscall, so that
 * libbpf's bpf(2) calls (it makes them with syscall(__NR_bpf, ...)) come
 * through __wrap_syscall() below, which timestamps each and reads the
 * peak RSS (VmHWM) around it.
 *
 * Prints: core libbpf vmlinux_ms A relocate_ms B total_ms A+B hwm_kib H
 * where H is how much the peak RSS grew from before the kernel BTF was
 * read to the first program load.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#define MAX_CALLS 4096

struct call {
	int cmd;
	char prog_name[BPF_OBJ_NAME_LEN];
	double start_ms, end_ms;
	long hwm_before_kib, hwm_after_kib;
};

static struct call calls[MAX_CALLS];
static int call_cnt;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* VmHWM of this process in KiB, read with open(2) and read(2) (not
 * through syscall(), and with no allocation that would count in it). */
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

long __real_syscall(long nr, ...);

/* libbpf's syscall() calls, all of them; bpf(2) ones are recorded. */
long __wrap_syscall(long nr, ...)
{
	long a[6], ret;
	struct call *c = NULL;
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == __NR_bpf && call_cnt < MAX_CALLS) {
		const union bpf_attr *attr = (const union bpf_attr *)a[1];

		c = &calls[call_cnt++];
		c->cmd = (int)a[0];
		if (c->cmd == BPF_PROG_LOAD)
			memcpy(c->prog_name, attr->prog_name, sizeof(c->prog_name));
		c->hwm_before_kib = hwm_kib();
		c->start_ms = now_ms();
	}
	ret = __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (c) {
		int e = errno;

		c->end_ms = now_ms();
		c->hwm_after_kib = hwm_kib();
		errno = e;
	}
	return ret;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* Index of the first load of one of the object's own programs. */
static int first_program_load(struct bpf_object *obj)
{
	int i;

	for (i = 0; i < call_cnt; i++) {
		struct bpf_program *prog;

		if (calls[i].cmd != BPF_PROG_LOAD || !calls[i].prog_name[0])
			continue;
		bpf_object__for_each_program(prog, obj)
			if (!strncmp(bpf_program__name(prog), calls[i].prog_name, BPF_OBJ_NAME_LEN - 1))
				return i;
	}
	return -1;
}

static int is_map_call(int cmd)
{
	return cmd == BPF_MAP_CREATE || cmd == BPF_MAP_UPDATE_ELEM || cmd == BPF_MAP_FREEZE;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	double vmlinux = 0, relocate = 0;
	int first, btf = -1, last_map = -1, i;
	long hwm;

	if (argc != 2) {
		fprintf(stderr, "usage: libbpf_core FILE.bpf.o\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "libbpf_core: loading %s failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	first = first_program_load(obj);
	for (i = 0; i < first; i++) {
		if (calls[i].cmd == BPF_BTF_LOAD && btf < 0)
			btf = i;
		if (is_map_call(calls[i].cmd))
			last_map = i;
	}
	if (first < 0 || btf < 1 || last_map < btf) {
		fprintf(stderr, "libbpf_core: libbpf's bpf() calls are not in the order libbpf 1.1 makes them\n");
		return 1;
	}
	vmlinux = calls[btf].start_ms - calls[btf - 1].end_ms;
	for (i = last_map; i < first; i++)
		relocate += calls[i + 1].start_ms - calls[i].end_ms;
	hwm = calls[first].hwm_before_kib - calls[btf - 1].hwm_after_kib;
	printf("core libbpf vmlinux_ms %.3f relocate_ms %.3f total_ms %.3f hwm_kib %ld\n",
	       vmlinux, relocate, vmlinux + relocate, hwm);
	bpf_object__close(obj);
	return 0;
}
