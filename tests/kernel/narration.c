// SPDX-License-Identifier: BSD-2-Clause
/*
 * narration.c - parsing narration lines back (narration.h).  No syscalls.
 */
#include "narration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int known_phase(const char *p, size_t len)
{
	static const char *const phases[] = { "open", "load", "attach", "read", "detach", "-" };
	size_t i;

	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		if (strlen(phases[i]) == len && strncmp(p, phases[i], len) == 0)
			return 1;
	return 0;
}

int narration_parse(const char *text, struct narration *n)
{
	char *p, *nl;
	size_t cap = 64;

	memset(n, 0, sizeof(*n));
	n->buf = strdup(text ? text : "");
	n->lines = malloc(cap * sizeof(*n->lines));
	if (!n->buf || !n->lines)
		return -1;
	for (p = n->buf; *p; p = nl + 1) {
		char *close;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		close = p[0] == '[' ? strstr(p, "] ") : NULL;
		if (close && known_phase(p + 1, (size_t)(close - p - 1))) {
			if (n->count == cap) {
				struct narrated *more = realloc(n->lines, 2 * cap * sizeof(*more));

				if (!more)
					return -1;
				n->lines = more;
				cap *= 2;
			}
			*close = '\0';
			n->lines[n->count].phase = p + 1;
			n->lines[n->count].text = close + 2;
			n->count++;
		}
		if (!nl)
			break;
	}
	return 0;
}

void narration_free(struct narration *n)
{
	free(n->buf);
	free(n->lines);
	memset(n, 0, sizeof(*n));
}

void narration_result(const char *text, char *out, size_t size)
{
	const char *eq = strstr(text, ") = ");
	size_t len;

	out[0] = '\0';
	if (!eq)
		return;
	eq += 4;
	len = strcspn(eq, " ");
	snprintf(out, size, "%.*s", (int)len, eq);
}

size_t narration_count(const struct narration *n, const char *phase, const char *prefix, int only_ok)
{
	size_t i, count = 0;
	char result[64];

	for (i = 0; i < n->count; i++) {
		if (phase && strcmp(n->lines[i].phase, phase))
			continue;
		if (strncmp(n->lines[i].text, prefix, strlen(prefix)))
			continue;
		narration_result(n->lines[i].text, result, sizeof(result));
		if (only_ok && (result[0] == '-' || result[0] == '\0'))
			continue;
		count++;
	}
	return count;
}

const char *narration_with_fields(const struct narration *n, const char *prefix,
				  const char *const *fields, const char **missing)
{
	size_t i, j, best = 0;

	*missing = fields[0];
	for (i = 0; i < n->count; i++) {
		const char *t = n->lines[i].text;

		if (strncmp(t, prefix, strlen(prefix)))
			continue;
		for (j = 0; fields[j] && strstr(t, fields[j]); j++)
			;
		if (!fields[j])
			return t;
		if (j >= best) {
			best = j;
			*missing = fields[j];
		}
	}
	return NULL;
}

int narration_phases_in_order(const struct narration *n, char *why, size_t size)
{
	static const char *const order[] = { "open", "load", "attach", "read", "detach" };
	size_t i, k, first[5];

	for (k = 0; k < 5; k++) {
		first[k] = (size_t)-1;
		for (i = 0; i < n->count; i++)
			if (strcmp(n->lines[i].phase, order[k]) == 0) {
				first[k] = i;
				break;
			}
		if (first[k] == (size_t)-1) {
			snprintf(why, size, "no line of phase %s", order[k]);
			return -1;
		}
		if (k && first[k] < first[k - 1]) {
			snprintf(why, size, "phase %s (line %zu) begins before %s (line %zu)", order[k],
				 first[k] + 1, order[k - 1], first[k - 1] + 1);
			return -1;
		}
	}
	return 0;
}

int narration_documented_fields(const struct narration *n, int expect_btf, char *why, size_t size)
{
	static const char *const map_create[] = { "type=", " name=", " key=", " value=", " entries=",
						  " flags=", " btf_fd=", NULL };
	static const char *const map_create_btf[] = { " btf_fd=", " key_type=", " value_type=", NULL };
	static const char *const prog_load[] = { "type=", " name=", " insns=", " license=\"GPL\"",
						 " log_level=", NULL };
	static const char *const prog_load_btf[] = { " btf_fd=", " func_info=", " line_info=", NULL };
	static const char *const btf_load[] = { "size=", " log_level=", NULL };
	static const char *const update[] = { "map_fd=", " flags=BPF_ANY", NULL };
	static const char *const link[] = { "prog_fd=", " target_fd=", " attach_type=perf_event", NULL };
	static const char *const raw_tp[] = { "name=\"sys_enter\"", " prog_fd=", NULL };
	static const char *const perf[] = { "type=tracepoint(2)", " config=", " pid=-1", " cpu=0",
					    " flags=CLOEXEC", NULL };
	static const char *const enable[] = { "PERF_EVENT_IOC_ENABLE", NULL };
	static const char *const mmap[] = { "MAP_SHARED", ") = 0x", NULL };
	static const char *const tp_id[] = { "/id) = \"", NULL };
	static const char *const map_fd[] = { "ld_imm64 r", "= map ", "(BPF_PSEUDO_MAP_FD ", NULL };
	static const char *const map_value[] = { "ld_imm64 r", "(BPF_PSEUDO_MAP_VALUE fd ", ", offset ", NULL };
	static const char *const call[] = { ": call ", "(BPF_PSEUDO_CALL, imm ", NULL };
	static const char *const placed[] = { ": subprogram ", " appended at insn ", NULL };
	static const char *const closed[] = { ") = 0  # ", NULL };
	static const struct {
		const char *prefix;
		const char *const *fields;
		int needs_btf;
	} want[] = {
		{ "bpf(BPF_MAP_CREATE, ", map_create, 0 },
		{ "bpf(BPF_MAP_CREATE, ", map_create_btf, 1 },
		{ "bpf(BPF_PROG_LOAD, ", prog_load, 0 },
		{ "bpf(BPF_PROG_LOAD, ", prog_load_btf, 1 },
		{ "bpf(BPF_BTF_LOAD, ", btf_load, 0 },
		{ "bpf(BPF_MAP_UPDATE_ELEM, ", update, 0 },
		{ "bpf(BPF_LINK_CREATE, ", link, 0 },
		{ "bpf(BPF_RAW_TRACEPOINT_OPEN, ", raw_tp, 0 },
		{ "perf_event_open(", perf, 0 },
		{ "ioctl(", enable, 0 },
		{ "mmap(NULL, ", mmap, 0 },
		{ "read(", tp_id, 0 },
		{ "insn ", map_fd, 0 },
		{ "insn ", map_value, 0 },
		{ "insn ", call, 0 },
		{ "on_", placed, 0 },
		{ "close(", closed, 0 },
	};
	const char *missing;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (want[i].needs_btf && !expect_btf)
			continue;
		if (!narration_with_fields(n, want[i].prefix, want[i].fields, &missing)) {
			snprintf(why, size, "no line \"%s...\" with \"%s\"", want[i].prefix, missing);
			return -1;
		}
	}
	return 0;
}
