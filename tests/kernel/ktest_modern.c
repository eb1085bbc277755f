// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_modern.c - an object written for libbpf (tests/kern/modern.bpf.c)
 * loaded and run unchanged: BTF-defined maps with the kernel holding
 * their BTF, a map of maps and a prog array filled from declared
 * .values, a map pinned by name and reused by a second load, global
 * data, bpf-to-bpf calls with func_info, a bpf_loop() callback, tail
 * calls, raw tracepoints, kprobes, and fentry/tp_btf programs loaded
 * against the kernel's BTF.  Where the kernel has no bpf_loop() (before
 * 5.17), everything but the loop runs, and the loop's program must be
 * refused by the verifier.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "../testlib.h"
#include "attach/attach.h"
#include "attach/kprobe.h"
#include "btf/btf.h"
#include "embedded.h"
#include "kernel_features.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"

EMBEDDED_OBJECT(modern_bpf);

#define CALLS 200

static struct ktest_options opts;
static char pin_root[128];

struct call_key {
	uint32_t tgid;
	uint32_t kind;
};

struct call_stats {
	uint64_t calls;
	uint64_t last_ns;
};

static struct bl_object *open_modern(struct bl_err *err)
{
	struct bl_object_opts o = { .pin_root = pin_root };
	uint32_t me = (uint32_t)getpid();
	struct bl_object *obj = bl_object_open_mem(modern_bpf, EMBEDDED_SIZE(modern_bpf),
							"modern.bpf.o", &o, err);

	if (obj && bl_object_var_write(obj, "target_tgid", &me, sizeof(me), err)) {
		bl_object_close(obj);
		return NULL;
	}
	return obj;
}

/* Whether this kernel runs loop_getppid: the bpf_loop() helper. */
static int have_bpf_loop(void)
{
	return kfeature_has(KF_BPF_LOOP) > 0;
}

/* Maps, then every program but the tracing ones, which need trampolines,
 * and the bpf_loop() one where the kernel has no bpf_loop(). */
static int load_common(struct bl_object *obj, struct bl_err *err)
{
	size_t i;

	if (bl_object_create_maps(obj, err))
		return -1;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (obj->progs[i].kind->prog_type == BPF_PROG_TYPE_TRACING ||
		    (!have_bpf_loop() && strcmp(obj->progs[i].name, "loop_getppid") == 0))
			continue;
		if (bl_object_load_program(obj, &obj->progs[i], err))
			return -1;
	}
	return 0;
}

static uint64_t var_u64(struct bl_object *obj, const char *name)
{
	uint64_t v = 0;

	bl_object_var_read(obj, name, &v, sizeof(v), NULL);
	return v;
}

static uint64_t map_u64(int fd, uint32_t key)
{
	uint64_t v = 0;

	bl_map_lookup(fd, &key, &v);
	return v;
}

static uint64_t percpu_sum(int fd)
{
	int ncpus = bl_possible_cpus(NULL), i;
	uint64_t values[ncpus > 0 ? ncpus : 1], sum = 0;
	uint32_t zero = 0;

	if (ncpus <= 0 || bl_map_lookup(fd, &zero, values))
		return 0;
	for (i = 0; i < ncpus; i++)
		sum += values[i];
	return sum;
}

/* The inner map now in slot `slot` of a map of maps. */
static uint64_t inner_value(int outer_fd, uint32_t slot)
{
	uint32_t inner_id = 0;
	union bpf_attr attr;
	int fd;
	uint64_t v;

	if (bl_map_lookup(outer_fd, &slot, &inner_id))
		return 0;
	memset(&attr, 0, sizeof(attr));
	attr.map_id = inner_id;
	fd = (int)bl_sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
	if (fd < 0)
		return 0;
	v = map_u64(fd, 0);
	close(fd);
	return v;
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bl_obj_get_info(fd, &info, &len) == 0 ? info.id : 0;
}

static void test_btf_in_kernel(struct bl_object *obj)
{
	const char *name = "modern/kernel-has-btf";
	struct bpf_map_info minfo;
	struct bpf_prog_info pinfo;
	uint32_t len = sizeof(minfo);

	memset(&minfo, 0, sizeof(minfo));
	bl_obj_get_info(bl_object_map(obj, "stats_by_key")->fd, &minfo, &len);
	memset(&pinfo, 0, sizeof(pinfo));
	len = sizeof(pinfo);
	bl_obj_get_info(bl_object_program(obj, "on_getppid")->fd, &pinfo, &len);
	if (obj->btf_fd < 0)
		t_fail(name, "the object's BTF was not loaded: %s", obj->notes);
	else if (!minfo.btf_id || !minfo.btf_key_type_id || !minfo.btf_value_type_id)
		t_fail(name, "map stats_by_key has no BTF key/value types in the kernel");
	else if (pinfo.nr_func_info != 2 || !pinfo.nr_line_info)
		t_fail(name, "on_getppid has %u func_info (want 2: itself and bump_stats) and %u line_info",
		       pinfo.nr_func_info, pinfo.nr_line_info);
	else
		t_pass(name);
}

static void test_run(void)
{
	const char *name = "modern/maps-globals-calls-tail-calls";
	struct bl_err err;
	struct bl_object *obj = open_modern(&err), *again = NULL;
	struct bl_attachment *tp = NULL, *jump = NULL, *raw = NULL;
	struct call_key key = { (uint32_t)getpid(), 1 };
	struct call_stats stats = { 0, 0 };
	uint32_t pinned_id;
	int i;

	T_EXPECT(name, obj, "%s", err.msg);
	if (load_common(obj, &err) ||
	    !(tp = bl_program_attach(bl_object_program(obj, "on_getppid"), NULL, &err)) ||
	    !(jump = bl_program_attach(bl_object_program(obj, "jump_getppid"), NULL, &err)) ||
	    !(raw = bl_program_attach(bl_object_program(obj, "on_sys_enter"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	bl_attachment_destroy(tp, NULL);
	bl_attachment_destroy(jump, NULL);
	bl_attachment_destroy(raw, NULL);
	tp = jump = raw = NULL;
	bl_map_lookup(bl_object_map(obj, "stats_by_key")->fd, &key, &stats);
	if (stats.calls != CALLS || !stats.last_ns)
		t_fail(name, "stats_by_key{tgid, 1} counted %" PRIu64 " of %d calls", stats.calls, CALLS);
	else if (percpu_sum(bl_object_map(obj, "percpu_hits")->fd) != CALLS)
		t_fail(name, "percpu_hits sums to %" PRIu64, percpu_sum(bl_object_map(obj, "percpu_hits")->fd));
	else if (inner_value(bl_object_map(obj, "outer")->fd, 1) != CALLS ||
		 map_u64(bl_object_map(obj, "inner_b")->fd, 0) != CALLS)
		t_fail(name, "the map of maps did not lead to inner_b (declared .values)");
	else if (var_u64(obj, "tail_calls") != CALLS)
		t_fail(name, "%" PRIu64 " tail calls through the declared prog array", var_u64(obj, "tail_calls"));
	else if (var_u64(obj, "raw_tp_calls") != CALLS)
		t_fail(name, "raw tracepoint counted %" PRIu64, var_u64(obj, "raw_tp_calls"));
	else if (map_u64(bl_object_map(obj, "shared_counts")->fd, 0) != CALLS)
		t_fail(name, "pinned map counted %" PRIu64, map_u64(bl_object_map(obj, "shared_counts")->fd, 0));
	else
		t_pass(name);
	test_btf_in_kernel(obj);

	/* A second load of the object finds shared_counts pinned and reuses it. */
	pinned_id = map_id(bl_object_map(obj, "shared_counts")->fd);
	again = open_modern(&err);
	if (!again || load_common(again, &err))
		t_fail("modern/pin-by-name-reused", "%s", err.msg);
	else if (!bl_object_map(again, "shared_counts")->reused_pin ||
		 map_id(bl_object_map(again, "shared_counts")->fd) != pinned_id ||
		 map_u64(bl_object_map(again, "shared_counts")->fd, 0) != CALLS)
		t_fail("modern/pin-by-name-reused", "the second load did not reuse the pinned map");
	else
		t_pass("modern/pin-by-name-reused");
out:
	bl_attachment_destroy(tp, NULL);
	bl_attachment_destroy(jump, NULL);
	bl_attachment_destroy(raw, NULL);
	bl_object_close(obj);
	bl_object_close(again);
}

/* loop_getppid's bpf_loop() callback sums 0..3 on each call.  Without
 * bpf_loop() the verifier must refuse the program, and say why. */
static void test_bpf_loop(void)
{
	const char *name = "modern/bpf_loop-callback";
	struct bl_err err;
	struct bl_object *obj = open_modern(&err);
	struct bl_program *prog;
	struct bl_attachment *link = NULL;
	char why[128];
	int i;

	T_EXPECT(name, obj, "%s", err.msg);
	prog = bl_object_program(obj, "loop_getppid");
	if (!prog || bl_object_create_maps(obj, &err)) {
		t_fail(name, "%s", prog ? err.msg : "no program loop_getppid");
	} else if (!have_bpf_loop()) {
		if (bl_object_load_program(obj, prog, &err) == 0)
			t_fail(name, "the verifier took a bpf_loop() call although the probe found no bpf_loop()");
		else if (!strstr(err.msg, "verifier rejected"))
			t_fail(name, "refused, but not by the verifier: %s", err.msg);
		else
			t_skip(name, "%s; the verifier refused loop_getppid: %s",
			       kfeature_lacking(KF_BPF_LOOP, why, sizeof(why)), err.msg);
	} else if (bl_object_load_program(obj, prog, &err) || !(link = bl_program_attach(prog, NULL, &err))) {
		t_fail(name, "%s", err.msg);
	} else {
		for (i = 0; i < CALLS; i++)
			syscall(SYS_getppid);
		bl_attachment_destroy(link, NULL);
		link = NULL;
		if (var_u64(obj, "loop_sum") != 6 * CALLS)
			t_fail(name, "bpf_loop callback summed %" PRIu64 ", want %d", var_u64(obj, "loop_sum"), 6 * CALLS);
		else
			t_pass(name);
	}
	bl_attachment_destroy(link, NULL);
	bl_object_close(obj);
}

static void test_kprobe_section(void)
{
	const char *name = "modern/kprobe-section";
	struct bl_err err;
	struct bl_object *obj;
	struct bl_attachment *att = NULL;
	int i;

	if (!bl_kprobes_available()) {
		if (opts.expect_kprobes)
			t_fail(name, "this kernel should have kprobes");
		else
			t_skip(name, "this kernel has no kprobes (CONFIG_KPROBES is off)");
		return;
	}
	obj = open_modern(&err);
	T_EXPECT(name, obj, "%s", err.msg);
	if (load_common(obj, &err) ||
	    !(att = bl_program_attach(bl_object_program(obj, "on_open"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
	} else {
		for (i = 0; i < CALLS; i++)
			close(open("/dev/null", O_RDONLY));
		bl_attachment_destroy(att, NULL);
		att = NULL;
		if (var_u64(obj, "kprobe_calls") != CALLS)
			t_fail(name, "kprobe counted %" PRIu64 " of %d opens", var_u64(obj, "kprobe_calls"), CALLS);
		else
			t_pass(name);
	}
	bl_attachment_destroy(att, NULL);
	bl_object_close(obj);
}

/* Whether /sys/kernel/btf/vmlinux names a function func: looked up
 * directly, so that a skip is only for a function really missing there. */
static int function_in_btf(const char *func)
{
	struct bl_err err;
	struct bl_btf *vmlinux = bl_btf_parse_file("/sys/kernel/btf/vmlinux", NULL, &err);
	int found = vmlinux && bl_btf_find(vmlinux, func, BTF_KIND_FUNC) >= 0;

	bl_btf_free(vmlinux);
	return found;
}

/* fentry/ and tp_btf/ load against the kernel's BTF (attach comes later). */
static void test_tracing_load(const char *prog_name)
{
	char name[96];
	struct bl_err err;
	struct bl_object *obj = open_modern(&err);
	struct bl_program *prog;

	snprintf(name, sizeof(name), "modern/load-%s", prog_name);
	T_EXPECT(name, obj, "%s", err.msg);
	prog = bl_object_program(obj, prog_name);
	if (bl_object_create_maps(obj, &err) || !prog) {
		t_fail(name, "%s", err.msg);
	} else if (bl_object_load_program(obj, prog, &err) == 0) {
		t_pass(name);
	} else if (!opts.expect_kprobes && strstr(err.msg, "does not run fentry/fexit")) {
		t_skip(name, "%s", err.msg);
	} else if (strstr(err.msg, "the kernel's BTF has no function") && !function_in_btf(prog->attach_target)) {
		/* pahole leaves out functions it cannot describe (Debian's
		 * 5.10 arm64 has no do_sys_openat2 in its BTF) */
		t_skip(name, "this kernel's BTF has no function %s, so there is nothing to load %s against (%s)",
		       prog->attach_target, prog_name, err.msg);
	} else {
		t_fail(name, "%s", err.msg);
	}
	bl_object_close(obj);
}

int main(int argc, char **argv)
{
	char cmd[160];

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP modern: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/bl_modern_%d", (int)getpid());
	test_run();
	test_bpf_loop();
	test_kprobe_section();
	test_tracing_load("on_open_fentry");
	test_tracing_load("on_sys_enter_btf");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pin_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", pin_root);
	return t_exit_code();
}
