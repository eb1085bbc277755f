# SPDX-License-Identifier: BSD-2-Clause
#
# make            build the tools; binaries land here (./memcpy_stat)
# make test       unit tests, kernel tests on this machine, then in qemu
#                 (Debian's 5.10, 6.1 and 6.12 kernels; see tests/vm/README.md)
# make test-unit | test-host | test-vm KERNEL=5.10|6.1|6.12 ARCH=x86_64|arm64
# make bench      benchmarks against libbpf and bpftool (bench/bench.mk, included
#                 with the other fragments by tests/tests.mk)
# make install    PREFIX=/usr/local DESTDIR= (LIBDIR, INCLUDEDIR): the tools,
#                 the library (libbpfload.a, libbpfload.so.0), its headers
#                 and bpfload.pc; make uninstall removes them again
#
# CC, CFLAGS, LDFLAGS are honoured (make LDFLAGS=-static gives static
# binaries); CLANG builds the BPF programs in kern/; HOSTCC builds the
# skeleton generator when CC builds for another machine.

# tool rules and fragments come before "all" below; it stays the default
.DEFAULT_GOAL := all

CC ?= cc
CLANG ?= clang
CFLAGS ?= -O2 -g -Wall -Wextra
LDFLAGS ?=
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
HOSTCC ?= cc
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

# musl-gcc searches only musl's own headers, which lack the kernel's uapi
# (<linux/bpf.h>, <asm/...>): when $(CC) cannot find <linux/bpf.h>, give it
# a directory of links to Debian's linux-libc-dev headers alone, so that
# none of glibc's headers in the multiarch directory come along.
UAPI_DIR := $(BUILD)/uapi-include
HASH := \#
NEED_UAPI_DIR := $(shell echo '$(HASH)include <linux/bpf.h>' | $(CC) -E -x c - >/dev/null 2>&1 || echo yes)
ifeq ($(NEED_UAPI_DIR),yes)
UAPI_CFLAGS := -isystem $(UAPI_DIR)
UAPI_STAMP := $(UAPI_DIR)/.stamp
$(UAPI_STAMP):
	@mkdir -p $(UAPI_DIR)
	ln -sfn /usr/include/linux $(UAPI_DIR)/linux
	ln -sfn /usr/include/asm-generic $(UAPI_DIR)/asm-generic
	ln -sfn $(BPF_INCLUDE)/asm $(UAPI_DIR)/asm
	@touch $@
endif

LOADER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard loader/*/*.c))
LIB := $(BUILD)/libbpfload.a
# The shared library: soname libbpfload.so.0; the minor and patch numbers
# grow with additions, the 0 changes only when a public function does.
LIB_VERSION := 0.1.0
LIB_SONAME := libbpfload.so.0
SHARED_LIB := $(BUILD)/libbpfload.so.$(LIB_VERSION)
PUBLIC_HEADERS := $(wildcard loader/include/bpfload/*.h)
# Each function and object in a section of its own, so that a tool linked
# with --gc-sections (below) keeps only the loader code it can reach: a
# static memcpy_stat need not carry uprobes, USDT or the kconfig reader.
SECTION_CFLAGS := -ffunction-sections -fdata-sections
ALL_CFLAGS := $(CFLAGS) $(SECTION_CFLAGS) $(UAPI_CFLAGS) -std=gnu11 -Iloader -Iloader/include -Iuser -Ikern -I$(BUILD)/gen -MMD -MP
TOOL_COMMON := $(BUILD)/user/tool_common.o $(BUILD)/user/tool_main.o $(BUILD)/user/tool_trace.o
MEMCPY_COMMON := $(BUILD)/user/memcpy_probe.o $(TOOL_COMMON)

# Each tool: its objects (the embedded BPF object among them) and the
# library.  A tool may also come with a fragment user/NAME.mk that adds
# itself to TOOLS and names its objects the same way.
TOOLS := memcpy_kprobe memcpy_stat bpfload
$(BINDIR)/memcpy_stat: $(BUILD)/user/memcpy_stat.o $(BUILD)/embed/kern/memcpy_stat.o $(MEMCPY_COMMON) $(LIB)
$(BINDIR)/memcpy_kprobe: $(BUILD)/user/memcpy_kprobe.o $(BUILD)/embed/kern/memcpy_kprobe.o $(MEMCPY_COMMON) $(LIB)
$(BINDIR)/bpfload: $(BUILD)/user/bpfload.o $(BUILD)/user/bpfload_events.o $(BUILD)/user/object_print.o \
	$(BUILD)/user/btf_format.o $(BUILD)/user/btf_command.o $(BUILD)/user/gen_skeleton.o $(BUILD)/user/skel_types.o $(TOOL_COMMON) $(LIB)
include $(wildcard user/*.mk)
BIN_TOOLS := $(addprefix $(BINDIR)/,$(TOOLS))

# keep compiled BPF objects, which make would delete as intermediate
# files: tests and bpfload read them too
.PRECIOUS: $(BUILD)/%.bpf.o

.PHONY: all clean install uninstall test test-unit test-host test-vm test-deps kernel-tests unit-tests test-objects check-clang
all: $(BIN_TOOLS) $(LIB) $(SHARED_LIB)

# --- the loader library -------------------------------------------------
$(BUILD)/%.o: %.c | $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LOADER_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# The same sources built position-independent, for the shared library.
# Only what the public headers declare is exported (loader/exports.sh
# writes the version script); -static in LDFLAGS is for the tools.
PIC_OBJS := $(patsubst %.c,$(BUILD)/pic/%.o,$(wildcard loader/*/*.c))
$(BUILD)/pic/%.o: %.c | $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libbpfload.map: loader/exports.sh $(PUBLIC_HEADERS) | $(UAPI_STAMP)
	sh loader/exports.sh "$(CC) $(UAPI_CFLAGS)" >$@.tmp && mv $@.tmp $@

$(SHARED_LIB): $(PIC_OBJS) $(BUILD)/libbpfload.map
	$(CC) $(CFLAGS) $(filter-out -static,$(LDFLAGS)) -shared -Wl,-soname,$(LIB_SONAME) \
	  -Wl,--version-script=$(BUILD)/libbpfload.map $(PIC_OBJS) -o $@
	ln -sf $(notdir $@) $(BUILD)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(BUILD)/libbpfload.so

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

# --- generated skeletons -----------------------------------------------
# $(BUILD)/gen/NAME.skel.h: `bpfload gen skeleton` of kern/NAME.bpf.c's
# object (or tests/kern/'s).  The generator runs here, at build time: the
# bpfload just built when it runs on this machine, else one built with
# HOSTCC (cross builds).
HOST_MACHINE := $(shell $(HOSTCC) -dumpmachine 2>/dev/null)
ifeq ($(HOST_MACHINE),$(TARGET_MACHINE))
SKEL_GEN := $(BINDIR)/bpfload
else
SKEL_GEN := $(BUILD)/host/bpfload
endif
$(BUILD)/gen/%.skel.h: $(BUILD)/kern/%.bpf.o $(SKEL_GEN)
	@mkdir -p $(dir $@)
	$(SKEL_GEN) gen skeleton $< $* >$@.tmp && mv $@.tmp $@
$(BUILD)/gen/%.skel.h: $(BUILD)/tests/kern/%.bpf.o $(SKEL_GEN)
	@mkdir -p $(dir $@)
	$(SKEL_GEN) gen skeleton $< $* >$@.tmp && mv $@.tmp $@

HOST_BPFLOAD_SRCS := $(wildcard loader/*/*.c) user/bpfload.c user/bpfload_events.c user/object_print.c \
	user/btf_format.c user/btf_command.c user/gen_skeleton.c user/skel_types.c user/tool_common.c \
	user/tool_main.c user/tool_trace.c
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -std=gnu11 -Iloader -Iloader/include -Iuser -Ikern -MMD -MP -c $< -o $@
$(BUILD)/host/bpfload: $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_BPFLOAD_SRCS))
	$(HOSTCC) $^ -o $@

# --- the tools ----------------------------------------------------------
$(BIN_TOOLS):
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--gc-sections $^ -o $@

# --- install ------------------------------------------------------------
# The tools in PREFIX/bin; the library in LIBDIR (libbpfload.a, and
# libbpfload.so.0.N.M with the links .so.0, which programs load, and .so,
# which the linker finds); the public headers in INCLUDEDIR/bpfload;
# bpfload.pc for pkg-config.  Run ldconfig after installing into a
# system directory.
INSTALLED_LIBS := libbpfload.a libbpfload.so.$(LIB_VERSION) $(LIB_SONAME) libbpfload.so
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/bpfload
	install -m 755 $(BIN_TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libbpfload.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libbpfload.so
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/bpfload/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	  -e 's|@VERSION@|$(LIB_VERSION)|' loader/bpfload.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/bpfload.pc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(BIN_TOOLS)))
	rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,$(INSTALLED_LIBS)) $(DESTDIR)$(LIBDIR)/pkgconfig/bpfload.pc
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/bpfload/,$(notdir $(PUBLIC_HEADERS)))
	rmdir $(DESTDIR)$(INCLUDEDIR)/bpfload 2>/dev/null || true

include tests/tests.mk

clean:
	rm -rf $(BUILD) $(BIN_TOOLS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
