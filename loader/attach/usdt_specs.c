// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt_specs.c - finding libbpf's USDT maps from a program, and sharing
 * out the slots of __bpf_usdt_specs.
 *
 * Syscalls: bpf(BPF_OBJ_GET_INFO_BY_FD) for the program and each of its
 * maps, bpf(BPF_MAP_GET_FD_BY_ID), bpf(BPF_MAP_LOOKUP_ELEM,
 * BPF_MAP_UPDATE_ELEM).
 */
#include "attach/usdt_specs.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/usdt_args.h"
#include "sys/bpf_syscall.h"

#define SPECS_NAME "__bpf_usdt_spec"	/* "__bpf_usdt_specs", cut to 15 */
#define IP_MAP_NAME "__bpf_usdt_ip_t"	/* "__bpf_usdt_ip_to_spec_id" */
#define MAX_PROG_MAPS 64
/* "BLus" in the last four bytes of a filled slot (tail padding) */
#define SLOT_MARK 0x73754c42u

static int check_specs_map(const struct bpf_map_info *info, struct bl_err *err)
{
	if (info->type != BPF_MAP_TYPE_ARRAY || info->key_size != 4 ||
	    (info->value_size != BL_USDT_SPEC_SIZE_V1 && info->value_size != BL_USDT_SPEC_SIZE_V2))
		return bl_fail(err, EINVAL, "map __bpf_usdt_specs is not usdt.bpf.h's (type %u, key %u, value %u bytes; expected an array of %d- or %d-byte struct __bpf_usdt_spec)",
			       info->type, info->key_size, info->value_size,
			       BL_USDT_SPEC_SIZE_V1, BL_USDT_SPEC_SIZE_V2);
	return 0;
}

static int check_ip_map(const struct bpf_map_info *info, struct bl_err *err)
{
	if (info->type != BPF_MAP_TYPE_HASH || info->key_size != 8 || info->value_size != 4)
		return bl_fail(err, EINVAL, "map __bpf_usdt_ip_to_spec_id is not usdt.bpf.h's (type %u, key %u, value %u bytes; expected a hash from long to u32)",
			       info->type, info->key_size, info->value_size);
	return 0;
}

/* Keep map id's fd when it is one of the two; close it otherwise. */
static int consider_map(uint32_t id, struct bl_usdt_maps *maps, struct bl_err *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = bl_map_get_fd_by_id(id), ret;

	if (fd < 0)
		return bl_fail(err, -fd, "cannot open map %u of the program: %s", id, bl_errno_name(-fd));
	memset(&info, 0, sizeof(info));
	ret = bl_obj_get_info(fd, &info, &len);
	if (ret < 0) {
		close(fd);
		return bl_fail(err, -ret, "cannot read map %u's info: %s", id, bl_errno_name(-ret));
	}
	if (strcmp(info.name, SPECS_NAME) == 0 && maps->specs_fd < 0) {
		ret = check_specs_map(&info, err);
		maps->specs_fd = fd;
		maps->spec_size = info.value_size;
		maps->spec_slots = info.max_entries;
	} else if (strcmp(info.name, IP_MAP_NAME) == 0 && maps->ip_fd < 0) {
		ret = check_ip_map(&info, err);
		maps->ip_fd = fd;
	} else {
		close(fd);
	}
	return ret;
}

int bl_usdt_maps_of_program(int prog_fd, struct bl_usdt_maps *maps, struct bl_err *err)
{
	struct bpf_prog_info info;
	uint32_t ids[MAX_PROG_MAPS], len = sizeof(info), i, n;
	int ret;

	maps->specs_fd = maps->ip_fd = -1;
	maps->spec_size = maps->spec_slots = 0;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	ret = bl_obj_get_info(prog_fd, &info, &len);
	if (ret < 0)
		return bl_fail(err, -ret, "cannot read the program's info (BPF_OBJ_GET_INFO_BY_FD): %s",
			       bl_errno_name(-ret));
	n = info.nr_map_ids < MAX_PROG_MAPS ? info.nr_map_ids : MAX_PROG_MAPS;
	for (i = 0; i < n; i++) {
		ret = consider_map(ids[i], maps, err);
		if (ret) {
			bl_usdt_maps_close(maps);
			return ret;
		}
	}
	return 0;
}

void bl_usdt_maps_close(struct bl_usdt_maps *maps)
{
	if (maps->specs_fd >= 0)
		close(maps->specs_fd);
	if (maps->ip_fd >= 0)
		close(maps->ip_fd);
	maps->specs_fd = maps->ip_fd = -1;
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int bl_usdt_spec_add(const struct bl_usdt_maps *maps, const unsigned char *value, uint32_t *id,
		     struct bl_err *err)
{
	unsigned char *slot = malloc(2 * (size_t)maps->spec_size), *marked = slot + maps->spec_size;
	uint32_t mark = SLOT_MARK, i;
	int ret = 0;

	if (!slot)
		return bl_fail(err, ENOMEM, "out of memory");
	memcpy(marked, value, maps->spec_size);
	memcpy(marked + maps->spec_size - sizeof(mark), &mark, sizeof(mark));
	for (i = 0; i < maps->spec_slots; i++) {
		ret = bl_map_lookup(maps->specs_fd, &i, slot);
		if (ret < 0)
			break;
		if (all_zero(slot, maps->spec_size))
			break;
	}
	if (ret == 0 && i < maps->spec_slots)
		ret = bl_map_update(maps->specs_fd, &i, marked, BPF_ANY);
	free(slot);
	if (ret == 0 && i == maps->spec_slots)
		return bl_fail(err, ENOSPC, "all %u slot%s of __bpf_usdt_specs are taken; define BPF_USDT_MAX_SPEC_CNT larger before including <bpf/usdt.bpf.h>",
			       maps->spec_slots, maps->spec_slots == 1 ? "" : "s");
	if (ret < 0)
		return bl_fail(err, -ret, "filling slot %u of __bpf_usdt_specs failed: %s", i,
			       bl_errno_name(-ret));
	*id = i;
	return 0;
}

int bl_usdt_spec_remove(const struct bl_usdt_maps *maps, uint32_t id)
{
	unsigned char *zero = calloc(1, maps->spec_size);
	int ret;

	if (!zero)
		return -ENOMEM;
	ret = bl_map_update(maps->specs_fd, &id, zero, BPF_ANY);
	free(zero);
	return ret;
}
