# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks against the peers (libbpf, bpftool): included by the
# top-level Makefile.
#
#   make bench        every benchmark, a table and "bench:" lines (bench/run.sh)
#   make bench-build  just the binaries and objects, into $(BUILD)/bench/
#
# Only the peers under bench/peer/ link libbpf (-lbpf -lelf -lz); the
# product and our own benchmark programs use the loader alone.  The BPF
# objects under bench/kern/ are written the way libbpf users write them:
# vmlinux.h (generated here from this machine's kernel BTF with bpftool),
# <bpf/bpf_helpers.h>, <bpf/bpf_core_read.h>.

BENCH := $(BUILD)/bench
BENCH_BIN := $(BENCH)/bin
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null)
BENCH_VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

BENCH_BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard bench/kern/*.bpf.c))
BENCH_PROGS := $(BENCH_BIN)/measure $(BENCH_BIN)/load_ours $(BENCH_BIN)/events_ours $(BENCH_BIN)/kcost \
	$(BENCH_BIN)/kcost.static $(BENCH_BIN)/core_ours
BENCH_PEERS := $(BENCH_BIN)/libbpf_load $(BENCH_BIN)/libbpf_events $(BENCH_BIN)/libbpf_memcpy_stat
BENCH_STATIC_PEERS := $(BENCH_BIN)/libbpf_memcpy_stat.static $(BENCH_BIN)/libbpf_core
PEER_LIBS := -lbpf -lelf -lz

.PHONY: bench bench-build bench-deps
bench-build: $(BENCH_PROGS) $(BENCH_PEERS) $(BENCH_STATIC_PEERS) $(BENCH_BPF_OBJS) $(TEST_BPF_OBJS) all

bench-deps:
	@bench/install-deps.sh

# make test's host part runs every benchmark once (bench/run.sh --quick).
# (host-tests, not kernel-tests: the qemu guests build kernel-tests with
# a cross compiler, and the peers need the host's libbpf.)
host-tests: bench-build

# The packages first, as for the tests: a separate make then builds.
bench: bench-deps
	@$(MAKE) --no-print-directory bench-build
	@BUILD=$(BUILD) bench/run.sh

# --- BPF objects written like libbpf users' -----------------------------
$(BENCH)/gen/vmlinux.h:
	@test -n "$(BPFTOOL)" || { echo "error: bench/kern/*.bpf.c include vmlinux.h, which bpftool generates: apt-get install bpftool" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(BENCH_VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BENCH_BPF_OBJS): $(BENCH)/gen/vmlinux.h
$(BENCH_BPF_OBJS): BPF_CFLAGS += -I$(BENCH)/gen -Ibench/kern

# --- our benchmark programs: the loader library only ---------------------
$(BENCH)/%.o: ALL_CFLAGS += -Ibench

$(BENCH_BIN)/load_ours: $(BENCH)/load_ours.o $(LIB)
$(BENCH_BIN)/events_ours: $(BENCH)/events_ours.o $(BENCH)/events_common.o $(LIB)
$(BENCH_BIN)/kcost: $(BENCH)/kcost.o $(LIB)
# core_ours calls the CO-RE pass inside the loader (loader/object/core_relocate.h)
$(BENCH_BIN)/core_ours: $(BENCH)/core_ours.o $(LIB)
$(BENCH_BIN)/load_ours $(BENCH_BIN)/events_ours $(BENCH_BIN)/kcost $(BENCH_BIN)/core_ours:
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# For the qemu guest (bench/vm.sh): static, like the matrix's binaries.
$(BENCH_BIN)/kcost.static: $(BENCH)/kcost.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static $^ -o $@

# measure forks every run from a small spawner whose pages count in the
# children's peak RSS (see measure.c): static, and with musl when there,
# keeps that floor near zero.
MEASURE_CC := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo $(CC))
$(BENCH_BIN)/measure: bench/measure.c
	@mkdir -p $(dir $@)
	$(MEASURE_CC) -O2 -Wall -Wextra -static $< -o $@ 2>/dev/null || $(CC) -O2 -Wall -Wextra $< -o $@

# --- the peers: libbpf ---------------------------------------------------
$(BENCH_BIN)/libbpf_load: bench/peer/libbpf_load.c
$(BENCH_BIN)/libbpf_events: bench/peer/libbpf_events.c bench/events_common.c
$(BENCH_BIN)/libbpf_memcpy_stat: bench/peer/libbpf_memcpy_stat.c $(BUILD)/embed/bench/kern/memcpy_stat_libbpf.o
$(BENCH_PEERS): | check-libbpf-peer
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Ibench -Iuser -Ikern $(filter %.c %.o,$^) $(PEER_LIBS) -o $@

# libbpf, libelf and zlib linked in, as Debian ships them (libbpf.a,
# libelf.a, libz.a): the size a libbpf tool has when it must run alone.
$(BENCH_BIN)/libbpf_memcpy_stat.static: bench/peer/libbpf_memcpy_stat.c $(BUILD)/embed/bench/kern/memcpy_stat_libbpf.o | check-libbpf-peer
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Iuser -Ikern -static $(filter %.c %.o,$^) $(PEER_LIBS) -o $@

# Static, with libbpf's syscall() calls wrapped: see libbpf_core.c.
$(BENCH_BIN)/libbpf_core: bench/peer/libbpf_core.c | check-libbpf-peer
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -static -Wl,--wrap=syscall $< $(PEER_LIBS) -o $@

.PHONY: check-libbpf-peer
check-libbpf-peer:
	@test -f /usr/include/bpf/libbpf.h || { echo "error: the benchmarks' peers use libbpf: apt-get install libbpf-dev" >&2; exit 1; }
