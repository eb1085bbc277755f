// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernel_state.c - looking for programs and kprobe events left behind.
 */
#include "kernel_state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/bpf_syscall.h"
#include "sys/tracefs.h"

/* Whether a program with this id still exists; the kernel frees programs
 * after an RCU grace period, so give it a moment. */
int program_gone(uint32_t id)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		int fd = bl_prog_get_fd_by_id(id);

		if (fd == -ENOENT)
			return 1;
		if (fd >= 0)
			close(fd);
		usleep(20000);
	}
	return 0;
}

uint32_t highest_prog_id(void)
{
	uint32_t id = 0;

	while (bl_prog_get_next_id(id, &id) == 0)
		;
	return id;
}

static int count_programs_after(uint32_t after, char *found, size_t size)
{
	uint32_t id = after;
	int n = 0;

	found[0] = '\0';
	while (bl_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bl_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bl_obj_get_info(fd, &info, &len) == 0 && n++ == 0)
			snprintf(found, size, "id %u (%s)", id, info.name);
		close(fd);
	}
	return n;
}

int programs_left_after(uint32_t after, char *found, size_t size)
{
	int tries, n = 0;

	for (tries = 0; tries < 50; tries++) {
		n = count_programs_after(after, found, size);
		if (n == 0)
			return 0;
		usleep(20000);
	}
	return n;
}

/* Lines of kprobe_events that one of our loaders created ("bl_" events). */
int leftover_kprobe_events(char *found, size_t size)
{
	char buf[16384];
	const char *p;
	int n = 0;

	found[0] = '\0';
	if (bl_tracefs_read("kprobe_events", buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; (p = strstr(p, ":kprobes/bl_")); p++, n++)
		snprintf(found, size, "%.60s", p);
	return n;
}
