// SPDX-License-Identifier: BSD-2-Clause
/*
 * tool_main.c - option parsing and usage from a tool's option table, and
 * the shared main(), which turns narration on for BPFLOAD_TRACE=1
 * (tool_trace.c), and as root first removes the tracefs probes that runs
 * killed with SIGKILL left (bl_remove_stale_probes()).  Syscalls:
 * sigaction (tool_common.c), and those of bl_remove_stale_probes().
 */
#include "tool_main.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfload/attach.h>

#include "tool_common.h"
#include "tool_trace.h"

#define MAX_OPTIONS 32
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
/* Long-only options get getopt values past any character. */
#define LONG_ONLY_BASE 256

static int option_key(const struct tool_option *o, size_t i)
{
	return o->letter ? o->letter : LONG_ONLY_BASE + (int)i;
}

/* "-i, --interval SECONDS" */
static int option_words(const struct tool_option *o, char *buf, size_t size)
{
	return snprintf(buf, size, "%c%c%c --%s%s%s", o->letter ? '-' : ' ',
			o->letter ? o->letter : ' ', o->letter ? ',' : ' ', o->name,
			o->value ? " " : "", o->value ? o->value : "");
}

static void print_help_lines(FILE *out, const char *help, int column)
{
	const char *nl;

	while ((nl = strchr(help, '\n'))) {
		fprintf(out, "%.*s\n%*s", (int)(nl - help), help, column, "");
		help = nl + 1;
	}
	fprintf(out, "%s\n", help);
}

static void usage(const struct tool *t, FILE *out)
{
	static const struct tool_option help = { 'h', "help", TOOL_OPT_FLAG, NULL,
						  "show this help", 0, 0, 0 };
	const struct tool_option *o;
	char words[64];
	int column = 0;

	for (o = t->options; o->name; o++) {
		int n = option_words(o, words, sizeof(words));

		column = n > column ? n : column;
	}
	column += 4;	/* two before, two between */
	fprintf(out, "Usage: %s [options]%s%s\n%s\n\n", t->name, t->args ? " " : "",
		t->args ? t->args : "", t->summary);
	for (o = t->options;; o++) {
		const struct tool_option *shown = o->name ? o : &help;

		option_words(shown, words, sizeof(words));
		fprintf(out, "  %-*s", column - 2, words);
		print_help_lines(out, shown->help, column);
		if (!o->name)
			break;
	}
	if (t->epilog)
		fprintf(out, "\n%s", t->epilog);
}

static int parse_long(const char *text, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(text, &end, 10);
	return end != text && *end == '\0' && !errno && *v >= min && *v <= max ? 0 : -1;
}

/* Store value into the option's field; -1 with the kind of value wanted
 * in *want when it is not one. */
static int store(const struct tool_option *o, void *opts, const char *value, const char **want)
{
	char *field = (char *)opts + o->offset, *end;
	long v;

	switch (o->type) {
	case TOOL_OPT_FLAG:
		*(int *)field = 1;
		return 0;
	case TOOL_OPT_SECONDS:
		*want = "a positive number of seconds";
		*(int64_t *)field = tool_parse_seconds(value);
		return *(int64_t *)field < 0 ? -1 : 0;
	case TOOL_OPT_LONG:
		*want = "a whole number in range";
		if (parse_long(value, o->min, o->max, &v))
			return -1;
		*(long *)field = v;
		return 0;
	case TOOL_OPT_POW2:
		*want = "a power of two";
		if (parse_long(value, o->min, o->max, &v) || (v & (v - 1)))
			return -1;
		*(long *)field = v;
		return 0;
	case TOOL_OPT_RING_SIZE:
		*want = "a power of two, a multiple of the page size";
		*(long *)field = tool_parse_ring_size(value);
		return *(long *)field < 0 ? -1 : 0;
	case TOOL_OPT_U64:
		*want = "a whole number";
		errno = 0;
		*(uint64_t *)field = strtoull(value, &end, 10);
		return end == value || *end || errno || value[0] == '-' ? -1 : 0;
	case TOOL_OPT_STRING:
		*(const char **)field = value;
		return 0;
	case TOOL_OPT_STRINGS: {
		struct tool_strings *list = (struct tool_strings *)field;

		*want = "the option may be given " STRINGIFY(TOOL_STRINGS_MAX) " times at most";
		if (list->count == TOOL_STRINGS_MAX)
			return -1;
		list->items[list->count++] = value;
		return 0;
	}
	}
	return -1;
}

/* getopt_long's tables, built from the tool's. */
static int build_getopt(const struct tool_option *options, struct option *longopts,
			char *shortopts)
{
	size_t i, n = 0, s = 0;

	shortopts[s++] = ':';	/* a missing value is reported as ':' */
	for (i = 0; options[i].name; i++) {
		if (i + 2 > MAX_OPTIONS)
			return -1;
		longopts[n].name = options[i].name;
		longopts[n].has_arg = options[i].type == TOOL_OPT_FLAG ? no_argument : required_argument;
		longopts[n].flag = NULL;
		longopts[n++].val = option_key(&options[i], i);
		if (options[i].letter) {
			shortopts[s++] = (char)options[i].letter;
			if (options[i].type != TOOL_OPT_FLAG)
				shortopts[s++] = ':';
		}
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[s++] = 'h';
	shortopts[s] = '\0';
	return 0;
}

static const struct tool_option *option_by_key(const struct tool_option *options, int key)
{
	size_t i;

	for (i = 0; options[i].name; i++)
		if (option_key(&options[i], i) == key)
			return &options[i];
	return NULL;
}

static int parse_options(const struct tool *t, void *opts, int argc, char **argv)
{
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[2 * MAX_OPTIONS + 3];
	const struct tool_option *o;
	const char *want = "";
	int c;

	if (build_getopt(t->options, longopts, shortopts))
		return -1;
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(t, stdout);
			exit(0);
		}
		o = option_by_key(t->options, c);
		if (!o) {
			fprintf(stderr, "%s: unknown option or missing value in '%s'; see --help\n",
				t->name, argv[optind - 1]);
			return -1;
		}
		if (store(o, opts, optarg, &want)) {
			fprintf(stderr, "%s: bad value '%s' for --%s (%s); see --help\n", t->name,
				optarg, o->name, want);
			return -1;
		}
	}
	if (t->args)
		return t->take_args(opts, argc - optind, argv + optind);
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'; see --help\n", t->name, argv[optind]);
		return -1;
	}
	return 0;
}

/* Probes a killed run of ours left in tracefs: removed, and said so. */
static void remove_stale_probes(const char *tool)
{
	char removed[512];
	struct bl_err err;
	int n;

	if (geteuid() != 0)
		return;
	n = bl_remove_stale_probes(removed, sizeof(removed), &err);
	if (n < 0)
		fprintf(stderr, "%s: note: cannot remove the probes of processes that no longer exist: %s\n",
			tool, err.msg);
	else if (n > 0)
		fprintf(stderr, "%s: note: removed %d tracefs probe%s left by processes that no longer exist: %s\n",
			tool, n, n == 1 ? "" : "s", removed);
}

int tool_main(const struct tool *t, void *opts, int argc, char **argv)
{
	struct bl_err err = { 0, "" };

	if (parse_options(t, opts, argc, argv))
		return 2;
	remove_stale_probes(t->name);
	tool_trace_from_env();	/* BPFLOAD_TRACE=1: narrate the loader on stderr */
	tool_catch_stop_signals();
	if (t->run(opts, &err)) {
		fprintf(stderr, "%s: %s\n", t->name, err.msg[0] ? err.msg : "failed");
		return 1;
	}
	return 0;
}
