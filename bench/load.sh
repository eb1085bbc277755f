# SPDX-License-Identifier: BSD-2-Clause
# load.sh - benchmark 1: open + load (+ pin, + attach) of real objects,
# ours (bench/load_ours) against libbpf (bench/peer/libbpf_load) and
# bpftool (`bpftool prog loadall OBJ DIR`, which pins every program).
# Sourced by bench/run.sh.
#
# For each object, measure runs in alternation:
#   ours, libbpf, bpftool   open, load, pin (bpftool's work; ours and
#                           libbpf pin the maps as well)
#   ours+attach, libbpf+attach   open, load, attach every tracepoint and
#                           raw tracepoint program (the kinds both attach
#                           here), detach, close
# and records the median wall time and peak RSS, then counts each
# loader's bpf(2) calls with strace -f (count_bpf_calls), for all alike.

# NAME PATH SKIP: the objects, built by make bench-build.  SKIP is a
# section prefix neither loader is to load ("-": none).  bpftool cannot
# leave programs out, so objects with a SKIP are not given to it.
load_objects() {
	cat <<EOF
exec_trace $BUILD/bench/kern/exec_trace.bpf.o -
sched_lat $BUILD/bench/kern/sched_lat.bpf.o -
events $BUILD/bench/kern/events.bpf.o -
subprog_data $BUILD/tests/kern/subprog_data.bpf.o -
btf_types $BUILD/tests/kern/btf_types.bpf.o -
modern $BUILD/tests/kern/modern.bpf.o fentry/
core_truth $BUILD/tests/kern/core_truth.bpf.o -
core_subprog $BUILD/tests/kern/core_subprog.bpf.o -
EOF
}

bench_load() {
	pins=/sys/fs/bpf/bl-bench-pins-$$
	root=/sys/fs/bpf/bl-bench-root-$$
	clean="rm -rf $pins $root; mkdir -p $root"
	mkdir -p "$root" || { result SKIP "load: cannot make $root (bpffs at /sys/fs/bpf?)"; return; }
	ratios=$TMP/load-ratios
	: >"$ratios"
	load_objects | while read -r name obj skip; do
		if [ ! -f "$obj" ]; then
			[ "$QUICK" = 1 ] || echo "note: $name: $obj not built, left out" >&2
			continue
		fi
		opts="--pin-root $root"
		[ "$skip" != - ] && opts="$opts --skip $skip"
		with_bpftool=1
		[ "$skip" != - ] && with_bpftool=0
		[ -n "$BPFTOOL" ] || with_bpftool=0
		progress "load: $name"
		set -- ours --cleanup="$clean" "$BIN/load_ours" $opts --pin "$pins" "$obj" ::: \
			libbpf --cleanup="$clean" "$BIN/libbpf_load" $opts --pin "$pins" "$obj"
		[ "$with_bpftool" = 1 ] && set -- "$@" ::: \
			bpftool --cleanup="$clean" "$BPFTOOL" prog loadall "$obj" "$pins"
		set -- "$@" ::: ours+attach --cleanup="$clean" "$BIN/load_ours" $opts --attach "$obj" ::: \
			libbpf+attach --cleanup="$clean" "$BIN/libbpf_load" $opts --attach "$obj"
		if ! "$BIN/measure" -n "$RUNS" -w "$WARMUP" "$@" >"$TMP/m" 2>&1; then
			# which one failed: ours is a failure, a peer a skip
			if [ "$(measured ours fail "$TMP/m")" != 0 ] || [ "$(measured ours+attach fail "$TMP/m")" != 0 ]; then
				result FAIL "load-$name: our loader failed on $obj: $("$BIN/load_ours" $opts "$obj" 2>&1 | head -n 1)"
				eval "$clean"
				continue
			fi
			result SKIP "load-$name: a peer failed on $obj"
		fi
		eval "$clean"
		o=$(measured ours wall_ms "$TMP/m")
		l=$(measured libbpf wall_ms "$TMP/m")
		figure load "load.$name.vs_libbpf" "$o" "$l" ms
		figure load "attach.$name.vs_libbpf" "$(measured ours+attach wall_ms "$TMP/m")" \
			"$(measured libbpf+attach wall_ms "$TMP/m")" ms
		figure load "rss.$name.vs_libbpf" "$(measured ours rss_kib "$TMP/m")" \
			"$(measured libbpf rss_kib "$TMP/m")" KiB
		calls_ours=$(count_bpf_calls "$BIN/load_ours" $opts --pin "$pins" "$obj"); eval "$clean"
		calls_libbpf=$(count_bpf_calls "$BIN/libbpf_load" $opts --pin "$pins" "$obj"); eval "$clean"
		set -- $calls_ours $calls_libbpf
		figure load "bpf_calls.$name.vs_libbpf" "$1" "$4" calls
		figure load "prog_loads.$name.vs_libbpf" "$2" "$5" calls
		figure load "btf_loads.$name.vs_libbpf" "$3" "$6" calls
		if [ "$with_bpftool" = 1 ]; then
			b=$(measured bpftool wall_ms "$TMP/m")
			figure load "load.$name.vs_bpftool" "$o" "$b" ms
			figure load "rss.$name.vs_bpftool" "$(measured ours rss_kib "$TMP/m")" \
				"$(measured bpftool rss_kib "$TMP/m")" KiB
			calls_bpftool=$(count_bpf_calls "$BPFTOOL" prog loadall "$obj" "$pins"); eval "$clean"
			set -- $calls_ours $calls_bpftool
			figure load "bpf_calls.$name.vs_bpftool" "$1" "$4" calls
			figure load "prog_loads.$name.vs_bpftool" "$2" "$5" calls
			awk -v n="$name" -v o="$o" -v b="$b" 'BEGIN { if (b > 0) printf "%.6f %s %s %s\n", o / b, n, o, b }' >>"$ratios"
		fi
		result PASS "load-$name: ours, libbpf$([ "$with_bpftool" = 1 ] && echo ", bpftool") loaded $(basename "$obj") ($(echo "$calls_ours" | cut -d' ' -f1) bpf() calls for ours)"
	done
	# The median object against bpftool: the one whose ratio is the
	# median (the higher of the two middle ones for an even count).
	if [ -s "$ratios" ]; then
		sort -g "$ratios" | awk 'NR > 0 { r[NR] = $0 } END { print r[int(NR / 2) + 1] }' >"$TMP/median"
		read -r _ mname mo mb <"$TMP/median"
		figure load "load.median_object($mname).vs_bpftool" "$mo" "$mb" ms
	fi
	rm -rf "$pins" "$root"
}
