// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_kallsyms.c - the /proc/kallsyms reader (loader/sys/kallsyms.c).
 *
 * A snapshot of this machine's /proc/kallsyms (readable by anyone) is
 * parsed from memory and streamed from a file, and every line compared
 * with what sscanf reads from it here.  Lookups: a unique name, a name
 * with several addresses (ambiguous), a missing one.  As root, a child
 * that gives up its privileges must see the addresses hidden exactly
 * when the kernel's rules say so.  Then crafted bad lines and random
 * damage: an error naming the line, never a crash.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/kallsyms.h"
#include "../testlib.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static char *snapshot;
static size_t snapshot_len;

static int take_snapshot(void)
{
	FILE *f = fopen(BL_KALLSYMS_PATH, "r");
	size_t cap = 1 << 20, n;

	if (!f)
		return -1;
	snapshot = malloc(cap);
	while ((n = fread(snapshot + snapshot_len, 1, cap - snapshot_len, f)) > 0) {
		snapshot_len += n;
		if (snapshot_len == cap)
			snapshot = realloc(snapshot, cap *= 2);
	}
	fclose(f);
	return 0;
}

/* Walks the snapshot's lines with sscanf alongside our parser's callbacks. */
struct compare {
	const char *next;	/* the next line of the snapshot */
	size_t count, modules;
	char why[256];
};

static int compare_line(void *ctx, const struct bl_ksym *sym)
{
	struct compare *c = ctx;
	char name[600], module[300] = "";
	unsigned long long addr;
	char type;
	int fields = sscanf(c->next, "%llx %c %599s [%299[^]]]", &addr, &type, name, module);

	if (fields < 3 || addr != sym->addr || type != sym->type || strcmp(name, sym->name) ||
	    (fields == 4) != (sym->module != NULL) || (sym->module && strcmp(module, sym->module))) {
		snprintf(c->why, sizeof(c->why), "line %zu: %.80s", c->count + 1, c->next);
		return 1;
	}
	c->count++;
	c->modules += sym->module != NULL;
	c->next = strchr(c->next, '\n') + 1;
	return 0;
}

static void test_snapshot(void)
{
	const char *name = "kallsyms/snapshot";
	struct compare c = { snapshot, 0, 0, "" };
	struct bl_err err;
	size_t lines = 0;
	int ret;

	for (size_t i = 0; i < snapshot_len; i++)
		lines += snapshot[i] == '\n';
	ret = bl_kallsyms_parse(snapshot, snapshot_len, compare_line, &c, &err);
	T_EXPECT(name, ret == 0, "%s", ret == 1 ? c.why : err.msg);
	T_EXPECT(name, c.count == lines, "%zu symbols, %zu lines", c.count, lines);
	printf("# %s: %zu symbols, %zu of modules\n", name, c.count, c.modules);
	t_pass(name);
}

/* Streaming: the same snapshot from a file, in chunks. */
static void test_stream(void)
{
	const char *name = "kallsyms/stream";
	char path[] = "/tmp/test_kallsyms.XXXXXX";
	struct compare c = { snapshot, 0, 0, "" };
	struct bl_err err;
	int fd = mkstemp(path), ret;

	T_EXPECT(name, fd >= 0 && write(fd, snapshot, snapshot_len) == (ssize_t)snapshot_len, "temp file");
	close(fd);
	ret = bl_kallsyms_read(path, compare_line, &c, &err);
	unlink(path);
	T_EXPECT(name, ret == 0, "%s", ret == 1 ? c.why : err.msg);
	T_EXPECT(name, (const char *)c.next == snapshot + snapshot_len, "stopped early, after %zu", c.count);
	t_pass(name);
}

/* The snapshot's lines as sscanf reads them, sorted by name. */
struct oracle_sym {
	char name[128];
	unsigned long long addr;
	char type;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct oracle_sym *)a)->name, ((const struct oracle_sym *)b)->name);
}

/* Pick from the snapshot a function listed once and a name listed at
 * two different addresses (static functions of the same name). */
static void pick_names(char *unique, unsigned long long *unique_addr, char *ambiguous)
{
	size_t cap = 1024, n = 0, i, j;
	struct oracle_sym *v = malloc(cap * sizeof(*v));
	const char *line;

	for (line = snapshot; line < snapshot + snapshot_len; line = strchr(line, '\n') + 1) {
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		if (sscanf(line, "%llx %c %127s", &v[n].addr, &v[n].type, v[n].name) == 3)
			n++;
	}
	qsort(v, n, sizeof(*v), by_name);
	for (i = 0; i < n; i = j) {
		int distinct = 0;

		for (j = i + 1; j < n && !strcmp(v[i].name, v[j].name); j++)
			distinct |= v[j].addr != v[i].addr;
		if (j == i + 1 && v[i].type == 'T' && !unique[0]) {
			strcpy(unique, v[i].name);
			*unique_addr = v[i].addr;
		}
		if (distinct && !ambiguous[0])
			strcpy(ambiguous, v[i].name);
	}
	free(v);
}

/* A unique name, an ambiguous one and a missing one, from the snapshot. */
static void test_lookup(void)
{
	const char *name = "kallsyms/lookup";
	char path[] = "/tmp/test_kallsyms.XXXXXX", ambiguous[128] = "", unique[128] = "";
	struct bl_ksym_query q[3];
	struct bl_err err;
	unsigned long long addr_unique = 0;
	int fd = mkstemp(path), hidden;

	T_EXPECT(name, fd >= 0 && write(fd, snapshot, snapshot_len) == (ssize_t)snapshot_len, "temp file");
	close(fd);
	pick_names(unique, &addr_unique, ambiguous);
	q[0].name = unique;
	q[1].name = ambiguous[0] ? ambiguous : "no_such_name_either";
	q[2].name = "no_such_symbol_in_any_kernel";
	T_EXPECT(name, bl_kallsyms_lookup(path, q, 3, &hidden, &err) == 0, "%s", err.msg);
	unlink(path);
	T_EXPECT(name, unique[0] && q[0].found == 1 && q[0].addr == addr_unique && !q[0].other_addr &&
		 !q[0].module[0], "%s: found %u at %#" PRIx64, unique, q[0].found, q[0].addr);
	if (ambiguous[0])
		T_EXPECT(name, q[1].found >= 2 && q[1].other_addr && q[1].other_addr != q[1].addr,
			 "%s: found %u, other address %#" PRIx64, ambiguous, q[1].found, q[1].other_addr);
	T_EXPECT(name, q[2].found == 0, "found a symbol that is not there");
	printf("# %s: %s found once, %s at %u places, addresses %s\n", name, unique,
	       ambiguous[0] ? ambiguous : "(no ambiguous name here)", q[1].found,
	       hidden ? "hidden" : "shown");
	t_pass(name);
}

static int read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -100;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -100;
		fclose(f);
	}
	return v;
}

/* The kernel's rule (kallsyms_show_value()), for an opener without
 * CAP_SYSLOG: addresses show only with kptr_restrict 0 and
 * perf_event_paranoid <= 1. */
static void test_hidden(void)
{
	const char *name = "kallsyms/hidden-without-privilege";
	int restrict_ = read_sysctl("/proc/sys/kernel/kptr_restrict");
	int paranoid = read_sysctl("/proc/sys/kernel/perf_event_paranoid");
	int expect_hidden = !(restrict_ == 0 && paranoid <= 1), status;
	pid_t pid;

	if (geteuid() != 0) {
		t_skip(name, "not root: cannot compare the view of an unprivileged reader with root's");
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct bl_ksym_query q = { .name = "schedule" };
		struct bl_err err;
		int hidden = -1;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		if (bl_kallsyms_lookup(BL_KALLSYMS_PATH, &q, 1, &hidden, &err))
			_exit(4);
		_exit(hidden == expect_hidden && (hidden ? q.addr == 0 : q.addr != 0) ? 0 : 5);
	}
	waitpid(pid, &status, 0);
	T_EXPECT(name, WIFEXITED(status) && WEXITSTATUS(status) == 0,
		 "uid 65534 (kptr_restrict %d, perf_event_paranoid %d): status %d", restrict_, paranoid,
		 WEXITSTATUS(status));
	printf("# %s: kptr_restrict %d, perf_event_paranoid %d: %s to uid 65534\n", name, restrict_,
	       paranoid, expect_hidden ? "hidden" : "shown");
	t_pass(name);
}

static int count_fn(void *ctx, const struct bl_ksym *sym)
{
	(void)sym;
	(*(size_t *)ctx)++;
	return 0;
}

static void expect_bad(const char *label, const char *text, size_t len, const char *why)
{
	char name[128];
	struct bl_err err;
	size_t n = 0;
	int ret = bl_kallsyms_parse(text, len, count_fn, &n, &err);

	snprintf(name, sizeof(name), "kallsyms/refused/%s", label);
	if (ret == 0)
		t_fail(name, "accepted");
	else if (!strstr(err.msg, why))
		t_fail(name, "message lacks \"%s\": %s", why, err.msg);
	else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
}

static void test_refused(void)
{
	char longname[2000];

	expect_bad("no-type", "ffffffff81000000 T _text\nffffffff81000000\n", 42, "line 2:");
	expect_bad("no-address", " T name\n", 8, "line 1: expected an address");
	expect_bad("long-address", "1ffffffff81000000 T x\n", 22, "more than 16");
	expect_bad("two-letter-type", "ffffffff81000000 TT x\n", 21, "line 1:");
	expect_bad("no-name", "ffffffff81000000 T \n", 20, "name is empty");
	expect_bad("module-unclosed", "0 t x\t[mod\n", 11, "[module]");
	expect_bad("module-empty", "0 t x\t[]\n", 9, "[module]");
	expect_bad("after-module", "0 t x\t[mod] y\n", 14, "[module]");
	expect_bad("space-in-name", "0 t a b\n", 8, "[module]");
	expect_bad("nul", "0 t a\n0 t \0b\n", 13, "line 2: a NUL byte");
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "0 t ", 4);
	expect_bad("long-line", longname, sizeof(longname), "too long");
}

static void test_good_edges(void)
{
	const char *name = "kallsyms/edges";
	const char text[] = "0 T a\n0000000000000000 t b\t[m]\nffffffffffffffff D c";	/* no final newline */
	struct bl_err err;
	size_t n = 0;

	T_EXPECT(name, bl_kallsyms_parse(text, sizeof(text) - 1, count_fn, &n, &err) == 0, "%s", err.msg);
	T_EXPECT(name, n == 3, "%zu symbols", n);
	n = 0;
	T_EXPECT(name, bl_kallsyms_parse("", 0, count_fn, &n, &err) == 0 && n == 0, "empty text");
	t_pass(name);
}

static void test_damage(void)
{
	const char *name = "kallsyms/damage";
	size_t len = snapshot_len < 200000 ? snapshot_len : 200000, n, refused = 0;
	char *copy = malloc(len);
	struct bl_err err;
	int i;

	for (i = 0; i < 500; i++) {
		memcpy(copy, snapshot, len);
		for (int k = 0; k < 4; k++)
			copy[rnd() % len] = (char)rnd();
		n = 0;
		if (bl_kallsyms_parse(copy, len, count_fn, &n, &err)) {
			refused++;
			if (!strstr(err.msg, "kallsyms line ")) {
				t_fail(name, "round %d: %s", i, err.msg);
				free(copy);
				return;
			}
		}
	}
	free(copy);
	printf("# %s: 500 damaged copies of %zu bytes, %zu refused\n", name, len, refused);
	t_pass(name);
}

int main(void)
{
	test_refused();
	test_good_edges();
	if (take_snapshot()) {
		t_skip("kallsyms", "no /proc/kallsyms here (CONFIG_KALLSYMS off)");
		return t_exit_code();
	}
	test_snapshot();
	test_stream();
	test_lookup();
	test_hidden();
	test_damage();
	return t_exit_code();
}
