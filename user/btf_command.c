// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_command.c - "bpfload btf dump": a BTF source written out as C (a
 * vmlinux.h) or as a list of types.
 *
 *   bpfload btf dump > vmlinux.h            the running kernel's types
 *   bpfload btf dump /sys/kernel/btf/MODULE a module's, on vmlinux's
 *   bpfload btf dump prog.bpf.o --format raw
 *
 * No root needed: /sys/kernel/btf is readable by everyone.
 */
#include "btf_command.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_dump.h"
#include "btf/btf_file.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define KERNEL_BTF_DIR "/sys/kernel/btf/"

struct dump_options {
	const char *path;
	const char *base;
	int raw;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: bpfload btf dump [FILE] [--format c|raw] [--base BASE]\n"
		"Write the types of a BTF source as C declarations (a vmlinux.h) or as a list.\n"
		"\n"
		"  FILE          raw BTF, as in /sys/kernel/btf (default: " VMLINUX_BTF "),\n"
		"                or an ELF file with a .BTF section: a BPF object built with\n"
		"                clang -g, a vmlinux image, a kernel module (.ko, with --base)\n"
		"  --format c    C declarations, each type declared before it is needed,\n"
		"                as bpftool's 'btf dump file FILE format c' (the default)\n"
		"  --format raw  one line per type, as bpftool's 'btf dump file FILE'\n"
		"  --base BASE   the BTF that FILE continues: a module's is split BTF on top\n"
		"                of its kernel's vmlinux BTF (for " KERNEL_BTF_DIR "MODULE\n"
		"                that is " VMLINUX_BTF ", used without asking)\n"
		"  -h, --help    show this help\n"
		"\n"
		"Example: bpfload btf dump > vmlinux.h\n");
}

static int parse_dump_options(int argc, char **argv, struct dump_options *o)
{
	enum { OPT_FORMAT = 256, OPT_BASE };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "base", required_argument, NULL, OPT_BASE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "c") != 0 && strcmp(optarg, "raw") != 0) {
				fprintf(stderr, "bpfload: unknown format '%s': expected c or raw; see bpfload btf dump --help\n",
					optarg);
				return -1;
			}
			o->raw = strcmp(optarg, "raw") == 0;
			break;
		case OPT_BASE:
			o->base = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "bpfload: btf dump takes one file; see bpfload btf dump --help\n");
		return -1;
	}
	o->path = optind < argc ? argv[optind] : VMLINUX_BTF;
	return 0;
}

/* /sys/kernel/btf/NAME other than vmlinux is a module's split BTF. */
static const char *implied_base(const char *path)
{
	size_t n = strlen(KERNEL_BTF_DIR);

	if (strncmp(path, KERNEL_BTF_DIR, n) == 0 && strcmp(path + n, "vmlinux") != 0)
		return VMLINUX_BTF;
	return NULL;
}

static void append_hint(struct bl_err *err, const char *hint)
{
	size_t len = strlen(err->msg);

	snprintf(err->msg + len, sizeof(err->msg) - len, "%s", hint);
}

static int dump(const struct dump_options *o, struct bl_err *err)
{
	const char *base_path = o->base ? o->base : implied_base(o->path);
	struct bl_btf *base = NULL, *btf;
	int ret;

	if (base_path) {
		base = bl_btf_parse_any_file(base_path, NULL, err);
		if (!base) {
			bl_err_context(err, "base BTF");
			return -1;
		}
	}
	btf = bl_btf_parse_any_file(o->path, base, err);
	if (!btf) {
		/* a module's BTF read alone: strings or type ids out of range */
		if (!base && (strstr(err->msg, "split BTF") || strstr(err->msg, "but the last type is")))
			append_hint(err, "; a module's BTF needs its kernel's as --base FILE");
		bl_btf_free(base);
		return -1;
	}
	ret = o->raw ? bl_btf_dump_raw(btf, stdout, err) : bl_btf_dump_c(btf, stdout, err);
	bl_btf_free(btf);
	bl_btf_free(base);
	return ret;
}

int btf_command(int argc, char **argv)
{
	struct bl_err err = { 0, "" };
	struct dump_options o;

	if (argc < 2 || strcmp(argv[1], "dump") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "bpfload: expected 'bpfload btf dump [FILE]'; see bpfload btf dump --help\n");
		return 2;
	}
	if (parse_dump_options(argc - 1, argv + 1, &o))
		return 2;
	if (dump(&o, &err)) {
		fprintf(stderr, "bpfload: %s\n", err.msg[0] ? err.msg : "btf dump failed");
		return 1;
	}
	return 0;
}
