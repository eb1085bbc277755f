# SPDX-License-Identifier: BSD-2-Clause
# ktest_events: perf buffers and BPF ring buffers against the running kernel.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_events

$(BUILD)/tests/bin/ktest_events: $(BUILD)/tests/kernel/ktest_events.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/events_perf.o $(BUILD)/embed/tests/kern/events_ringbuf.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -lpthread -o $@
