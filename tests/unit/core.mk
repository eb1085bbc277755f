# SPDX-License-Identifier: BSD-2-Clause
# CO-RE without a kernel (unit tests, ASan):
#   test_core         every relocation of the CO-RE test objects resolved
#                     against this machine's /sys/kernel/btf/vmlinux, each
#                     value checked against the same BTF read by libbpf;
#                     the kernel's BTF found, mmap'd, indexed lazily
#   test_core_inputs  hand-written BTF: ambiguity, flavors, ENUM64, type
#                     matches, module BTF, --btf files, malformed records,
#                     instruction patching

UNIT_TESTS += $(BUILD)/tests/bin/test_core $(BUILD)/tests/bin/test_core_inputs

$(BUILD)/tests/bin/test_core: tests/unit/test_core.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h | check-libbpf-dev
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_core.c $(LOADER_SRCS) -lbpf -lelf -o $@

$(BUILD)/tests/bin/test_core_inputs: tests/unit/test_core_inputs.c tests/unit/btf_builder.h $(LOADER_SRCS) \
		$(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_core_inputs.c $(LOADER_SRCS) -o $@
