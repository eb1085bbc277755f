#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run.sh [--quick] [BENCHMARK...] - the benchmarks of `make bench`, each
# against a peer in the same run:
#   load       open + load (+ pin, + attach) of real objects, against
#              libbpf and bpftool: wall time, bpf(2) calls, peak RSS; and
#              the CO-RE pass alone, against libbpf's (core_pass.sh)
#   events     ring buffer and perf buffer readers against libbpf's
#   kcost      ns per run of memcpy_stat's program against learn-bpf's
#   footprint  binary sizes (dynamic, static glibc, static musl), peak RSS
#   vm         the kprobe figures and memcpy_stat's whole run in a qemu
#              guest (bench/vm.sh; BENCH_VM=0 leaves it out)
# (default: all; --quick leaves vm out unless BENCH_VM=1, since make test
# boots its own guests).  Needs root and what `make bench-build` builds.
#
# Output: progress on stderr; then a table, one line per figure:
#   bench: NAME ours VALUE peer VALUE ratio R UNIT
# (ratio = ours / peer; "-" where there is no peer value), and how each
# target of the README's Performance section fares.
#
# --quick: every benchmark once, with tiny counts, and PASS/FAIL/SKIP
# lines instead of the table (tests/run-all.sh runs this; it asserts that
# the benchmarks run and that their counts add up, never a timing).
#
# Environment: BUILD (default build), BENCH_RUNS (timed runs per command,
# default 9), BENCH_EVENT_RUNS (default 7), BENCH_EVENT_SECONDS (1),
# BENCH_VM, MAKE, BPFTOOL.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
BIN=$BUILD/bench/bin
MAKE=${MAKE:-make}
BPFTOOL=${BPFTOOL:-$(command -v bpftool 2>/dev/null)}
QUICK=0
if [ "${1:-}" = --quick ]; then
	QUICK=1
	shift
fi
WANT=${*:-load events kcost footprint}
if [ $# -eq 0 ]; then
	if [ "$QUICK" = 1 ]; then
		[ "${BENCH_VM:-0}" = 1 ] && WANT="$WANT vm"
	else
		[ "${BENCH_VM:-1}" = 1 ] && WANT="$WANT vm"
	fi
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FIGURES=$TMP/figures
: >"$FIGURES"

if [ "$QUICK" = 1 ]; then
	RUNS=1 WARMUP=0 EVENT_RUNS=1 EVENT_SECONDS=0.05 KCOST_ROUNDS=1 KCOST_CALLS=2000
else
	RUNS=${BENCH_RUNS:-9} WARMUP=1 EVENT_RUNS=${BENCH_EVENT_RUNS:-7}
	EVENT_SECONDS=${BENCH_EVENT_SECONDS:-1} KCOST_ROUNDS=7 KCOST_CALLS=200000
fi

. bench/lib.sh
. bench/load.sh
. bench/core_pass.sh
. bench/events.sh
. bench/kcost.sh
. bench/footprint.sh
. bench/vm.sh

if [ "$(id -u)" != 0 ]; then
	result SKIP "benchmarks: not root; they load BPF programs (sudo make bench)"
	[ "$QUICK" = 1 ] && exit 0
	exit 1
fi
for f in measure load_ours events_ours kcost core_ours libbpf_load libbpf_events libbpf_memcpy_stat \
	libbpf_core; do
	if [ ! -x "$BIN/$f" ]; then
		result FAIL "benchmarks: $BIN/$f is missing; run make bench-build"
		exit 1
	fi
done
command -v strace >/dev/null 2>&1 || { result FAIL "benchmarks: strace is missing (bench/install-deps.sh)"; exit 1; }

START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for b in $WANT; do
	case $b in
	load) bench_load; bench_core_pass ;;
	events) bench_events ;;
	kcost) bench_kcost ;;
	footprint) bench_footprint ;;
	vm) bench_vm ;;
	*) result FAIL "benchmarks: no benchmark called $b" ;;
	esac
done
[ "$QUICK" = 1 ] && exit 0

# ---- the table, the bench: lines, the targets -----------------------------
ratio() {
	awk -v o="$1" -v p="$2" 'BEGIN {
		if (o == "-" || p == "-" || o == "" || p == "" || p + 0 == 0) print "-";
		else printf "%.2f\n", o / p }'
}

echo
echo "Benchmarks: $(uname -r), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - START )) s"
[ -f "$TMP/vm.kernel" ] && echo "guest (section vm): $(cat "$TMP/vm.kernel"), qemu software emulation (TCG), 2 vCPUs"
section=
while read -r sec name ours peer unit; do
	if [ "$sec" != "$section" ]; then
		section=$sec
		echo
		printf '%-52s %12s %12s %7s  %s\n' "$sec" ours peer ratio unit
	fi
	printf '%-52s %12s %12s %7s  %s\n' "$name" "$ours" "$peer" "$(ratio "$ours" "$peer")" "$unit"
done <"$FIGURES"
echo
while read -r sec name ours peer unit; do
	echo "bench: $name ours $ours peer $peer ratio $(ratio "$ours" "$peer") $unit"
done <"$FIGURES"

# A target is met, missed, or not measured in this run.
value() { awk -v n="$1" -v c="$2" '$2 == n { print $c; exit }' "$FIGURES"; }
verdict() {
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "" || v == "-") { print "not measured"; exit }
		ok = op == "<=" ? v + 0 <= t + 0 : v + 0 >= t + 0
		print ok ? "met" : "MISSED" }'
}
target() {
	printf 'target: %-58s %-12s %s\n' "$1" "$(verdict "$2" "$3" "$4")" "(${2:--} $3 $4)"
}
echo
m=$(awk '$2 ~ /^load\.median_object/ { print $2; exit }' "$FIGURES")
target "load ratio to bpftool, median object" "$(ratio "$(value "$m" 3)" "$(value "$m" 4)")" "<=" 0.30
worst=$(awk '$2 ~ /^events\./ && $4 + 0 > 0 { r = $3 / $4; if (!n++ || r < w) w = r } END { if (n) printf "%.2f\n", w }' "$FIGURES")
target "events/s ratio to libbpf, worst configuration" "$worst" ">=" 1.0
worst=$(awk '$2 ~ /^drain\./ && $4 + 0 > 0 { r = $3 / $4; if (!n++ || r > w) w = r } END { if (n) printf "%.2f\n", w }' "$FIGURES")
target "reader ns/record (drain) ratio to libbpf, worst buffer and size" "$worst" "<=" 1.0
silent=$(awk '$2 ~ /^unaccounted\./ { s += $3 } END { print s + 0 }' "$FIGURES")
target "events lost silently by our readers, all runs" "$silent" "<=" 0
for c in 1 2; do
	n=kcost.tracepoint.${c}cpu.vs_shared
	target "kernel ns/run ratio to the shared counter, $c CPU(s)" "$(ratio "$(value "$n" 3)" "$(value "$n" 4)")" "<=" 1.0
done
for c in 1 2; do
	n=kcost.kprobe_guest.${c}cpu.vs_shared
	grep -q " $n " "$FIGURES" &&
		target "guest kprobe ns/run ratio to the shared counter, $c CPU(s)" \
			"$(ratio "$(value "$n" 3)" "$(value "$n" 4)")" "<=" 1.0
done
target "memcpy_stat static musl, stripped (KiB)" "$(value size.memcpy_stat.static_musl 3)" "<=" 300
target "memcpy_stat peak RSS, dynamic, until attach (KiB)" \
	"$(value rss.memcpy_stat_until_attach.dynamic.vs_libbpf 3)" "<=" 2048
n=$(awk '$2 ~ /^rss\.memcpy_stat\.guest/ { print $2; exit }' "$FIGURES")
[ -n "$n" ] && target "memcpy_stat peak RSS, whole run in the guest (KiB)" "$(value "$n" 3)" "<=" 2048
target "bpfload peak RSS on a CO-RE object (KiB)" "$(value rss.bpfload_core_object.vs_bpftool 3)" "<=" 6144
[ -f "$TMP/musl-sizes.line" ] && echo "musl static, stripped: $(cat "$TMP/musl-sizes.line")"
exit 0
