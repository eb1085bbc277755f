# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - helpers the benchmark scripts share (sourced by bench/run.sh).
#
# Every figure is one line in $FIGURES:
#   SECTION NAME OURS PEER UNIT
# run.sh turns them into the table and the "bench: NAME ours V peer V
# ratio R UNIT" lines.  A value that does not exist (no peer) is "-".

# figure SECTION NAME OURS PEER UNIT
figure() {
	echo "$1 $2 $3 $4 $5" >>"$FIGURES"
}

# Quick mode's result lines (tests/run-all.sh counts them); in the full
# run they go to stderr as notes.
result() {
	if [ "$QUICK" = 1 ]; then
		echo "$1 bench/$2"
	elif [ "$1" != PASS ]; then
		echo "note: $1 bench/$2" >&2
	fi
}

progress() {
	[ "$QUICK" = 1 ] || echo "# $*" >&2
}

# The median of the numbers on stdin (one per line); "-" when none.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# field NAME < line: the word after NAME in a "key value key value" line.
field() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# The value of key NAME on the line of measure's output for group GROUP.
measured() {
	awk -v g="$1" -v k="$2" '$1 == g { for (i = 2; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$3"
}

# Stripped size of a binary in KiB (one decimal).
stripped_kib() {
	strip -o "$TMP/stripped" "$1" 2>/dev/null || { echo -; return; }
	awk -v b="$(wc -c <"$TMP/stripped")" 'BEGIN { printf "%.1f\n", b / 1024 }'
}

# bpf(2) calls a command makes: strace -f, every thread and child, the
# same way for our loader and the peers.  Prints "TOTAL PROG_LOADS BTF_LOADS".
count_bpf_calls() {
	strace -f -qq -e trace=bpf -o "$TMP/strace" "$@" >/dev/null 2>&1
	awk '/bpf\(/ { n++ } /bpf\(BPF_PROG_LOAD/ { p++ } /bpf\(BPF_BTF_LOAD/ { b++ }
		END { printf "%d %d %d\n", n, p, b }' "$TMP/strace"
}
