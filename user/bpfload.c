// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpfload - load any BPF object, attach its programs where their section
 * names say, and show what they print and what their maps hold.
 *
 * The whole life cycle in one place: open (parse the ELF file), load
 * (maps, then programs), attach, read (trace_pipe), then detach, print
 * the maps, close.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "bpffs.h"
#include "object.h"
#include "object_print.h"
#include "tool_common.h"
#include "trace_pipe.h"

struct options {
	int dry_run;
	int load_only;
	const char *pin_dir;
	int64_t duration_ms;
	enum bpf_prog_type unknown_type;
	const char *path;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: bpfload [options] FILE.o\n"
		"Load a BPF object, attach every program according to its section name,\n"
		"stream trace_pipe to stdout, and print each map's contents on exit.\n"
		"\n"
		"  --dry-run         parse only, no syscalls, no root needed: print sections,\n"
		"                    maps, programs and relocations\n"
		"  --load-only       create maps, load every program, print one line per\n"
		"                    program, unload and exit (0 only if all loaded)\n"
		"  --pin DIR         pin maps at DIR/maps/NAME and programs at DIR/progs/NAME\n"
		"                    (they stay after exit; DIR must be on bpffs)\n"
		"  --duration S      run S seconds, then detach and exit (default: until Ctrl-C)\n"
		"  --type TYPE       program type for sections with unknown names\n"
		"                    (kprobe, tracepoint, raw_tracepoint, perf_event,\n"
		"                    socket_filter, xdp)\n"
		"  -h, --help        show this help\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_DRY_RUN = 256, OPT_LOAD_ONLY, OPT_PIN, OPT_DURATION, OPT_TYPE };
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "load-only", no_argument, NULL, OPT_LOAD_ONLY },
		{ "pin", required_argument, NULL, OPT_PIN },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case OPT_LOAD_ONLY: o->load_only = 1; break;
		case OPT_PIN: o->pin_dir = optarg; break;
		case OPT_DURATION:
			o->duration_ms = tool_parse_seconds(optarg);
			if (o->duration_ms < 0) {
				fprintf(stderr, "bpfload: bad value '%s' for --duration; see --help\n", optarg);
				return -1;
			}
			break;
		case OPT_TYPE:
			o->unknown_type = bl_prog_type_by_name(optarg);
			if (!o->unknown_type) {
				fprintf(stderr, "bpfload: unknown program type '%s'; see --help\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "bpfload: expected one object file; see --help\n");
		return -1;
	}
	o->path = argv[optind];
	return 0;
}

static void print_verifier_log(const struct bl_program *prog)
{
	if (prog->verifier_log && prog->verifier_log[0])
		fprintf(stderr, "--- verifier log of %s ---\n%s--- end of log ---\n", prog->name,
			prog->verifier_log);
}

/* --load-only: every program gets a line, whether or not others fail.
 * Errors name the file first, as bl_object_load()'s do in the other modes. */
static int load_each(struct bl_object *obj, struct bl_err *err)
{
	size_t i;
	int failed = 0;

	if (bl_object_create_maps(obj, err))
		return bl_err_context(err, "%s", obj->name);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_program *p = &obj->progs[i];
		struct bl_err perr;

		if (bl_object_load_program(obj, p, &perr) == 0) {
			printf("%s %s ok\n", p->name, bl_prog_type_name(p->kind->prog_type));
		} else {
			printf("%s %s failed: %s: %s\n", p->name, bl_prog_type_name(p->kind->prog_type),
			       obj->name, perr.msg);
			print_verifier_log(p);
			failed++;
		}
	}
	if (failed)
		bl_fail(err, EINVAL, "%s: %d of %zu programs failed to load", obj->name, failed, obj->prog_cnt);
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
static struct bl_link **attach_all(struct bl_object *obj, struct bl_err *err)
{
	struct bl_link **links = calloc(obj->prog_cnt + 1, sizeof(*links));
	size_t i, attached = 0;

	if (!links) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		struct bl_err aerr;

		links[i] = bl_program_attach(&obj->progs[i], NULL, &aerr);
		if (links[i])
			attached++;
		else
			fprintf(stderr, "bpfload: %s not attached: %s\n", obj->progs[i].name, aerr.msg);
	}
	if (attached == 0 && obj->prog_cnt) {
		free(links);
		bl_fail(err, ENOTSUP, "no program could be attached");
		return NULL;
	}
	return links;
}

static void detach_all(struct bl_link **links, size_t count)
{
	size_t i;
	struct bl_err err;

	for (i = 0; links && i < count; i++)
		if (bl_link_destroy(links[i], &err))
			fprintf(stderr, "bpfload: %s\n", err.msg);
	free(links);
}

static int stream_until_stopped(int64_t duration_ms, struct bl_err *err)
{
	struct bl_trace_pipe tp;
	int ret;

	if (bl_trace_pipe_open(&tp, err))
		return -1;
	ret = tool_stream_trace_pipe(&tp, duration_ms ? tool_now_ms() + duration_ms : 0, NULL, NULL, err);
	bl_trace_pipe_close(&tp);
	return ret;
}

static int run(const struct options *o, struct bl_err *err)
{
	struct bl_object_opts open_opts = { .unknown_section_type = o->unknown_type };
	struct bl_object *obj;
	struct bl_link **links = NULL;
	int ret = -1;

	/* 1. Open: parse the file; --dry-run stops here. */
	obj = bl_object_open_file_opts(o->path, &open_opts, err);
	if (!obj)
		return -1;
	if (o->dry_run) {
		if (obj->notes[0])
			fprintf(stderr, "bpfload: note: %s\n", obj->notes);
		print_object(stdout, obj);
		bl_object_close(obj);
		return 0;
	}

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

	/* 3. Attach, 4. read until Ctrl-C or --duration. */
	links = attach_all(obj, err);
	if (!links)
		goto out;
	fprintf(stderr, "Tracing with %s... Hit Ctrl-C to end.\n", obj->name);
	ret = stream_until_stopped(o->duration_ms, err);

	/* 5. Detach, show the maps, close. */
	detach_all(links, obj->prog_cnt);
	print_map_contents(stdout, obj);
out:
	bl_object_close(obj);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	struct bl_err err = { 0, "" };

	if (parse_options(argc, argv, &o))
		return 2;
	tool_catch_stop_signals();
	if (run(&o, &err)) {
		fprintf(stderr, "bpfload: %s\n", err.msg[0] ? err.msg : "failed");
		return 1;
	}
	return 0;
}
