// SPDX-License-Identifier: BSD-2-Clause
/*
 * libbpf_load - the peer of bench/load_ours.c: the same work with
 * libbpf (built for the benchmarks only; the product never links it).
 *
 *   libbpf_load [--pin DIR] [--pin-root DIR] [--attach] [--skip PREFIX]... FILE.bpf.o
 *
 * Options as load_ours's.  libbpf's messages are silenced, as our loader
 * prints nothing: only an error reaches stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#define MAX_SKIPS 8
#define MAX_PROGS 64

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int skipped(const struct bpf_program *prog, const char **skips, int skip_cnt)
{
	int i;

	for (i = 0; i < skip_cnt; i++)
		if (!strncmp(bpf_program__section_name(prog), skips[i], strlen(skips[i])))
			return 1;
	return 0;
}

static int attachable(const struct bpf_program *prog)
{
	return bpf_program__type(prog) == BPF_PROG_TYPE_TRACEPOINT ||
	       bpf_program__type(prog) == BPF_PROG_TYPE_RAW_TRACEPOINT;
}

/* bpf_object__pin(), without what it refuses: programs not loaded, and
 * maps pinned by name already (at another path).  Maps and programs at
 * dir/NAME, dots made '_' (bpffs refuses them), as libbpf does. */
static void pin_at(const char *dir, const char *name, char *path, size_t size)
{
	char *c;

	snprintf(path, size, "%s/%s", dir, name);
	for (c = path + strlen(dir); *c; c++)
		if (*c == '.')
			*c = '_';
}

static int pin(struct bpf_object *obj, const char *dir)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char path[4096];
	int err = 0;

	bpf_object__for_each_map(map, obj) {
		if (err || bpf_map__is_pinned(map))
			continue;
		pin_at(dir, bpf_map__name(map), path, sizeof(path));
		err = bpf_map__pin(map, path);
	}
	bpf_object__for_each_program(prog, obj) {
		if (err || !bpf_program__autoload(prog))
			continue;
		pin_at(dir, bpf_program__name(prog), path, sizeof(path));
		err = bpf_program__pin(prog, path);
	}
	return err;
}

int main(int argc, char **argv)
{
	const char *pin_dir = NULL, *path = NULL, *skips[MAX_SKIPS];
	struct bpf_link *links[MAX_PROGS];
	int attach = 0, skip_cnt = 0, link_cnt = 0, ret = 1, err, i;
	struct bpf_program *prog;
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin_dir = argv[++i];
		else if (!strcmp(argv[i], "--pin-root") && i + 1 < argc)
			opts.pin_root_path = argv[++i];
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
		fprintf(stderr, "usage: libbpf_load [--pin DIR] [--pin-root DIR] [--attach] [--skip PREFIX]... FILE.bpf.o\n");
		return 2;
	}
	libbpf_set_print(quiet);

	obj = bpf_object__open_file(path, &opts);
	if (!obj) {
		fprintf(stderr, "libbpf_load: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
		if (skipped(prog, skips, skip_cnt))
			bpf_program__set_autoload(prog, false);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "libbpf_load: loading %s failed: %s\n", path, strerror(-err));
		goto out;
	}
	if (pin_dir && (err = pin(obj, pin_dir))) {
		fprintf(stderr, "libbpf_load: pinning at %s failed: %s\n", pin_dir, strerror(-err));
		goto out;
	}
	if (attach) {
		bpf_object__for_each_program(prog, obj) {
			if (!attachable(prog) || !bpf_program__autoload(prog))
				continue;
			if (link_cnt == MAX_PROGS) {
				fprintf(stderr, "libbpf_load: more than %d programs to attach\n", MAX_PROGS);
				goto out;
			}
			links[link_cnt] = bpf_program__attach(prog);
			if (!links[link_cnt]) {
				fprintf(stderr, "libbpf_load: attaching %s failed: %s\n",
					bpf_program__name(prog), strerror(errno));
				goto out;
			}
			link_cnt++;
		}
	}
	ret = 0;
out:
	for (i = 0; i < link_cnt; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return ret;
}
