// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_uprobe_tool.c - uprobe_trace, run from --bindir against the target
 * program (tests/target/uprobe_target).
 *
 * The test waits until the tool's two programs are attached (the kernel
 * shows their BPF links), has the target make N calls, then stops the
 * tool with SIGINT or SIGTERM: the tool drains its ring after detaching,
 * so it must have printed exactly N lines, with the arguments and return
 * values the target used, and exit 0 leaving nothing behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/uprobe.h"
#include "kernel_features.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "spawn.h"
#include "sys/bpf_link.h"
#include "sys/bpf_syscall.h"
#include "uprobe_helpers.h"
#include "../target/uprobe_target.h"
#include "../testlib.h"

static struct ktest_options opts;
static char tool[600], target_path[600];

/* Whether a BPF link holds a program called name loaded after prog id
 * `after` (ours, not another test's). */
static int link_with_program(uint32_t after, const char *name)
{
	uint32_t id = 0;
	int found = 0;

	while (!found && bl_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info link;
		struct bpf_prog_info prog;
		uint32_t len = sizeof(link);
		int fd = bl_link_get_fd_by_id(id), pfd;

		if (fd < 0)
			continue;
		memset(&link, 0, sizeof(link));
		if (bl_obj_get_info(fd, &link, &len) == 0 && link.prog_id > after &&
		    (pfd = bl_prog_get_fd_by_id(link.prog_id)) >= 0) {
			len = sizeof(prog);
			memset(&prog, 0, sizeof(prog));
			found = bl_obj_get_info(pfd, &prog, &len) == 0 && strcmp(prog.name, name) == 0;
			close(pfd);
		}
		close(fd);
	}
	return found;
}

struct drive {
	uint32_t prog_after;
	struct target_proc *target;
	const char *command;	/* for the target, once the tool is attached */
	int stop_signal;
	int state;		/* 0 waiting, 1 commanded, 2 signalled */
	int tracefs_events;	/* uprobe events of the tool seen while attached */
	pid_t tool;
	int failed;
};

/* Whether the tool has attached both programs.  Where perf events take
 * BPF links (5.15) the links say so; before, a program is attached by an
 * ioctl on the perf event, which no query shows, so its two perf events
 * and the line it prints once attached have to do. */
static int tool_attached(const struct drive *d, pid_t child, const char *err_so_far)
{
	if (kfeature_has(KF_PERF_LINK) == 1)
		return link_with_program(d->prog_after, "trace_entry") &&
		       link_with_program(d->prog_after, "trace_return");
	return strstr(err_so_far, "Hit Ctrl-C to end.") && perf_events_of(child) >= 2;
}

static void drive(pid_t child, const char *err_so_far, void *ctx)
{
	struct drive *d = ctx;
	char found[128];

	d->tool = child;
	if (d->state == 0 && tool_attached(d, child, err_so_far)) {
		d->tracefs_events = uprobe_events_of(child, found, sizeof(found));
		if (target_cmd(d->target, d->command, NULL, 0))
			d->failed = 1;
		d->state = 1;
	} else if (d->state == 1) {
		kill(child, d->stop_signal);
		d->state = 2;
	}
}

/* Run the tool on the target until stopped; res must be freed. */
static int run_tool(const char *name, const char *const *argv, const char *const *env,
		    struct target_proc *t, const char *command, int sig, struct drive *d,
		    struct spawn_result *res)
{
	struct spawn_options so = {
		.argv = argv, .env = env, .timeout_ms = 60000, .while_running = drive, .ctx = d,
	};

	memset(d, 0, sizeof(*d));
	d->prog_after = highest_prog_id();
	d->target = t;
	d->command = command;
	d->stop_signal = sig;
	if (spawn_run(&so, res)) {
		t_fail(name, "cannot run %s", argv[0]);
		return -1;
	}
	if (res->timed_out || d->state != 2 || d->failed) {
		t_fail(name, "%s; stderr: %s", res->timed_out ? "timed out" :
		       d->state != 2 ? "the tool never attached" : "the target did not answer", res->err);
		spawn_result_free(res);
		return -1;
	}
	if (res->exit_code != 0) {
		t_fail(name, "exit status %d after signal %d; stderr: %s", res->exit_code, sig, res->err);
		spawn_result_free(res);
		return -1;
	}
	return 0;
}

/* The tool's programs are gone once it exited. */
static int programs_gone(uint32_t after)
{
	char found[128];

	for (int tries = 0; tries < 50; tries++) {
		if (!link_with_program(after, "trace_entry") && !link_with_program(after, "trace_return") &&
		    programs_left_after(after, found, sizeof(found)) == 0)
			return 1;
		usleep(20000);
	}
	return 0;
}

static void test_arguments(void)
{
	const char *name = "uprobe_trace/arguments-and-returns";
	char pid[16], spec[700], want[256], why[256];
	struct target_proc t;
	struct spawn_result res;
	struct drive d;
	const char *p;
	int i;

	if (target_start(&t, target_path, why, sizeof(why))) {
		t_fail(name, "%s", why);
		return;
	}
	snprintf(pid, sizeof(pid), "%d", t.pid);
	snprintf(spec, sizeof(spec), "%s:bl_target_add", target_path);
	{
		const char *argv[] = { tool, "--pid", pid, "--args", "2", spec, NULL };

		if (run_tool(name, argv, NULL, &t, "add 20 100 5", SIGINT, &d, &res)) {
			target_stop(&t);
			return;
		}
	}
	T_EXPECT(name, count_lines(res.out) == 20, "%d lines for 20 calls: %s", count_lines(res.out), res.out);
	for (i = 0, p = res.out; i < 20; i++, p = strchr(p, '\n') + 1) {
		snprintf(want, sizeof(want), "uprobe_target %d bl_target_add(%d, 5) = %d\n", t.pid, 100 + i, 105 + i);
		if (strncmp(p, want, strlen(want)) != 0) {
			t_fail(name, "line %d is \"%.*s\", expected \"%.*s\"", i + 1, (int)strcspn(p, "\n"), p,
			       (int)strlen(want) - 1, want);
			spawn_result_free(&res);
			target_stop(&t);
			return;
		}
	}
	T_EXPECT(name, strstr(res.err, "Tracing bl_target_add in"), "stderr: %s", res.err);
	T_EXPECT("uprobe_trace/sigint-cleans-up", programs_gone(d.prog_after),
		 "the tool's programs are still loaded after it exited");
	t_pass(name);
	t_pass("uprobe_trace/sigint-cleans-up");
	spawn_result_free(&res);
	target_stop(&t);
}

static void test_strings_and_library(void)
{
	const char *name = "uprobe_trace/strings";
	char spec[700], lib_env[700], want[256], why[256];
	struct target_proc t;
	struct spawn_result res;
	struct drive d;

	if (target_start(&t, target_path, why, sizeof(why))) {
		t_fail(name, "%s", why);
		return;
	}
	snprintf(spec, sizeof(spec), "%s:bl_target_echo", target_path);
	{
		const char *argv[] = { tool, "--args", "1", "--string", "1", "--ret-string", spec, NULL };

		if (run_tool(name, argv, NULL, &t, "echo 5", SIGINT, &d, &res) == 0) {
			/* the tool escapes quotes: hello \"uprobe\" */
			snprintf(want, sizeof(want), "bl_target_echo(\"hello \\\"uprobe\\\"\") = \"hello \\\"uprobe\\\"\"\n");
			if (count_lines(res.out) != 5 || !strstr(res.out, want))
				t_fail(name, "expected 5 lines of %s, got: %s", want, res.out);
			else
				t_pass(name);
			spawn_result_free(&res);
		}
	}
	/* a library by its name, found through LD_LIBRARY_PATH */
	name = "uprobe_trace/library-by-name";
	snprintf(lib_env, sizeof(lib_env), "LD_LIBRARY_PATH=%s", test_bindir());
	{
		const char *argv[] = { tool, "--args", "2", "libuprobe_target.so:bl_lib_mul", NULL };
		const char *env[] = { lib_env, NULL };

		if (run_tool(name, argv, env, &t, "mul 7 6 7", SIGTERM, &d, &res) == 0) {
			snprintf(want, sizeof(want), "bl_lib_mul(12, 7) = 84\n");
			if (count_lines(res.out) != 7 || !strstr(res.out, want))
				t_fail(name, "expected 7 lines, one of them %s, got: %s", want, res.out);
			else
				t_pass(name);
			spawn_result_free(&res);
		}
	}
	target_stop(&t);
}

/* Through tracefs, the uprobe events must go with the tool. */
static void test_sigterm_tracefs(void)
{
	const char *name = "uprobe_trace/sigterm-removes-tracefs-events";
	const char *env[] = { "BPFLOAD_LEGACY_UPROBES=1", NULL };
	char spec[700], why[256], found[128];
	struct target_proc t;
	struct spawn_result res;
	struct drive d;

	if (target_start(&t, target_path, why, sizeof(why))) {
		t_fail(name, "%s", why);
		return;
	}
	snprintf(spec, sizeof(spec), "%s:bl_target_add", target_path);
	{
		const char *argv[] = { tool, spec, NULL };

		if (run_tool(name, argv, env, &t, "add 3 1 1", SIGTERM, &d, &res)) {
			target_stop(&t);
			return;
		}
	}
	if (d.tracefs_events != 2)
		t_fail(name, "%d uprobe events of the tool in uprobe_events while it ran, expected 2",
		       d.tracefs_events);
	else if (count_lines(res.out) != 3)
		t_fail(name, "%d lines for 3 calls", count_lines(res.out));
	else if (uprobe_events_of(d.tool, found, sizeof(found)) != 0)
		t_fail(name, "after the tool exited uprobe_events still has %s", found);
	else
		t_pass(name);
	spawn_result_free(&res);
	target_stop(&t);
}

static void test_refusals(void)
{
	struct spawn_result res;
	char spec[700], copy_dir[64], copy[512];
	const char *argv_typo[] = { tool, "", NULL };
	int ret;
	struct spawn_options so = { .argv = argv_typo, .timeout_ms = 20000 };

	snprintf(spec, sizeof(spec), "%s:bl_target_ad", target_path);
	argv_typo[1] = spec;
	if (spawn_run(&so, &res) == 0) {
		if (res.exit_code != 1 || count_lines(res.err) != 1 || !strstr(res.err, "similar names: bl_target_add"))
			t_fail("uprobe_trace/no-such-function", "status %d, stderr: %s", res.exit_code, res.err);
		else
			t_pass("uprobe_trace/no-such-function");
		spawn_result_free(&res);
	}
	/* as nobody, on a copy of the target it can reach (the build
	 * directory may lie in a 0700 home) */
	if (spawn_public_copy(target_path, copy_dir, sizeof(copy_dir), copy, sizeof(copy))) {
		t_fail("uprobe_trace/not-root", "cannot copy %s under /tmp", target_path);
		return;
	}
	snprintf(spec, sizeof(spec), "%s:bl_target_add", copy);
	so.run_as_uid = 65534;
	ret = spawn_run(&so, &res);
	spawn_public_copy_remove(copy_dir, copy);
	if (ret == 0) {
		if (res.exit_code != 1 || count_lines(res.err) != 1 ||
		    (!strstr(res.err, "root") && !strstr(res.err, "CAP_")))
			t_fail("uprobe_trace/not-root", "status %d, stderr: %s", res.exit_code, res.err);
		else
			t_pass("uprobe_trace/not-root");
		spawn_result_free(&res);
	}
}

int main(int argc, char **argv)
{
	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	snprintf(tool, sizeof(tool), "%s/uprobe_trace", opts.bindir);
	snprintf(target_path, sizeof(target_path), "%s/uprobe_target", test_bindir());
	if (access(tool, X_OK) != 0) {
		t_fail("uprobe_trace", "%s is not there (make builds it)", tool);
		return t_exit_code();
	}
	if (!bl_uprobes_available()) {
		t_skip("uprobe_trace", "this kernel has no uprobes (CONFIG_UPROBE_EVENTS)");
		return 0;
	}
	test_arguments();
	test_strings_and_library();
	test_sigterm_tracefs();
	test_refusals();
	return t_exit_code();
}
