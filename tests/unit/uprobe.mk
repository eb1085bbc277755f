# SPDX-License-Identifier: BSD-2-Clause
# test_uprobe: the uprobe target resolver (program headers, .symtab and
# .dynsym, library and program names); test_usdt: the USDT note and
# argument parsers.  Both against real binaries: /bin/bash, libc.so.6,
# the test targets for this machine and, when the arm64 cross compiler is
# installed, for arm64.  libelf, nm, readelf and the dynamic loader
# itself (dlopen) are the oracles.  No kernel needed.
# The targets' rules are in tests/kernel/uprobe_target.mk, read after
# this file, so prerequisites here spell their paths out.
UNIT_TESTS += $(BUILD)/tests/bin/test_uprobe

ARM64_CC := aarch64-linux-gnu-gcc
ARM64_TARGET := $(BUILD)/tests/arm64/uprobe_target
HAVE_ARM64_CC := $(shell command -v $(ARM64_CC) 2>/dev/null)

# The arm64 notes come from the same sources, cross-compiled; the program
# is only read, never run.  (The arm64 guest builds its own in its tree.)
$(ARM64_TARGET): tests/target/uprobe_target.c tests/target/usdt_sema.c tests/target/usdt_stack.c \
		tests/target/libuprobe_target.c tests/target/uprobe_target.h $(BUILD)/sdt-include/sys/sdt.h
	@mkdir -p $(dir $@)
	$(ARM64_CC) -O2 $(TARGET_CC_FLAGS) -fPIC -shared -Wl,-soname,libuprobe_target.so \
	  tests/target/libuprobe_target.c -o $(dir $@)libuprobe_target.so
	$(ARM64_CC) -O0 $(TARGET_CC_FLAGS) -fPIE -c tests/target/usdt_stack.c -o $(dir $@)usdt_stack.o
	$(ARM64_CC) -O2 $(TARGET_CC_FLAGS) -fPIE -pie tests/target/uprobe_target.c tests/target/usdt_sema.c \
	  $(dir $@)usdt_stack.o -L$(dir $@) -luprobe_target -o $@

$(BUILD)/tests/bin/test_uprobe: tests/unit/test_uprobe.c $(LOADER_SRCS) $(wildcard loader/*/*.h) \
		tests/testlib.h $(BUILD)/tests/bin/uprobe_target $(BUILD)/tests/bin/libuprobe_target.so $(if $(HAVE_ARM64_CC),$(ARM64_TARGET))
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_uprobe.c $(LOADER_SRCS) -lelf -ldl -o $@

UNIT_TESTS += $(BUILD)/tests/bin/test_usdt
$(BUILD)/tests/bin/test_usdt: tests/unit/test_usdt.c $(LOADER_SRCS) $(wildcard loader/*/*.h) \
		tests/testlib.h $(BUILD)/tests/bin/uprobe_target $(if $(HAVE_ARM64_CC),$(ARM64_TARGET))
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_usdt.c $(LOADER_SRCS) -lelf -o $@
