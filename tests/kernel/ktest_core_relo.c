// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_core_relo.c - CO-RE relocations on a real kernel: what
 * tests/kern/core_truth.bpf.c reads through deliberately wrong local
 * struct definitions must be what user space knows about itself, on
 * this machine and in the qemu guests (other layouts, other
 * architecture).  Truths come from outside BTF wherever they exist:
 * getpid()/getppid(), prctl(PR_GET_NAME), sched_getscheduler(),
 * /proc/self/stat, tracefs' format of raw_syscalls/sys_enter, and the
 * uapi headers' enum values.
 *
 * Also: a relocation that fails where the code is reachable gives an
 * error naming the relocation and the C source line; the same relocation
 * behind bpf_core_field_exists() loads; --btf / btf_path; bpfload
 * --dry-run's listing.
 *
 * Usage: ktest_core_relo [--bindir DIR] [--objdir DIR] [--expect-kprobes]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpfload/tracepoint_format.h>

#include "../testlib.h"
#include "attach/attach.h"
#include "btf/btf.h"
#include "core_truth.h"
#include "ktest_options.h"
#include "object/core_relocate.h"
#include "object/global_data.h"
#include "object/object.h"
#include "spawn.h"

/* Passed in a 64-bit register; getpgid() sees 4242.  args[0] is 4 bytes
 * in core_truth.bpf.c: only a load widened to the kernel's 8 bytes
 * gives the upper half. */
#define PGID_ARG 0x100001092ull

static struct ktest_options opts;

static void obj_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", opts.objdir, name);
}

static int have_object(const char *test, const char *name)
{
	char path[512];

	obj_path(path, sizeof(path), name);
	if (access(path, R_OK) == 0)
		return 1;
	t_skip(test, "%s was not built (it includes vmlinux.h, which needs bpftool and the build machine's /sys/kernel/btf/vmlinux)",
	       path);
	return 0;
}

static struct bl_object *open_truth(const char *btf_path, struct bl_err *err)
{
	struct bl_object_opts o = { .btf_path = btf_path };
	char path[512];
	uint32_t me = (uint32_t)getpid();
	int64_t nr = SYS_getpgid;
	struct bl_object *obj;

	obj_path(path, sizeof(path), "core_truth.bpf.o");
	obj = bl_object_open_file(path, &o, err);
	if (obj && (bl_object_var_write(obj, "target_tgid", &me, sizeof(me), err) ||
		    bl_object_var_write(obj, "target_nr", &nr, sizeof(nr), err))) {
		bl_object_close(obj);
		return NULL;
	}
	return obj;
}

/* Load, attach, make the one traced call, detach, read `out`. */
static int run_truth(struct bl_object *obj, struct core_truth *t, struct bl_err *err)
{
	struct bl_attachment *link;

	if (bl_object_load(obj, err))
		return -1;
	link = bl_program_attach(&obj->progs[0], NULL, err);
	if (!link)
		return -1;
	syscall(SYS_getpgid, PGID_ARG);
	bl_attachment_destroy(link, err);
	return bl_object_var_read(obj, "out", t, sizeof(*t), err) ? -1 : 0;
}

static int set_reset_on_fork(int on)
{
	struct sched_param p = { 0 };

	return sched_setscheduler(0, SCHED_OTHER | (on ? SCHED_RESET_ON_FORK : 0), &p);
}

/* Fields 9 (flags), 28 (startstack) and 48-51 (arg_start ... env_end) of
 * /proc/self/stat. */
static int proc_stat(unsigned long long *flags, unsigned long long *start_stack,
		     unsigned long long *arg_start, unsigned long long *env_end)
{
	char buf[4096], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;
	int field;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may hold spaces */
	if (!p)
		return -1;
	for (field = 2; *p; p++) {
		if (*p != ' ')
			continue;
		field++;
		if (field == 9)
			*flags = strtoull(p + 1, NULL, 10);
		else if (field == 28)
			*start_stack = strtoull(p + 1, NULL, 10);
		else if (field == 48)
			*arg_start = strtoull(p + 1, NULL, 10);
		else if (field == 51)
			*env_end = strtoull(p + 1, NULL, 10);
	}
	return field >= 51 ? 0 : -1;
}

static void check_task(const struct core_truth *t)
{
	char comm[16] = "";

	prctl(PR_GET_NAME, comm);
	T_EXPECT("core/task/pid", t->pid == (int)syscall(SYS_gettid) && t->tgid == getpid(),
		 "read pid %d tgid %d, expected %ld and %d", t->pid, t->tgid, syscall(SYS_gettid), getpid());
	t_pass("core/task/pid");
	T_EXPECT("core/task/real_parent.tgid", t->ppid == getppid(), "read %d, getppid() says %d",
		 t->ppid, getppid());
	t_pass("core/task/real_parent.tgid");
	T_EXPECT("core/task/comm", strncmp(t->comm, comm, sizeof(comm)) == 0 && t->comm1 == comm[1],
		 "read \"%.16s\" (comm[1] '%c'), prctl says \"%s\"", t->comm, t->comm1, comm);
	t_pass("core/task/comm");
	T_EXPECT("core/task/field-exists", t->pid_exists == 1 && t->missing_exists == 0,
		 "pid exists %llu" ", missing_field exists %llu", t->pid_exists, t->missing_exists);
	t_pass("core/task/field-exists");
	T_EXPECT("core/task/field-size", t->comm_size == 16 && t->parent_size == 8,
		 "comm %llu" " bytes, real_parent %llu", t->comm_size, t->parent_size);
	t_pass("core/task/field-size");
	T_EXPECT("core/task/field-signed", t->pid_signed == 1 && t->flags_signed == 0,
		 "pid signed %llu" ", flags signed %llu", t->pid_signed, t->flags_signed);
	t_pass("core/task/field-signed");
	T_EXPECT("core/task/guarded-poison", t->guarded_missing == 0,
		 "the read behind bpf_core_field_exists() ran: %llu", t->guarded_missing);
	t_pass("core/task/guarded-poison");
}

static void check_mm(const struct core_truth *t)
{
	unsigned long long flags = 0, start_stack = 0, arg_start = 0, env_end = 0;

	if (proc_stat(&flags, &start_stack, &arg_start, &env_end)) {
		t_skip("core/mm/anonymous-struct", "/proc/self/stat has fewer than 51 fields");
		return;
	}
	T_EXPECT("core/task/size-changed", t->flags == flags && t->flags_size == 4,
		 "flags read as %#llx (%llu bytes in the kernel), /proc/self/stat says %#llx", t->flags,
		 t->flags_size, flags);
	t_pass("core/task/size-changed");
	T_EXPECT("core/mm/anonymous-struct",
		 t->arg_start == arg_start && t->env_end == env_end && t->start_stack == start_stack,
		 "read arg_start %#llx" " env_end %#llx" " start_stack %#llx"
		 ", /proc/self/stat says %#llx" " %#llx" " %#llx",
		 t->arg_start, t->env_end, t->start_stack, arg_start, env_end, start_stack);
	t_pass("core/mm/anonymous-struct");
}

static void check_context(const struct core_truth *t)
{
	const struct bl_tp_field *id, *args, *pid;
	struct bl_tp_format fmt;
	struct bl_err err;

	T_EXPECT("core/ctx/direct-loads", t->id == SYS_getpgid && t->arg0 == PGID_ARG,
		 "ctx->id %lld args[0] %#llx; expected %d and %#llx (a load left at 4 bytes gives %#llx)",
		 t->id, t->arg0, SYS_getpgid, PGID_ARG, PGID_ARG & 0xffffffffull);
	t_pass("core/ctx/direct-loads");
	if (bl_tp_format_read("raw_syscalls", "sys_enter", &fmt, &err)) {
		t_skip("core/ctx/offsets", "%s", err.msg);
		return;
	}
	id = bl_tp_format_field(&fmt, "id");
	args = bl_tp_format_field(&fmt, "args");
	pid = bl_tp_format_field(&fmt, "common_pid");
	T_EXPECT("core/ctx/offsets", id && args && pid, "tracefs format lacks id, args or common_pid");
	T_EXPECT("core/ctx/offsets", t->id_offset == id->offset && t->args_offset == args->offset &&
		 t->args_size == args->size && t->ent_pid_offset == pid->offset,
		 "id at %llu" " args at %llu" " (%llu" " bytes) ent.pid at %llu"
		 "; tracefs: %u, %u (%u), %u", t->id_offset, t->args_offset, t->args_size,
		 t->ent_pid_offset, id->offset, args->offset, args->size, pid->offset);
	t_pass("core/ctx/offsets");
	T_EXPECT("core/type/size", t->trace_entry_size == pid->offset + pid->size,
		 "trace_entry is %llu" " bytes; its last field ends at %u", t->trace_entry_size,
		 pid->offset + pid->size);
	t_pass("core/type/size");
}

static void check_type_ids(const struct bl_object *obj, const struct core_truth *t)
{
	struct bl_err err;
	struct bl_btf *vmlinux = bl_btf_parse_file("/sys/kernel/btf/vmlinux", NULL, &err);
	int64_t local = bl_btf_find(obj->btf, "task_struct___mine", BTF_KIND_STRUCT);
	int64_t kernel = vmlinux ? bl_btf_find(vmlinux, "task_struct", BTF_KIND_STRUCT) : -1;

	bl_btf_free(vmlinux);
	T_EXPECT("core/type/id-local", local > 0 && t->local_type_id == (uint64_t)local,
		 "read %llu" ", the object's BTF has it at %" PRId64, t->local_type_id, local);
	t_pass("core/type/id-local");
	T_EXPECT("core/type/id-kernel", kernel > 0 && t->kernel_type_id == (uint64_t)kernel,
		 "read %llu" ", the kernel's BTF has task_struct at %" PRId64, t->kernel_type_id, kernel);
	t_pass("core/type/id-kernel");
}

static void check_types(const struct core_truth *t)
{
	T_EXPECT("core/type/exists", t->task_exists == 1 && t->missing_type_exists == 0,
		 "task_struct exists %llu" ", no_such_kernel_type %llu", t->task_exists,
		 t->missing_type_exists);
	t_pass("core/type/exists");
	/* enum pid_type has been PID, TGID, PGID, SID since 4.19 */
	T_EXPECT("core/enum/value", t->pidtype_tgid == 1 && t->pidtype_sid == 3 && t->pidtype_missing_exists == 0,
		 "PIDTYPE_TGID %llu" " PIDTYPE_SID %llu" ", missing value exists %llu",
		 t->pidtype_tgid, t->pidtype_sid, t->pidtype_missing_exists);
	t_pass("core/enum/value");
	T_EXPECT("core/enum/64-bit", t->perf_context_kernel == (__s64)PERF_CONTEXT_KERNEL,
		 "PERF_CONTEXT_KERNEL read as %lld, uapi says %lld", t->perf_context_kernel,
		 (long long)(__s64)PERF_CONTEXT_KERNEL);
	t_pass("core/enum/64-bit");
	if (t->type_matches == ~0ull) {
		t_skip("core/type/matches", "the object was built by clang < 15, which cannot emit bpf_core_type_matches()");
		return;
	}
	T_EXPECT("core/type/matches", t->type_matches == 1 && t->type_mismatches == 0,
		 "trace_entry matches %llu" ", task_struct___mine matches %llu", t->type_matches,
		 t->type_mismatches);
	t_pass("core/type/matches");
}

/* Every kind clang emits for core_truth.bpf.c, counted. */
static void check_kinds(const struct bl_object *obj)
{
	unsigned int per_kind[16] = { 0 }, k, missing = 0;
	size_t i;

	for (i = 0; obj->core && i < obj->core->count; i++)
		if (obj->core->relos[i].rec.kind < 16)
			per_kind[obj->core->relos[i].rec.kind]++;
	printf("# core_truth.bpf.o: %zu CO-RE relocations:", obj->core ? obj->core->count : (size_t)0);
	for (k = 0; k <= BPF_CORE_TYPE_MATCHES; k++) {
		printf(" %s %u%s", bl_core_kind_str(k), per_kind[k], k < BPF_CORE_TYPE_MATCHES ? "," : "\n");
		if (!per_kind[k] && k != BPF_CORE_TYPE_MATCHES)
			missing++;
	}
	/* the layouts differ between kernels: show where some fields are here */
	printf("# on this kernel:");
	for (i = 0; obj->core && i < obj->core->count; i++) {
		const struct bl_core_relo_info *r = &obj->core->relos[i];

		if (r->rec.kind == BPF_CORE_FIELD_BYTE_OFFSET && !r->res.poison &&
		    (strstr(r->res.path, "real_parent") || strstr(r->res.path, "arg_start") ||
		     strstr(r->res.path, ".comm")) && !strstr(r->res.path, "[1]"))
			printf(" %s at %llu;", r->res.path, (unsigned long long)r->res.target_val);
	}
	printf("\n");
	T_EXPECT("core/kinds-covered", missing == 0, "%u kinds have no relocation in the object", missing);
	t_pass("core/kinds-covered");
}

static void test_truth(void)
{
	struct core_truth t, t2;
	struct bl_object *obj;
	struct bl_err err;
	int ret;

	if (!have_object("core/truth", "core_truth.bpf.o"))
		return;
	prctl(PR_SET_NAME, "core-truth");
	if (set_reset_on_fork(1)) {
		t_fail("core/truth", "sched_setscheduler(SCHED_RESET_ON_FORK): %s", strerror(errno));
		return;
	}
	obj = open_truth(NULL, &err);
	ret = obj ? run_truth(obj, &t, &err) : -1;
	set_reset_on_fork(0);
	T_EXPECT("core/truth", ret == 0, "%s", err.msg);
	T_EXPECT("core/truth", t.hits == 1, "the program ran %llu" " times for the traced call", t.hits);
	t_pass("core/truth");
	check_kinds(obj);
	check_task(&t);
	check_mm(&t);
	check_context(&t);
	check_types(&t);
	check_type_ids(obj, &t);
	bl_object_close(obj);

	/* the bitfield both ways: now cleared, through --btf this time */
	obj = open_truth("/sys/kernel/btf/vmlinux", &err);
	ret = obj ? run_truth(obj, &t2, &err) : -1;
	bl_object_close(obj);
	T_EXPECT("core/btf-file", ret == 0 && t2.hits == 1 && t2.ppid == getppid(), "%s",
		 ret ? err.msg : "wrong values through btf_path");
	t_pass("core/btf-file");
	T_EXPECT("core/task/bitfield", t.reset_on_fork == 1 && t2.reset_on_fork == 0,
		 "sched_reset_on_fork read as %u with it set, %u with it cleared", t.reset_on_fork,
		 t2.reset_on_fork);
	t_pass("core/task/bitfield");
}

static void test_no_btf(void)
{
	struct bl_object *obj;
	struct bl_err err;
	int ret;

	if (!have_object("core/no-kernel-btf", "core_truth.bpf.o"))
		return;
	obj = open_truth("/nonexistent/vmlinux.btf", &err);
	ret = obj ? bl_object_load(obj, &err) : 0;
	bl_object_close(obj);
	T_EXPECT("core/no-kernel-btf", ret < 0 && strstr(err.msg, "CO-RE relocations need the kernel's BTF") &&
		 strstr(err.msg, "/nonexistent/vmlinux.btf"), "load returned %d: %s", ret, err.msg);
	t_pass("core/no-kernel-btf");
}

static void test_reachable_failure(void)
{
	struct bl_object *obj;
	struct bl_err err;
	char path[512];
	int bad, good;

	if (!have_object("core/reachable-failure", "core_fail.bpf.o"))
		return;
	obj_path(path, sizeof(path), "core_fail.bpf.o");
	obj = bl_object_open_file(path, NULL, &err);
	T_EXPECT("core/reachable-failure", obj, "%s", err.msg);
	if (bl_object_create_maps(obj, &err)) {
		t_fail("core/reachable-failure", "%s", err.msg);
		bl_object_close(obj);
		return;
	}
	bad = bl_object_load_program(obj, bl_object_program(obj, "reads_missing"), &err);
	/* the source line is the one line_info gives the poisoned instruction */
	if (bad == 0 || !strstr(err.msg, "field byte offset task_struct___gone.no_such_member") ||
	    !strstr(err.msg, "program reads_missing") || !strstr(err.msg, "core_fail.bpf.c:") ||
	    !strstr(err.msg, "struct task_struct in vmlinux has no member no_such_member"))
		t_fail("core/reachable-failure", "loaded %d; error: %s", bad, err.msg);
	else
		t_pass("core/reachable-failure");
	printf("# %s\n", err.msg);
	good = bl_object_load_program(obj, bl_object_program(obj, "guards_missing"), &err);
	if (good)
		t_fail("core/guarded-failure", "%s", err.msg);
	else
		t_pass("core/guarded-failure");
	bl_object_close(obj);
}

/* .text's records apply to each program's copy of the subprogram. */
static void test_subprog(void)
{
	struct bl_attachment *a = NULL, *b = NULL;
	uint64_t from_tp = 0, from_raw = 0;
	uint32_t me = (uint32_t)getpid();
	struct bl_object *obj;
	struct bl_err err;
	char path[512];
	int ret = -1;

	if (!have_object("core/subprogram", "core_subprog.bpf.o"))
		return;
	obj_path(path, sizeof(path), "core_subprog.bpf.o");
	obj = bl_object_open_file(path, NULL, &err);
	if (obj && !bl_object_var_write(obj, "target_tgid", &me, sizeof(me), &err) && !bl_object_load(obj, &err) &&
	    (a = bl_program_attach(bl_object_program(obj, "tp_getppid"), NULL, &err)) &&
	    (b = bl_program_attach(bl_object_program(obj, "raw_sys_enter"), NULL, &err))) {
		syscall(SYS_getppid);
		ret = bl_object_var_read(obj, "parent_from_tp", &from_tp, sizeof(from_tp), &err) ||
		      bl_object_var_read(obj, "parent_from_raw_tp", &from_raw, sizeof(from_raw), &err);
	}
	bl_attachment_destroy(a, &err);
	bl_attachment_destroy(b, &err);
	bl_object_close(obj);
	T_EXPECT("core/subprogram", ret == 0 && from_tp == (uint64_t)getppid() && from_raw == (uint64_t)getppid(),
		 "%s; tracepoint read %llu, raw tracepoint %llu, getppid() %d", ret ? err.msg : "wrong values",
		 (unsigned long long)from_tp, (unsigned long long)from_raw, getppid());
	t_pass("core/subprogram");
}

static void test_dry_run(void)
{
	char bin[512], path[512];
	const char *argv[] = { bin, "--dry-run", path, NULL };
	struct spawn_options so = { .argv = argv, .timeout_ms = 20000 };
	struct spawn_result res;

	if (!have_object("core/bpfload-dry-run", "core_truth.bpf.o"))
		return;
	snprintf(bin, sizeof(bin), "%s/bpfload", opts.bindir);
	obj_path(path, sizeof(path), "core_truth.bpf.o");
	if (access(bin, X_OK)) {
		t_skip("core/bpfload-dry-run", "%s not found", bin);
		return;
	}
	if (spawn_run(&so, &res)) {
		t_fail("core/bpfload-dry-run", "cannot run %s", bin);
		return;
	}
	if (res.exit_code != 0 || !strstr(res.out, "CO-RE relocations") ||
	    !strstr(res.out, "field byte offset task_struct___mine.real_parent: ") ||
	    !strstr(res.out, "field exists task_struct___mine.missing_field: 1 -> 0") ||
	    !strstr(res.out, "failed, instruction poisoned: "))
		t_fail("core/bpfload-dry-run", "exit %d; output: %.600s", res.exit_code,
		       res.out ? strstr(res.out, "CO-RE") ? strstr(res.out, "CO-RE") : res.out : "");
	else
		t_pass("core/bpfload-dry-run");
	spawn_result_free(&res);
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	test_truth();
	test_no_btf();
	test_reachable_failure();
	test_subprog();
	test_dry_run();
	return t_exit_code();
}
