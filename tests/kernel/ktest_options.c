// SPDX-License-Identifier: BSD-2-Clause
#include "ktest_options.h"

#include <getopt.h>
#include <stdio.h>

int ktest_parse_options(int argc, char **argv, struct ktest_options *o)
{
	static const struct option longopts[] = {
		{ "bindir", required_argument, NULL, 'b' },
		{ "objdir", required_argument, NULL, 'o' },
		{ "expect-kprobes", no_argument, NULL, 'k' },
		{ "guest", no_argument, NULL, 'g' },
		{ "lockdown", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->bindir = ".";
	o->objdir = "build/tests/kern";
	o->expect_kprobes = 0;
	o->in_guest = 0;
	o->lockdown = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'b')
			o->bindir = optarg;
		else if (c == 'o')
			o->objdir = optarg;
		else if (c == 'k')
			o->expect_kprobes = 1;
		else if (c == 'g')
			o->in_guest = 1;
		else if (c == 'l')
			o->lockdown = 1;
		else {
			fprintf(stderr, "usage: %s [--bindir DIR] [--objdir DIR] [--expect-kprobes] [--guest] [--lockdown]\n", argv[0]);
			return -1;
		}
	}
	return 0;
}
