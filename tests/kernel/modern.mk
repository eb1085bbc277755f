# SPDX-License-Identifier: BSD-2-Clause
# tests/kern/modern.bpf.c is written against libbpf's <bpf/bpf_helpers.h>
# (Debian's libbpf-dev), as users' objects are; the loader uses none of it.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_modern

$(BUILD)/tests/bin/ktest_modern: $(BUILD)/tests/kernel/ktest_modern.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/modern.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
