#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-all.sh PART... - run test parts and count their result lines.
#   unit       ELF reader and object parser, no kernel needed
#   host       the installed library and the README's example built
#              against it (tests/install), then kernel tests on this
#              machine (root)
#   vm-x86_64  kernel tests in Debian's x86_64 kernel under qemu
#   vm-arm64   kernel tests in Debian's arm64 kernel under qemu
#
# Every test prints "PASS name", "FAIL name: why" or "SKIP name: why";
# this script prefixes names with the part, prints a summary per part and
# ends with the line "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
results=$(mktemp)
trap 'rm -f "$results"' EXIT

# Prefix result lines with the part's name (unless they carry it already)
# and keep a copy for counting.
label() {
	part=$1
	sed -u -e "/^\(PASS\|FAIL\|SKIP\) $part\//!s/^\(PASS\|FAIL\|SKIP\) /\1 $part\//" |
		tee -a "$results"
}

summary() {
	part=$1 start=$2
	p=$(grep -c "^PASS $part/" "$results")
	f=$(grep -c "^FAIL $part/" "$results")
	s=$(grep -c "^SKIP $part/" "$results")
	echo "== $part: $p passed, $f failed, $s skipped in $(( $(date +%s) - start )) s"
}

run_unit() {
	for t in tests/unit/*.sh; do
		"$t" 2>&1 || echo "FAIL $(basename "$t"): exited with status $?"
	done | label unit
	for t in "$BUILD"/tests/bin/test_*; do
		"$t" "$BUILD"/tests/kern/*.bpf.o 2>&1 || echo "FAIL $(basename "$t"): exited with status $?"
	done | label unit
}

run_host() {
	# needs cc and pkg-config, which the qemu guests lack: host only
	tests/install/test_install.sh 2>&1 | label host
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP kernel-tests: not root; run as root (sudo make test)" | label host
		return
	fi
	for t in "$BUILD"/tests/bin/ktest_* "$BUILD"/tests/bin/htest_*; do
		[ -x "$t" ] || continue
		"$t" --bindir . --objdir "$BUILD/tests/kern" 2>&1
	done | label host
}

run_vm() {
	arch=$1
	tests/vm/run-vm-tests.sh "$arch" 2>&1 | label "vm-$arch"
}

for part in "$@"; do
	start=$(date +%s)
	echo "== $part"
	case $part in
	unit) run_unit ;;
	host) run_host ;;
	vm-*) run_vm "${part#vm-}" ;;
	*) echo "FAIL $part: unknown test part" | tee -a "$results" ;;
	esac
	summary "$part" "$start"
done

p=$(grep -c '^PASS ' "$results")
f=$(grep -c '^FAIL ' "$results")
s=$(grep -c '^SKIP ' "$results")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
