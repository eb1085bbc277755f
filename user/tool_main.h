/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tool_main.h - the main() every tool shares: options from a table, the
 * usage text written from the same table, signals, and one error line.
 *
 * A tool describes itself once:
 *
 *   static const struct tool_option options[] = {
 *       TOOL_SECONDS('i', "interval", "SECONDS", "time between lines (default 2)",
 *                    struct options, interval_ms),
 *       TOOL_DURATION(struct options, duration_ms),
 *       TOOL_FLAG('s', "struct", "keep { uid, gid, counter } records",
 *                 struct options, structs),
 *       { 0 }
 *   };
 *   static const struct tool hello_map = { "hello_map", NULL, "Count ...",
 *                                          NULL, options, NULL, run };
 *   int main(int argc, char **argv)
 *   {
 *       struct options o = { .interval_ms = 2000 };
 *       return tool_main(&hello_map, &o, argc, argv);
 *   }
 *
 * so its file holds only its own logic, in run().  -h/--help is added to
 * every tool.
 */
#ifndef TOOL_MAIN_H
#define TOOL_MAIN_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* What an option's value becomes, and the type of the field it goes to. */
enum tool_option_type {
	TOOL_OPT_FLAG,		/* no value; int field set to 1 */
	TOOL_OPT_SECONDS,	/* "1.5" -> int64_t milliseconds, > 0 */
	TOOL_OPT_LONG,		/* decimal long in [min, max] */
	TOOL_OPT_POW2,		/* a power of two, long in [min, max] */
	TOOL_OPT_RING_SIZE,	/* BPF ring buffer bytes: a power of two, a
				 * multiple of the page size, at most 1 GiB (long) */
	TOOL_OPT_U64,		/* decimal uint64_t */
	TOOL_OPT_STRING,	/* const char * */
	TOOL_OPT_STRINGS,	/* repeatable: each value added to a struct tool_strings */
};

/* The values of a repeatable option, in the order given. */
#define TOOL_STRINGS_MAX 16
struct tool_strings {
	int count;
	const char *items[TOOL_STRINGS_MAX];
};

struct tool_option {
	int letter;		/* short option, or 0 for long only */
	const char *name;	/* long option */
	enum tool_option_type type;
	const char *value;	/* the value's name in the usage text ("SECONDS") */
	const char *help;	/* may hold '\n' for more lines */
	size_t offset;		/* of the field in the tool's options struct */
	long min, max;		/* TOOL_OPT_LONG and TOOL_OPT_POW2 */
};

#define TOOL_FLAG(l, n, help, S, f) \
	{ l, n, TOOL_OPT_FLAG, NULL, help, offsetof(S, f), 0, 0 }
#define TOOL_SECONDS(l, n, v, help, S, f) \
	{ l, n, TOOL_OPT_SECONDS, v, help, offsetof(S, f), 0, 0 }
#define TOOL_LONG(l, n, v, help, S, f, lo, hi) \
	{ l, n, TOOL_OPT_LONG, v, help, offsetof(S, f), lo, hi }
#define TOOL_POW2(l, n, v, help, S, f, lo, hi) \
	{ l, n, TOOL_OPT_POW2, v, help, offsetof(S, f), lo, hi }
#define TOOL_RING_SIZE(l, n, help, S, f) \
	{ l, n, TOOL_OPT_RING_SIZE, "BYTES", help, offsetof(S, f), 0, 0 }
#define TOOL_U64(l, n, v, help, S, f) \
	{ l, n, TOOL_OPT_U64, v, help, offsetof(S, f), 0, 0 }
#define TOOL_STRING(l, n, v, help, S, f) \
	{ l, n, TOOL_OPT_STRING, v, help, offsetof(S, f), 0, 0 }
#define TOOL_STRINGS(l, n, v, help, S, f) \
	{ l, n, TOOL_OPT_STRINGS, v, help, offsetof(S, f), 0, 0 }
/* -d/--duration, which every tool takes: an int64_t, 0 until Ctrl-C. */
#define TOOL_DURATION(S, f) \
	TOOL_SECONDS('d', "duration", "SECONDS", "stop after this long (default: until Ctrl-C)", S, f)

/* The options of tools that stream events: --ringbuf-size (a long) and
 * --stats (an int flag), with the wording their help shares. */
#define TOOL_RINGBUF_SIZE(S, f) \
	TOOL_RING_SIZE(0, "ringbuf-size", "ring buffer size, a power of two and a multiple\n" \
		       "of the page size (default 262144)", S, f)
#define TOOL_STATS(S, f) \
	TOOL_FLAG('s', "stats", "at the end print \"received N, lost N (produced N)\"\n" \
		  "on stderr, counted exactly", S, f)

struct tool {
	const char *name;		/* "hello_map": usage and error lines */
	const char *args;		/* positional arguments ("FILE.o"), or NULL: none */
	const char *summary;		/* what the tool does, under the usage line */
	const char *epilog;		/* more text after the options, or NULL */
	const struct tool_option *options;	/* ends with an entry named NULL */
	/* The positional arguments left after the options (only when args
	 * is set); 0, or -1 after printing one line on what is wrong. */
	int (*take_args)(void *opts, int argc, char **argv);
	/* The tool itself; 0, or -1 with err filled. */
	int (*run)(void *opts, struct bl_err *err);
};

/* Parse the options into opts (holding the defaults), narrate the
 * loader's kernel calls on stderr when BPFLOAD_TRACE=1, catch SIGINT and
 * SIGTERM, run the tool, and print "NAME: message" when it failed.
 * Returns main()'s exit status: 0, 1 when the tool failed, 2 on bad
 * options. */
int tool_main(const struct tool *t, void *opts, int argc, char **argv);

#endif
