# SPDX-License-Identifier: BSD-2-Clause
# The BTF and .BTF.ext readers against clang-built objects and vmlinux,
# with libbpf and libelf as independent oracles (unit test, ASan).
# tests/kern/btf_*.bpf.c are written like libbpf users write programs
# and include <bpf/bpf_helpers.h>: both need Debian's libbpf-dev.

UNIT_TESTS += $(BUILD)/tests/bin/test_btf

BTF_TEST_BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/kern/btf_*.bpf.c))

.PHONY: check-libbpf-dev
check-libbpf-dev:
	@test -f /usr/include/bpf/bpf_helpers.h -a -f /usr/include/bpf/btf.h || { \
	  echo "error: the BTF tests need libbpf's headers (programs) and library (oracle): apt-get install libbpf-dev" >&2; exit 1; }

$(BTF_TEST_BPF_OBJS): | check-libbpf-dev

$(BUILD)/tests/bin/test_btf: tests/unit/test_btf.c $(LOADER_SRCS) $(LOADER_HDRS) tests/testlib.h | check-libbpf-dev
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_btf.c $(LOADER_SRCS) -lbpf -lelf -o $@

# test_bounds: absurd counts (BTF types, typedef chains, a million
# sections or relocations), refused with the limit named or parsed
UNIT_TESTS += $(BUILD)/tests/bin/test_bounds

$(BUILD)/tests/bin/test_bounds: tests/unit/test_bounds.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h tests/unit/sparse_file.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_bounds.c $(LOADER_SRCS) -o $@

# test_limits: the other bounds of docs/limits.md, one step past each
UNIT_TESTS += $(BUILD)/tests/bin/test_limits

$(BUILD)/tests/bin/test_limits: tests/unit/test_limits.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h tests/unit/sparse_file.h tests/unit/btf_builder.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_limits.c $(LOADER_SRCS) -o $@
