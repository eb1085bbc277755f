// SPDX-License-Identifier: GPL-2.0
/*
 * iter_maps.bpf.c - an iterator over every BPF map, one line each
 * ("map ID NAME"), for bpfload: `bpfload iter_maps.bpf.o` prints the walk
 * and exits.  The iterator's context types are declared as vmlinux.h
 * declares them, with preserve_access_index, so that this object builds
 * for either architecture without a vmlinux.h.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));
struct bpf_map {
	char name[16];	/* BPF_OBJ_NAME_LEN */
	__u32 id;
} __attribute__((preserve_access_index));
struct bpf_iter__bpf_map {
	struct bpf_iter_meta *meta;
	struct bpf_map *map;
} __attribute__((preserve_access_index));

SEC("iter/bpf_map")
int dump_bpf_map(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map *map = ctx->map;

	if (!map)	/* the walk's end */
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "map %u %s\n", map->id, map->name);
	return 0;
}
