# SPDX-License-Identifier: BSD-2-Clause
#
# make            build the tools; binaries land here (./memcpy_stat)
# make test       unit tests, kernel tests on this machine, then in qemu
# make test-unit | test-host | test-vm ARCH=x86_64|arm64
# make install    PREFIX=/usr/local DESTDIR=
#
# CC, CFLAGS, LDFLAGS are honoured (make LDFLAGS=-static gives static
# binaries); CLANG builds the BPF programs in kern/.

# tool rules and fragments come before "all" below; it stays the default
.DEFAULT_GOAL := all

CC ?= cc
CLANG ?= clang
CFLAGS ?= -O2 -g -Wall -Wextra
LDFLAGS ?=
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
BINDIR ?= .

# The BPF programs read function arguments from struct pt_regs, whose
# layout depends on the architecture the tools run on: ask the compiler.
TARGET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter aarch64%,$(TARGET_MACHINE)),)
BPF_ARCH := arm64
else
BPF_ARCH := x86
endif
# <linux/bpf.h> needs <asm/types.h>, which Debian keeps in the multiarch
# directory; any architecture's copy serves the bpf target.
BPF_INCLUDE := /usr/include/$(shell gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
BPF_CFLAGS := -target bpf -O2 -g -Wall -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_INCLUDE) -Ikern

LOADER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard loader/*/*.c))
LIB := $(BUILD)/libbl.a
ALL_CFLAGS := $(CFLAGS) -std=gnu11 -Iloader -Iloader/include -Iuser -Ikern -I$(BUILD)/gen -MMD -MP
TOOL_COMMON := $(BUILD)/user/tool_common.o $(BUILD)/user/tool_main.o
MEMCPY_COMMON := $(BUILD)/user/memcpy_probe.o $(TOOL_COMMON)

# Each tool: its objects (the embedded BPF object among them) and the
# library.  A tool may also come with a fragment user/NAME.mk that adds
# itself to TOOLS and names its objects the same way.
TOOLS := memcpy_kprobe memcpy_stat bpfload
$(BINDIR)/memcpy_stat: $(BUILD)/user/memcpy_stat.o $(BUILD)/embed/kern/memcpy_stat.o $(MEMCPY_COMMON) $(LIB)
$(BINDIR)/memcpy_kprobe: $(BUILD)/user/memcpy_kprobe.o $(BUILD)/embed/kern/memcpy_kprobe.o $(MEMCPY_COMMON) $(LIB)
$(BINDIR)/bpfload: $(BUILD)/user/bpfload.o $(BUILD)/user/object_print.o $(BUILD)/user/btf_format.o \
	$(TOOL_COMMON) $(LIB)
include $(wildcard user/*.mk)
BIN_TOOLS := $(addprefix $(BINDIR)/,$(TOOLS))

# keep compiled BPF objects, which make would delete as intermediate
# files: tests and bpfload read them too
.PRECIOUS: $(BUILD)/%.bpf.o

.PHONY: all clean install test test-unit test-host test-vm test-deps kernel-tests unit-tests test-objects check-clang
all: $(BIN_TOOLS)

# --- the loader library -------------------------------------------------
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LOADER_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# --- BPF programs, and embedding them in binaries -----------------------
check-clang:
	@command -v $(CLANG) >/dev/null 2>&1 || { \
	  echo "error: $(CLANG) not found; the BPF programs need it: apt-get install clang" >&2; exit 1; }

$(BUILD)/%.bpf.o: %.bpf.c | check-clang
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

# $(BUILD)/embed/DIR/NAME.o carries $(BUILD)/DIR/NAME.bpf.o as symbol NAME_bpf
$(BUILD)/embed/%.o: $(BUILD)/%.bpf.o user/embed_object.S
	@mkdir -p $(dir $@)
	$(CC) -c user/embed_object.S -DOBJ_FILE=$(abspath $<) \
	  -DOBJ_SYM=$(notdir $*)_bpf -o $@

# --- the tools ----------------------------------------------------------
$(BIN_TOOLS):
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN_TOOLS) $(DESTDIR)$(PREFIX)/bin/

include tests/tests.mk

clean:
	rm -rf $(BUILD) $(BIN_TOOLS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
