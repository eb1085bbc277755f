# SPDX-License-Identifier: BSD-2-Clause
# ktest_event_tools: hello_buffer, execve_count and read_trace run from
# --bindir against the running kernel, and loader/tracepoint_format.c on
# its tracefs format files.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_event_tools

$(BUILD)/tests/bin/ktest_event_tools: $(BUILD)/tests/kernel/ktest_event_tools.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -lpthread -o $@
