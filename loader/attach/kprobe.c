// SPDX-License-Identifier: BSD-2-Clause
/*
 * kprobe.c - kprobes through the kprobe PMU or tracefs kprobe_events.
 *
 * Syscalls: perf_event_open(2) (via perf_event.c), open/read/write of
 * sysfs, tracefs, debugfs and /proc/kallsyms files, mount(2) of debugfs
 * only to explain a refusal.
 *
 * Why probes get refused: since Linux 5.1 a kprobe event may only be put
 * on functions ftrace could trace (listed in available_filter_functions),
 * unless CONFIG_KPROBE_EVENTS_ON_NOTRACE; hand-written assembly such as
 * memcpy is "notrace" and is refused with EINVAL.  Functions on
 * /sys/kernel/debug/kprobes/blacklist are refused by every kernel.
 */
#include "attach/kprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"
#include "sys/file.h"
#include "sys/perf_event.h"
#include "sys/trace.h"
#include "sys/tracefs.h"

#define KPROBE_PMU_DIR "/sys/bus/event_source/devices/kprobe"

int bl_kprobes_available(void)
{
	return access(KPROBE_PMU_DIR, F_OK) == 0 || bl_tracefs_has("kprobe_events");
}

/* The PMU's type number and the config bit that asks for a kretprobe
 * ("config:0" in format/retprobe). */
static int kprobe_pmu(int *type, int *retprobe_bit)
{
	char buf[64];
	int n = bl_read_text(KPROBE_PMU_DIR "/type", buf, sizeof(buf), 0);

	if (bl_tracing())	/* where perf_event_open's type number comes from */
		bl_trace_file_read(KPROBE_PMU_DIR "/type", buf, n);
	if (n <= 0)
		return -ENOENT;
	*type = atoi(buf);
	*retprobe_bit = 0;
	n = bl_read_text(KPROBE_PMU_DIR "/format/retprobe", buf, sizeof(buf), 0);
	if (bl_tracing())
		bl_trace_file_read(KPROBE_PMU_DIR "/format/retprobe", buf, n);
	if (n > 0 && strncmp(buf, "config:", 7) == 0)
		*retprobe_bit = atoi(buf + 7);
	return 0;
}

static int open_with_pmu(const char *func, int retprobe, int type, int bit, struct bl_err *err)
{
	struct perf_event_attr attr;
	char what[128];

	memset(&attr, 0, sizeof(attr));
	attr.type = (uint32_t)type;
	attr.config = retprobe ? 1ull << bit : 0;
	attr.kprobe_func = (uint64_t)(uintptr_t)func;	/* config1 */
	attr.probe_offset = 0;				/* config2 */
	snprintf(what, sizeof(what), "%s %s", retprobe ? "kretprobe" : "kprobe", func);
	return bl_perf_event_open_pmu(&attr, "kprobe", what, err);
}

/* Event names allow [A-Za-z0-9_]; ours carry our pid so that concurrent
 * loaders, and leftovers of crashed ones, never collide. */
static void legacy_event_name(char *name, size_t size, const char *func, int retprobe, int attempt)
{
	size_t i, len;

	len = (size_t)snprintf(name, size, "bl_%c%d_%d_%s", retprobe ? 'r' : 'p',
			       attempt, (int)getpid(), func);
	for (i = 0; i < len && i < size; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			name[i] = '_';
}

static int open_with_tracefs(const char *func, int retprobe,
			     char legacy_event[BL_KPROBE_EVENT_MAX], struct bl_err *err)
{
	struct perf_event_attr attr;
	char name[BL_KPROBE_EVENT_MAX - 8], line[BL_KPROBE_EVENT_MAX + 160];
	int attempt, ret = 0, id, fd;

	for (attempt = 0; attempt < 16; attempt++) {
		legacy_event_name(name, sizeof(name), func, retprobe, attempt);
		snprintf(line, sizeof(line), "%c:kprobes/%s %s\n", retprobe ? 'r' : 'p', name, func);
		ret = bl_tracefs_append("kprobe_events", line, err);
		if (ret != -EEXIST && ret != -EBUSY)
			break;
	}
	if (ret)
		return ret;
	snprintf(legacy_event, BL_KPROBE_EVENT_MAX, "kprobes/%s", name);
	id = bl_tracepoint_id("kprobes", name, err);
	if (id < 0) {
		bl_kprobe_remove_legacy(legacy_event, NULL);
		legacy_event[0] = '\0';
		return id;
	}
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	fd = bl_perf_event_open_tracing(&attr, legacy_event, err);
	if (fd < 0) {
		bl_kprobe_remove_legacy(legacy_event, NULL);
		legacy_event[0] = '\0';
	}
	return fd;
}

int bl_kprobe_open(const char *func, int retprobe, int force_legacy,
		   char legacy_event[BL_KPROBE_EVENT_MAX], struct bl_err *err)
{
	int type, bit, ret;
	char why[256];

	legacy_event[0] = '\0';
	if (!bl_kprobes_available())
		return bl_fail(err, ENOTSUP, "cannot probe %s: this kernel has no kprobes (CONFIG_KPROBES is off)", func);
	if (!force_legacy && kprobe_pmu(&type, &bit) == 0)
		ret = open_with_pmu(func, retprobe, type, bit, err);
	else
		ret = open_with_tracefs(func, retprobe, legacy_event, err);
	if (ret < 0 && err) {
		bl_kprobe_explain(func, err->code, why, sizeof(why));
		if (why[0])
			bl_fail(err, err->code, "cannot probe %s (%s): %s", func,
				bl_errno_name(err->code), why);
	}
	return ret;
}

int bl_kprobe_remove_legacy(const char *legacy_event, struct bl_err *err)
{
	char line[BL_KPROBE_EVENT_MAX + 8];

	if (!legacy_event || !legacy_event[0])
		return 0;
	snprintf(line, sizeof(line), "-:%s\n", legacy_event);
	return bl_tracefs_append("kprobe_events", line, err);
}

/* Whether a line-oriented file has a line whose field number `field`
 * (0-based, space separated) equals word. */
static int file_has_word(const char *path, int field, const char *word)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t wlen = strlen(word);
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line;
		int i;

		for (i = 0; i < field && p; i++) {
			p = strpbrk(p, " \t");
			while (p && (*p == ' ' || *p == '\t'))
				p++;
		}
		if (p && strncmp(p, word, wlen) == 0 &&
		    (p[wlen] == '\0' || p[wlen] == '\n' || p[wlen] == ' ' || p[wlen] == '\t'))
			found = 1;
	}
	fclose(f);
	return found;
}

/* The kprobe blacklist lives in debugfs, which may need mounting. */
static int on_kprobe_blacklist(const char *func)
{
	const char *path = "/sys/kernel/debug/kprobes/blacklist";

	if (access(path, F_OK) != 0)
		(void)mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	/* lines are "0xstart-0xend\tsymbol" */
	return file_has_word(path, 1, func) == 1;
}

void bl_kprobe_explain(const char *func, int code, char *why, size_t size)
{
	char dir[BL_PATH_MAX], path[BL_PATH_MAX + 64];

	why[0] = '\0';
	if (!bl_kprobes_available()) {
		snprintf(why, size, "this kernel has no kprobes (CONFIG_KPROBES is off)");
		return;
	}
	if (code == EPERM || code == EACCES) {
		snprintf(why, size, "not permitted%s", bl_errno_hint(code));
		return;
	}
	if (code != EINVAL && code != ENOENT && code != EADDRNOTAVAIL)
		return;
	if (code == EADDRNOTAVAIL) {
		snprintf(why, size, "several kernel functions are named %s (static functions in different files), and a kprobe by name cannot choose", func);
		return;
	}
	if (file_has_word("/proc/kallsyms", 2, func) == 0) {
		snprintf(why, size, "%s is not a kernel function (absent from /proc/kallsyms); check the name", func);
		return;
	}
	if (on_kprobe_blacklist(func)) {
		snprintf(why, size, "%s is on the kprobe blacklist (/sys/kernel/debug/kprobes/blacklist); probe a function that calls it", func);
		return;
	}
	if (bl_tracefs_dir(dir, NULL) == 0) {
		snprintf(path, sizeof(path), "%s/available_filter_functions", dir);
		if (file_has_word(path, 0, func) == 0) {
			snprintf(why, size, "%s is notrace (not in available_filter_functions; assembly and notrace functions cannot be kprobed since Linux 5.1)", func);
			return;
		}
	}
}
