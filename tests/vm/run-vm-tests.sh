#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-vm-tests.sh ARCH - the kernel tests inside Debian's stock kernel for
# ARCH (x86_64 or arm64) under qemu.
#
# Builds static tools and the static kernel-test binary for ARCH (cross-
# compiling for arm64, with the BPF programs rebuilt for arm64's pt_regs),
# stages them in build/vm-ARCH/guest/, and boots them with run-vm.sh,
# which prints the guest's result lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
arch=${1:?usage: run-vm-tests.sh x86_64|arm64}
BUILD=${BUILD:-build}
vmbuild=$BUILD/vm-$arch
guest=$vmbuild/guest

case $arch in
x86_64) cross= ;;
arm64) cross=aarch64-linux-gnu- ;;
*) echo "FAIL setup: unknown architecture $arch"; exit 1 ;;
esac

# The cross compiler and the arm64 C library come from Debian's packages.
if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null 2>&1; then
	echo "# installing gcc-aarch64-linux-gnu and libc6-dev-arm64-cross"
	apt-get install -y -q --no-install-recommends gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
		>"$BUILD/apt-cross.log" 2>&1 ||
		{ echo "FAIL setup: cannot install the arm64 cross compiler (see $BUILD/apt-cross.log)"; exit 1; }
fi

rm -rf "$guest"	# only what this build made goes into the guest
mkdir -p "$guest/bin"
if ! make -s BUILD="$vmbuild" BINDIR="$guest/bin" CC="${cross}gcc" AR="${cross}ar" \
	CFLAGS="-O2 -Wall" LDFLAGS="-static -s" kernel-tests test-objects >"$vmbuild/build.log" 2>&1; then
	echo "FAIL build: static $arch build failed; last lines of $vmbuild/build.log:"
	tail -n 20 "$vmbuild/build.log"
	exit 1
fi
cp "$vmbuild"/tests/bin/ktest_* "$guest/bin/"
mkdir -p "$guest/objs"
cp "$vmbuild"/tests/kern/*.bpf.o "$guest/objs/"

cat >"$guest/run-guest.sh" <<'GUEST'
#!/bin/sh
# Runs inside the guest (busybox sh), from /init.
echo "# guest kernel: $(uname -r) $(uname -m)"
for t in /opt/t/bin/ktest_*; do
	"$t" --bindir /opt/t/bin --objdir /opt/t/objs --expect-kprobes
done
GUEST

exec tests/vm/run-vm.sh "$arch" "$guest" "$vmbuild"
