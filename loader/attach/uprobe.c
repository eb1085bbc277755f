// SPDX-License-Identifier: BSD-2-Clause
/*
 * uprobe.c - uprobes through the uprobe PMU or tracefs uprobe_events,
 * with the program attached by a BPF link or PERF_EVENT_IOC_SET_BPF.
 *
 * Syscalls: perf_event_open(2) (perf_event.c), bpf(BPF_LINK_CREATE)
 * (bpf_link.c), ioctl(PERF_EVENT_IOC_SET_BPF, PERF_EVENT_IOC_ENABLE),
 * reads of sysfs, writes of tracefs uprobe_events, and what resolving the
 * target takes (uprobe_target.c).
 */
#include "attach/uprobe.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attachment.h"
#include "attach/uprobe_target.h"
#include "object/object.h"
#include "sys/bpf_link.h"
#include "sys/file.h"
#include "sys/perf_event.h"
#include "sys/tracefs.h"

#define UPROBE_PMU_DIR "/sys/bus/event_source/devices/uprobe"

int bl_uprobes_available(void)
{
	return access(UPROBE_PMU_DIR, F_OK) == 0 || bl_tracefs_has("uprobe_events");
}

/* The first bit of a PMU format field ("config:0", "config:32-63"), or -1. */
static int format_bit(const char *field)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), UPROBE_PMU_DIR "/format/%s", field);
	if (bl_read_text(path, buf, sizeof(buf), 0) <= 0 || strncmp(buf, "config:", 7) != 0)
		return -1;
	return atoi(buf + 7);
}

static void explain(int code, const char *path, uint64_t offset, char *why, size_t size)
{
	why[0] = '\0';
	if (code == EPERM || code == EACCES)
		snprintf(why, size, "; uprobes need root (CAP_PERFMON, or CAP_SYS_ADMIN before Linux 5.8)");
	else if (code == ENOENT)
		snprintf(why, size, "; %s does not exist", path);
	else if (code == EINVAL)
		snprintf(why, size, "; is 0x%llx the offset of an instruction (on arm64 a multiple of 4) inside the file? Another uprobe at the same place with a different semaphore (ref_ctr_offset) is refused too",
			 (unsigned long long)offset);
	else if (code == ENOTSUPP_KERNEL || code == EOPNOTSUPP)
		snprintf(why, size, "; the kernel cannot single-step the instruction at 0x%llx (not an instruction boundary?)",
			 (unsigned long long)offset);
}

static int open_with_pmu(const char *path, uint64_t offset, int retprobe,
			 const struct bl_uprobe_opts *opts, struct bl_err *err)
{
	struct perf_event_attr attr;
	char buf[32], what[BL_BINARY_PATH_MAX + 64];
	int ref_ctr_bit = format_bit("ref_ctr_offset");
	int retprobe_bit = format_bit("retprobe");

	if (bl_read_text(UPROBE_PMU_DIR "/type", buf, sizeof(buf), 0) <= 0)
		return bl_fail(err, ENOENT, "cannot read " UPROBE_PMU_DIR "/type");
	if (opts->ref_ctr_offset && ref_ctr_bit < 0)
		return bl_fail(err, ENOTSUP, "this kernel's uprobes take no semaphore (ref_ctr_offset: Linux 4.20)");
	memset(&attr, 0, sizeof(attr));
	attr.type = (uint32_t)atoi(buf);
	if (retprobe)
		attr.config |= 1ull << (retprobe_bit < 0 ? 0 : retprobe_bit);
	if (opts->ref_ctr_offset)
		attr.config |= opts->ref_ctr_offset << ref_ctr_bit;
	attr.uprobe_path = (uint64_t)(uintptr_t)path;	/* config1 */
	attr.probe_offset = offset;			/* config2 */
	snprintf(what, sizeof(what), "%s %s:0x%llx", retprobe ? "uretprobe" : "uprobe", path,
		 (unsigned long long)offset);
	return bl_perf_event_open_pid(&attr, opts->pid, "uprobe", what, err);
}

/* Event names allow [A-Za-z0-9_]: ours carry our pid and an attempt
 * number (concurrent loaders, leftovers of crashed ones never collide),
 * the file's name and the offset. */
static void legacy_event_name(char *name, size_t size, const char *path, uint64_t offset,
			      int retprobe, int attempt)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t i, len;

	len = (size_t)snprintf(name, size, "bl_u%c%d_%d_%.20s_%llx", retprobe ? 'r' : 'p', attempt,
			       (int)getpid(), base, (unsigned long long)offset);
	for (i = 0; i < len && i < size && name[i]; i++)
		if (!isalnum((unsigned char)name[i]))
			name[i] = '_';
}

static int open_with_tracefs(const char *path, uint64_t offset, int retprobe,
			     const struct bl_uprobe_opts *opts,
			     char legacy_event[BL_KPROBE_EVENT_MAX], struct bl_err *err)
{
	struct perf_event_attr attr;
	char name[BL_KPROBE_EVENT_MAX - 8], refctr[32] = "";
	char line[BL_KPROBE_EVENT_MAX + BL_BINARY_PATH_MAX + 64];
	int attempt, ret = 0, id, fd;

	/* uprobe_events is a line of words: a space in the path would end it */
	if (strpbrk(path, " \t\n"))
		return bl_fail(err, EINVAL, "tracefs uprobe_events cannot name %s: its path has white space", path);
	if (opts->ref_ctr_offset)
		snprintf(refctr, sizeof(refctr), "(0x%llx)", (unsigned long long)opts->ref_ctr_offset);
	for (attempt = 0; attempt < 16; attempt++) {
		legacy_event_name(name, sizeof(name), path, offset, retprobe, attempt);
		snprintf(line, sizeof(line), "%c:uprobes/%s %s:0x%llx%s\n", retprobe ? 'r' : 'p', name,
			 path, (unsigned long long)offset, refctr);
		ret = bl_tracefs_append("uprobe_events", line, err);
		if (ret != -EEXIST && ret != -EBUSY)
			break;
	}
	if (ret)
		return ret;
	snprintf(legacy_event, BL_KPROBE_EVENT_MAX, "uprobes/%s", name);
	id = bl_tracepoint_id("uprobes", name, err);
	if (id >= 0) {
		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_TRACEPOINT;
		attr.config = (uint64_t)id;
		fd = bl_perf_event_open_pid(&attr, opts->pid, NULL, legacy_event, err);
	} else {
		fd = id;
	}
	if (fd < 0) {
		bl_uprobe_remove_legacy(legacy_event, NULL);
		legacy_event[0] = '\0';
	}
	return fd;
}

int bl_uprobe_open(const char *path, uint64_t offset, int retprobe,
		   const struct bl_uprobe_opts *opts, char legacy_event[BL_KPROBE_EVENT_MAX],
		   struct bl_err *err)
{
	static const struct bl_uprobe_opts none;
	const char *env = getenv("BPFLOAD_LEGACY_UPROBES");
	int tracefs, ret;
	char why[256];

	if (!opts)
		opts = &none;
	legacy_event[0] = '\0';
	if (!bl_uprobes_available())
		return bl_fail(err, ENOTSUP, "cannot probe %s: this kernel has no uprobes (CONFIG_UPROBE_EVENTS is off)",
			       path);
	tracefs = opts->force_tracefs || (env && env[0] == '1') || access(UPROBE_PMU_DIR, F_OK) != 0;
	if (tracefs)
		ret = open_with_tracefs(path, offset, retprobe, opts, legacy_event, err);
	else
		ret = open_with_pmu(path, offset, retprobe, opts, err);
	if (ret < 0 && err) {
		explain(err->code, path, offset, why, sizeof(why));
		if (why[0] && strlen(err->msg) + strlen(why) < sizeof(err->msg))
			strcat(err->msg, why);
	}
	return ret;
}

int bl_uprobe_remove_legacy(const char *legacy_event, struct bl_err *err)
{
	char line[BL_KPROBE_EVENT_MAX + 8];

	if (!legacy_event || !legacy_event[0])
		return 0;
	snprintf(line, sizeof(line), "-:%s\n", legacy_event);
	return bl_tracefs_append("uprobe_events", line, err);
}

int bl_perf_event_attach_bpf(int perf_fd, int prog_fd, uint64_t cookie, int force_ioctl,
			     int *link_fd, int *has_cookie, const char *what, struct bl_err *err)
{
	int ret;

	*link_fd = -1;
	*has_cookie = 0;
	if (!force_ioctl)
		*link_fd = bl_link_create_perf_event(prog_fd, perf_fd, cookie);
	if (*link_fd >= 0) {
		*has_cookie = 1;
		/* uprobe perf events are created enabled; this is for the
		 * tracefs ones, and harmless otherwise */
		ret = bl_perf_event_enable(perf_fd, what, err);
	} else {
		/* before 5.15: no links for perf events, and no cookies */
		ret = bl_perf_event_set_bpf(perf_fd, prog_fd, what, err);
	}
	if (ret < 0 && *link_fd >= 0) {
		close(*link_fd);
		*link_fd = -1;
	}
	return ret;
}

/* What the section says comes first: calling the wrong attach function is
 * the same mistake on every kernel, loaded or not. */
static int check_program(const struct bl_program *prog, const char *target, struct bl_err *err)
{
	if (prog->kind->prog_type != BPF_PROG_TYPE_KPROBE)
		return bl_fail(err, EINVAL, "attaching %s to %s: it is a %s program, uprobes need kprobe programs (SEC(\"uprobe\"))",
			       prog->name, target, bl_prog_type_name(prog->kind->prog_type));
	if (prog->kind->expected_attach_type == BL_BPF_TRACE_UPROBE_MULTI)
		return bl_fail(err, EINVAL, "attaching %s to %s: it was loaded for uprobe.multi links, which attach with bl_attach_uprobe_multi()",
			       prog->name, target);
	if (prog->fd < 0)
		return bl_fail(err, EBADF, "attaching %s to %s: the program is not loaded",
			       prog->name, target);
	return 0;
}

static struct bl_attachment *new_uprobe_link(const char *func, uint64_t offset, int retprobe,
				       const struct bl_uprobe_target *t, struct bl_err *err)
{
	struct bl_attachment *link = calloc(1, sizeof(*link));

	if (!link) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	link->perf_fd = -1;
	link->bpf_fd = -1;
	if (func && func[0] && offset)
		snprintf(link->target, sizeof(link->target), "%s %.60s:%s+0x%llx",
			 retprobe ? "uretprobe" : "uprobe", t->path, func, (unsigned long long)offset);
	else if (func && func[0])
		snprintf(link->target, sizeof(link->target), "%s %.80s:%s",
			 retprobe ? "uretprobe" : "uprobe", t->path, func);
	else
		snprintf(link->target, sizeof(link->target), "%s %.80s:+0x%llx",
			 retprobe ? "uretprobe" : "uprobe", t->path, (unsigned long long)t->offset);
	return link;
}

struct bl_attachment *bl_attach_uprobe(const struct bl_program *prog, const char *binary,
				 const char *func, uint64_t offset, int retprobe,
				 const struct bl_uprobe_opts *opts, struct bl_err *err)
{
	static const struct bl_uprobe_opts none;
	struct bl_uprobe_target t;
	struct bl_attachment *link;
	int has_cookie;

	if (!opts)
		opts = &none;
	if (check_program(prog, binary, err))
		return NULL;
	if (retprobe && func && func[0] && offset) {
		bl_fail(err, EINVAL, "uretprobe on %s+0x%llx: a uretprobe fires on return from a function and takes no offset",
			func, (unsigned long long)offset);
		return NULL;
	}
	if (bl_uprobe_resolve(binary, func, offset, opts->pid, &t, err))
		return NULL;
	link = new_uprobe_link(func, offset, retprobe, &t, err);
	if (!link)
		return NULL;
	link->perf_fd = bl_uprobe_open(t.path, t.offset, retprobe, opts, link->legacy_event, err);
	if (link->perf_fd < 0 ||
	    bl_perf_event_attach_bpf(link->perf_fd, prog->fd, opts->cookie, opts->force_ioctl,
				     &link->bpf_fd, &has_cookie, link->target, err) < 0)
		goto fail;
	if (opts->cookie && !has_cookie) {
		bl_fail(err, ENOTSUP, "%s: a BPF cookie needs a BPF link for the perf event (Linux 5.15)",
			link->target);
		goto fail;
	}
	return link;
fail:
	/* as bl_attachment_destroy() would, which lives above us */
	if (link->bpf_fd >= 0)
		close(link->bpf_fd);
	if (link->perf_fd >= 0)
		close(link->perf_fd);
	bl_uprobe_remove_legacy(link->legacy_event, NULL);
	free(link);
	return NULL;
}

struct bl_attachment *bl_attach_uprobe_spec(const struct bl_program *prog, const char *spec,
				      int retprobe, struct bl_err *err)
{
	char buf[BL_BINARY_PATH_MAX + 256], *colon, *func, *plus, *end;
	uint64_t offset = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	if (strlen(spec) >= sizeof(buf) || !colon || colon == buf || !colon[1]) {
		bl_fail(err, EINVAL, "section %s: expected %s/PATH:FUNCTION[+OFFSET] or PATH:+OFFSET",
			prog->section_name, retprobe ? "uretprobe" : "uprobe");
		return NULL;
	}
	*colon = '\0';
	func = colon + 1;
	plus = strrchr(func, '+');
	if (plus) {
		errno = 0;
		offset = strtoull(plus + 1, &end, 0);
		if (plus[1] == '\0' || *end != '\0' || errno) {
			bl_fail(err, EINVAL, "section %s: bad offset '%s' (a number such as 0x10)",
				prog->section_name, plus + 1);
			return NULL;
		}
		*plus = '\0';
	}
	return bl_attach_uprobe(prog, buf, func, offset, retprobe, NULL, err);
}
