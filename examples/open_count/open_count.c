// SPDX-License-Identifier: BSD-2-Clause
/* open_count PID SECONDS - how many files process PID opens. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "open_count.skel.h"

int main(int argc, char **argv)
{
	struct open_count_bpf *skel;
	struct bl_err err;

	if (argc != 3) {
		fprintf(stderr, "usage: open_count PID SECONDS\n");
		return 2;
	}
	/* 1. Open: parse the object the skeleton embeds. */
	skel = open_count_bpf__open(&err);
	if (!skel)
		goto fail;
	/* 2. Load: constants first, then maps and the verified program. */
	skel->rodata->target_tgid = (__u32)atoi(argv[1]);
	if (open_count_bpf__load(skel, &err))
		goto fail;
	/* 3. Attach, 4. read: .bss is the kernel's memory now. */
	if (open_count_bpf__attach(skel, &err))
		goto fail;
	fprintf(stderr, "Counting openat() of process %s...\n", argv[1]);
	sleep((unsigned)atoi(argv[2]));
	bl_map_data_pull(skel->maps.bss, &err);	/* only kernels < 5.5 copy */
	printf("%llu\n", (unsigned long long)skel->bss->opens);
	/* 5. Close: detach, unload, free. */
	open_count_bpf__destroy(skel);
	return 0;
fail:
	fprintf(stderr, "open_count: %s\n", err.msg);
	open_count_bpf__destroy(skel);
	return 1;
}
