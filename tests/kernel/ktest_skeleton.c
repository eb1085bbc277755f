// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_skeleton.c - generated skeletons against the kernel.
 *
 * build/gen/skel_globals.skel.h and skel_empty.skel.h are written at
 * build time by `bpfload gen skeleton` from tests/kern/skel_globals.bpf.c
 * (every kind of global variable) and skel_empty.bpf.c (none at all).
 * The cases: the typed structs show the object's initial values before
 * load; .rodata written through skel->rodata before load reaches the
 * program, and what the program writes is in skel->bss after load with
 * no syscall (the maps are mmap'd); .data written after load reaches the
 * program; .rodata is mapped read-only; where the kernel cannot map
 * global data (forced here by creating the maps without BPF_F_MMAPABLE,
 * as kernels before 5.5 must), the loader's copy plus pull/push gives
 * the same results; an object without globals; attach all or none;
 * destroy detaches and frees everything; a skeleton made from another
 * object is refused at open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpfload/maps.h>

#include "../testlib.h"
#include "kernel_state.h"
#include "ktest_options.h"
#include "object/object.h"
#include "skel_empty.skel.h"
#include "skel_globals.skel.h"
#include "sys/bpf_syscall.h"

static void call_getppid(int times)
{
	while (times-- > 0)
		syscall(SYS_getppid);	/* glibc does not cache getppid */
}

static uint32_t prog_id(const struct bl_program *prog)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bl_obj_get_info(bl_program_fd(prog), &info, &len) == 0 ? info.id : 0;
}

/* The permissions /proc/self/maps gives the mapping holding addr
 * ("r--s"), or "" when none does. */
static void mapping_perms(const void *addr, char perms[8])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long start, end;
	char line[512];

	perms[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 &&
		    (unsigned long)addr >= start && (unsigned long)addr < end)
			break;
		else
			perms[0] = '\0';
	if (f)
		fclose(f);
}

/* Whether the kernel's value of a global-data map equals what the
 * skeleton's pointer shows. */
static int kernel_agrees(struct bl_map *map)
{
	unsigned char value[4096];
	uint32_t zero = 0;
	size_t size;
	void *mine = bl_map_data(map, &size);

	if (size > sizeof(value) || bl_map_lookup(bl_map_fd(map), &zero, value))
		return 0;
	return memcmp(mine, value, size) == 0;
}

static void test_before_load(void)
{
	const char *name = "skeleton/typed-initial-values-before-load";
	struct bl_err err;
	struct skel_globals *skel = skel_globals__open(&err);

	T_EXPECT(name, skel, "open: %s", err.msg);
	if (!skel->rodata || !skel->data || !skel->bss || !skel->data_custom || !skel->rodata_custom ||
	    !skel->maps.bss || !skel->progs.on_getppid)
		t_fail(name, "a section, map or program pointer is NULL after open");
	else if (bl_map_data_mapped(skel->maps.bss) || bl_map_data_mapped(skel->maps.rodata))
		t_fail(name, "global data is mapped before load");
	else if (skel->rodata->factor != 1 || strcmp((const char *)skel->rodata->greeting, "hi") ||
		 skel->rodata->origin.x != 1 || skel->rodata->origin.y != 2 ||
		 skel->rodata->anon_cfg.a != 3 || skel->rodata->anon_cfg.b != 4 ||
		 skel->rodata->mode != MODE_OFF || skel->rodata_custom->ro_custom != 13)
		t_fail(name, ".rodata: factor %" PRId64 " greeting \"%.8s\" origin {%d,%d} anon_cfg {%u,%" PRIu64 "} ro_custom %u",
		       (int64_t)skel->rodata->factor, (const char *)skel->rodata->greeting,
		       skel->rodata->origin.x, skel->rodata->origin.y, skel->rodata->anon_cfg.a,
		       (uint64_t)skel->rodata->anon_cfg.b, skel->rodata_custom->ro_custom);
	else if (skel->data->data_counter != 5 || skel->data->typed != 9 ||
		 strcmp(skel->data->sample.tag, "abc") || skel->data->sample.value != 1 ||
		 skel->data->sample.flag != 1 || skel->data->sample.level != 5 ||
		 skel->data->sample.how != MODE_ADD || skel->data_custom->custom_a != 11 ||
		 skel->data_custom->custom_b != 12)
		t_fail(name, ".data: data_counter %" PRIu64 " typed %u sample {tag \"%s\" value %" PRIu64 " flag %u level %u how %d} custom %" PRIu64 "/%u",
		       (uint64_t)skel->data->data_counter, skel->data->typed, skel->data->sample.tag,
		       (uint64_t)skel->data->sample.value, skel->data->sample.flag,
		       skel->data->sample.level, skel->data->sample.how,
		       (uint64_t)skel->data_custom->custom_a, skel->data_custom->custom_b);
	else if (skel->bss->total || skel->bss->small || skel->bss->hits[3])
		t_fail(name, ".bss is not zero before load");
	else
		t_pass(name);
	skel_globals__destroy(skel);
}

/* Before load: the constants, and a .data value the program copies. */
static void set_before_load(struct skel_globals *skel)
{
	skel->rodata->target_tgid = (uint32_t)getpid();
	skel->rodata->slot = 2;
	skel->rodata->factor = -3;
	skel->rodata->mode = MODE_SCALE;
	memcpy((char *)skel->rodata->greeting, "hey", 4);
	skel->rodata->origin.x = 7;
	skel->rodata->origin.y = -8;
	skel->rodata->anon_cfg.b = 10;
	skel->rodata_custom->ro_custom = 100;
	skel->data->data_counter = 55;
}

/* What the program wrote after `calls` getppid() calls with the values
 * of set_before_load(), or NULL when all is as expected. */
static const char *check_bss(const struct skel_globals__bss *bss, uint64_t calls,
			     uint64_t data_counter, char *why, size_t size)
{
	if (bss->total != calls || bss->hits[2] != calls || bss->hits[0] || bss->hits[1] ||
	    bss->hits[3] || bss->last.x != 7 || bss->last.y != -8 || bss->scaled != -30 ||
	    bss->seen_mode != MODE_SCALE || strcmp(bss->seen_greeting, "hey") ||
	    bss->seen_data_counter != data_counter || bss->seen_custom != 111 ||
	    bss->small != (uint8_t)calls) {
		snprintf(why, size, "after %" PRIu64 " calls: total %" PRIu64 " hits {%u,%u,%u,%u} last {%d,%d} scaled %" PRId64 " mode %d greeting \"%.8s\" data_counter %" PRIu64 " custom %" PRIu64 " small %u",
			 calls, (uint64_t)bss->total, bss->hits[0], bss->hits[1], bss->hits[2],
			 bss->hits[3], bss->last.x, bss->last.y, (int64_t)bss->scaled, bss->seen_mode,
			 bss->seen_greeting, (uint64_t)bss->seen_data_counter,
			 (uint64_t)bss->seen_custom, bss->small);
		return why;
	}
	return NULL;
}

static void test_mapped(void)
{
	const char *name = "skeleton/rodata-before-load-bss-after";
	struct skel_globals *skel;
	struct bl_err err;
	char why[512], perms[8];
	const char *bad;
	uint64_t total = 0;

	skel = skel_globals__open(&err);
	T_EXPECT(name, skel, "open: %s", err.msg);
	set_before_load(skel);
	if (skel_globals__load(skel, &err) || skel_globals__attach(skel, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	if (!bl_map_data_mapped(skel->maps.bss) || !bl_map_data_mapped(skel->maps.rodata) ||
	    !bl_map_data_mapped(skel->maps.data_custom) || !bl_map_data_mapped(skel->maps.rodata_custom)) {
		t_fail(name, "global data is not mapped after load: %s", bl_object_notes(skel->obj));
		goto out;
	}
	call_getppid(5);
	/* read straight from the mapping: no syscall, no pull */
	if ((bad = check_bss(skel->bss, 5, 55, why, sizeof(why))))
		t_fail(name, "%s", bad);
	else if (skel->data->sample.value != 6)
		t_fail(name, ".data sample.value is %" PRIu64 ", not 6", (uint64_t)skel->data->sample.value);
	else if (!kernel_agrees(skel->maps.bss) || !kernel_agrees(skel->maps.data))
		t_fail(name, "BPF_MAP_LOOKUP_ELEM and the mapping differ");
	else if (bl_object_var_read(skel->obj, "total", &total, sizeof(total), &err) || total != 5)
		t_fail(name, "bl_object_var_read(total) gives %" PRIu64 ": %s", total, err.msg);
	else
		t_pass(name);

	name = "skeleton/data-written-after-load";
	skel->data->data_counter = 1234;
	skel->data_custom->custom_a = 1000;
	skel->bss->total = 1000;
	call_getppid(1);
	if (skel->bss->seen_data_counter != 1234 || skel->bss->seen_custom != 1100 ||
	    skel->bss->total != 1001)
		t_fail(name, "the program saw data_counter %" PRIu64 ", custom %" PRIu64 ", total %" PRIu64 " (want 1234, 1100, 1001)",
		       (uint64_t)skel->bss->seen_data_counter, (uint64_t)skel->bss->seen_custom,
		       (uint64_t)skel->bss->total);
	else
		t_pass(name);

	name = "skeleton/rodata-mapped-read-only";
	mapping_perms(skel->rodata, perms);
	if (strcmp(perms, "r--s") != 0)
		t_fail(name, ".rodata is mapped \"%s\", not r--s", perms);
	else if (mapping_perms(skel->bss, perms), strcmp(perms, "rw-s") != 0)
		t_fail(name, ".bss is mapped \"%s\", not rw-s", perms);
	else if (skel->rodata->slot != 2 || skel->rodata_custom->ro_custom != 100 ||
		 !kernel_agrees(skel->maps.rodata))
		t_fail(name, ".rodata after load does not hold what was written before");
	else
		t_pass(name);
out:
	skel_globals__destroy(skel);
}

/* As a kernel before 5.5: the maps without BPF_F_MMAPABLE. */
static void test_unmapped(void)
{
	const char *name = "skeleton/unmapped-fallback-pull-push";
	struct skel_globals *skel;
	struct bl_map *map = NULL;
	struct bl_err err = { 0, "" };
	char why[512];
	const char *bad = NULL;

	skel = skel_globals__open(&err);
	T_EXPECT(name, skel, "open: %s", err.msg);
	while ((map = bl_object_next_map(skel->obj, map)))
		map->spec.flags &= ~(uint32_t)BPF_F_MMAPABLE;
	set_before_load(skel);
	if (skel_globals__load(skel, &err) || skel_globals__attach(skel, &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	if (bl_map_data_mapped(skel->maps.bss) || !strstr(bl_object_notes(skel->obj), "did not map")) {
		t_fail(name, "mapped anyway, or no note: \"%s\"", bl_object_notes(skel->obj));
		goto out;
	}
	call_getppid(3);
	if (skel->bss->total != 0) {
		t_fail(name, "the loader's copy changed without a pull");
		goto out;
	}
	if (bl_map_data_pull(skel->maps.bss, &err) ||
	    (bad = check_bss(skel->bss, 3, 55, why, sizeof(why)))) {
		t_fail(name, "after pull: %s", err.code ? err.msg : bad);
		goto out;
	}
	skel->data->data_counter = 77;
	if (bl_map_data_push(skel->maps.data, &err)) {
		t_fail(name, "push of .data: %s", err.msg);
		goto out;
	}
	call_getppid(1);
	if (bl_map_data_pull(skel->maps.bss, &err) || skel->bss->seen_data_counter != 77)
		t_fail(name, "after push: the program saw data_counter %" PRIu64 ", not 77",
		       (uint64_t)skel->bss->seen_data_counter);
	else if (bl_map_data_push(skel->maps.rodata, &err) != -EPERM)
		t_fail(name, "push of the frozen .rodata was not refused with EPERM");
	else
		t_pass(name);
out:
	skel_globals__destroy(skel);
}

static uint64_t calls_counted(const struct skel_empty *skel)
{
	uint32_t zero = 0;
	uint64_t value = 0;

	bl_map_lookup(bl_map_fd(skel->maps.calls), &zero, &value);
	return value;
}

static void test_no_globals(void)
{
	const char *name = "skeleton/no-globals-attach-all-or-none";
	struct skel_empty *skel;
	struct bl_err err;
	uint64_t before;
	uint32_t id;

	skel = skel_empty__open_and_load(&err);
	T_EXPECT(name, skel, "open and load: %s", err.msg);
	/* never_attached names a tracepoint no kernel has */
	if (skel_empty__attach(skel, &err) == 0 || !strstr(err.msg, "no_such_event")) {
		t_fail(name, "attach did not fail on the missing tracepoint: %s", err.msg);
		goto out;
	}
	before = calls_counted(skel);
	call_getppid(10);
	if (skel->attachments.count_getppid || skel->attachments.drop_all ||
	    calls_counted(skel) != before) {
		t_fail(name, "a failed attach left count_getppid attached");
		goto out;
	}
	/* by hand, as a tool attaches what attach-all cannot */
	skel->attachments.count_getppid = bl_program_attach(skel->progs.count_getppid, NULL, &err);
	if (!skel->attachments.count_getppid) {
		t_fail(name, "attaching count_getppid: %s", err.msg);
		goto out;
	}
	call_getppid(10);
	if (calls_counted(skel) < before + 10) {
		t_fail(name, "%" PRIu64 " calls counted after 10 getppid()", calls_counted(skel) - before);
		goto out;
	}
	t_pass(name);

	name = "skeleton/destroy-detaches-and-frees";
	id = prog_id(skel->progs.count_getppid);
	skel_empty__destroy(skel);
	skel = NULL;
	skel_empty__destroy(NULL);
	if (!id || !program_gone(id))
		t_fail(name, "program %u is still loaded after destroy", id);
	else
		t_pass(name);
out:
	skel_empty__destroy(skel);
}

/* A table that does not fit the object: a regenerated skeleton is due. */
static void test_wrong_object(void)
{
	const char *name = "skeleton/refuses-another-objects-table";
	struct bl_map *map = NULL;
	struct bl_skel_map missing = { .name = "no_such_map", .map = &map };
	struct bl_skel_map too_big = { .name = ".bss", .map = &map, .data_size = 4096 };
	struct bl_skel_spec spec = { .object_name = "skel_globals.bpf.o", .map_cnt = 1 };
	struct bl_skeleton *s;
	struct bl_err err;

	spec.data = skel_globals__elf_bytes(&spec.size);
	spec.maps = &missing;
	s = bl_skeleton_open(&spec, NULL, &err);
	if (s || err.code != ENOENT || !strstr(err.msg, "no_such_map")) {
		t_fail(name, "a missing map was not refused: %s", s ? "opened" : err.msg);
		bl_skeleton_destroy(s);
		return;
	}
	spec.maps = &too_big;
	s = bl_skeleton_open(&spec, NULL, &err);
	if (s || err.code != EINVAL)
		t_fail(name, "a section smaller than its struct was not refused: %s", s ? "opened" : err.msg);
	else
		t_pass(name);
	bl_skeleton_destroy(s);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	test_wrong_object();
	if (geteuid() != 0) {
		printf("SKIP skeleton/kernel: not root; run as root (sudo make test-host)\n");
		return t_exit_code();
	}
	test_before_load();
	test_mapped();
	test_unmapped();
	test_no_globals();
	return t_exit_code();
}
