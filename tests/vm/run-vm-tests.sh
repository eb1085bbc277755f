#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-vm-tests.sh ARCH [KERNEL] - the kernel tests inside Debian's stock
# kernel KERNEL (5.10, 6.1 or 6.12; default 6.1) for ARCH (x86_64 or arm64)
# under qemu.
#
# Builds static tools and the static kernel-test binaries for ARCH (cross-
# compiling for arm64, with the BPF programs rebuilt for arm64's pt_regs),
# stages them in build/vm-ARCH/guest/ (one build serves every kernel), and
# boots them with run-vm.sh, which prints the guest's result lines. The
# console log goes to build/vm-KERNEL-ARCH/.
#
# VM_TESTS="ktest_core ktest_btf" runs only those binaries (for working on
# one of them; make test runs them all).
set -u
cd "$(dirname "$0")/../.." || exit 2
arch=${1:?usage: run-vm-tests.sh x86_64|arm64 [5.10|6.1|6.12]}
kernel=${2:-${KERNEL:-6.1}}
BUILD=${BUILD:-build}
vmbuild=$BUILD/vm-$arch
guest=$vmbuild/guest
logdir=$BUILD/vm-$kernel-$arch

# The uprobe tests trace a dynamically linked PIE program and its shared
# library (tests/target): the guest gets their C library and dynamic
# loader in /opt/t/lib, which the program names as its interpreter.
case $arch in
x86_64) cross= libc_dir=/lib/x86_64-linux-gnu ld_so=/lib64/ld-linux-x86-64.so.2 ;;
arm64) cross=aarch64-linux-gnu- libc_dir=/usr/aarch64-linux-gnu/lib
	ld_so=/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ;;
*) echo "FAIL setup: unknown architecture $arch"; exit 1 ;;
esac
mkdir -p "$vmbuild" "$logdir"

# The cross compiler and the arm64 C library come from Debian's packages
# (amd64 packages: no foreign dpkg architecture is needed).
if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null 2>&1; then
	echo "# installing gcc-aarch64-linux-gnu and libc6-dev-arm64-cross"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		gcc-aarch64-linux-gnu libc6-dev-arm64-cross >"$vmbuild/apt-cross.log" 2>&1 ||
		{ echo "FAIL setup: cannot install the arm64 cross compiler (see $vmbuild/apt-cross.log)"; exit 1; }
fi

rm -rf "$guest"	# only what this build made goes into the guest
mkdir -p "$guest/bin"
if ! make -s BUILD="$vmbuild" BINDIR="$guest/bin" CC="${cross}gcc" AR="${cross}ar" \
	CFLAGS="-O2 -Wall" LDFLAGS="-static -s" \
	TARGET_LDFLAGS="-Wl,--dynamic-linker=/opt/t/lib/ld.so -Wl,-rpath,/opt/t/lib" \
	kernel-tests test-objects >"$vmbuild/build.log" 2>&1; then
	echo "FAIL build: static $arch build failed; last lines of $vmbuild/build.log:"
	tail -n 20 "$vmbuild/build.log"
	exit 1
fi
cp "$vmbuild"/tests/bin/ktest_* "$vmbuild"/tests/bin/uprobe_target \
	"$vmbuild"/tests/bin/libuprobe_target.so "$guest/bin/"
mkdir -p "$guest/lib"
cp -L "$ld_so" "$guest/lib/ld.so" && cp -L "$libc_dir/libc.so.6" "$guest/lib/" ||
	{ echo "FAIL build: cannot copy the $arch C library for the uprobe target"; exit 1; }
mkdir -p "$guest/objs"
cp "$vmbuild"/tests/kern/*.bpf.o "$guest/objs/"

# The guest script: every ktest_* binary (or those VM_TESTS names), with
# --expect-kprobes (Debian's kernels have kprobes: their absence is a
# failure there) and --guest (nothing but busybox and these files is in
# the guest, which changes what some skips must say).
{
	echo '#!/bin/sh'
	echo '# Runs inside the guest (busybox sh), from /init.'
	echo "tests='${VM_TESTS:-}'"
	cat <<'GUEST'
echo "# guest kernel: $(uname -r) $(uname -m): $(cat /proc/version)"
for t in /opt/t/bin/ktest_*; do
	if [ -n "$tests" ]; then
		case " $tests " in *" ${t##*/} "*) ;; *) continue ;; esac
	fi
	"$t" --bindir /opt/t/bin --objdir /opt/t/objs --expect-kprobes --guest
done
# Kernel lockdown, once raised, stays until the next boot: its tests come
# after every other.
case " ${tests:-ktest_privileges} " in *" ktest_privileges "*)
	/opt/t/bin/ktest_privileges --bindir /opt/t/bin --objdir /opt/t/objs --guest --lockdown ;;
esac
GUEST
} >"$guest/run-guest.sh"

exec env KERNEL="$kernel" tests/vm/run-vm.sh "$arch" "$guest" "$logdir"
