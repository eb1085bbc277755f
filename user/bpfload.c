// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpfload - load any BPF object, attach its programs where their section
 * names say, and show what they print and what their maps hold.
 *
 * The whole life cycle in one place: open (parse the ELF file), load
 * (maps, then programs), attach, read (trace_pipe and the object's ring
 * buffers and perf event arrays, bpfload_events.c; an iterator's output
 * once), then detach, print the maps, close.  --trace narrates each kernel call of it on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/trace.h>
#include <bpfload/trace_pipe.h>

#include "bpfload_events.h"
#include "btf_command.h"
#include "gen_skeleton.h"
#include "object/object.h"
#include "object/pin.h"
#include "object/section_names.h"
#include "object_print.h"
#include "tool_common.h"
#include "tool_main.h"
#include "tool_trace.h"

struct options {
	int trace;
	int dry_run;
	int load_only;
	const char *pin_dir;
	const char *btf_path;
	int64_t duration_ms;
	const char *type_name;		/* --type */
	struct tool_strings events;	/* --event MAP=TYPE */
	long freq;			/* --freq: perf_event programs' sampling rate */
	enum bpf_prog_type unknown_type;
	const char *path;
};

static void print_verifier_log(const struct bl_program *prog)
{
	if (prog->verifier_log && prog->verifier_log[0])
		fprintf(stderr, "--- verifier log of %s ---\n%s--- end of log ---\n", prog->name,
			prog->verifier_log);
}

/* Out of file descriptors: every program after this one would fail the
 * same way, so they are not tried and the reason is said once. */
static int out_of_fds(const struct bl_err *err)
{
	return err->code == EMFILE || err->code == ENFILE;
}

/* --load-only: every program gets a line, whether or not others fail.
 * Errors name the file first, as bl_object_load()'s do in the other modes. */
static int load_each(struct bl_object *obj, struct bl_err *err)
{
	size_t i, failed = 0, untried = 0;
	struct bl_err perr = { 0 };

	if (bl_object_create_maps(obj, err))
		return bl_err_context(err, "%s", obj->name);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_program *p = &obj->progs[i];
		const char *type = bl_prog_type_name(p->kind->prog_type);

		if (failed && out_of_fds(&perr)) {
			printf("%s %s not tried\n", p->name, type);
			untried++;
		} else if (bl_object_load_program(obj, p, &perr) == 0) {
			printf("%s %s ok\n", p->name, type);
		} else {
			printf("%s %s failed: %s: %s\n", p->name, type, obj->name, perr.msg);
			print_verifier_log(p);
			failed++;
		}
	}
	if (obj->notes[0])	/* e.g. a map created without its BTF types */
		fprintf(stderr, "bpfload: note: %s\n", obj->notes);
	if (untried)
		bl_fail(err, perr.code, "%s: %zu of %zu programs loaded; %s failed with %s and the %zu after it were not tried",
			obj->name, obj->prog_cnt - failed - untried, obj->prog_cnt,
			obj->progs[obj->prog_cnt - untried - 1].name, bl_errno_name(perr.code), untried);
	else if (failed)
		bl_fail(err, EINVAL, "%s: %zu of %zu programs failed to load", obj->name, failed, obj->prog_cnt);
	return failed ? -1 : 0;
}

static int load_all(struct bl_object *obj, struct bl_err *err)
{
	size_t i;

	if (bl_object_load(obj, err) == 0)
		return 0;
	for (i = 0; i < obj->prog_cnt; i++)
		print_verifier_log(&obj->progs[i]);
	return -1;
}

/* Attach what can be attached; say what cannot, and why. */
static struct bl_attachment **attach_all(struct bl_object *obj, const struct bl_attach_opts *opts,
					struct bl_err *err)
{
	struct bl_attachment **atts = calloc(obj->prog_cnt + 1, sizeof(*atts));
	size_t i, attached = 0;

	if (!atts) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_err aerr;

		atts[i] = bl_program_attach(&obj->progs[i], opts, &aerr);
		if (atts[i])
			attached++;
		else
			fprintf(stderr, "bpfload: %s not attached: %s\n", obj->progs[i].name, aerr.msg);
	}
	if (attached == 0 && obj->prog_cnt) {
		free(atts);
		bl_fail(err, ENOTSUP, "no program could be attached");
		return NULL;
	}
	return atts;
}

static void detach_all(struct bl_attachment **atts, size_t count)
{
	size_t i;
	struct bl_err err;

	for (i = 0; atts && i < count; i++)
		if (bl_attachment_destroy(atts[i], &err))
			fprintf(stderr, "bpfload: %s\n", err.msg);
	free(atts);
}

/* One walk of each iter/ program, its output copied to stdout; *others
 * counts the attached programs that are not iterators. */
static int walk_iterators(struct bl_object *obj, struct bl_attachment **atts, size_t *others,
			  struct bl_err *err)
{
	char buf[4096];
	ssize_t n = 0;
	size_t i;
	int fd;

	*others = 0;
	for (i = 0; i < obj->prog_cnt; i++) {
		if (!atts[i])
			continue;
		if (obj->progs[i].kind->attach != BL_ATTACH_ITER) {
			++*others;
			continue;
		}
		fd = bl_iter_open(atts[i], err);
		if (fd < 0)
			return -1;
		fflush(stdout);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDOUT_FILENO, buf, (size_t)n) != n)
				break;
		close(fd);
		if (n < 0)
			return bl_fail(err, errno, "reading iterator %s: %s", obj->progs[i].name,
				       strerror(errno));
	}
	return 0;
}

/* trace_pipe, and the object's ring buffers and perf event arrays if it
 * has any (bpfload_events.c). */
static int stream_until_stopped(const char *name, struct bpfload_events *events, int64_t duration_ms,
				struct bl_err *err)
{
	int64_t end_ms = duration_ms ? tool_now_ms() + duration_ms : 0;
	struct bl_trace_pipe tp;
	int ret;

	/* trace_pipe has one reader at a time, is root's alone where tracefs
	 * is mode 0700, and nobody's under lockdown: when another process
	 * holds it, or this process may not open it, say so and go on, as
	 * the maps and event streams still work (fd -1: poll(2) passes over
	 * it). */
	if (bl_trace_pipe_open(&tp, err)) {
		if (err->code != EBUSY && err->code != EACCES && err->code != EPERM)
			return -1;
		fprintf(stderr, "bpfload: note: %s; bpf_printk() lines are not shown\n", err->msg);
		tp.fd = -1;
	}
	fprintf(stderr, "Tracing with %s... Hit Ctrl-C to end.\n", name);
	ret = bpfload_events_stream(events, &tp, end_ms, err);	/* trace_pipe alone when no streams */
	bl_trace_pipe_close(&tp);
	return ret;
}

static int run(void *opts, struct bl_err *err)
{
	const struct options *o = opts;
	struct bl_object_opts open_opts = { .unknown_section_type = o->unknown_type,
					    .btf_path = o->btf_path };
	struct bl_attach_opts attach_opts = { .perf_freq = (unsigned int)o->freq };
	struct bl_object *obj;
	struct bl_attachment **atts = NULL;
	struct bpfload_events *events = NULL;
	struct bl_err ferr;
	size_t others = 0;
	int ret = -1;

	if (o->trace)	/* every kernel call on stderr, as BPFLOAD_TRACE=1 */
		tool_trace_to_stderr();
	/* 1. Open: parse the file; --dry-run stops here. */
	obj = bl_object_open_file(o->path, &open_opts, err);
	if (!obj)
		return -1;
	if (o->dry_run) {
		if (obj->notes[0])
			fprintf(stderr, "bpfload: note: %s\n", obj->notes);
		print_object(stdout, obj);
		print_core_relocations(stdout, obj);
		bl_object_close(obj);
		return 0;
	}

	/* Which maps stream records, and by which types (--event). */
	events = bpfload_events_new(obj, &o->events, err);
	if (!events)
		goto out;

	/* 2. Load: maps, then programs. */
	if (o->load_only) {
		ret = load_each(obj, err);
		goto out;
	}
	if (load_all(obj, err))
		goto out;
	if (obj->notes[0])
		fprintf(stderr, "bpfload: note: %s\n", obj->notes);
	if (o->pin_dir && bl_object_pin(obj, o->pin_dir, err))
		goto out;

	/* 3. Attach, the event streams' readers first (nothing sent is
	 * missed), 4. read until Ctrl-C or --duration. */
	if (bpfload_events_open(events, err))
		goto out;
	atts = attach_all(obj, &attach_opts, err);
	if (!atts)
		goto out;
	/* iterators run once, when read; only other programs wait for events */
	ret = walk_iterators(obj, atts, &others, err);
	if (!ret && others) {
		ret = stream_until_stopped(obj->name, events, o->duration_ms, err);
	}

	/* 5. Detach, drain the event streams and count them, show the maps, close. */
	detach_all(atts, obj->prog_cnt);
	if (bpfload_events_finish(events, &ferr) && ret == 0) {
		*err = ferr;
		ret = -1;
	}
	bl_trace_phase(BL_TRACE_READ);	/* the maps are read once more */
	print_map_contents(stdout, obj);
out:
	bpfload_events_free(events);
	bl_object_close(obj);
	return ret;
}

static const struct tool_option options[] = {
	TOOL_FLAG(0, "trace", "narrate every kernel call the loader makes on stderr,\n"
		  "grouped by phase (as BPFLOAD_TRACE=1 does for every tool)",
		  struct options, trace),
	TOOL_FLAG(0, "dry-run", "parse only, no bpf(2) calls, no root needed: print sections,\n"
		  "maps, programs, relocations, and what CO-RE relocations\n"
		  "resolve to when the kernel's BTF is readable", struct options, dry_run),
	TOOL_FLAG(0, "load-only", "create maps, load every program, print one line per\n"
		  "program, unload and exit (0 only if all loaded)", struct options, load_only),
	TOOL_STRING(0, "pin", "DIR", "pin maps at DIR/maps/NAME and programs at DIR/progs/NAME\n"
		    "(they stay after exit; DIR must be on bpffs)", struct options, pin_dir),
	TOOL_STRING(0, "btf", "FILE", "the kernel's BTF for CO-RE relocations from FILE (raw\n"
		    "BTF, or an ELF file with .BTF, e.g. from BTFHub) instead\n"
		    "of /sys/kernel/btf", struct options, btf_path),
	TOOL_SECONDS(0, "duration", "S", "run S seconds, then detach and exit (default: until Ctrl-C)",
		     struct options, duration_ms),
	TOOL_STRINGS(0, "event", "MAP=TYPE", "print the records of ring buffer or perf event array\n"
		     "MAP decoded as TYPE of the object's BTF ('struct event');\n"
		     "repeatable; records of other such maps are shown in hex",
		     struct options, events),
	TOOL_LONG(0, "freq", "HZ", "perf_event programs run HZ times a second on each CPU,\n"
		  "on its CPU clock (default 49)", struct options, freq, 1, 100000),
	TOOL_STRING(0, "type", "TYPE", "program type for sections with unknown names\n"
		    "(kprobe, tracepoint, raw_tracepoint, perf_event,\n"
		    "socket_filter, xdp)", struct options, type_name),
	{ 0 }
};

/* The one object file, and --type by name. */
static int take_args(void *opts, int argc, char **argv)
{
	struct options *o = opts;

	if (argc != 1) {
		fprintf(stderr, "bpfload: expected one object file; see --help\n");
		return -1;
	}
	o->path = argv[0];
	if (o->type_name && !(o->unknown_type = bl_prog_type_by_name(o->type_name))) {
		fprintf(stderr, "bpfload: unknown program type '%s'; see --help\n", o->type_name);
		return -1;
	}
	return 0;
}

static const struct tool bpfload = {
	.name = "bpfload",
	.args = "FILE.o",
	.summary = "Load a BPF object, attach every program according to its section name,\n"
		   "stream trace_pipe to stdout, and print each map's contents on exit.",
	.epilog = "Subcommands:\n"
		  "  bpfload gen skeleton FILE.o [NAME]   a C header for FILE.o (see its --help)\n"
		  "  bpfload btf dump [FILE] [--format c|raw]\n"
		  "                                       BTF as C (a vmlinux.h) or a type listing\n",
	.options = options,
	.take_args = take_args,
	.run = run,
};

int main(int argc, char **argv)
{
	struct options o = { 0 };

	/* subcommands, each in a file of its own */
	if (argc > 1 && strcmp(argv[1], "gen") == 0)
		return gen_main(argc - 1, argv + 1);	/* gen_skeleton.c */
	if (argc > 1 && strcmp(argv[1], "btf") == 0)
		return btf_command(argc - 1, argv + 1);	/* btf_command.c */
	return tool_main(&bpfload, &o, argc, argv);
}
