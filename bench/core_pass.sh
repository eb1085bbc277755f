# SPDX-License-Identifier: BSD-2-Clause
# core_pass.sh - benchmark 1's second half: the CO-RE pass alone, the
# time and peak-RSS growth from /sys/kernel/btf/vmlinux to resolved
# relocations: bench/core_ours (bl_object_core_resolve) against
# bench/peer/libbpf_core (the same stretch timed inside libbpf's
# bpf_object__load()).  Each runs RUNS times, in turn, one process per
# run; the figures are medians.  Sourced by bench/run.sh, run with "load".

bench_core_pass() {
	load_objects | while read -r name obj skip; do
		[ -f "$obj" ] || continue
		# only objects with CO-RE records
		"$BIN/core_ours" "$obj" >"$TMP/core.one" 2>/dev/null || continue
		[ "$(field relocations <"$TMP/core.one")" -gt 0 ] 2>/dev/null || continue
		progress "CO-RE pass: $name"
		: >"$TMP/core.ours"
		: >"$TMP/core.libbpf"
		bad=
		r=0
		while [ "$r" -lt "$RUNS" ]; do
			"$BIN/core_ours" "$obj" >>"$TMP/core.ours" 2>"$TMP/core.err" ||
				bad="ours: $(head -n 1 "$TMP/core.err")"
			"$BIN/libbpf_core" "$obj" >>"$TMP/core.libbpf" 2>"$TMP/core.err" ||
				bad="${bad:+$bad; }libbpf: $(head -n 1 "$TMP/core.err")"
			r=$((r + 1))
		done
		for k in total_ms hwm_kib; do
			for who in ours libbpf; do
				awk -v k="$k" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' \
					"$TMP/core.$who" | median >"$TMP/core.$k.$who"
			done
		done
		figure load "core_pass.$name.vs_libbpf" "$(cat "$TMP/core.total_ms.ours")" \
			"$(cat "$TMP/core.total_ms.libbpf")" ms
		figure load "core_pass_rss_growth.$name.vs_libbpf" "$(cat "$TMP/core.hwm_kib.ours")" \
			"$(cat "$TMP/core.hwm_kib.libbpf")" KiB
		case $bad in
		'') result PASS "core-pass-$name: $(field relocations <"$TMP/core.one") CO-RE records resolved by ours and by libbpf" ;;
		ours:*) result FAIL "core-pass-$name: $bad" ;;
		*) result SKIP "core-pass-$name: $bad" ;;
		esac
	done
}
