#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# btf_dump.sh [BTF] - a benchmark, not a test: how long "bpfload btf dump"
# and "bpftool btf dump" take to write a vmlinux.h (format c) and the raw
# listing of BTF (default /sys/kernel/btf/vmlinux), best of 5 runs each,
# and how many lines each header has.  Run from the repository root after
# make; nothing is asserted.
set -u
btf=${1:-/sys/kernel/btf/vmlinux}
BPFLOAD=${BPFLOAD:-./bpfload}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# best NAME COMMAND...: the fastest of 5 runs, in milliseconds
best() {
	name=$1
	shift
	min=
	for _ in 1 2 3 4 5; do
		start=$(date +%s%N)
		"$@" >"$out/$name" 2>/dev/null || { echo "$name: failed"; return; }
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		[ -z "$min" ] || [ "$ms" -lt "$min" ] && min=$ms
	done
	printf '%-18s %5d ms  %7d lines\n' "$name" "$min" "$(wc -l <"$out/$name")"
}

echo "BTF: $btf ($(wc -c <"$btf") bytes)"
best bpfload-c "$BPFLOAD" btf dump "$btf"
best bpfload-raw "$BPFLOAD" btf dump "$btf" --format raw
if command -v bpftool >/dev/null 2>&1; then
	best bpftool-c bpftool btf dump file "$btf" format c
	best bpftool-raw bpftool btf dump file "$btf"
else
	echo "bpftool is not installed: no comparison"
fi
