// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_trace.c - the narration without a kernel: each decoder on
 * union bpf_attr and perf_event_attr values filled in here, for every
 * bpf(2) command the loader uses, with results and errno meanings; the
 * bounds it must keep (attr shorter than the union, strings exactly as
 * long as the kernel reads, unterminated); the hook, phases and errno;
 * and the object layer's lines (what an object holds, every relocation
 * it applies, CO-RE values) checked against the instructions themselves.
 *
 * Built with AddressSanitizer: a decoder that read one byte past what
 * the kernel would read fails here.  Takes the test BPF objects as
 * arguments (narrate.bpf.o, and core_subprog.bpf.o when built).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../testlib.h"
#include "object/assemble.h"
#include "object/core_relocate.h"
#include "object/object.h"
#include "sys/trace.h"
#include "sys/trace_format.h"

static char line[BL_TRACE_LINE_MAX];

static const char *bpf_line(int cmd, const union bpf_attr *attr, unsigned int size, long ret)
{
	struct bl_line l;

	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_bpf(&l, cmd, attr, size, ret);
	return line;
}

static void expect_line(const char *name, const char *got, const char *want)
{
	if (strcmp(got, want))
		t_fail(name, "got\n  %s\nwant\n  %s", got, want);
	else
		t_pass(name);
}

static void expect_has(const char *name, const char *got, const char *const *parts)
{
	for (; *parts; parts++)
		if (!strstr(got, *parts)) {
			t_fail(name, "no \"%s\" in: %s", *parts, got);
			return;
		}
	t_pass(name);
}

static uint64_t p64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---- bpf(2), command by command ------------------------------------------- */

static void test_map_create(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 18;
	a.btf_fd = 3;
	a.btf_key_type_id = 0;
	a.btf_value_type_id = 12;
	strcpy(a.map_name, "size_hist");
	expect_line("trace/bpf/map-create", bpf_line(BPF_MAP_CREATE, &a, sizeof(a), 5),
		    "bpf(BPF_MAP_CREATE, type=percpu_array name=size_hist key=4 value=8 entries=18 flags=0 btf_fd=3 key_type=0 value_type=12) = 5");

	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.map_flags = BPF_F_RDONLY_PROG | BPF_F_MMAPABLE;
	a.btf_fd = 0;
	a.max_entries = 1;
	strcpy(a.map_name, "probes.rodata");
	expect_line("trace/bpf/map-create-flags-error", bpf_line(BPF_MAP_CREATE, &a, sizeof(a), -EINVAL),
		    "bpf(BPF_MAP_CREATE, type=array name=probes.rodata key=4 value=8 entries=1 flags=BPF_F_RDONLY_PROG|BPF_F_MMAPABLE btf_fd=0) = -EINVAL (the kernel refused an attribute: a map type or flag it does not know, sizes this type does not take, or BTF types that do not fit the map)");

	/* values this build cannot name, a name filling all 16 bytes */
	a.map_type = 999;
	a.map_flags = 1u << 20 | BPF_F_NO_PREALLOC;
	memcpy(a.map_name, "0123456789abcdef", 16);
	expect_has("trace/bpf/map-create-unknown-values", bpf_line(BPF_MAP_CREATE, &a, sizeof(a), 4),
		   (const char *const[]){ "type=999 ", "name=0123456789abcdef key=",
					  "flags=BPF_F_NO_PREALLOC|0x100000 ", NULL });
}

static void test_map_elems(void)
{
	union bpf_attr a;
	uint32_t key = 0;
	uint64_t value = 0;

	memset(&a, 0, sizeof(a));
	a.map_fd = 5;
	a.key = p64(&key);
	a.value = p64(&value);
	expect_line("trace/bpf/lookup", bpf_line(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a), 0),
		    "bpf(BPF_MAP_LOOKUP_ELEM, map_fd=5) = 0");
	expect_line("trace/bpf/lookup-enoent", bpf_line(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a), -ENOENT),
		    "bpf(BPF_MAP_LOOKUP_ELEM, map_fd=5) = -ENOENT (no such key)");
	a.flags = BPF_NOEXIST;
	expect_line("trace/bpf/update-noexist", bpf_line(BPF_MAP_UPDATE_ELEM, &a, sizeof(a), -EEXIST),
		    "bpf(BPF_MAP_UPDATE_ELEM, map_fd=5 flags=BPF_NOEXIST) = -EEXIST (the key exists and BPF_NOEXIST was asked)");
	a.flags = BPF_ANY;
	expect_line("trace/bpf/update-frozen", bpf_line(BPF_MAP_UPDATE_ELEM, &a, sizeof(a), -EPERM),
		    "bpf(BPF_MAP_UPDATE_ELEM, map_fd=5 flags=BPF_ANY) = -EPERM (the map is frozen (BPF_MAP_FREEZE) or read-only for user space)");
	expect_line("trace/bpf/delete", bpf_line(BPF_MAP_DELETE_ELEM, &a, sizeof(a), 0),
		    "bpf(BPF_MAP_DELETE_ELEM, map_fd=5) = 0");
	expect_line("trace/bpf/next-key", bpf_line(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a), -ENOENT),
		    "bpf(BPF_MAP_GET_NEXT_KEY, map_fd=5) = -ENOENT (no key after this one: the walk is done)");
	a.key = 0;
	expect_line("trace/bpf/next-key-empty", bpf_line(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a), -ENOENT),
		    "bpf(BPF_MAP_GET_NEXT_KEY, map_fd=5 key=NULL (the first key)) = -ENOENT (the map is empty)");
	memset(&a, 0, sizeof(a));
	a.map_fd = 3;
	expect_line("trace/bpf/freeze", bpf_line(BPF_MAP_FREEZE, &a, sizeof(a), 0),
		    "bpf(BPF_MAP_FREEZE, map_fd=3) = 0");
}

static void test_prog_load(void)
{
	union bpf_attr a;
	char log[64];

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_KPROBE;
	a.insn_cnt = 25;
	a.license = p64("GPL");
	a.kern_version = (6 << 16) | (1 << 8) | 192;
	a.prog_btf_fd = 3;
	a.func_info_cnt = 1;
	a.line_info_cnt = 12;
	strcpy(a.prog_name, "memcpy_stat");
	expect_line("trace/bpf/prog-load", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), 6),
		    "bpf(BPF_PROG_LOAD, type=kprobe name=memcpy_stat insns=25 license=\"GPL\" kern_version=6.1.192 btf_fd=3 func_info=1 line_info=12 log_level=0) = 6");
	a.log_level = 1;
	a.log_buf = p64(log);
	a.log_size = sizeof(log);
	expect_line("trace/bpf/prog-load-rejected", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -EACCES),
		    "bpf(BPF_PROG_LOAD, type=kprobe name=memcpy_stat insns=25 license=\"GPL\" kern_version=6.1.192 btf_fd=3 func_info=1 line_info=12 log_level=1 log_size=64) = -EACCES (the verifier rejected it; see the log)");
	expect_has("trace/bpf/prog-load-enospc", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -ENOSPC),
		   (const char *const[]){ "= -ENOSPC (the log buffer is too small", NULL });
	bl_trace_as_root = 1;
	expect_has("trace/bpf/prog-load-eperm-root", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -EPERM),
		   (const char *const[]){ "= -EPERM (root was refused: lockdown", NULL });
	bl_trace_as_root = 0;
	expect_has("trace/bpf/prog-load-eperm-user", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -EPERM),
		   (const char *const[]){ "= -EPERM (not permitted: loading programs needs root", NULL });
	expect_has("trace/bpf/prog-load-e2big", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -E2BIG),
		   (const char *const[]){ "= -E2BIG (an attribute this kernel does not know", NULL });

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_TRACING;
	a.expected_attach_type = BPF_TRACE_FENTRY;
	a.attach_btf_id = 1234;
	a.insn_cnt = 4;
	a.license = p64("GPL");
	strcpy(a.prog_name, "on_open");
	expect_line("trace/bpf/prog-load-tracing", bpf_line(BPF_PROG_LOAD, &a, sizeof(a), -ENOTSUPP_KERNEL),
		    "bpf(BPF_PROG_LOAD, type=tracing name=on_open insns=4 license=\"GPL\" attach_type=trace_fentry attach_btf_id=1234 log_level=0) = -ENOTSUPP (not supported here: the kernel-internal ENOTSUPP, which bpf(2) lets out)");
}

static void test_other_commands(void)
{
	union bpf_attr a;
	char log[16];

	memset(&a, 0, sizeof(a));
	a.btf_size = 1816;
	expect_line("trace/bpf/btf-load", bpf_line(BPF_BTF_LOAD, &a, sizeof(a), 3),
		    "bpf(BPF_BTF_LOAD, size=1816 log_level=0) = 3");
	a.btf_log_level = 1;
	a.btf_log_buf = p64(log);
	a.btf_log_size = sizeof(log);
	expect_has("trace/bpf/btf-load-refused", bpf_line(BPF_BTF_LOAD, &a, sizeof(a), -EINVAL),
		   (const char *const[]){ "size=1816 log_level=1 log_size=16) = -EINVAL (the kernel refused this BTF", NULL });

	memset(&a, 0, sizeof(a));
	a.pathname = p64("/sys/fs/bpf/x/maps/counts");
	a.bpf_fd = 4;
	expect_line("trace/bpf/obj-pin", bpf_line(BPF_OBJ_PIN, &a, sizeof(a), -EEXIST),
		    "bpf(BPF_OBJ_PIN, path=\"/sys/fs/bpf/x/maps/counts\" fd=4) = -EEXIST (something is pinned at that path already)");
	a.bpf_fd = 0;
	expect_line("trace/bpf/obj-get", bpf_line(BPF_OBJ_GET, &a, sizeof(a), 7),
		    "bpf(BPF_OBJ_GET, path=\"/sys/fs/bpf/x/maps/counts\") = 7");

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = 5;
	a.info.info_len = 80;
	expect_line("trace/bpf/get-info", bpf_line(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a), 0),
		    "bpf(BPF_OBJ_GET_INFO_BY_FD, fd=5 info_len=80) = 0");

	memset(&a, 0, sizeof(a));
	a.start_id = 5;
	a.next_id = 7;	/* as the kernel writes it back */
	expect_line("trace/bpf/prog-next-id", bpf_line(BPF_PROG_GET_NEXT_ID, &a, sizeof(a), 0),
		    "bpf(BPF_PROG_GET_NEXT_ID, start_id=5) = 0 (next_id=7)");
	expect_line("trace/bpf/prog-next-id-end", bpf_line(BPF_PROG_GET_NEXT_ID, &a, sizeof(a), -ENOENT),
		    "bpf(BPF_PROG_GET_NEXT_ID, start_id=5) = -ENOENT (no program after that id: the walk is done)");
	memset(&a, 0, sizeof(a));
	a.prog_id = 7;
	expect_line("trace/bpf/prog-fd-by-id", bpf_line(BPF_PROG_GET_FD_BY_ID, &a, sizeof(a), 9),
		    "bpf(BPF_PROG_GET_FD_BY_ID, id=7) = 9");
	expect_line("trace/bpf/btf-fd-by-id", bpf_line(BPF_BTF_GET_FD_BY_ID, &a, sizeof(a), -ENOENT),
		    "bpf(BPF_BTF_GET_FD_BY_ID, id=7) = -ENOENT (no BTF has that id now)");

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = p64("sys_enter");
	a.raw_tracepoint.prog_fd = 6;
	expect_line("trace/bpf/raw-tracepoint-open", bpf_line(BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a), 7),
		    "bpf(BPF_RAW_TRACEPOINT_OPEN, name=\"sys_enter\" prog_fd=6) = 7");

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = 6;
	a.link_create.target_fd = 7;
	a.link_create.attach_type = BPF_PERF_EVENT;
	expect_line("trace/bpf/link-create", bpf_line(BPF_LINK_CREATE, &a, sizeof(a), 8),
		    "bpf(BPF_LINK_CREATE, prog_fd=6 target_fd=7 attach_type=perf_event) = 8");
	expect_has("trace/bpf/link-create-old-kernel", bpf_line(BPF_LINK_CREATE, &a, sizeof(a), -EINVAL),
		   (const char *const[]){ "; links to perf events came in Linux 5.15)", NULL });

	expect_line("trace/bpf/unknown-command", bpf_line(200, &a, sizeof(a), -EINVAL),
		    "bpf(200, ...) = -EINVAL (the kernel refused an attribute: a value it does not know, or one this command does not take)");
}

/* ---- bounds ------------------------------------------------------------------ */

static void test_bounds(void)
{
	size_t short_size = offsetof(union bpf_attr, map_name);
	union bpf_attr *a = calloc(1, short_size), full;
	char *license = malloc(128), *tp = malloc(128);
	struct bl_line l;
	char small[16];

	/* only size bytes exist: ASan stops a decoder reading map_name */
	a->map_type = BPF_MAP_TYPE_HASH;
	a->key_size = 4;
	expect_has("trace/bounds/attr-shorter-than-union",
		   bpf_line(BPF_MAP_CREATE, a, (unsigned int)short_size, 3),
		   (const char *const[]){ "type=hash name=\"\" key=4", NULL });
	free(a);

	/* strings the kernel reads 128 bytes of, unterminated */
	memset(license, 'L', 128);
	memset(&full, 0, sizeof(full));
	full.license = p64(license);
	full.prog_type = BPF_PROG_TYPE_KPROBE;
	expect_has("trace/bounds/license-128-unterminated", bpf_line(BPF_PROG_LOAD, &full, sizeof(full), -EINVAL),
		   (const char *const[]){ "license=\"LLLLLLLL", "LLL\" log_level=0", NULL });
	memset(tp, 't', 128);
	memset(&full, 0, sizeof(full));
	full.raw_tracepoint.name = p64(tp);
	expect_has("trace/bounds/tracepoint-name-unterminated",
		   bpf_line(BPF_RAW_TRACEPOINT_OPEN, &full, sizeof(full), -ENOENT),
		   (const char *const[]){ "name=\"ttt", "\" prog_fd=0) = -ENOENT (no tracepoint of that name)", NULL });
	free(license);
	free(tp);

	/* a NULL pointer is printed, not read */
	memset(&full, 0, sizeof(full));
	expect_has("trace/bounds/null-string", bpf_line(BPF_RAW_TRACEPOINT_OPEN, &full, sizeof(full), -EFAULT),
		   (const char *const[]){ "name=NULL prog_fd=0", NULL });

	/* escapes, and a line that does not fit */
	bl_line_init(&l, line, sizeof(line));
	bl_line_str(&l, "p:kprobes/x \"f\"\n\x01", 64);
	expect_line("trace/bounds/escapes", line, "\"p:kprobes/x \\\"f\\\"\\n\\x01\"");
	bl_line_init(&l, small, sizeof(small));
	bl_line_add(&l, "%s", "a line much longer than sixteen bytes");
	bl_line_add(&l, "more");
	expect_line("trace/bounds/cut-line", small, "a line much ...");
}

/* ---- perf_event_open, ioctl, mmap ------------------------------------------- */

static void test_perf(void)
{
	struct perf_event_attr a;
	struct bl_line l;
	char *func = malloc(512);

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = 305;
	a.sample_period = 1;
	a.wakeup_events = 1;
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_event_open(&l, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC, NULL, 9);
	expect_line("trace/perf/tracepoint", line,
		    "perf_event_open(type=tracepoint(2) config=305 sample_period=1 wakeup_events=1 pid=-1 cpu=0 flags=CLOEXEC) = 9");

	a.type = 6;
	a.config = 0;
	a.config1 = p64("__check_object_size");
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_event_open(&l, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC, "kprobe", 7);
	expect_line("trace/perf/kprobe", line,
		    "perf_event_open(type=kprobe(6) retprobe=0 config1=\"__check_object_size\" sample_period=1 wakeup_events=1 pid=-1 cpu=0 flags=CLOEXEC) = 7");
	a.config = 1;
	memset(func, 'f', 512);	/* the kernel reads KSYM_NAME_LEN (512) bytes of it */
	a.config1 = p64(func);
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_event_open(&l, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC, "kprobe", -EINVAL);
	expect_has("trace/perf/kretprobe-refused", line,
		   (const char *const[]){ "retprobe=1 config1=\"fff", "\"... sample_period",
					  "= -EINVAL (the kernel refused the attributes; for a kprobe", NULL });
	free(func);
	a.config1 = p64("ignored");	/* without a PMU name config1 is a number */
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_event_open(&l, &a, -1, 0, -1, 0, NULL, -ENOENT);
	expect_has("trace/perf/unnamed-pmu", line,
		   (const char *const[]){ "(type=6 config=1 sample_period", " flags=0) = -ENOENT (no such event", NULL });

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_BPF_OUTPUT;
	a.sample_type = PERF_SAMPLE_RAW;
	a.sample_period = 1;
	a.wakeup_events = 1;
	a.disabled = 1;
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_event_open(&l, &a, -1, 1, -1, PERF_FLAG_FD_CLOEXEC, NULL, 12);
	expect_line("trace/perf/bpf-output", line,
		    "perf_event_open(type=software(1) config=bpf_output(10) sample_type=RAW sample_period=1 wakeup_events=1 disabled=1 pid=-1 cpu=1 flags=CLOEXEC) = 12");

	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_ioctl(&l, 12, PERF_EVENT_IOC_SET_BPF, 9, -EEXIST);
	expect_line("trace/perf/ioctl-set-bpf", line,
		    "ioctl(12, PERF_EVENT_IOC_SET_BPF, 9) = -EEXIST (a program is attached to this event already, and this kernel allows one)");
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_perf_ioctl(&l, 12, PERF_EVENT_IOC_ENABLE, 0, 0);
	expect_line("trace/perf/ioctl-enable", line, "ioctl(12, PERF_EVENT_IOC_ENABLE, 0) = 0");

	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_mmap(&l, 36864, PROT_READ | PROT_WRITE, MAP_SHARED, 12, 0, (void *)0x10000, 0,
			     "the perf ring of CPU 0");
	expect_line("trace/perf/mmap", line,
		    "mmap(NULL, 36864, PROT_READ|PROT_WRITE, MAP_SHARED, 12, 0) = 0x10000  # the perf ring of CPU 0");
	bl_line_init(&l, line, sizeof(line));
	bl_trace_format_mmap(&l, 1 << 30, PROT_READ, MAP_SHARED, 12, 4096, NULL, EPERM, "x");
	expect_has("trace/perf/mmap-refused", line,
		   (const char *const[]){ "mmap(NULL, 1073741824, PROT_READ, MAP_SHARED, 12, 4096) = -EPERM (not permitted: for a perf ring, more than kernel.perf_event_mlock_kb", NULL });
}

/* ---- the hook ------------------------------------------------------------------ */

struct captured {
	int count;
	enum bl_trace_phase phase;
	enum bl_trace_kind kind;
	char text[BL_TRACE_LINE_MAX];
	char *all;		/* every line, "[phase] text\n" */
	size_t all_len;
};

static void capture(const struct bl_trace_event *ev, void *ctx)
{
	struct captured *c = ctx;
	size_t n = strlen(ev->text) + 16;
	char *all = realloc(c->all, c->all_len + n + 1);

	c->count++;
	c->phase = ev->phase;
	c->kind = ev->kind;
	snprintf(c->text, sizeof(c->text), "%s", ev->text);
	if (all) {
		c->all = all;
		c->all_len += (size_t)snprintf(all + c->all_len, n + 1, "[%s] %s\n",
					       bl_trace_phase_name(ev->phase), ev->text);
	}
	errno = 0;	/* a writer may clobber errno; the loader must not see it */
}

static void test_hook(void)
{
	struct captured c = { 0 };
	union bpf_attr a;
	char want[128];
	long ret;

	bl_trace_set(capture, &c);
	bl_trace_phase(BL_TRACE_ATTACH);
	errno = EBADF;
	bl_trace_emit(BL_TRACE_NOTE, "hello %d", 42);
	if (c.count != 1 || strcmp(c.text, "hello 42") || c.phase != BL_TRACE_ATTACH || c.kind != BL_TRACE_NOTE)
		t_fail("trace/hook/delivers", "count %d, text \"%s\", phase %d, kind %d", c.count, c.text,
		       c.phase, c.kind);
	else if (errno != EBADF)
		t_fail("trace/hook/delivers", "errno %d after narrating, expected EBADF as before", errno);
	else
		t_pass("trace/hook/delivers");

	/* A real bpf(2) call that fails whatever the privileges: an fd that
	 * is not open (EBADF; EPERM or ENOSYS where bpf(2) is closed to us). */
	memset(&a, 0, sizeof(a));
	a.map_fd = 12345;
	ret = bl_sys_bpf(BPF_MAP_FREEZE, &a, sizeof(a));
	snprintf(want, sizeof(want), "bpf(BPF_MAP_FREEZE, map_fd=12345) = -%s", bl_errno_name((int)-ret));
	if (ret >= 0 || c.count != 2 || strncmp(c.text, want, strlen(want)))
		t_fail("trace/hook/bpf-wrapper", "returned %ld, %d lines, the last: %s", ret, c.count, c.text);
	else
		t_pass("trace/hook/bpf-wrapper");

	bl_trace_set(NULL, NULL);
	bl_trace_emit(BL_TRACE_NOTE, "unheard");
	bl_sys_bpf(BPF_MAP_FREEZE, &a, sizeof(a));
	T_EXPECT("trace/hook/off", c.count == 2, "%d lines after the hook was removed", c.count - 2);
	t_pass("trace/hook/off");

	if (strcmp(bl_trace_phase_name(BL_TRACE_OPEN), "open") || strcmp(bl_trace_phase_name(BL_TRACE_LOAD), "load") ||
	    strcmp(bl_trace_phase_name(BL_TRACE_ATTACH), "attach") || strcmp(bl_trace_phase_name(BL_TRACE_READ), "read") ||
	    strcmp(bl_trace_phase_name(BL_TRACE_DETACH), "detach") || strcmp(bl_trace_phase_name(BL_TRACE_NONE), "-"))
		t_fail("trace/hook/phase-names", "a phase has another name");
	else
		t_pass("trace/hook/phase-names");
	free(c.all);
}

/* ---- the object layer, without a kernel ------------------------------------------ */

/* Pretend the maps exist (fds 100, 101, ...) so that programs assemble;
 * -1 again before closing, so that nothing real is closed. */
static void fake_map_fds(struct bl_object *obj, int on)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		obj->maps[i].fd = on ? 100 + (int)i : -1;
}

/* Every "insn N of PROG: ld_imm64 rD = map M (BPF_PSEUDO_MAP_FD F)" and
 * "call S (BPF_PSEUDO_CALL, imm I: insn T)" line says what the
 * instruction holds: returns the number of lines checked, -1 on a lie. */
static int check_reloc_lines(const char *all, const struct bl_program *prog, char *why, size_t size)
{
	char want[64], mapname[64], callee[64];
	const char *p;
	int checked = 0;

	snprintf(want, sizeof(want), "] insn ");
	for (p = strstr(all, want); p; p = strstr(p + 1, want)) {
		size_t idx;
		unsigned int reg;
		int fd, imm, target, n = 0;
		char of[64];

		if (sscanf(p, "] insn %zu of %63[^: ]%n", &idx, of, &n) != 2 || strcmp(of, prog->name) ||
		    idx >= prog->insn_cnt)
			continue;
		p += n;
		p = strchr(p, ':');
		if (!p)
			break;
		if (sscanf(p, ": ld_imm64 r%u = map %63s (BPF_PSEUDO_MAP_FD %d)", &reg, mapname, &fd) == 3) {
			const struct bpf_insn *in = &prog->insns[idx];

			if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || in->src_reg != BPF_PSEUDO_MAP_FD ||
			    in->imm != fd || in->dst_reg != reg) {
				snprintf(why, size, "insn %zu of %s holds src %u imm %d r%u, the line says map fd %d r%u",
					 idx, prog->name, in->src_reg, in->imm, in->dst_reg, fd, reg);
				return -1;
			}
			checked++;
		} else if (sscanf(p, ": call %63s (BPF_PSEUDO_CALL, imm %d: insn %d)", callee, &imm, &target) == 3) {
			const struct bpf_insn *in = &prog->insns[idx];

			if (in->src_reg != BPF_PSEUDO_CALL || in->imm != imm || (int)idx + 1 + imm != target) {
				snprintf(why, size, "insn %zu of %s: call imm %d, the line says %d to insn %d", idx,
					 prog->name, in->imm, imm, target);
				return -1;
			}
			checked++;
		}
	}
	return checked;
}

static void test_object_narration(const char *path)
{
	const char *name = "trace/object/open-and-relocations";
	struct captured c = { 0 };
	struct bl_object *obj;
	struct bl_err err;
	char why[256];
	size_t i;
	int checked = 0;

	bl_trace_set(capture, &c);
	obj = bl_object_open_file(path, NULL, &err);
	if (!obj) {
		bl_trace_set(NULL, NULL);
		t_fail(name, "cannot open %s: %s", path, err.msg);
		return;
	}
	expect_has("trace/object/open-lines", c.all ? c.all : "",
		   (const char *const[]){ "[open] read ", "[open] narrate.bpf.o: ", " bytes of ELF, license \"GPL\", 5 maps, 2 programs, 2 subprograms",
					  "[open] map calls_by_tgid: hash, key 4, value 8, 64 entries (BTF-defined)",
					  "[open] map .rodata: array, key 4, value 4, 1 entry (global data)",
					  "[open] program on_getppid: tracepoint, section tracepoint/syscalls/sys_enter_getppid",
					  "[open] subprogram add_step: ", NULL });
	fake_map_fds(obj, 1);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_program *prog = &obj->progs[i];
		int n;

		free(c.all);
		c.all = NULL;
		c.all_len = 0;
		if (bl_program_assemble(obj, prog, &err)) {
			t_fail(name, "assembling %s: %s", prog->name, err.msg);
			goto out;
		}
		n = check_reloc_lines(c.all ? c.all : "", prog, why, sizeof(why));
		if (n < 0) {
			t_fail(name, "%s", why);
			goto out;
		}
		checked += n;
		if (strcmp(prog->name, "on_getppid") == 0 &&
		    (!strstr(c.all, "subprogram is_target appended at insn ") ||
		     !strstr(c.all, ": ld_imm64 r6 = &getppid_calls, in .bss+0 (BPF_PSEUDO_MAP_VALUE fd 104, offset 0)") ||
		     !strstr(c.all, " (in is_target): ld_imm64 r2 = &target_tgid, in .rodata+0 (BPF_PSEUDO_MAP_VALUE fd 102, offset 0)"))) {
			t_fail(name, "global data or subprogram lines missing from:\n%s", c.all);
			goto out;
		}
	}
	if (checked < 6)
		t_fail(name, "only %d map-fd and call lines checked against the instructions", checked);
	else
		t_pass(name);
out:
	fake_map_fds(obj, 0);
	bl_object_close(obj);
	bl_trace_set(NULL, NULL);
	free(c.all);
}

/* CO-RE: "insn N of P: CO-RE KIND PATH: LOCAL -> TARGET" and the
 * instruction at N holds TARGET (in off for loads, imm for ALU and ld_imm64). */
static void test_core_narration(const char *path)
{
	const char *name = "trace/object/core-relocations";
	struct captured c = { 0 };
	struct bl_object *obj;
	struct bl_err err;
	size_t i;
	int checked = 0;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		t_skip(name, "/sys/kernel/btf/vmlinux is not readable: no kernel BTF to relocate against");
		return;
	}
	obj = bl_object_open_file(path, NULL, &err);
	T_EXPECT(name, obj, "cannot open %s: %s", path, err.msg);
	fake_map_fds(obj, 1);
	bl_trace_set(capture, &c);
	bl_trace_phase(BL_TRACE_LOAD);	/* as bl_object_load_program() marks it */
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_program *prog = &obj->progs[i];
		const char *p;

		free(c.all);
		c.all = NULL;
		c.all_len = 0;
		if (bl_program_assemble(obj, prog, &err) || bl_core_relocate_program(obj, prog, &err)) {
			t_fail(name, "relocating %s: %s", prog->name, err.msg);
			goto out;
		}
		for (p = c.all ? strstr(c.all, ": CO-RE field byte offset ") : NULL; p;
		     p = strstr(p + 1, ": CO-RE field byte offset ")) {
			const char *start = p, *arrow = strstr(p, " -> ");
			unsigned long long target;
			size_t idx;

			while (start > c.all && start[-1] != '\n')
				start--;
			if (!arrow || sscanf(start, "[load] insn %zu", &idx) != 1 || idx >= prog->insn_cnt ||
			    sscanf(arrow, " -> %llu", &target) != 1) {
				t_fail(name, "cannot read the line at: %.120s", start);
				goto out;
			}
			if ((uint64_t)(int64_t)prog->insns[idx].off != target &&
			    (uint64_t)(int64_t)prog->insns[idx].imm != target) {
				t_fail(name, "insn %zu of %s holds off %d imm %d, its line says %llu", idx,
				       prog->name, prog->insns[idx].off, prog->insns[idx].imm, target);
				goto out;
			}
			checked++;
		}
	}
	if (checked == 0)
		t_fail(name, "no CO-RE line narrated");
	else
		t_pass(name);
out:
	bl_trace_set(NULL, NULL);
	fake_map_fds(obj, 0);
	bl_object_close(obj);
	free(c.all);
}

int main(int argc, char **argv)
{
	const char *narrate = NULL, *core = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (strcmp(base, "narrate.bpf.o") == 0)
			narrate = argv[i];
		if (strcmp(base, "core_subprog.bpf.o") == 0)
			core = argv[i];
	}
	test_map_create();
	test_map_elems();
	test_prog_load();
	test_other_commands();
	test_bounds();
	test_perf();
	test_hook();
	if (narrate)
		test_object_narration(narrate);
	else
		t_fail("trace/object/open-and-relocations", "narrate.bpf.o was not among the arguments");
	if (core)
		test_core_narration(core);
	else
		t_skip("trace/object/core-relocations", "no core_subprog.bpf.o (tests/kern/core_*.bpf.o need bpftool for vmlinux.h)");
	return t_exit_code();
}
