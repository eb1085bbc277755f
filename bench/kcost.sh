# SPDX-License-Identifier: BSD-2-Clause
# kcost.sh - benchmark 3: nanoseconds per run inside the kernel of
# memcpy_stat's program against learn-bpf's shared-counter version, from
# the kernel's own run_time_ns / run_cnt (bench/kcost.c), on this
# machine's probe: tracepoint syscalls/sys_enter_write, with write(2)
# calls on 1 CPU, then on 2 CPUs at once.  (The kprobe, in a guest:
# bench/vm.sh.)  Sourced by bench/run.sh.

# kcost_figures SECTION PROBE CPUS FILE [min]: figures from kcost's
# lines, the median round's ns/run, or with "min" the fastest round's (for
# the guest, whose vCPUs are host threads: a vCPU preempted inside a
# program adds the wait to run_time_ns, so noise only ever adds there).
kcost_figures() {
	section=$1 probe=$2 cpus=$3 file=$4 col=8
	[ "${5:-}" = min ] && col=10
	ns() { awk -v n="$1" -v c="$col" '$4 == n { print $c }' "$file"; }
	lost() { awk -v n="$1" '$4 == n { print $6 - $12 }' "$file"; }
	tag=$probe.${cpus}cpu
	figure "$section" "kcost.$tag.vs_shared" "$(ns memcpy_stat)" "$(ns shared)" ns/run
	figure "$section" "kcost.$tag.vs_shared_atomic" "$(ns memcpy_stat)" "$(ns shared_atomic)" ns/run
	[ -n "$(ns memcpy_stat_rodata)" ] &&
		figure "$section" "kcost_rodata_config.$tag.vs_shared" "$(ns memcpy_stat_rodata)" "$(ns shared)" ns/run
	[ -n "$(ns memcpy_stat_fixed_args)" ] &&
		figure "$section" "kcost_fixed_args.$tag.vs_shared" "$(ns memcpy_stat_fixed_args)" "$(ns shared)" ns/run
	figure "$section" "kcost_lost_counts.$tag.vs_shared" "$(lost memcpy_stat)" "$(lost shared)" counts
}

bench_kcost() {
	obj=$BUILD/bench/kern/kcost.bpf.o
	for cpus in 1 2; do
		progress "kcost: tracepoint, $cpus CPU(s)"
		if ! "$BIN/kcost" --cpus "$cpus" --rounds "$KCOST_ROUNDS" --calls "$KCOST_CALLS" "$obj" \
			>"$TMP/kc" 2>"$TMP/kc.err"; then
			result FAIL "kcost-tracepoint-${cpus}cpu: $(head -n 1 "$TMP/kc.err")"
			continue
		fi
		kcost_figures kcost tracepoint "$cpus" "$TMP/kc"
		# memcpy_stat's per-CPU counters must hold exactly its runs
		if awk '$4 == "memcpy_stat" && $6 == $12 && $6 > 0 { ok = 1 } END { exit !ok }' "$TMP/kc"; then
			result PASS "kcost-tracepoint-${cpus}cpu: memcpy_stat's program counted each of its runs"
		else
			result FAIL "kcost-tracepoint-${cpus}cpu: memcpy_stat's counts differ from its run_cnt: $(grep ' memcpy_stat ' "$TMP/kc")"
		fi
	done
}
