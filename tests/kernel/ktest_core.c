// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_core.c - kernel tests of the loader core: real maps, real programs, real attachments on
 * the running kernel.  Runs as root on the host and inside the qemu
 * kernels (tests/vm), where it is linked statically.
 *
 * Usage: ktest_core --bindir DIR [--expect-kprobes] (see ktest_options.h)
 *   DIR holds memcpy_stat and memcpy_kprobe.
 *   --expect-kprobes turns "this kernel has no kprobes" from a skip into a
 *   failure, for kernels known to have them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfload/maps.h>
#include <bpfload/trace_pipe.h>

#include "../testlib.h"
#include "attach/attach.h"
#include "attach/kprobe.h"
#include "embedded.h"
#include "kernel_features.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/object.h"
#include "spawn.h"
#include "sys/bpf_syscall.h"
#include "sys/tracefs.h"

EMBEDDED_OBJECT(probes_bpf);
EMBEDDED_OBJECT(verifier_reject_bpf);
EMBEDDED_OBJECT(subprog_data_bpf);

static const char *bindir = ".";
static int expect_kprobes;

/* ---- helpers ----------------------------------------------------------- */

static struct bl_object *open_probes(struct bl_err *err)
{
	return bl_object_open_mem(probes_bpf, EMBEDDED_SIZE(probes_bpf), "probes.bpf.o", NULL, err);
}

static int set_u32(struct bl_object *obj, const char *map, uint32_t key, uint32_t value)
{
	return bl_map_update(bl_object_map(obj, map)->fd, &key, &value, BPF_ANY);
}

static uint64_t get_u64(struct bl_object *obj, const char *map, uint32_t key)
{
	uint64_t value = 0;

	bl_map_lookup(bl_object_map(obj, map)->fd, &key, &value);
	return value;
}

static void call_getppid(int times)
{
	while (times-- > 0)
		syscall(SYS_getppid);	/* glibc does not cache getppid */
}

static void open_dev_null(int times)
{
	while (times-- > 0) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
}


static uint32_t prog_id(int prog_fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bl_obj_get_info(prog_fd, &info, &len) == 0 ? info.id : 0;
}


/* A perf event (kprobe, tracepoint) gets its program through a BPF link
 * where the kernel has links for perf events, else through the ioctl
 * PERF_EVENT_IOC_SET_BPF.  Checks that the loader took the path this
 * kernel calls for, and says which in *path; 0, or -1 with *path saying
 * what is wrong. */
static int check_attach_path(const struct bl_attachment *link, char *path, size_t size)
{
	char why[128];
	int links = kfeature_has(KF_PERF_LINK);

	if (links < 0) {
		snprintf(path, size, "probing for BPF links on perf events failed: %s", bl_errno_name(-links));
		return -1;
	}
	if (link->perf_fd < 0) {
		snprintf(path, size, "the attachment has no perf event");
		return -1;
	}
	if (links && link->bpf_fd < 0) {
		snprintf(path, size, "attached with PERF_EVENT_IOC_SET_BPF although this kernel has BPF links for perf events");
		return -1;
	}
	if (!links && link->bpf_fd >= 0) {
		snprintf(path, size, "a BPF link on a kernel without BPF links for perf events?");
		return -1;
	}
	if (links)
		snprintf(path, size, "attached through a BPF link (BPF_LINK_CREATE)");
	else
		snprintf(path, size, "attached through PERF_EVENT_IOC_SET_BPF: %s",
			 kfeature_lacking(KF_PERF_LINK, why, sizeof(why)));
	return 0;
}

static int kprobes_or_skip(const char *name)
{
	if (bl_kprobes_available())
		return 1;
	if (expect_kprobes)
		t_fail(name, "this kernel should have kprobes but has neither the kprobe PMU nor kprobe_events");
	else
		t_skip(name, "this kernel has no kprobes (CONFIG_KPROBES is off)");
	return 0;
}

/* ---- maps ------------------------------------------------------------- */

static void test_map_type(uint32_t type, const char *type_name, uint32_t max_entries)
{
	char name[64], mname[16];
	struct bl_err err;
	struct bpf_map_info info;
	uint32_t len = sizeof(info), key, next, count = 0;
	int ncpus = bl_possible_cpus(&err), is_percpu = type == BPF_MAP_TYPE_PERCPU_ARRAY;
	uint64_t values[ncpus > 0 ? ncpus : 1], sum;
	int fd, ret, i;

	snprintf(name, sizeof(name), "maps/%s", type_name);
	snprintf(mname, sizeof(mname), "t_%s", type_name);
	fd = bl_map_create(&(struct bl_map_spec){ .name = mname, .type = type, .key_size = 4,
						 .value_size = 8, .max_entries = max_entries });
	T_EXPECT(name, fd >= 0, "BPF_MAP_CREATE failed: %s", bl_errno_name(-fd));

	memset(&info, 0, sizeof(info));
	ret = bl_obj_get_info(fd, &info, &len);
	if (ret || info.type != type || info.key_size != 4 || info.value_size != 8 ||
	    info.max_entries != max_entries || strcmp(info.name, mname) != 0) {
		t_fail(name, "kernel's map info differs: type %u key %u value %u entries %u name %s",
		       info.type, info.key_size, info.value_size, info.max_entries, info.name);
		goto out;
	}
	for (key = 0; key < 4; key++) {
		for (i = 0; i < (is_percpu ? ncpus : 1); i++)
			values[i] = 1000 + key * 10 + (uint64_t)i;
		if ((ret = bl_map_update(fd, &key, values, BPF_ANY))) {
			t_fail(name, "update key %u: %s", key, bl_errno_name(-ret));
			goto out;
		}
	}
	key = 2;
	memset(values, 0, sizeof(values));
	ret = bl_map_lookup(fd, &key, values);
	for (i = 0, sum = 0; i < (is_percpu ? ncpus : 1); i++)
		sum += values[i] - (1020 + (uint64_t)i);
	if (ret || sum != 0) {
		t_fail(name, "lookup of key 2 gave %" PRIu64 " (ret %d)", values[0], ret);
		goto out;
	}
	if (type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH) {
		ret = bl_map_delete(fd, &key);
		if (ret || bl_map_lookup(fd, &key, values) != -ENOENT) {
			t_fail(name, "delete of key 2 did not take");
			goto out;
		}
	}
	for (ret = bl_map_next_key(fd, NULL, &next); ret == 0; ret = bl_map_next_key(fd, &key, &next)) {
		key = next;
		count++;
	}
	if (ret != -ENOENT || count != (type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH ? 3 : max_entries))
		t_fail(name, "iteration found %u keys (ended with %d)", count, ret);
	else
		t_pass(name);
out:
	close(fd);
}

static void test_maps(void)
{
	test_map_type(BPF_MAP_TYPE_HASH, "hash", 64);
	test_map_type(BPF_MAP_TYPE_ARRAY, "array", 8);
	test_map_type(BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", 8);
	test_map_type(BPF_MAP_TYPE_LRU_HASH, "lru_hash", 64);
}

/* ---- loading an object ------------------------------------------------ */

static void test_object_load(void)
{
	const char *name = "object/load";
	struct bl_err err;
	struct bl_object *obj = open_probes(&err);
	size_t i;

	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_load(obj, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < obj->map_cnt; i++) {
		struct bpf_map_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(obj->maps[i].fd, &info, &len) || info.type != obj->maps[i].spec.type ||
		    info.max_entries != obj->maps[i].spec.max_entries ||
		    strcmp(info.name, obj->maps[i].kernel_name) != 0) {
			t_fail(name, "map %s: the kernel has something else", obj->maps[i].name);
			goto out;
		}
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(obj->progs[i].fd, &info, &len) ||
		    info.type != obj->progs[i].kind->prog_type ||
		    strncmp(info.name, obj->progs[i].name, BPF_OBJ_NAME_LEN - 1) != 0 ||
		    info.nr_map_ids == 0) {
			t_fail(name, "program %s: the kernel has something else (type %u, name %s, %u maps)",
			       obj->progs[i].name, info.type, info.name, info.nr_map_ids);
			goto out;
		}
	}
	t_pass(name);
out:
	bl_object_close(obj);
}

static void test_verifier_rejection(void)
{
	const char *name = "object/verifier-rejection";
	struct bl_err err;
	struct bl_object *obj = bl_object_open_mem(verifier_reject_bpf, EMBEDDED_SIZE(verifier_reject_bpf),
						   "verifier_reject.bpf.o", NULL, &err);
	struct bl_program *prog;

	T_EXPECT(name, obj, "%s", err.msg);
	prog = bl_object_program(obj, "unchecked_lookup");
	if (bl_object_load(obj, &err) == 0)
		t_fail(name, "the verifier accepted a NULL dereference");
	else if (!strstr(err.msg, "verifier rejected") || !strstr(err.msg, "unchecked_lookup"))
		t_fail(name, "message does not say which program the verifier rejected: %s", err.msg);
	else if (!prog || !prog->verifier_log || !strstr(prog->verifier_log, "invalid mem access"))
		t_fail(name, "no verifier log explaining the rejection");
	else if (!strstr(prog->verifier_log, "return (int)*value;"))
		t_fail(name, "the verifier log quotes no C source line (line_info from .BTF.ext not passed?)");
	else
		t_pass(name);
	bl_object_close(obj);
}

/* A rejected program whose name holds "btf" is still reported with the
 * verifier's reason and C source lines, and no note says its BTF was
 * refused: the loader decides that from the errno, not from the text. */
static void test_verifier_rejection_btf_name(void)
{
	const char *name = "object/verifier-rejection-btf-name";
	struct bl_err err;
	struct bl_object *obj = bl_object_open_mem(verifier_reject_bpf, EMBEDDED_SIZE(verifier_reject_bpf),
						   "verifier_reject.bpf.o", NULL, &err);
	struct bl_program *prog;

	T_EXPECT(name, obj, "%s", err.msg);
	prog = bl_object_program(obj, "btf_unchecked_read");
	if (!prog)
		t_fail(name, "no program btf_unchecked_read in the object");
	else if (bl_object_create_maps(obj, &err))
		t_fail(name, "%s", err.msg);
	else if (bl_object_load_program(obj, prog, &err) == 0)
		t_fail(name, "the verifier accepted a NULL dereference");
	else if (!strstr(err.msg, "verifier rejected") || !strstr(err.msg, "btf_unchecked_read"))
		t_fail(name, "message does not name the program and the verifier's reason: %s", err.msg);
	else if (!prog->verifier_log || !strstr(prog->verifier_log, "return (int)*value + 1;"))
		t_fail(name, "the verifier log quotes no C source line: the program was loaded again without line_info");
	else if (bl_object_notes(obj)[0])
		t_fail(name, "a note claims something about BTF: %s", bl_object_notes(obj));
	else
		t_pass(name);
	bl_object_close(obj);
}

/* ---- subprograms and global data ------------------------------------- */

static int read_var_u64(struct bl_object *obj, const char *var, uint64_t *value, struct bl_err *err)
{
	return bl_object_var_read(obj, var, value, sizeof(*value), err);
}

static void test_subprograms_and_global_data(void)
{
	const char *name = "object/subprograms-and-global-data";
	const int calls = 50;
	uint32_t tgid = (uint32_t)getpid(), step = 2;
	uint64_t counted = 0, total = 0, iterations = 0, second = 0, seven = 7;
	struct bl_err err;
	struct bl_object *obj = bl_object_open_mem(subprog_data_bpf, EMBEDDED_SIZE(subprog_data_bpf),
						   "subprog_data.bpf.o", NULL, &err);
	struct bl_attachment *first = NULL, *again = NULL;

	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_var_write(obj, "target_tgid", &tgid, sizeof(tgid), &err) ||
	    bl_object_var_write(obj, "step", &step, sizeof(step), &err) ||
	    bl_object_load(obj, &err) ||
	    !(first = bl_program_attach(bl_object_program(obj, "count_calls"), NULL, &err)) ||
	    !(again = bl_program_attach(bl_object_program(obj, "count_again"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	call_getppid(calls);
	bl_attachment_destroy(first, NULL);
	bl_attachment_destroy(again, NULL);
	first = again = NULL;
	if (read_var_u64(obj, "calls", &counted, &err) || read_var_u64(obj, "total", &total, &err) ||
	    read_var_u64(obj, "loop_iterations", &iterations, &err) ||
	    read_var_u64(obj, "second_program_calls", &second, &err)) {
		t_fail(name, "%s", err.msg);
	} else if (counted != (uint64_t)calls || total != 100 + 2 * (uint64_t)calls ||
		   iterations != 3 * (uint64_t)calls || second != 2 * (uint64_t)calls) {
		t_fail(name, "%d calls gave calls=%" PRIu64 " total=%" PRIu64 " loop_iterations=%" PRIu64
		       " second_program_calls=%" PRIu64 "; expected %d, %d, %d, %d", calls, counted, total,
		       iterations, second, calls, 100 + 2 * calls, 3 * calls, 2 * calls);
	} else if (bl_object_var_write(obj, "total", &seven, sizeof(seven), &err) ||
		   read_var_u64(obj, "total", &total, &err) || total != 7) {
		t_fail(name, "writing .data after load did not take: %s", err.msg);
	} else if (bl_object_var_write(obj, "step", &step, sizeof(step), &err) != -EPERM) {
		t_fail(name, "writing frozen .rodata after load was not refused");
	} else {
		t_pass(name);
	}
out:
	bl_attachment_destroy(first, NULL);
	bl_attachment_destroy(again, NULL);
	bl_object_close(obj);
}

/* ---- tracepoints and trace_pipe -------------------------------------- */

static void test_tracepoint_count(void)
{
	const char *name = "tracepoint/count-getppid";
	const int calls = 500;
	char path[256];
	struct bl_err err;
	struct bl_object *obj = open_probes(&err);
	struct bl_attachment *att = NULL;
	uint64_t counted, after;
	uint32_t id = 0;

	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_load(obj, &err) ||
	    !(att = bl_program_attach(bl_object_program(obj, "count_getppid"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	if (check_attach_path(att, path, sizeof(path))) {
		t_fail(name, "%s", path);
		goto out;
	}
	id = prog_id(bl_object_program(obj, "count_getppid")->fd);
	set_u32(obj, "target_tgid", 0, (uint32_t)getpid());
	call_getppid(calls);
	counted = get_u64(obj, "hits", 2);
	bl_attachment_destroy(att, NULL);
	att = NULL;
	call_getppid(100);
	after = get_u64(obj, "hits", 2);
	bl_object_close(obj);
	obj = NULL;
	if (counted != (uint64_t)calls)
		t_fail(name, "%d getppid calls, the program counted %" PRIu64, calls, counted);
	else if (after != counted)
		t_fail(name, "still counting after detach: %" PRIu64 " -> %" PRIu64, counted, after);
	else if (!program_gone(id))
		t_fail(name, "program %u still loaded after the object was closed", id);
	else {
		printf("# %s: %s\n", name, path);
		t_pass(name);
	}
out:
	bl_attachment_destroy(att, NULL);
	bl_object_close(obj);
}

struct token_search {
	char want[64];
	int found;
};

static void look_for_token(const char *line, void *ctx)
{
	struct token_search *s = ctx;

	if (strstr(line, s->want))
		s->found = 1;
}

static void test_trace_pipe(void)
{
	const char *name = "trace_pipe/printk";
	struct bl_err err;
	struct bl_object *obj = open_probes(&err);
	struct bl_attachment *att = NULL;
	struct bl_trace_pipe tp = { .fd = -1 };
	struct token_search search = { .found = 0 };
	uint64_t token = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	uint32_t zero = 0;
	int rounds;

	T_EXPECT(name, obj, "%s", err.msg);
	snprintf(search.want, sizeof(search.want), "bl-test-token %" PRIu64, token);
	if (bl_object_load(obj, &err) || bl_trace_pipe_open(&tp, &err) ||
	    !(att = bl_program_attach(bl_object_program(obj, "print_getppid"), NULL, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	set_u32(obj, "target_tgid", 0, (uint32_t)getpid());
	bl_map_update(bl_object_map(obj, "token")->fd, &zero, &token, BPF_ANY);
	for (rounds = 0; rounds < 50 && !search.found; rounds++) {
		call_getppid(1);
		bl_trace_pipe_read(&tp, 100, look_for_token, &search);
	}
	if (search.found)
		t_pass(name);
	else
		t_fail(name, "\"%s\" never appeared in trace_pipe", search.want);
out:
	bl_attachment_destroy(att, NULL);
	bl_trace_pipe_close(&tp);
	bl_object_close(obj);
}

/* ---- kprobes ------------------------------------------------------------ */

static void test_kprobes(const char *name, int force_legacy)
{
	const int opens = 200;
	struct bl_attach_opts opts = { .force_legacy_kprobe = force_legacy };
	struct bl_err err;
	struct bl_object *obj;
	struct bl_attachment *entry = NULL, *ret = NULL;
	uint64_t entries, returns;
	char leftover[128], path[256];

	if (!kprobes_or_skip(name))
		return;
	obj = open_probes(&err);
	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_load(obj, &err) ||
	    !(entry = bl_program_attach(bl_object_program(obj, "count_open_entry"), &opts, &err)) ||
	    !(ret = bl_program_attach(bl_object_program(obj, "count_open_return"), &opts, &err))) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	if (force_legacy && (!entry->legacy_event[0] || leftover_kprobe_events(leftover, sizeof(leftover)) != 2)) {
		t_fail(name, "expected two bl_ events in kprobe_events while attached");
		goto out;
	}
	if (check_attach_path(entry, path, sizeof(path)) || check_attach_path(ret, path, sizeof(path))) {
		t_fail(name, "%s", path);
		goto out;
	}
	set_u32(obj, "target_tgid", 0, (uint32_t)getpid());
	open_dev_null(opens);
	entries = get_u64(obj, "hits", 0);
	returns = get_u64(obj, "hits", 1);
	bl_attachment_destroy(entry, NULL);
	bl_attachment_destroy(ret, NULL);
	entry = ret = NULL;
	if (entries != (uint64_t)opens || returns != (uint64_t)opens)
		t_fail(name, "%d opens: kprobe counted %" PRIu64 ", kretprobe %" PRIu64, opens, entries, returns);
	else if (leftover_kprobe_events(leftover, sizeof(leftover)))
		t_fail(name, "kprobe event left behind after detach: %s", leftover);
	else {
		printf("# %s: %s\n", name, path);
		t_pass(name);
	}
out:
	bl_attachment_destroy(entry, NULL);
	bl_attachment_destroy(ret, NULL);
	bl_object_close(obj);
}

static void test_kprobe_refusal_reason(void)
{
	const char *name = "kprobe/refusal-names-reason";
	struct bl_err err;
	struct bl_object *obj;
	struct bl_attachment *att;

	if (!kprobes_or_skip(name))
		return;
	obj = open_probes(&err);
	T_EXPECT(name, obj && bl_object_load(obj, &err) == 0, "%s", err.msg);
	att = bl_attach_kprobe(bl_object_program(obj, "count_open_entry"), "no_such_function_bl", 0, NULL, &err);
	if (att)
		t_fail(name, "a kprobe on a function that does not exist was accepted");
	else if (!strstr(err.msg, "absent from /proc/kallsyms"))
		t_fail(name, "message does not say the function does not exist: %s", err.msg);
	else
		t_pass(name);
	bl_attachment_destroy(att, NULL);
	bl_object_close(obj);
}

/* ---- the memcpy tools ---------------------------------------------------- */

static void tool_path(char *path, size_t size, const char *tool)
{
	snprintf(path, size, "%s/%s", bindir, tool);
}

static void test_tool_not_root(const char *tool)
{
	char name[64], path[512];
	const char *argv[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = argv, .run_as_uid = 65534, .timeout_ms = 20000 };
	struct spawn_result r;

	snprintf(name, sizeof(name), "%s/not-root", tool);
	tool_path(path, sizeof(path), tool);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code == 0 || r.exit_code >= 126)
		t_fail(name, "exit code %d, expected a failure of the tool itself", r.exit_code);
	else if (count_lines(r.err) != 1 || !strstr(r.err, "run as root"))
		t_fail(name, "expected one line saying to run as root, got: %s", r.err);
	else
		t_pass(name);
	spawn_result_free(&r);
}

static void test_tool_without_kprobes(const char *tool)
{
	char name[64], path[512];
	const char *argv[] = { path, "--duration", "1", NULL };
	struct spawn_options o = { .argv = argv, .timeout_ms = 20000 };
	struct spawn_result r;

	snprintf(name, sizeof(name), "%s/no-kprobes-message", tool);
	if (bl_kprobes_available()) {
		t_skip(name, "this kernel has kprobes; the message is for kernels without");
		return;
	}
	tool_path(path, sizeof(path), tool);
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	if (r.exit_code != 1)
		t_fail(name, "exit code %d, expected 1", r.exit_code);
	else if (count_lines(r.err) != 1 || !strstr(r.err, "CONFIG_KPROBES is off") || r.out[0])
		t_fail(name, "expected exactly one line naming CONFIG_KPROBES, got: %s%s", r.err, r.out);
	else
		t_pass(name);
	spawn_result_free(&r);
}

/* Two processes making copy-heavy system calls, one per CPU. */
static pid_t start_copy_load(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		fork();		/* two of us */
		for (;;) {
			char buf[4096];
			struct utsname u;
			int fd = open("/proc/self/stat", O_RDONLY);

			if (fd >= 0) {
				if (read(fd, buf, sizeof(buf)) < 0)
					_exit(1);
				close(fd);
			}
			uname(&u);
			fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				if (write(fd, buf, (size_t)(getpid() % 2000)) < 0)
					_exit(1);
				close(fd);
			}
		}
	}
	setpgid(pid, pid);
	return pid;
}

static void stop_copy_load(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

struct find_prog {
	const char *prog_name;
	uint32_t newer_than;	/* the highest program id before the tool started */
	int fd;			/* held so that we can read run_cnt after the tool exits */
	/* with load_ms: the copy load, from when the program shows up */
	int load_ms;
	pid_t load;
	int64_t load_start;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void find_new_program(pid_t child, const char *err, void *ctx)
{
	struct find_prog *f = ctx;
	uint32_t id = f->newer_than;

	(void)child;
	(void)err;
	while (f->fd < 0 && bl_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bl_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(fd, &info, &len) == 0 && strcmp(info.name, f->prog_name) == 0)
			f->fd = fd;
		else
			close(fd);
	}
}

/* The copy load runs for load_ms from when the tool says "Tracing ..."
 * (it has attached), and stops while the tool still traces: the kprobe
 * is then removed from a function that only the system's own activity
 * calls.  Debian's 5.10 x86_64 kernel under qemu crashed (a jump
 * to address 0 at __check_object_size+0) in two runs out of seven when
 * the kprobe on __check_object_size was removed while the load ran. */
static void load_while_tracing(pid_t child, const char *err, void *ctx)
{
	struct find_prog *f = ctx;

	find_new_program(child, err, ctx);
	if (!f->load_start && strstr(err, "Tracing ")) {
		f->load = start_copy_load();
		f->load_start = now_ms();
	}
	if (f->load > 0 && now_ms() - f->load_start >= f->load_ms) {
		stop_copy_load(f->load);
		f->load = 0;
	}
}

/* After the tool exited: stop the load if the tool ended first. */
static void end_load(struct find_prog *f)
{
	if (f->load > 0)
		stop_copy_load(f->load);
	f->load = 0;
}


/* The counts in memcpy_stat's tables, added up. */
static uint64_t sum_of_tables(const char *out, int *tables)
{
	const char *line = out;
	uint64_t sum = 0;

	*tables = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n'), *tab = NULL, *p;

		if (strncmp(line, "\tSize", 5) == 0)
			(*tables)++;
		else if (line[0] != '*')
			for (p = line; p < (end ? end : line + strlen(line)); p++)
				if (*p == '\t')
					tab = p;
		if (tab)
			sum += strtoull(tab + 1, NULL, 10);
		line = end ? end + 1 : NULL;
	}
	return sum;
}

/* memcpy_stat's closing note when its fallback filters calls:
 * "memcpy_stat: N calls of FUNC not counted (...)". */
static uint64_t calls_not_counted(const char *err)
{
	const char *p = strstr(err, "memcpy_stat: ");

	for (; p; p = strstr(p + 1, "memcpy_stat: ")) {
		unsigned long long n;
		char func[64];

		if (sscanf(p, "memcpy_stat: %llu calls of %63s not counted", &n, func) == 2)
			return n;
	}
	return 0;
}

static int write_sysctl(const char *path, const char *value, char *old, size_t old_size)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (old) {
		n = read(fd, old, old_size - 1);
		old[n > 0 ? n : 0] = '\0';
	}
	n = pwrite(fd, value, strlen(value), 0);
	close(fd);
	return n < 0 ? -errno : 0;
}

static void test_memcpy_stat_exact(const char *name, int legacy)
{
	char path[512], old_stats[16] = "0", leftover[128];
	const char *argv[] = { path, "--duration", "5", "--interval", "1", NULL };
	const char *env[] = { "BPFLOAD_LEGACY_KPROBES=1", NULL };
	struct find_prog find = { "memcpy_stat", highest_prog_id(), -1, .load_ms = 3000 };
	struct spawn_options o = { .argv = argv, .env = legacy ? env : NULL, .timeout_ms = 60000,
				   .while_running = load_while_tracing, .ctx = &find };
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), id;
	struct spawn_result r;
	uint64_t sum;
	int tables, ran;

	if (!kprobes_or_skip(name))
		return;
	tool_path(path, sizeof(path), "memcpy_stat");
	T_EXPECT(name, write_sysctl("/proc/sys/kernel/bpf_stats_enabled", "1", old_stats,
				    sizeof(old_stats)) == 0, "cannot enable kernel.bpf_stats_enabled");
	ran = spawn_run(&o, &r);
	end_load(&find);
	T_EXPECT(name, ran == 0, "cannot run %s", path);
	write_sysctl("/proc/sys/kernel/bpf_stats_enabled", old_stats, NULL, 0);

	memset(&info, 0, sizeof(info));
	sum = sum_of_tables(r.out, &tables) + calls_not_counted(r.err);
	if (r.exit_code != 0) {
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	} else if (find.fd < 0 || bl_obj_get_info(find.fd, &info, &len) != 0) {
		t_fail(name, "never saw memcpy_stat's program loaded");
	} else if (tables < 4 || sum == 0) {
		t_fail(name, "%d tables with %" PRIu64 " calls in all: %s", tables, sum, r.err);
	} else if (sum != info.run_cnt) {
		t_fail(name, "the tables (and calls not counted) add up to %" PRIu64 " calls, the kernel ran the program %llu times",
		       sum, (unsigned long long)info.run_cnt);
	} else if (!strstr(r.err, "Tracing ")) {
		t_fail(name, "no \"Tracing ...\" line naming the function: %s", r.err);
	} else {
		id = info.id;
		close(find.fd);
		find.fd = -1;
		if (!program_gone(id))
			t_fail(name, "program %u still loaded after the tool exited", id);
		else if (leftover_kprobe_events(leftover, sizeof(leftover)))
			t_fail(name, "kprobe event left behind: %s", leftover);
		else {
			printf("# %s: %d tables, %" PRIu64 " calls = run_cnt; %s", name, tables, sum, r.err);
			t_pass(name);
		}
	}
	if (find.fd >= 0)
		close(find.fd);
	spawn_result_free(&r);
}

/* Once the tool says it is tracing, SIGKILL: no chance to clean up. */
static void kill_when_tracing(pid_t child, const char *err, void *ctx)
{
	int *killed = ctx;

	if (!*killed && strstr(err, "Tracing ")) {
		kill(child, SIGKILL);
		*killed = 1;
	}
}

/* memcpy_kprobe on a tracefs kprobe, killed with SIGKILL, leaves its
 * kprobe event; the next run removes it and says so, and leaves none of
 * its own. */
static void test_killed_run_cleaned_up(void)
{
	const char *name = "memcpy_kprobe/sigkill-leftover-removed-next-run";
	char path[512], left[128], first[128];
	const char *kill_argv[] = { path, NULL }, *again_argv[] = { path, "--duration", "1", NULL };
	const char *env[] = { "BPFLOAD_LEGACY_KPROBES=1", NULL };
	int killed = 0;
	struct spawn_options o = { .argv = kill_argv, .env = env, .timeout_ms = 60000,
				   .while_running = kill_when_tracing, .ctx = &killed };
	struct spawn_options again = { .argv = again_argv, .env = env, .timeout_ms = 60000 };
	struct spawn_result r1, r2;

	if (!kprobes_or_skip(name))
		return;
	tool_path(path, sizeof(path), "memcpy_kprobe");
	T_EXPECT(name, spawn_run(&o, &r1) == 0, "cannot run %s", path);
	leftover_kprobe_events(first, sizeof(first));
	T_EXPECT(name, spawn_run(&again, &r2) == 0, "cannot run %s", path);
	if (!killed)
		t_fail(name, "the tool never said it was tracing: %s", r1.err);
	else if (!first[0])
		t_fail(name, "no kprobe event left after SIGKILL: nothing to test (was the PMU used?)");
	else if (r2.exit_code != 0)
		t_fail(name, "the next run failed (%d): %s", r2.exit_code, r2.err);
	else if (!strstr(r2.err, "left by processes that no longer exist"))
		t_fail(name, "the next run did not say it removed %s: %s", first, r2.err);
	else if (leftover_kprobe_events(left, sizeof(left)))
		t_fail(name, "kprobe event still there: %s", left);
	else {
		printf("# %s: %s removed by the next run\n", name, first);
		t_pass(name);
	}
	spawn_result_free(&r1);
	spawn_result_free(&r2);
}

/* memcpy_kprobe's lines name the function it traces: "FUNC size N". */
static void test_memcpy_kprobe_lines(void)
{
	const char *name = "memcpy_kprobe/size-lines";
	char path[512], func[64] = "", want[96];
	const char *argv[] = { path, "--duration", "4", NULL };
	uint32_t before = highest_prog_id();
	struct find_prog find = { "memcpy_kprobe", before, -1, .load_ms = 2000 };
	struct spawn_options o = { .argv = argv, .timeout_ms = 60000,
				   .while_running = load_while_tracing, .ctx = &find };
	struct spawn_result r;
	const char *tracing;
	char left[128];
	int ran;

	if (!kprobes_or_skip(name))
		return;
	tool_path(path, sizeof(path), "memcpy_kprobe");
	ran = spawn_run(&o, &r);
	end_load(&find);
	if (find.fd >= 0)
		close(find.fd);	/* held, it would keep the program loaded */
	T_EXPECT(name, ran == 0, "cannot run %s", path);
	tracing = strstr(r.err, "Tracing ");
	if (tracing)
		sscanf(tracing, "Tracing %63s", func);
	snprintf(want, sizeof(want), ": %s size ", func);
	if (r.exit_code != 0)
		t_fail(name, "exit code %d: %s", r.exit_code, r.err);
	else if (!func[0])
		t_fail(name, "no \"Tracing FUNC\" line: %s", r.err);
	else if (!strstr(r.out, want))
		t_fail(name, "no \"%s\" line in %d lines of output", want, count_lines(r.out));
	else if (programs_left_after(before, left, sizeof(left)))
		t_fail(name, "program %s still loaded after the tool exited", left);
	else if (leftover_kprobe_events(left, sizeof(left)))
		t_fail(name, "kprobe event left behind: %s", left);
	else {
		printf("# %s: %d lines while tracing %s\n", name, count_lines(r.out), func);
		t_pass(name);
	}
	spawn_result_free(&r);
}

/* SIGTERM must detach and print the final table, leaving nothing behind. */
static void test_memcpy_stat_sigterm(void)
{
	const char *name = "memcpy_stat/sigterm-cleans-up";
	char path[512], leftover[128];
	const char *argv[] = { path, NULL };
	const char *env[] = { "BPFLOAD_LEGACY_KPROBES=1", NULL };
	struct find_prog find = { "memcpy_stat", highest_prog_id(), -1, .load_ms = 0 };
	struct spawn_options o = { .argv = argv, .env = env, .timeout_ms = 60000,
				   .signal_after_ms = 3000, .stop_signal = SIGTERM,
				   .while_running = find_new_program, .ctx = &find };
	struct spawn_result r;
	uint32_t id;
	int tables;

	if (!kprobes_or_skip(name))
		return;
	tool_path(path, sizeof(path), "memcpy_stat");
	T_EXPECT(name, spawn_run(&o, &r) == 0, "cannot run %s", path);
	sum_of_tables(r.out, &tables);
	id = find.fd >= 0 ? prog_id(find.fd) : 0;
	if (find.fd >= 0)
		close(find.fd);
	if (r.exit_code != 0)
		t_fail(name, "exit code %d (signal %d): %s", r.exit_code, r.signal, r.err);
	else if (tables < 1)
		t_fail(name, "no final table after SIGTERM");
	else if (!id || !program_gone(id))
		t_fail(name, "program %u not seen, or still loaded after exit", id);
	else if (leftover_kprobe_events(leftover, sizeof(leftover)))
		t_fail(name, "kprobe event left behind: %s", leftover);
	else
		t_pass(name);
	spawn_result_free(&r);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	bindir = opts.bindir;
	expect_kprobes = opts.expect_kprobes;
	if (geteuid() != 0) {
		printf("SKIP kernel-tests: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	kfeature_print_all();
	test_maps();
	test_object_load();
	test_verifier_rejection();
	test_verifier_rejection_btf_name();
	test_subprograms_and_global_data();
	test_tracepoint_count();
	test_trace_pipe();
	test_kprobes("kprobe/pmu-count", 0);
	test_kprobes("kprobe/tracefs-count", 1);
	test_kprobe_refusal_reason();
	test_tool_not_root("memcpy_stat");
	test_tool_not_root("memcpy_kprobe");
	test_tool_without_kprobes("memcpy_stat");
	test_tool_without_kprobes("memcpy_kprobe");
	test_memcpy_stat_exact("memcpy_stat/bucket-sum-equals-run_cnt", 0);
	test_memcpy_stat_exact("memcpy_stat/tracefs-kprobe-bucket-sum", 1);
	test_memcpy_kprobe_lines();
	test_killed_run_cleaned_up();
	test_memcpy_stat_sigterm();
	return t_exit_code();
}
