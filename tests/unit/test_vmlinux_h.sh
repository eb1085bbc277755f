#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# test_vmlinux_h.sh - the vmlinux.h that "bpfload btf dump" writes, checked
# against bpftool's (the oracle, libbpf's btf_dump) and against BTF itself,
# for every kernel at hand:
#   - this machine's /sys/kernel/btf/vmlinux;
#   - every kernel cached for the qemu guests
#     ($BPFLOAD_VM_CACHE/kernels/*/vmlinuz, default /var/cache/bpfload-vm),
#     whose BTF tests/unit/kernel_btf.sh takes out of the boot image
#     (no booting); their vmlinux ELF, where there is one, is read too;
#   - a module-like split BTF on top of this machine's (btf_layout mksplit),
#     and the modules in /sys/kernel/btf, if any;
#   - tests/kern/dump_types.bpf.o, C types clang compiled for the purpose.
# For each:
#   compiles     the header compiles with clang -target bpf -Wall -Werror,
#                with <bpf/bpf_helpers.h> after a kernel's
#   layout       sizeof, __alignof__, offsetof and member sizeof of every
#                named struct, union and typedef'd anonymous one, compiled
#                against both headers (tests/unit/btf_layout.c): ours must
#                agree with BTF wherever bpftool's does, and with bpftool's
#                wherever BTF cannot say
#   bitfields    every type with bitfields, as clang -g describes it from
#                our header, against the kernel's BTF, bit by bit
#   raw-listing  --format raw is byte for byte bpftool's listing
#   from-elf     the vmlinux ELF gives the same header as its raw BTF
# Run from the repository root (tests/run-all.sh does), as any user.
set -u
BUILD=${BUILD:-build}
BPFLOAD=${BPFLOAD:-./bpfload}
LAYOUT=$BUILD/tests/bin/btf_layout
CACHE=${BPFLOAD_VM_CACHE:-/var/cache/bpfload-vm}
WORK=$BUILD/tests/vmlinux-h
HERE=$(dirname "$(readlink -f "$0")")
T=vmlinux_h
CLANG="clang -target bpf -O2 -Wno-everything"

pass() { echo "PASS $T/$*"; }
fail() { echo "FAIL $T/$*"; }
skip() { echo "SKIP $T/$*"; }

# The first line of a file, for messages.
first_line() {
	head -n 1 "$1" 2>/dev/null | tr -d '\n'
}

for tool in clang llvm-objcopy; do
	if ! command -v $tool >/dev/null 2>&1; then
		skip "all: $tool is not installed (apt-get install clang llvm)"
		exit 0
	fi
done
have_bpftool=1
command -v bpftool >/dev/null 2>&1 || have_bpftool=0
mkdir -p "$WORK"

# check NAME BTF [BASE]: the checks above for one BTF source.
check() {
	name=$1 btf=$2 base=${3:-}
	d=$WORK/$name
	mkdir -p "$d"
	base_ours= base_theirs= base_layout=
	if [ -n "$base" ]; then
		base_ours="--base $base" base_theirs="-B $base" base_layout="--base $base"
	fi

	# shellcheck disable=SC2086
	if ! $BPFLOAD btf dump "$btf" $base_ours >"$d/ours.h" 2>"$d/ours.err"; then
		fail "$name/dump: $(first_line "$d/ours.err")"
		return
	fi
	# a kernel's header also serves <bpf/bpf_helpers.h> (__u64 and friends)
	helpers=
	grep -q ' __u64;$' "$d/ours.h" && helpers='#include <bpf/bpf_helpers.h>'
	printf '#include "vmlinux.h"\n%s\nint dummy;\n' "$helpers" >"$d/include.c"
	cp "$d/ours.h" "$d/vmlinux.h"
	if clang -target bpf -O2 -g -Wall -Wextra -Werror -c "$d/include.c" -o "$d/include.o" \
		2>"$d/include.err"; then
		pass "$name/compiles: $(wc -l <"$d/ours.h") lines"
	else
		fail "$name/compiles: $(grep -m1 error "$d/include.err")"
	fi

	if [ $have_bpftool = 0 ]; then
		skip "$name/layout: bpftool, the oracle, is not installed (apt-get install bpftool)"
		skip "$name/raw-listing: bpftool is not installed"
	else
		# shellcheck disable=SC2086
		if ! bpftool btf dump file "$btf" $base_theirs format c >"$d/bpftool.h" 2>"$d/bpftool.err"; then
			fail "$name/layout: bpftool cannot dump $btf: $(first_line "$d/bpftool.err")"
		else
			layout "$name" "$btf" "$base_layout"
		fi
		# shellcheck disable=SC2086
		$BPFLOAD btf dump "$btf" $base_ours --format raw >"$d/ours.raw" 2>&1
		# shellcheck disable=SC2086
		bpftool btf dump file "$btf" $base_theirs >"$d/bpftool.raw" 2>&1
		if cmp -s "$d/ours.raw" "$d/bpftool.raw"; then
			pass "$name/raw-listing: $(wc -l <"$d/ours.raw") lines, the same as bpftool's"
		else
			fail "$name/raw-listing: differs from bpftool's: $(diff "$d/ours.raw" "$d/bpftool.raw" | sed -n 2p)"
		fi
	fi
	bitfields "$name" "$btf" "$base_layout"
}

# layout NAME BTF BASE_OPTION: the values table against both headers.
layout() {
	name=$1 btf=$2
	# shellcheck disable=SC2086
	if ! $LAYOUT gen $3 "$btf" "$d/checks" >"$d/gen.out" 2>&1; then
		fail "$name/layout: btf_layout gen failed: $(first_line "$d/gen.out")"
		return
	fi
	for h in ours bpftool; do
		if ! $CLANG -ferror-limit=3 -include "$d/$h.h" -c "$d/checks.c" -o "$d/checks-$h.o" \
			2>"$d/checks-$h.err"; then
			fail "$name/layout: the checks do not compile against the $h header: $(grep -m1 error "$d/checks-$h.err")"
			return
		fi
		llvm-objcopy -O binary --only-section=.rodata "$d/checks-$h.o" "$d/checks-$h.bin"
	done
	if $LAYOUT compare "$d/checks.labels" "$d/checks-ours.bin" "$d/checks-bpftool.bin" >"$d/compare.out"; then
		pass "$name/layout: $(first_line "$d/gen.out"): $(first_line "$d/compare.out")"
	else
		fail "$name/layout: $(first_line "$d/compare.out")"
	fi
}

# bitfields NAME BTF BASE_OPTION: clang's view of our header, bit by bit.
bitfields() {
	name=$1 btf=$2
	# shellcheck disable=SC2086
	[ -f "$d/checks_bits.c" ] || $LAYOUT gen $3 "$btf" "$d/checks" >"$d/gen.out" 2>&1
	if ! $CLANG -g -include "$d/ours.h" -c "$d/checks_bits.c" -o "$d/bits-ours.o" 2>"$d/bits.err"; then
		fail "$name/bitfields: the check does not compile: $(grep -m1 error "$d/bits.err")"
		return
	fi
	# shellcheck disable=SC2086
	if $LAYOUT verify $3 "$btf" "$d/bits-ours.o" >"$d/verify.out" 2>&1; then
		pass "$name/bitfields: $(first_line "$d/verify.out")"
	else
		fail "$name/bitfields: $(first_line "$d/verify.out")"
	fi
}

# This machine's kernel.
if [ -r /sys/kernel/btf/vmlinux ]; then
	check "host-$(uname -r)" /sys/kernel/btf/vmlinux
	if $LAYOUT mksplit /sys/kernel/btf/vmlinux "$WORK/demo-module.btf" >/dev/null 2>"$WORK/mksplit.err"; then
		check split-demo-module "$WORK/demo-module.btf" /sys/kernel/btf/vmlinux
	else
		fail "split-demo-module: btf_layout mksplit failed: $(first_line "$WORK/mksplit.err")"
	fi
	for m in /sys/kernel/btf/*; do
		[ "$m" = /sys/kernel/btf/vmlinux ] || [ ! -f "$m" ] && continue
		check "host-module-$(basename "$m")" "$m" /sys/kernel/btf/vmlinux
	done
else
	skip "host: /sys/kernel/btf/vmlinux is missing (a kernel without CONFIG_DEBUG_INFO_BTF)"
fi

# C that a kernel's BTF may not show: packed, aligned, bitfields across
# units, enums of 1, 2 and 8 bytes, declarators of every shape.
if [ -f "$BUILD/tests/kern/dump_types.bpf.o" ]; then
	check object-dump_types "$BUILD/tests/kern/dump_types.bpf.o"
else
	fail "object-dump_types: $BUILD/tests/kern/dump_types.bpf.o was not built"
fi

# The guests' kernels, from their boot images.
found=0
for vmlinuz in "$CACHE"/kernels/*/vmlinuz; do
	[ -f "$vmlinuz" ] || continue
	found=$((found + 1))
	name=$(basename "$(dirname "$vmlinuz")")
	kd=$WORK/$name
	if [ ! -s "$kd/vmlinux.btf" ] || [ "$vmlinuz" -nt "$kd/vmlinux.btf" ]; then
		if ! "$HERE/kernel_btf.sh" "$vmlinuz" "$kd" >"$WORK/$name.extract" 2>&1; then
			fail "$name/extract: $(tail -n 1 "$WORK/$name.extract")"
			continue
		fi
	fi
	check "$name" "$kd/vmlinux.btf"
	if [ -f "$kd/vmlinux" ]; then
		if $BPFLOAD btf dump "$kd/vmlinux" >"$kd/from-elf.h" 2>"$kd/from-elf.err" &&
			cmp -s "$kd/from-elf.h" "$kd/ours.h"; then
			pass "$name/from-elf: the vmlinux ELF's .BTF gives the same header"
		else
			fail "$name/from-elf: $(first_line "$kd/from-elf.err")"
		fi
		rm -f "$kd/vmlinux"	# tens of megabytes; the BTF is kept
	fi
done
[ $found -gt 0 ] || skip "guest-kernels: none cached in $CACHE/kernels (make test-vm downloads them)"
exit 0
