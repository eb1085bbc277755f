# SPDX-License-Identifier: BSD-2-Clause
# make bench-trace: what narration costs when off (bench_trace: bpf(2)
# through bl_map_lookup with and without a hook, against the raw system
# call).  As root.  Timings live here, never in tests.

$(BUILD)/bench/bench_trace: bench/bench_trace.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Iloader -Iloader/include $< $(LIB) -o $@

.PHONY: bench-trace
bench-trace: $(BUILD)/bench/bench_trace
	@if [ "$$(id -u)" = 0 ]; then $(BUILD)/bench/bench_trace; \
	 else echo "bench_trace needs root (it creates a map): skipped"; fi
