# SPDX-License-Identifier: BSD-2-Clause
# Narration (BPFLOAD_TRACE=1, bpfload --trace) against the kernel:
#   ktest_trace  (kernel test, static in the guests) every line checked
#                against what the kernel holds, counts of what the loader
#                must have done, bpfload --trace, BPFLOAD_TRACE in a tool
#   htest_trace  (host only: strace is not in the guests) the narrated
#                calls, in order and with their results, equal strace's
NARRATION_OBJ := $(BUILD)/tests/kernel/narration.o
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_trace
HOST_ORACLE_TESTS += $(BUILD)/tests/bin/htest_trace

$(BUILD)/tests/bin/ktest_trace: $(BUILD)/tests/kernel/ktest_trace.o $(NARRATION_OBJ) $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/narrate.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/bin/htest_trace: $(BUILD)/tests/kernel/htest_trace.o $(NARRATION_OBJ) $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
