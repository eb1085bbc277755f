# SPDX-License-Identifier: BSD-2-Clause
# make bench-core: what CO-RE costs (bench_core: kernel BTF, index,
# relocations; core_load.sh, as root: bpfload against bpftool/libbpf).
# Timings live here, never in tests.

# core_fail.bpf.o does not load (on purpose)
CORE_BENCH_OBJS := $(filter-out %/core_fail.bpf.o,$(wildcard $(BUILD)/tests/kern/core_*.bpf.o)) \
	$(BUILD)/tests/kern/btf_types.bpf.o

$(BUILD)/bench/bench_core: bench/bench_core.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Iloader -Iloader/include $< $(LIB) -o $@

.PHONY: bench-core
bench-core: $(BUILD)/bench/bench_core all test-objects
	$(BUILD)/bench/bench_core $(CORE_BENCH_OBJS)
	@if [ "$$(id -u)" = 0 ]; then bench/core_load.sh $(CORE_BENCH_OBJS); \
	 else echo "bench/core_load.sh needs root: skipped"; fi
