/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * narration.h - reading narration back, for the tests: the lines a tool
 * writes on stderr with BPFLOAD_TRACE=1 or bpfload --trace,
 * "[phase] text", parsed into phase and text, and the checks the trace
 * tests share (counts by call and result, phases in order, the fields
 * the README documents).
 */
#ifndef NARRATION_H
#define NARRATION_H

#include <stddef.h>

struct narrated {
	const char *phase;	/* "open", "load", "attach", "read", "detach" */
	const char *text;	/* "bpf(BPF_MAP_CREATE, ...) = 4" */
};

struct narration {
	char *buf;		/* a copy of the text, cut into lines */
	struct narrated *lines;
	size_t count;
};

/* The narration lines of text (others, a tool's own output, skipped). */
int narration_parse(const char *text, struct narration *n);
void narration_free(struct narration *n);

/* The result of a narrated call: "4", "0", "-EINVAL", "0x7f..."; "" when
 * the line is not a call. */
void narration_result(const char *text, char *out, size_t size);

/* Lines whose text starts with prefix (phase NULL: any phase); only_ok:
 * only those whose result is not an error. */
size_t narration_count(const struct narration *n, const char *phase, const char *prefix, int only_ok);

/* The first line starting with prefix that contains every field, or
 * NULL; *missing then names a field that no such line has. */
const char *narration_with_fields(const struct narration *n, const char *prefix,
				  const char *const *fields, const char **missing);

/* 0 when each phase first appears after the one before it (open, load,
 * attach, read, detach) and all five appear; else -1 with why. */
int narration_phases_in_order(const struct narration *n, char *why, size_t size);

/* The fields the README documents, by line: 0, or -1 with why. */
int narration_documented_fields(const struct narration *n, int expect_btf, char *why, size_t size);

#endif
