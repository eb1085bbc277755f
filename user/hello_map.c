// SPDX-License-Identifier: BSD-2-Clause
/*
 * hello_map - how many programs each user has started, from a BPF hash map.
 *
 * The BPF program (kern/hello_map.bpf.c) runs on the tracepoint
 * syscalls/sys_enter_execve and counts execve() calls per uid in a hash
 * map; every interval we walk the map (BPF_MAP_GET_NEXT_KEY, then
 * BPF_MAP_LOOKUP_ELEM for each key) and print one line, sorted by uid:
 *   ID 0: 12	ID 1000: 3
 * With --struct the map's values are { uid, gid, counter } records
 * instead of bare counters, and the line shows the group too:
 *   ID 0 (gid 0): 12	ID 1000 (gid 1000): 3
 * The counts are totals since the tool started, as in Learning eBPF's
 * HelloMap; the last line is printed after the program is detached.
 *
 * The object comes with its generated skeleton (build/gen/
 * hello_map.skel.h): the maps and programs are skel->maps.counter_table,
 * skel->progs.hello_map, and the program's count of calls that found
 * the map full is read straight from its .bss, skel->bss->not_counted.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/maps.h>
#include <bpfload/object.h>
#include <bpfload/trace.h>

#include "hello_map.skel.h"
#include "hello_map_common.h"
#include "tool_common.h"
#include "tool_main.h"

struct options {
	int64_t interval_ms;
	int64_t duration_ms;	/* 0: until Ctrl-C */
	int structs;		/* --struct */
};

/* One user's line entry, from either map. */
struct user_count {
	uint32_t uid;
	uint32_t gid;
	uint64_t count;
};

static int by_uid(const void *a, const void *b)
{
	const struct user_count *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Every entry of the map, sorted by uid; *n receives how many.  The
 * program only adds entries, never deletes, so the walk cannot lose its
 * place (GET_NEXT_KEY starts over when its key was deleted). */
static int read_counts(const struct bl_map *map, int structs, struct user_count *rows,
		       size_t *n, struct bl_err *err)
{
	uint32_t key, next;
	int ret;

	*n = 0;
	for (ret = bl_map_next_key(bl_map_fd(map), NULL, &next); ret == 0 && *n < HELLO_MAP_MAX_USERS;
	     ret = bl_map_next_key(bl_map_fd(map), &key, &next)) {
		struct exec_record rec = { .uid = next };

		key = next;
		if (structs)
			ret = bl_map_lookup(bl_map_fd(map), &key, &rec);
		else
			ret = bl_map_lookup(bl_map_fd(map), &key, &rec.counter);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return bl_fail(err, -ret, "reading map %s failed: %s", bl_map_name(map),
				       bl_errno_name(-ret));
		rows[(*n)++] = (struct user_count){ rec.uid, rec.gid, rec.counter };
	}
	if (ret && ret != -ENOENT)
		return bl_fail(err, -ret, "walking map %s failed: %s", bl_map_name(map), bl_errno_name(-ret));
	qsort(rows, *n, sizeof(rows[0]), by_uid);
	return 0;
}

static void print_counts(const struct user_count *rows, size_t n, int structs)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (structs)
			printf("%sID %u (gid %u): %" PRIu64, i ? "\t" : "", rows[i].uid, rows[i].gid,
			       rows[i].count);
		else
			printf("%sID %u: %" PRIu64, i ? "\t" : "", rows[i].uid, rows[i].count);
	}
	printf("\n");
	fflush(stdout);
}

static int read_and_print(const struct bl_map *map, int structs, struct user_count *rows,
			  struct bl_err *err)
{
	size_t n;

	if (read_counts(map, structs, rows, &n, err))
		return -1;
	print_counts(rows, n, structs);
	return 0;
}

/* Sleep until the next line is due; returns 1 when it is time to stop. */
static int wait_for_next_line(int64_t next_ms, int64_t end_ms)
{
	int64_t now = tool_now_ms(), until = next_ms;

	if (end_ms && end_ms < until)
		until = end_ms;
	if (until > now)
		poll(NULL, 0, (int)(until - now));	/* EINTR on Ctrl-C */
	now = tool_now_ms();
	return tool_stop_requested() || (end_ms && now >= end_ms);
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct user_count *rows = calloc(HELLO_MAP_MAX_USERS, sizeof(*rows));
	struct hello_map *skel = NULL;
	struct bl_program *prog;
	struct bl_map *map;
	struct bl_attachment *att = NULL;
	uint64_t not_counted;
	int64_t end_ms, next;
	int ret = -1;

	if (!rows)
		return bl_fail(err, ENOMEM, "out of memory");

	/* 1. Open: parse the BPF object the skeleton embeds. */
	skel = hello_map__open(err);
	if (!skel)
		goto out;
	prog = o->structs ? skel->progs.hello_struct : skel->progs.hello_map;
	map = o->structs ? skel->maps.counter_structs : skel->maps.counter_table;

	/* 2. Load: create the maps, let the verifier check the programs. */
	if (hello_map__load(skel, err)) {
		tool_print_verifier_logs(skel->obj);
		goto out;
	}

	/* 3. Attach: the tracepoint at the entry of execve(); only the
	 *    program of the map chosen (both sections name the same one). */
	att = bl_program_attach(prog, NULL, err);
	if (!att)
		goto out;
	fprintf(stderr, "Tracing execve() per user (tracepoint syscalls/sys_enter_execve)... Hit Ctrl-C to end.\n");

	/* 4. Read: print the map's contents once per interval. */
	bl_trace_phase(BL_TRACE_READ);	/* for BPFLOAD_TRACE=1 */
	end_ms = o->duration_ms ? tool_now_ms() + o->duration_ms : 0;
	for (next = tool_now_ms() + o->interval_ms;; next += o->interval_ms) {
		if (wait_for_next_line(next, end_ms))
			break;
		if (read_and_print(map, o->structs, rows, err))
			goto out;
	}

	/* 5. Detach first, so that the last line holds every count. */
	if (bl_attachment_destroy(att, err))
		fprintf(stderr, "hello_map: %s\n", err->msg);
	att = NULL;
	bl_trace_phase(BL_TRACE_READ);
	if (read_and_print(map, o->structs, rows, err))
		goto out;
	/* .bss is the kernel's memory (pull copies it only where the kernel
	 * cannot map it, before Linux 5.5) */
	if (bl_map_data_pull(skel->maps.bss, err))
		goto out;
	not_counted = skel->bss->not_counted;
	if (not_counted)
		fprintf(stderr, "hello_map: %" PRIu64 " execve() calls not counted: the map holds %d users at most\n",
			not_counted, HELLO_MAP_MAX_USERS);
	ret = 0;
out:
	bl_attachment_destroy(att, NULL);
	hello_map__destroy(skel);
	free(rows);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_SECONDS('i', "interval", "SECONDS", "time between lines (default 2)",
		     struct options, interval_ms),
	TOOL_DURATION(struct options, duration_ms),
	TOOL_FLAG('s', "struct", "keep { uid, gid, counter } records and show the group",
		  struct options, structs),
	{ 0 }
};

static const struct tool hello_map = {
	.name = "hello_map",
	.summary = "Count execve() calls per user; print the counts every interval.",
	.epilog = "Output: \"ID <uid>: <count>\" per user, tab-separated, sorted by uid.\n",
	.options = options,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { .interval_ms = 2000 };

	return tool_main(&hello_map, &o, argc, argv);
}
