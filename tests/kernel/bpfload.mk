# SPDX-License-Identifier: BSD-2-Clause
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_bpfload

$(BUILD)/tests/bin/ktest_bpfload: $(BUILD)/tests/kernel/ktest_bpfload.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# bpfload --event reads tests/kern/bpfload_events.bpf.c's ring buffer and
# perf event array; it is written against libbpf's <bpf/bpf_helpers.h>.
$(BUILD)/tests/kern/bpfload_events.bpf.o: | check-libbpf-dev
