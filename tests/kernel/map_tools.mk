# SPDX-License-Identifier: BSD-2-Clause
# ktest_map_tools: hello_map and syscall_tail run as child processes, with
# the system call name table of the architecture being built for.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_map_tools

$(BUILD)/tests/kernel/ktest_map_tools.o: $(SYSCALL_NAMES_H)
$(BUILD)/tests/bin/ktest_map_tools: $(BUILD)/tests/kernel/ktest_map_tools.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
