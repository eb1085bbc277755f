# SPDX-License-Identifier: BSD-2-Clause
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_bpfload

$(BUILD)/tests/bin/ktest_bpfload: $(BUILD)/tests/kernel/ktest_bpfload.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
