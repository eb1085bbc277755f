#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# run-vm.sh ARCH GUESTDIR LOGDIR — boot Debian's stock kernel under qemu (TCG)
# with GUESTDIR as /opt/t, run /opt/t/run-guest.sh, and report its results.
#
#   ARCH      x86_64 | arm64
#   GUESTDIR  directory copied whole into the guest; must hold run-guest.sh
#   LOGDIR    receives console-ARCH.log (the whole serial console) and
#             host-setup-ARCH.log (apt output, when something was installed)
#
# Environment:
#   BPFLOAD_VM_CACHE  kernel/busybox cache (default /var/cache/bpfload-vm)
#   KERNEL_PKG        Debian kernel image package to boot, real or meta
#                     (default linux-image-amd64 / linux-image-arm64)
#   VM_TIMEOUT        seconds before qemu is killed (default 600)
#   VM_APPEND         extra kernel command line words
#
# Result protocol: the guest prints "PASS name", "FAIL name: reason" or
# "SKIP name: reason" at the start of a console line; they are re-printed here
# as "PASS vm-ARCH/name" etc., followed by "vm-ARCH: N passed, N failed, N
# skipped in T s". Exit status 0 when nothing failed, 1 otherwise, 2 on usage.

set -u

START=$(date +%s)
HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
	echo "usage: $0 x86_64|arm64 GUESTDIR LOGDIR" >&2
	exit 2
}

[ $# -eq 3 ] || usage
ARCH=$1
GUESTDIR=$2
LOGDIR=$3

case $ARCH in
x86_64)
	DEB_ARCH=amd64
	QEMU=qemu-system-x86_64
	QEMU_PKG=qemu-system-x86
	QEMU_MACHINE="-cpu max"
	CONSOLE=ttyS0
	;;
arm64)
	DEB_ARCH=arm64
	QEMU=qemu-system-aarch64
	QEMU_PKG=qemu-system-arm
	QEMU_MACHINE="-M virt -cpu max"
	CONSOLE=ttyAMA0
	;;
*) usage ;;
esac

[ -f "$GUESTDIR/run-guest.sh" ] || { echo "$0: $GUESTDIR/run-guest.sh not found" >&2; exit 2; }
mkdir -p "$LOGDIR" || exit 2
LOGDIR=$(cd "$LOGDIR" && pwd)
CACHE=${BPFLOAD_VM_CACHE:-/var/cache/bpfload-vm}
TIMEOUT=${VM_TIMEOUT:-600}
CONSOLE_LOG=$LOGDIR/console-$ARCH.log
SETUP_LOG=$LOGDIR/host-setup-$ARCH.log
TAG=vm-$ARCH

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bpfload-vm.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

# Print a failure in the result protocol, the summary line, and stop.
# Used for problems on the host side (no kernel, no qemu) before booting.
die_setup() {
	echo "FAIL $TAG/setup: $*"
	echo "$TAG: 0 passed, 1 failed, 0 skipped in $(( $(date +%s) - START )) s"
	exit 1
}

# apt-get with the dpkg lock waited for, since other jobs may hold it.
apt_get() {
	apt-get -q -o DPkg::Lock::Timeout=600 "$@" >>"$SETUP_LOG" 2>&1
}

pkg_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Install the host packages this run needs, printing one line if any are missing.
ensure_host_packages() {
	local need="" p
	for p in "$QEMU_PKG" cpio busybox-static; do
		pkg_installed "$p" || need="$need $p"
	done
	[ -z "$need" ] && return 0
	echo "run-vm: installing$need"
	apt_get install -y --no-install-recommends $need ||
		{ apt_get update && apt_get install -y --no-install-recommends $need; } ||
		die_setup "apt-get install$need failed (see $SETUP_LOG)"
}

# arm64 packages (kernel, busybox) are only visible to apt once the architecture
# is added and the lists are refreshed. Done at most once, and only on a cache miss.
ARM64_READY=
ensure_apt_arch() {
	[ "$DEB_ARCH" = amd64 ] && return 0
	[ -n "$ARM64_READY" ] && return 0
	ARM64_READY=1
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "run-vm: adding dpkg architecture arm64"
		dpkg --add-architecture arm64 || die_setup "dpkg --add-architecture arm64 failed"
		apt_get update || die_setup "apt-get update failed (see $SETUP_LOG)"
	elif ! apt-cache show "busybox-static:arm64" >/dev/null 2>&1; then
		echo "run-vm: apt-get update (arm64 package lists missing)"
		apt_get update || die_setup "apt-get update failed (see $SETUP_LOG)"
	fi
}

# Package name as apt wants it for this architecture.
apt_name() {
	if [ "$DEB_ARCH" = amd64 ]; then echo "$1"; else echo "$1:$DEB_ARCH"; fi
}

# Follow a meta package (linux-image-amd64) to the image it depends on
# (linux-image-6.1.0-NN-amd64). A real image package resolves to itself.
resolve_kernel_pkg() {
	local pkg=$1 dep
	apt-cache show "$(apt_name "$pkg")" >/dev/null 2>&1 || return 1
	dep=$(apt-cache depends "$(apt_name "$pkg")" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^: ]*\).*/\1/p' | head -n 1)
	echo "${dep:-$pkg}"
}

# apt-get download PKG into $WORK/dl, unpack it there, echo the unpack dir.
download_deb() {
	local pkg=$1 deb
	rm -rf "$WORK/dl" && mkdir -p "$WORK/dl/x" || return 1
	# apt drops privileges to _apt for downloads; let it write here.
	chown _apt "$WORK/dl" 2>/dev/null
	(cd "$WORK/dl" && apt_get download "$(apt_name "$pkg")") || return 1
	deb=$(ls "$WORK"/dl/*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || return 1
	dpkg-deb -f "$deb" Package Version Architecture >"$WORK/dl/x/.control" || return 1
	dpkg -x "$deb" "$WORK/dl/x" || return 1
	echo "$WORK/dl/x"
}

# Sets KPKG and KDIR ($CACHE/kernels/KPKG holding vmlinuz, config, version).
ensure_kernel() {
	local want=${KERNEL_PKG:-linux-image-$DEB_ARCH} map x tmp
	mkdir -p "$CACHE/kernels" || die_setup "cannot create $CACHE"
	map=$CACHE/kernels/resolved-$want-$DEB_ARCH

	KPKG=
	# A real image package that is already cached needs no apt at all.
	[ -f "$CACHE/kernels/$want/vmlinuz" ] && KPKG=$want
	# Otherwise ask apt's local lists (no network) which image the name means.
	if [ -z "$KPKG" ]; then
		KPKG=$(resolve_kernel_pkg "$want")
		# Lists unusable (arm64 not set up): fall back to the last answer if cached.
		if [ -z "$KPKG" ] && [ -f "$map" ] && [ -f "$CACHE/kernels/$(cat "$map")/vmlinuz" ]; then
			KPKG=$(cat "$map")
		fi
		if [ -z "$KPKG" ]; then
			ensure_apt_arch
			KPKG=$(resolve_kernel_pkg "$want") || die_setup "no package $want for $DEB_ARCH"
		fi
		echo "$KPKG" >"$map"
	fi
	KDIR=$CACHE/kernels/$KPKG
	[ -f "$KDIR/vmlinuz" ] && return 0

	echo "run-vm: downloading $KPKG ($DEB_ARCH) into $CACHE"
	ensure_apt_arch
	x=$(download_deb "$KPKG") || die_setup "apt-get download $KPKG failed (see $SETUP_LOG)"
	tmp=$CACHE/kernels/.$KPKG.$$
	rm -rf "$tmp" && mkdir -p "$tmp" || die_setup "cannot write $CACHE"
	cp "$x"/boot/vmlinuz-* "$tmp/vmlinuz" || die_setup "$KPKG has no boot/vmlinuz-*"
	cp "$x"/boot/config-* "$tmp/config" 2>/dev/null
	cp "$x/.control" "$tmp/version"
	rm -rf "$KDIR" && mv "$tmp" "$KDIR" || die_setup "cannot write $KDIR"
	rm -rf "$WORK/dl"
}

# Sets BUSYBOX to a static busybox binary for the guest architecture.
ensure_busybox() {
	local x tmp dir
	if [ "$DEB_ARCH" = amd64 ]; then
		BUSYBOX=/bin/busybox
		return 0
	fi
	dir=$CACHE/busybox-$DEB_ARCH
	BUSYBOX=$dir/busybox
	[ -x "$BUSYBOX" ] && return 0
	echo "run-vm: downloading busybox-static ($DEB_ARCH) into $CACHE"
	ensure_apt_arch
	x=$(download_deb busybox-static) || die_setup "apt-get download busybox-static:$DEB_ARCH failed (see $SETUP_LOG)"
	tmp=$dir.$$
	rm -rf "$tmp" && mkdir -p "$tmp" || die_setup "cannot write $CACHE"
	cp "$x/bin/busybox" "$tmp/busybox" && cp "$x/.control" "$tmp/version" ||
		die_setup "busybox-static:$DEB_ARCH has no bin/busybox"
	rm -rf "$dir" && mv "$tmp" "$dir" || die_setup "cannot write $dir"
	rm -rf "$WORK/dl"
}

# Pack busybox, /init and GUESTDIR (as /opt/t) into $WORK/initrd.cpio.gz.
build_initramfs() {
	local root=$WORK/root
	mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin \
		"$root"/dev "$root"/proc "$root"/sys "$root"/tmp "$root"/opt/t || return 1
	cp "$BUSYBOX" "$root/bin/busybox" && chmod 755 "$root/bin/busybox" || return 1
	ln -s busybox "$root/bin/sh"
	cp "$HERE/init.sh" "$root/init" && chmod 755 "$root/init" || return 1
	# The kernel opens /dev/console for /init before anything is mounted.
	mknod -m 600 "$root/dev/console" c 5 1 || return 1
	cp -a "$GUESTDIR"/. "$root/opt/t/" || return 1
	# The kernel package's config file; init.sh names it
	# /boot/config-$(uname -r), where a distribution keeps it.
	if [ -f "$KDIR/config" ]; then
		mkdir -p "$root/boot" && cp "$KDIR/config" "$root/boot/kernel-config" || return 1
	fi
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 | gzip -1) >"$WORK/initrd.cpio.gz"
}

ensure_host_packages
# One run at a time fills the cache; concurrent runs of other arches just wait.
mkdir -p "$CACHE" || die_setup "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock 9
ensure_kernel
ensure_busybox
flock -u 9
echo "$TAG: kernel $KPKG $(sed -n 's/^Version: //p' "$KDIR/version")"
build_initramfs || die_setup "building the initramfs failed"

# Boot. stdin is /dev/null so qemu's console multiplexer never reads commands.
APPEND="console=$CONSOLE quiet panic=-1 ${VM_APPEND:-}"
BOOT_START=$(date +%s)
timeout -k 10 "$TIMEOUT" "$QEMU" -accel tcg $QEMU_MACHINE -smp 2 -m 2048 \
	-nographic -no-reboot -nic none \
	-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd.cpio.gz" -append "$APPEND" \
	</dev/null >"$CONSOLE_LOG" 2>&1
QRC=$?
BOOT_SECS=$(( $(date +%s) - BOOT_START ))

# The console is a tty stream: drop carriage returns and the terminal escape
# sequences the firmware prints (SeaBIOS clears the screen) before matching lines.
CLEAN=$WORK/console.txt
tr -d '\r' <"$CONSOLE_LOG" | sed -E 's/\x1b(\[[0-9;?]*[A-Za-z]|[c()][0-9A-Z]?)//g' >"$CLEAN"

RESULTS=$WORK/results.txt
grep -a -E '^(PASS|FAIL|SKIP) [^ ]' "$CLEAN" | sed -E "s#^(PASS|FAIL|SKIP) #\\1 $TAG/#" >"$RESULTS"

DONE_LINE=$(grep -a -o '@@GUEST-DONE rc=[0-9]*' "$CLEAN" | tail -n 1)
if [ -z "$DONE_LINE" ]; then
	if [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ]; then
		why="no @@GUEST-DONE: killed after VM_TIMEOUT=$TIMEOUT s"
	elif grep -a -q 'Kernel panic' "$CLEAN"; then
		why="no @@GUEST-DONE: $(grep -a -m 1 'Kernel panic' "$CLEAN" | sed 's/^\[[ 0-9.]*\] *//')"
	else
		why="no @@GUEST-DONE: qemu exited with status $QRC"
	fi
	echo "FAIL $TAG/boot: $why" >>"$RESULTS"
	BOOT_FAILED=1
else
	BOOT_FAILED=
	GUEST_RC=${DONE_LINE#*rc=}
	# A failing test already says so; a non-zero status without any FAIL
	# line means the guest script itself broke.
	[ "$GUEST_RC" = 0 ] || grep -q '^FAIL ' "$RESULTS" ||
		echo "FAIL $TAG/run-guest: run-guest.sh exited with status $GUEST_RC" >>"$RESULTS"
	grep -q . "$RESULTS" || echo "FAIL $TAG/results: the guest printed no PASS/FAIL/SKIP lines" >>"$RESULTS"
fi

cat "$RESULTS"
NPASS=$(grep -c '^PASS ' "$RESULTS")
NFAIL=$(grep -c '^FAIL ' "$RESULTS")
NSKIP=$(grep -c '^SKIP ' "$RESULTS")

if [ -n "$BOOT_FAILED" ]; then
	echo "--- last 30 console lines ($CONSOLE_LOG) ---"
	tail -n 30 "$CLEAN" | sed 's/^/  | /'	# indented: not result lines
elif [ "$NFAIL" -gt 0 ]; then
	echo "--- last 40 console lines ($CONSOLE_LOG) ---"
	tail -n 40 "$CLEAN" | sed 's/^/  | /'	# indented: not result lines
fi
[ "$NFAIL" -gt 0 ] && echo "console log: $CONSOLE_LOG"

echo "$TAG: boot+run took $BOOT_SECS s"
echo "$TAG: $NPASS passed, $NFAIL failed, $NSKIP skipped in $(( $(date +%s) - START )) s"
[ "$NFAIL" -eq 0 ]
