# SPDX-License-Identifier: BSD-2-Clause
# What extern resolution reads from the running system, each parser on
# its own (unit tests, ASan + UBSan, no kernel needed):
#   test_inflate   DEFLATE/gzip against zlib and gzip(1) as oracles
#   test_kconfig   kernel config files and LINUX_KERNEL_VERSION
#   test_kallsyms  /proc/kallsyms lines
#   test_externs   externs as bl_object_open sees them
UNIT_TESTS += $(BUILD)/tests/bin/test_inflate

$(BUILD)/tests/bin/test_inflate: tests/unit/test_inflate.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	@test -f /usr/include/zlib.h || { echo "error: test_inflate uses zlib as an oracle: apt-get install zlib1g-dev" >&2; exit 1; }
	$(CC) $(UNIT_CFLAGS) tests/unit/test_inflate.c $(LOADER_SRCS) -lz -o $@

UNIT_TESTS += $(BUILD)/tests/bin/test_kconfig $(BUILD)/tests/bin/test_kallsyms

$(BUILD)/tests/bin/test_kconfig: tests/unit/test_kconfig.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_kconfig.c $(LOADER_SRCS) -o $@

$(BUILD)/tests/bin/test_kallsyms: tests/unit/test_kallsyms.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_kallsyms.c $(LOADER_SRCS) -o $@

# test_externs reads the extern objects at open; libelf counts their
# relocations independently.
UNIT_TESTS += $(BUILD)/tests/bin/test_externs

$(BUILD)/tests/bin/test_externs: tests/unit/test_externs.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_externs.c $(LOADER_SRCS) -lelf -o $@

# test_caps: the hints after EPERM, EMFILE, ENOMEM and a failed mount
UNIT_TESTS += $(BUILD)/tests/bin/test_caps

$(BUILD)/tests/bin/test_caps: tests/unit/test_caps.c $(LOADER_SRCS) $(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_caps.c $(LOADER_SRCS) -o $@
