#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# core_load.sh OBJECT.bpf.o... - wall time and peak RSS of loading each
# object (every program through the verifier) with bpfload --load-only
# and with bpftool prog loadall (libbpf), median of RUNS runs.  Root.
set -u
RUNS=${RUNS:-21}
BPFLOAD=${BPFLOAD:-./bpfload}
pin=/sys/fs/bpf/bench_core_load_$$	# bpffs names have no dots

# median wall ms over RUNS runs of a command (a run that fails: "failed")
median_ms() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo failed; rm -rf "$pin"; return; }
		e=$(date +%s%N)
		rm -rf "$pin"
		echo $(( (e - s) / 1000 ))
		i=$((i + 1))
	done | sort -n | awk '/failed/ { print "failed"; exit } { v[NR] = $1 }
		END { if (NR) printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'
}

peak_kib() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	rm -rf "$pin"
}

[ "$(id -u)" = 0 ] || { echo "core_load.sh: loading needs root" >&2; exit 1; }
command -v bpftool >/dev/null || { echo "core_load.sh: bpftool not found (apt-get install bpftool)" >&2; exit 1; }
[ -x /usr/bin/time ] || echo "core_load.sh: /usr/bin/time missing (apt-get install time): no RSS" >&2
mount | grep -q ' /sys/fs/bpf ' || mount -t bpf bpf /sys/fs/bpf
printf '%-24s %14s %14s %10s %12s %12s\n' object "bpfload ms" "bpftool ms" ratio "bpfload KiB" "bpftool KiB"
for obj in "$@"; do
	a=$(median_ms "$BPFLOAD" --load-only "$obj")
	b=$(median_ms bpftool prog loadall "$obj" "$pin")
	ra=$( [ -x /usr/bin/time ] && peak_kib "$BPFLOAD" --load-only "$obj" || echo -)
	rb=$( [ -x /usr/bin/time ] && peak_kib bpftool prog loadall "$obj" "$pin" || echo -)
	printf '%-24s %14s %14s %10s %12s %12s\n' "$(basename "$obj")" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" "$ra" "$rb"
done
