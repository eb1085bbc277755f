# SPDX-License-Identifier: BSD-2-Clause
# ktest_uprobe: uprobes, uretprobes, sleepable uprobes and uprobe_multi;
# ktest_usdt: USDT probes.  Both trace the target program and its library
# (tests/kernel/uprobe_target.mk), which sit next to them in
# $(BUILD)/tests/bin; the paths are spelled out because that fragment's
# variables are read after this one.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_uprobe $(BUILD)/tests/bin/ktest_usdt
UPROBE_TEST_OBJS := $(BUILD)/tests/kernel/uprobe_helpers.o $(SPAWN_OBJ)
UPROBE_TARGETS := $(BUILD)/tests/bin/uprobe_target $(BUILD)/tests/bin/libuprobe_target.so

$(BUILD)/tests/bin/ktest_uprobe: $(BUILD)/tests/kernel/ktest_uprobe.o $(UPROBE_TEST_OBJS) \
		$(BUILD)/embed/tests/kern/uprobe_test.o $(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/bin/ktest_usdt: $(BUILD)/tests/kernel/ktest_usdt.o $(UPROBE_TEST_OBJS) \
		$(BUILD)/embed/tests/kern/uprobe_test.o $(BUILD)/embed/tests/kern/usdt/usdt_args.o \
		$(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# ktest_uprobe_tool: uprobe_trace run from --bindir against the target.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_uprobe_tool
$(BUILD)/tests/bin/ktest_uprobe_tool: $(BUILD)/tests/kernel/ktest_uprobe_tool.o $(UPROBE_TEST_OBJS) \
		$(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
