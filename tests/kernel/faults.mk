# SPDX-License-Identifier: BSD-2-Clause
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_faults

$(BUILD)/tests/bin/ktest_faults: $(BUILD)/tests/kernel/ktest_faults.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# faults.bpf.c is written against libbpf's <bpf/bpf_helpers.h>.
$(BUILD)/tests/kern/faults.bpf.o: | check-libbpf-dev
