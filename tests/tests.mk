# SPDX-License-Identifier: BSD-2-Clause
# Tests: included by the top-level Makefile.
#
#   unit tests    $(BUILD)/tests/bin/test_*: no kernel needed, built with
#                 AddressSanitizer; each gets every test BPF object as
#                 arguments.
#   kernel tests  $(BUILD)/tests/bin/ktest_*: root, on the host and in
#                 the qemu kernels (statically linked there); each takes
#                 --bindir DIR (where the tools are) and --expect-kprobes.
#   host tests    $(BUILD)/tests/bin/htest_*: root, on the host only, for
#                 tests that link an oracle (libbpf) the static guest
#                 binaries cannot; same options as kernel tests.
#
# A fragment tests/*/NAME.mk adds its binaries to UNIT_TESTS, KERNEL_TESTS
# or HOST_ORACLE_TESTS.

TEST_BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/kern/*.bpf.c))
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra $(SANITIZE) -Iloader -Iloader/include -Iuser
LOADER_SRCS := $(wildcard loader/*/*.c)
LOADER_HDRS := $(wildcard loader/*/*.h loader/include/bpfload/*.h)
SPAWN_OBJ := $(BUILD)/tests/kernel/spawn.o $(BUILD)/tests/kernel/ktest_options.o \
	$(BUILD)/tests/kernel/kernel_state.o $(BUILD)/tests/kernel/kernel_features.o

UNIT_TESTS := $(BUILD)/tests/bin/test_elf
KERNEL_TESTS := $(BUILD)/tests/bin/ktest_core
HOST_ORACLE_TESTS :=

$(BUILD)/tests/bin/test_elf: tests/unit/test_elf.c $(LOADER_SRCS) $(LOADER_HDRS) tests/testlib.h
	@mkdir -p $(dir $@)
	@test -f /usr/include/gelf.h || { echo "error: the unit tests use libelf as an oracle: apt-get install libelf-dev" >&2; exit 1; }
	$(CC) $(UNIT_CFLAGS) tests/unit/test_elf.c $(LOADER_SRCS) -lelf -o $@

$(BUILD)/tests/bin/ktest_core: $(BUILD)/tests/kernel/ktest_core.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/probes.o $(BUILD)/embed/tests/kern/verifier_reject.o \
		$(BUILD)/embed/tests/kern/subprog_data.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

include tests/kern/vmlinux.mk
-include $(wildcard tests/unit/*.mk tests/kernel/*.mk tests/fuzz/*.mk bench/*.mk)

# Test-only Debian packages, installed when missing (as root).
test-deps:
	@tests/install-deps.sh

test-objects: $(TEST_BPF_OBJS)
unit-tests: $(UNIT_TESTS) test-objects
kernel-tests: $(KERNEL_TESTS) test-objects all
.PHONY: host-tests
host-tests: $(HOST_ORACLE_TESTS) kernel-tests

# tests/run-all.sh runs the parts and does the counting ("vm" is every
# guest of the kernel matrix).  The packages must be there before the
# test objects are compiled: a separate make.
test: test-deps
	@$(MAKE) --no-print-directory unit-tests host-tests
	@tests/run-all.sh unit host vm

test-unit: test-deps
	@$(MAKE) --no-print-directory unit-tests
	@tests/run-all.sh unit

test-host: test-deps
	@$(MAKE) --no-print-directory host-tests
	@tests/run-all.sh host

# One guest: make test-vm KERNEL=5.10|6.1|6.12 ARCH=x86_64|arm64
ARCH ?= x86_64
KERNEL ?= 6.1
test-vm:
	@tests/run-all.sh vm-$(KERNEL)-$(ARCH)
