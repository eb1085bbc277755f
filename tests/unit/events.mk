# SPDX-License-Identifier: BSD-2-Clause
# test_events: the perf ring and BPF ring buffer parsers on rings in memory.
UNIT_TESTS += $(BUILD)/tests/bin/test_events

$(BUILD)/tests/bin/test_events: tests/unit/test_events.c $(LOADER_SRCS) $(LOADER_HDRS) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_events.c $(LOADER_SRCS) -o $@
