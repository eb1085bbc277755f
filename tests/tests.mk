# SPDX-License-Identifier: BSD-2-Clause
# Tests: included by the top-level Makefile.
#
#   unit tests   build/tests/test_elf (AddressSanitizer + libelf as oracle)
#   kernel tests build/tests/ktest    (root; the host, then qemu kernels)

TEST_BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/kern/*.bpf.c))
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer

$(BUILD)/tests/test_elf: tests/unit/test_elf.c $(wildcard loader/*.c) $(wildcard loader/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	@test -f /usr/include/gelf.h || { echo "error: the unit tests use libelf as an oracle: apt-get install libelf-dev" >&2; exit 1; }
	$(CC) -std=gnu11 -g -O1 -Wall -Wextra $(SANITIZE) -Iloader tests/unit/test_elf.c $(wildcard loader/*.c) -lelf -o $@

KTEST_OBJS := $(BUILD)/tests/kernel/ktest.o $(BUILD)/tests/kernel/spawn.o \
	$(BUILD)/embed/tests/kern/probes.o $(BUILD)/embed/tests/kern/verifier_reject.o

$(BUILD)/tests/ktest: $(KTEST_OBJS) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

unit-tests: $(BUILD)/tests/test_elf $(TEST_BPF_OBJS)
kernel-tests: $(BUILD)/tests/ktest all

# Run from the repository's root: tests/run-all.sh does the counting.
test: unit-tests kernel-tests
	@tests/run-all.sh unit host vm-x86_64 vm-arm64

test-unit: unit-tests
	@tests/run-all.sh unit

test-host: kernel-tests
	@tests/run-all.sh host

ARCH ?= x86_64
test-vm:
	@tests/run-all.sh vm-$(ARCH)
