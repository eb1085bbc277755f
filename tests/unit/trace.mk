# SPDX-License-Identifier: BSD-2-Clause
# test_trace: the narration's decoders, bounds, hook and relocation lines,
# without a kernel (tests/unit/test_trace.c).
UNIT_TESTS += $(BUILD)/tests/bin/test_trace

$(BUILD)/tests/bin/test_trace: tests/unit/test_trace.c $(LOADER_SRCS) $(LOADER_HDRS) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_trace.c $(LOADER_SRCS) -o $@
