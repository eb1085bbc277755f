# SPDX-License-Identifier: BSD-2-Clause
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_faults $(BUILD)/tests/bin/ktest_privileges

FAULT_RUN_OBJ := $(BUILD)/tests/kernel/fault_run.o

$(BUILD)/tests/bin/ktest_faults: $(BUILD)/tests/kernel/ktest_faults.o $(FAULT_RUN_OBJ) $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/bin/ktest_privileges: $(BUILD)/tests/kernel/ktest_privileges.o $(FAULT_RUN_OBJ) $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# faults.bpf.c is written against libbpf's <bpf/bpf_helpers.h>.
$(BUILD)/tests/kern/faults.bpf.o: | check-libbpf-dev
