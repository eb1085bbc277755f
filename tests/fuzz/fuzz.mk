# SPDX-License-Identifier: BSD-2-Clause
# Fuzzing the parsers of untrusted input (README.md, "Fuzzing").  Each
# tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput and is built twice:
#   $(BUILD)/tests/fuzz/fuzz_NAME    libFuzzer (clang), ASan + UBSan:
#                                    make fuzz [FUZZ_SECONDS=60]
#   $(BUILD)/tests/fuzz/replay_NAME  the same file with replay_main.c, ASan +
#                                    UBSan, any compiler: make unit-tests
#                                    builds it and tests/run-all.sh unit
#                                    runs it over tests/fuzz/corpus/NAME/
#                                    and tests/fuzz/regress/NAME/.
# The loader is compiled once per flavour into an archive.  New corpus
# entries go to $(BUILD)/tests/fuzz/corpus/NAME, crashes to
# $(BUILD)/tests/fuzz/crashes/: the repository's seeds are only read.

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_DIR := $(BUILD)/tests/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Iloader -Iloader/include
LOADER_NAMES := $(patsubst loader/%.c,%,$(LOADER_SRCS))

# libFuzzer flavour: coverage on the loader, libFuzzer's main at link.
FUZZ_LIB := $(FUZZ_DIR)/lf/libloader.a
$(FUZZ_DIR)/lf/%.o: loader/%.c $(LOADER_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
$(FUZZ_LIB): $(patsubst %,$(FUZZ_DIR)/lf/%.o,$(LOADER_NAMES))
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(LOADER_HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< $(FUZZ_LIB) -o $@

# Replay flavour: the unit tests' compiler and sanitizers.
REPLAY_LIB := $(FUZZ_DIR)/replay/libloader.a
$(FUZZ_DIR)/replay/%.o: loader/%.c $(LOADER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@
$(REPLAY_LIB): $(patsubst %,$(FUZZ_DIR)/replay/%.o,$(LOADER_NAMES))
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(REPLAY_LIB) $(LOADER_HDRS)
	$(CC) $(UNIT_CFLAGS) $< tests/fuzz/replay_main.c $(REPLAY_LIB) -o $@

FUZZ_REPLAYS := $(patsubst %,$(FUZZ_DIR)/replay_%,$(FUZZ_TARGETS))
unit-tests: $(FUZZ_REPLAYS)

# One target after another (2 CPUs are shared: one process, no -jobs or
# -workers).  A crash stops that target, not the others; make fails at
# the end naming the crash files, to be kept in tests/fuzz/regress/NAME/
# once the loader is fixed.
# fuzz_core relocates against a saved copy of this machine's kernel BTF,
# kept between runs, so that a crash replays against the BTF that found it
# (FUZZ_CORE_BTF=$(FUZZ_DIR)/vmlinux.btf build/tests/fuzz/replay_core FILE).
.PHONY: fuzz
fuzz: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))
	@[ -f $(FUZZ_DIR)/vmlinux.btf ] || cp /sys/kernel/btf/vmlinux $(FUZZ_DIR)/vmlinux.btf 2>/dev/null || \
		echo "fuzz: no /sys/kernel/btf/vmlinux: fuzz_core runs without a kernel BTF (its refusal path only)"
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_CORE_BTF=$(FUZZ_DIR)/vmlinux.btf tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
