# SPDX-License-Identifier: BSD-2-Clause
# The programs the uprobe and USDT tests trace, built with $(CC) for the
# machine the tests run on (cross-compiled for the arm64 guest):
#   $(BUILD)/tests/bin/uprobe_target          PIE executable, USDT probes
#   $(BUILD)/tests/bin/libuprobe_target.so    shared library it links
# Not with $(CFLAGS)/$(LDFLAGS): the guests' builds link statically, and
# these must stay dynamic (a PIE and a shared library are what is being
# tested).  TARGET_LDFLAGS adds what the guests need (their own ld.so).
#
# <sys/sdt.h> comes from Debian's systemtap-sdt-dev, in the multiarch
# include directory, which a cross compiler does not search: it is copied
# into $(BUILD)/sdt-include for both.

TARGET_DIR := $(BUILD)/tests/bin
TARGET_PROGS := $(TARGET_DIR)/uprobe_target $(TARGET_DIR)/libuprobe_target.so
TARGET_LDFLAGS ?=
SDT_H := $(firstword $(wildcard /usr/include/*/sys/sdt.h /usr/include/sys/sdt.h))
SDT_INCLUDE := $(BUILD)/sdt-include
TARGET_CC_FLAGS := -g -Wall -I$(SDT_INCLUDE) -Itests/target

$(SDT_INCLUDE)/sys/sdt.h:
	@test -n "$(SDT_H)" || { echo "error: the uprobe tests need <sys/sdt.h>: apt-get install systemtap-sdt-dev" >&2; exit 1; }
	@mkdir -p $(dir $@)
	cp $(SDT_H) $(dir $(SDT_H))sdt-config.h $(dir $@)

$(TARGET_DIR)/libuprobe_target.so: tests/target/libuprobe_target.c tests/target/uprobe_target.h \
		$(SDT_INCLUDE)/sys/sdt.h
	@mkdir -p $(dir $@)
	$(CC) -O2 $(TARGET_CC_FLAGS) -fPIC -shared -Wl,-soname,libuprobe_target.so $< -o $@

# usdt_stack.c without optimisation: its probe's arguments are in the frame
$(TARGET_DIR)/uprobe_target: tests/target/uprobe_target.c tests/target/usdt_sema.c \
		tests/target/usdt_stack.c tests/target/uprobe_target.h $(TARGET_DIR)/libuprobe_target.so
	$(CC) -O0 $(TARGET_CC_FLAGS) -fPIE -c tests/target/usdt_stack.c -o $(BUILD)/tests/usdt_stack.o
	$(CC) -O2 $(TARGET_CC_FLAGS) -fPIE -pie tests/target/uprobe_target.c tests/target/usdt_sema.c \
	  $(BUILD)/tests/usdt_stack.o -L$(TARGET_DIR) -luprobe_target -Wl,-rpath,'$$ORIGIN' \
	  $(TARGET_LDFLAGS) -o $@
