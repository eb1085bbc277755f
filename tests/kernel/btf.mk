# SPDX-License-Identifier: BSD-2-Clause
# BTF into the running kernel: BPF_BTF_LOAD of fixed-up and sanitized
# object BTF, refusals with the kernel's log, func_info/line_info checked
# by BPF_PROG_LOAD.  Statically linkable: no libbpf, no libelf.

KERNEL_TESTS += $(BUILD)/tests/bin/ktest_btf

$(BUILD)/tests/bin/ktest_btf: $(BUILD)/tests/kernel/ktest_btf.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/btf_types.o $(BUILD)/embed/tests/kern/btf_externs.o \
		$(BUILD)/embed/tests/kern/btf_funcinfo.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
