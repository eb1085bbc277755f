#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-all.sh PART... - run test parts and count their result lines.
#   unit            ELF reader and object parser, no kernel needed
#   host            the installed library and the README's example built
#                   against it (tests/install), then kernel tests on this
#                   machine (root), then the benchmarks once in their
#                   quick mode (bench/run.sh --quick)
#   vm-KERNEL-ARCH  kernel tests in Debian's KERNEL (5.10, 6.1, 6.12) for
#                   ARCH (x86_64, arm64) under qemu, e.g. vm-5.10-x86_64
#   vm              every guest of the kernel matrix, one after another
#
# Every test prints "PASS name", "FAIL name: why" or "SKIP name: why";
# this script prefixes names with the part, prints a summary per part
# (naming the kernel it ran on) and ends with the line "N passed, N
# failed, N skipped".
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}

# The kernel matrix, in the order make test runs it (one guest at a time:
# two qemu processes on two cores are slower than one after the other).
VM_MATRIX="vm-5.10-x86_64 vm-6.1-x86_64 vm-6.12-x86_64 vm-5.10-arm64 vm-6.1-arm64 vm-6.12-arm64"

results=$(mktemp)
partlog=$(mktemp)
trap 'rm -f "$results" "$partlog"' EXIT

# Package lists fetched before this are refreshed; fixed once here so that
# every guest of this run sees the same lists, hence the same kernels.
BPFLOAD_VM_LISTS_NOT_BEFORE=${BPFLOAD_VM_LISTS_NOT_BEFORE:-$(( $(date +%s) - 86400 ))}
export BPFLOAD_VM_LISTS_NOT_BEFORE

# Prefix result lines with the part's name (unless they carry it already)
# and keep a copy for counting.
label() {
	part=$1
	sed -u -e "/^\(PASS\|FAIL\|SKIP\) $part\//!s/^\(PASS\|FAIL\|SKIP\) /\1 $part\//" |
		tee -a "$results" "$partlog"
}

# The kernel a part ran on: the host's own, or what the guest reported.
kernel_of() {
	case $1 in
	host) echo "Linux $(uname -r) $(uname -m)" ;;
	vm-*) sed -n "s/^$1: guest ran \(Linux [^ ]*\) (Debian package [^ ]* \([^)]*\)).*/\1, Debian \2/p" "$partlog" |
		tail -n 1 ;;
	esac
}

summary() {
	part=$1 start=$2
	p=$(grep -c "^PASS $part/" "$results")
	f=$(grep -c "^FAIL $part/" "$results")
	s=$(grep -c "^SKIP $part/" "$results")
	k=$(kernel_of "$part")
	echo "== $part${k:+ ($k)}: $p passed, $f failed, $s skipped in $(( $(date +%s) - start )) s"
}

run_unit() {
	for t in tests/unit/check_*.sh; do
		"$t" 2>&1 || echo "FAIL $(basename "$t"): exited with status $?"
	done | label unit
	for t in "$BUILD"/tests/bin/test_*; do
		"$t" "$BUILD"/tests/kern/*.bpf.o 2>&1 || echo "FAIL $(basename "$t"): exited with status $?"
	done | label unit
	replay_fuzz 2>&1 | label unit
}

# Each fuzz target's seeds and the crash inputs kept from fuzzing
# (tests/fuzz/fuzz.mk), replayed under ASan and UBSan.
replay_fuzz() {
	for t in tests/fuzz/fuzz_*.c; do
		name=${t#tests/fuzz/fuzz_}
		name=${name%.c}
		bin=$BUILD/tests/fuzz/replay_$name
		if [ ! -x "$bin" ]; then
			echo "FAIL fuzz/$name: $bin is not built (make unit-tests)"
			continue
		fi
		inputs=$(find "tests/fuzz/corpus/$name" "tests/fuzz/regress/$name" -type f 2>/dev/null | sort)
		if [ -z "$inputs" ]; then
			echo "FAIL fuzz/$name: no inputs in tests/fuzz/corpus/$name"
			continue
		fi
		# libFuzzer stops at a malloc over 1 GB (its -malloc_limit_mb);
		# the replay must fail on the same inputs
		# shellcheck disable=SC2086 # file names without spaces, split on purpose
		if out=$(ASAN_OPTIONS="max_allocation_size_mb=1024:${ASAN_OPTIONS:-}" \
			"$bin" $inputs 2>"$partlog.replay"); then
			echo "PASS fuzz/$name: $out"
		else
			echo "FAIL fuzz/$name: exited with status $? ($(grep -m 1 -E 'ERROR|runtime error' "$partlog.replay"))"
			sed 's/^/    /' "$partlog.replay" | head -n 30
		fi
		rm -f "$partlog.replay"
	done
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
	# every benchmark once, tiny counts, no timing asserted
	BUILD=$BUILD bench/run.sh --quick 2>&1 | label host
}

# vm-KERNEL-ARCH
run_vm() {
	part=$1
	rest=${part#vm-}
	{ tests/vm/run-vm-tests.sh "${rest#*-}" "${rest%%-*}" 2>&1; echo "@@rc $?"; } |
		label "$part" | grep -v '^@@rc '
	# A harness that broke before the guest printed anything (a script
	# error, a build failure that named no test) is a failure, not a part
	# with nothing to count.
	rc=$(sed -n 's/^@@rc //p' "$partlog")
	sed -i '/^@@rc /d' "$results"
	if [ "$rc" != 0 ] && ! grep -q "^FAIL $part/" "$partlog"; then
		echo "FAIL $part/harness: tests/vm/run-vm-tests.sh exited with status $rc and named no failing test" |
			tee -a "$results"
	fi
}

parts=
for part in "$@"; do
	case $part in
	vm) parts="$parts $VM_MATRIX" ;;
	*) parts="$parts $part" ;;
	esac
done

for part in $parts; do
	start=$(date +%s)
	: >"$partlog"
	echo "== $part"
	case $part in
	unit) run_unit ;;
	host) run_host ;;
	vm-5.10-x86_64 | vm-6.1-x86_64 | vm-6.12-x86_64 | vm-5.10-arm64 | vm-6.1-arm64 | vm-6.12-arm64)
		run_vm "$part" ;;
	*) echo "FAIL $part: unknown test part (unit, host, vm, vm-KERNEL-ARCH)" | tee -a "$results" ;;
	esac
	summary "$part" "$start"
done

p=$(grep -c '^PASS ' "$results")
f=$(grep -c '^FAIL ' "$results")
s=$(grep -c '^SKIP ' "$results")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
