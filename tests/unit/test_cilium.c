// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_cilium.c - cilium/ebpf's loader test objects (Debian package
 * golang-github-cilium-ebpf-dev): the valid ones open, the invalid ones
 * and those using cilium-only conventions are refused with an error that
 * says why, big-endian builds are refused as such, and nothing crashes
 * (this test runs under AddressSanitizer).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testlib.h"
#include "object/object.h"

#define CILIUM "/usr/share/gocode/src/github.com/cilium/ebpf"

struct expectation {
	const char *file;
	const char *refusal;	/* NULL: must open */
};

static const struct expectation expected[] = {
	{ "btf_map_init-el.elf", NULL },
	{ "raw_tracepoint-el.elf", NULL },
	{ "strings-el.elf", NULL },
	{ "subprog_reloc-el.elf", NULL },
	{ "map_spin_lock-el.elf", NULL },
	{ "relocs_read-el.elf", NULL },
	{ "relocs_read_tgt-el.elf", NULL },
	/* deliberately invalid */
	{ "invalid_map-el.elf", "fields after map_flags" },
	{ "invalid_map_static-el.elf", "is static" },
	{ "invalid_btf_map_init-el.elf", "non-zero initial value" },
	/* cilium's own conventions, which libbpf refuses too */
	{ "freplace-el.elf", "unknown program type" },
	{ "loader-el.elf", "unknown program type" },
	{ "loader-clang-7-el.elf", "unknown program type" },
	{ "loader-clang-9-el.elf", "unknown program type" },
	{ "loader-clang-14-el.elf", "unknown program type" },
	{ "relocs-el.elf", "unknown program type" },
	{ "fwd_decl-el.elf", "extern" },
	{ "iproute2_map_compat-el.elf", "fields after map_flags" },
};

static const struct expectation *expectation_for(const char *file)
{
	size_t i;

	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (strcmp(expected[i].file, file) == 0)
			return &expected[i];
	return NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void check_file(const char *dir, const char *file)
{
	const struct expectation *want = expectation_for(file);
	char path[512], name[256];
	struct bl_err err = { 0, "" };
	struct bl_object *obj;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(name, sizeof(name), "cilium/%s", file);
	obj = bl_object_open_file(path, NULL, &err);
	if (ends_with(file, "-eb.elf")) {
		if (obj || !strstr(err.msg, "big-endian"))
			t_fail(name, "a big-endian object was not refused as such: %s", err.msg);
		else
			t_pass(name);
	} else if (!want) {
		/* new in a later package: opening or a clean refusal are both fine */
		if (obj || err.msg[0])
			t_pass(name);
		else
			t_fail(name, "refused without a message");
	} else if (!want->refusal) {
		if (obj)
			t_pass(name);
		else
			t_fail(name, "a valid object was refused: %s", err.msg);
	} else if (obj) {
		t_fail(name, "opened, but should be refused (%s)", want->refusal);
	} else if (!strstr(err.msg, want->refusal)) {
		t_fail(name, "refused, but the message does not say \"%s\": %s", want->refusal, err.msg);
	} else {
		t_pass(name);
	}
	bl_object_close(obj);
}

static void check_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (ends_with(e->d_name, ".elf"))
			check_file(dir, e->d_name);
	if (d)
		closedir(d);
}

/* btf_map_init: the declared .values of a prog array and a map of maps. */
static void check_map_init(void)
{
	const char *name = "cilium/btf_map_init-el.elf/declared-values";
	struct bl_err err;
	struct bl_object *obj = bl_object_open_file(CILIUM "/testdata/btf_map_init-el.elf", NULL, &err);
	struct bl_map *progs, *outer;

	T_EXPECT(name, obj, "%s", err.msg);
	progs = bl_object_map(obj, "prog_array_init");
	outer = bl_object_map(obj, "outer_map_init");
	if (!progs || !outer || progs->init_cnt != 1 || progs->inits[0].slot != 1 ||
	    !progs->inits[0].is_program || strcmp(obj->progs[progs->inits[0].target].name, "tail_1") ||
	    outer->init_cnt != 1 || outer->inits[0].slot != 1 || outer->inits[0].is_program ||
	    strcmp(obj->maps[outer->inits[0].target].name, "inner_map") || !outer->has_inner ||
	    outer->inner_spec.type != BPF_MAP_TYPE_ARRAY)
		t_fail(name, "slot 1 of prog_array_init should be tail_1 and of outer_map_init inner_map");
	else
		t_pass(name);
	bl_object_close(obj);
}

int main(void)
{
	if (access(CILIUM "/testdata", R_OK) != 0) {
		printf("SKIP cilium: %s not found; apt-get install golang-github-cilium-ebpf-dev\n", CILIUM);
		return 0;
	}
	check_dir(CILIUM "/testdata");
	check_dir(CILIUM "/btf/testdata");
	check_map_init();
	return t_exit_code();
}
