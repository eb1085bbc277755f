// SPDX-License-Identifier: BSD-2-Clause
/*
 * load_ours - the loading benchmark's work done with our loader:
 * open an object, load it, then optionally pin or attach, and close.
 * bench/peer/libbpf_load.c does the same with libbpf, option for option.
 *
 *   load_ours [--pin DIR] [--pin-root DIR] [--attach] [--skip PREFIX]... FILE.bpf.o
 *
 *   --pin DIR      pin maps and programs under DIR (bpffs), as
 *                  `bpftool prog loadall FILE DIR` pins programs
 *   --pin-root DIR where maps with pinning LIBBPF_PIN_BY_NAME live
 *                  (default /sys/fs/bpf)
 *   --attach       attach every tracepoint and raw tracepoint program
 *                  (the kinds both loaders attach on every kernel here)
 *   --skip PREFIX  do not load programs whose section starts with PREFIX
 *                  (fentry/ where the kernel has no BPF trampolines)
 *
 * Exit 0 when everything asked for worked; the error on stderr otherwise.
 */
#include <stdio.h>
#include <string.h>

#include <bpfload/attach.h>
#include <bpfload/object.h>

#define MAX_SKIPS 8
#define MAX_PROGS 64

static int skipped(const struct bl_program *prog, const char **skips, int skip_cnt)
{
	int i;

	for (i = 0; i < skip_cnt; i++)
		if (!strncmp(bl_program_section(prog), skips[i], strlen(skips[i])))
			return 1;
	return 0;
}

static int attachable(const struct bl_program *prog)
{
	return bl_program_type(prog) == BPF_PROG_TYPE_TRACEPOINT ||
	       bl_program_type(prog) == BPF_PROG_TYPE_RAW_TRACEPOINT;
}

int main(int argc, char **argv)
{
	const char *pin_dir = NULL, *path = NULL, *skips[MAX_SKIPS];
	struct bl_attachment *atts[MAX_PROGS];
	int attach = 0, skip_cnt = 0, att_cnt = 0, ret = 1, i;
	struct bl_program *prog = NULL;
	struct bl_object *obj;
	struct bl_object_opts opts = { .pin_root = NULL };
	struct bl_err err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin_dir = argv[++i];
		else if (!strcmp(argv[i], "--pin-root") && i + 1 < argc)
			opts.pin_root = argv[++i];
		else if (!strcmp(argv[i], "--attach"))
			attach = 1;
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc && skip_cnt < MAX_SKIPS)
			skips[skip_cnt++] = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: load_ours [--pin DIR] [--pin-root DIR] [--attach] [--skip PREFIX]... FILE.bpf.o\n");
		return 2;
	}

	obj = bl_object_open_file(path, &opts, &err);
	if (!obj)
		goto fail;
	if (skip_cnt == 0) {
		if (bl_object_load(obj, &err))
			goto fail;
	} else {
		if (bl_object_create_maps(obj, &err))
			goto fail;
		while ((prog = bl_object_next_program(obj, prog)))
			if (!skipped(prog, skips, skip_cnt) && bl_object_load_program(obj, prog, &err))
				goto fail;
	}
	if (pin_dir && bl_object_pin(obj, pin_dir, &err))
		goto fail;
	while (attach && (prog = bl_object_next_program(obj, prog))) {
		if (!attachable(prog) || bl_program_fd(prog) < 0)
			continue;
		if (att_cnt == MAX_PROGS) {
			fprintf(stderr, "load_ours: more than %d programs to attach\n", MAX_PROGS);
			goto out;
		}
		atts[att_cnt] = bl_program_attach(prog, NULL, &err);
		if (!atts[att_cnt])
			goto fail;
		att_cnt++;
	}
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "load_ours: %s\n", err.msg);
out:
	for (i = 0; i < att_cnt; i++)
		bl_attachment_destroy(atts[i], NULL);
	bl_object_close(obj);
	return ret;
}
