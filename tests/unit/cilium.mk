# SPDX-License-Identifier: BSD-2-Clause
UNIT_TESTS += $(BUILD)/tests/bin/test_cilium

$(BUILD)/tests/bin/test_cilium: tests/unit/test_cilium.c $(LOADER_SRCS) $(LOADER_HDRS) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_cilium.c $(LOADER_SRCS) -o $@
