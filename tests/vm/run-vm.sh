#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# run-vm.sh ARCH GUESTDIR LOGDIR — boot one of Debian's stock kernels under
# qemu (TCG) with GUESTDIR as /opt/t, run /opt/t/run-guest.sh, and report
# its results.
#
#   ARCH      x86_64 | arm64
#   GUESTDIR  directory copied whole into the guest; must hold run-guest.sh
#   LOGDIR    receives console.log (the whole serial console) and
#             host-setup.log (apt output)
#
# Environment:
#   KERNEL            5.10 | 6.1 | 6.12: the Debian release whose kernel to
#                     boot (bullseye, bookworm, trixie; default 6.1)
#   KERNEL_PKG        an image package of that release, real or meta
#                     (default linux-image-amd64 / linux-image-arm64)
#   BPFLOAD_VM_CACHE  kernels, busybox and apt state (default /var/cache/bpfload-vm)
#   BPFLOAD_VM_LISTS_NOT_BEFORE  apt lists fetched before this time (seconds
#                     since the epoch) are refreshed; default: a day ago
#   VM_TIMEOUT        seconds before qemu is killed (default 900, arm64 1500)
#   VM_APPEND         extra kernel command line words
#
# Packages come from the archive this machine's apt already uses, through a
# private apt state under the cache: the system's sources, lists and dpkg
# architectures are left alone.
#
# Result protocol: the guest prints "PASS name", "FAIL name: reason" or
# "SKIP name: reason" at the start of a console line; they are re-printed
# here as "PASS vm-KERNEL-ARCH/name" etc., followed by "vm-KERNEL-ARCH: N
# passed, N failed, N skipped in T s". Exit status 0 when nothing failed,
# 1 otherwise, 2 on usage.

set -u

START=$(date +%s)
HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
	echo "usage: [KERNEL=5.10|6.1|6.12] $0 x86_64|arm64 GUESTDIR LOGDIR" >&2
	exit 2
}

[ $# -eq 3 ] || usage
ARCH=$1
GUESTDIR=$2
LOGDIR=$3
KERNEL=${KERNEL:-6.1}

case $ARCH in
x86_64)
	DEB_ARCH=amd64
	QEMU=qemu-system-x86_64
	QEMU_PKG=qemu-system-x86
	QEMU_MACHINE="-cpu max"
	CONSOLE=ttyS0
	DEFAULT_TIMEOUT=900
	;;
arm64)
	DEB_ARCH=arm64
	QEMU=qemu-system-aarch64
	QEMU_PKG=qemu-system-arm
	QEMU_MACHINE="-M virt -cpu max"
	CONSOLE=ttyAMA0
	DEFAULT_TIMEOUT=1500
	;;
*) usage ;;
esac

# The kernel matrix: a kernel series is the Debian release that ships it.
# Adding one is a line here (and a part in tests/run-all.sh).
case $KERNEL in
5.10) SUITE=bullseye ;;
6.1) SUITE=bookworm ;;
6.12) SUITE=trixie ;;
*) echo "$0: unknown KERNEL $KERNEL (5.10, 6.1 or 6.12)" >&2; exit 2 ;;
esac
# busybox for the guest always comes from one release, whatever the kernel
BUSYBOX_SUITE=bookworm

[ -f "$GUESTDIR/run-guest.sh" ] || { echo "$0: $GUESTDIR/run-guest.sh not found" >&2; exit 2; }
mkdir -p "$LOGDIR" || exit 2
LOGDIR=$(cd "$LOGDIR" && pwd)
CACHE=${BPFLOAD_VM_CACHE:-/var/cache/bpfload-vm}
TIMEOUT=${VM_TIMEOUT:-$DEFAULT_TIMEOUT}
CONSOLE_LOG=$LOGDIR/console.log
SETUP_LOG=$LOGDIR/host-setup.log
TAG=vm-$KERNEL-$ARCH
: >"$SETUP_LOG"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bpfload-vm.XXXXXX") || exit 2
chmod 711 "$WORK"	# apt downloads as user _apt, into $WORK/dl
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
	for p in "$QEMU_PKG" cpio; do
		pkg_installed "$p" || need="$need $p"
	done
	[ -z "$need" ] && return 0
	echo "run-vm: installing$need"
	DEBIAN_FRONTEND=noninteractive apt_get install -y --no-install-recommends $need ||
		{ apt_get update && DEBIAN_FRONTEND=noninteractive apt_get install -y --no-install-recommends $need; } ||
		die_setup "apt-get install$need failed (see $SETUP_LOG)"
}

# ---- a private apt state per Debian release ------------------------------
#
# $CACHE/apt/SUITE/ holds a one-line sources.list, the package lists, an
# empty dpkg status and apt's own cache, so that asking for bullseye's or
# trixie's kernel, or for arm64 packages, changes nothing apt knows
# system-wide. The archive is the one the system's sources name (its URI
# is read, never written into this repository).

# The URI and keyring of the system's main Debian archive: the first "deb"
# entry whose suite is a release (no "-updates", "-security").
system_archive() {
	local f=/etc/apt/sources.list.d/debian.sources
	if [ -f "$f" ]; then
		awk '
		function flush() {
			if (uri != "" && deb && release && !done) { print uri, key; done = 1 }
			uri = ""; key = ""; deb = 0; release = 0
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
		tolower($1) == "uris:" { uri = $2 }
		tolower($1) == "signed-by:" && NF == 2 { key = $2 }
		tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i !~ /-/) release = 1 }
		END { flush() }' "$f"
		return
	fi
	# one-line format: deb [opt=val ...] URI SUITE COMPONENT...
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '
	$1 != "deb" { next }
	{
		key = ""; i = 2
		if ($2 ~ /^\[/) {
			for (; i <= NF; i++) {
				if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
				if ($i ~ /\]$/) { i++; break }
			}
		}
		if ($(i + 1) !~ /-/) { print $i, key; exit }
	}'
}

apt_dir() {
	echo "$CACHE/apt/$1"
}

# apt-get or apt-cache (TOOL) on the private state of SUITE.
apt_private() {
	local suite=$1 tool=$2 d
	shift 2
	d=$(apt_dir "$suite")
	"$tool" -q -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" -o Dir::State::Status="$d/status" \
		-o Dir::Cache="$d/cache" -o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null -o APT::Architectures=amd64,arm64 "$@"
}

# Lists older than this are stale. run-all.sh sets it once for a whole
# `make test`, so that all guests of one run see the same lists.
LISTS_NOT_BEFORE=${BPFLOAD_VM_LISTS_NOT_BEFORE:-$(( $(date +%s) - 86400 ))}

# Write the sources line and fetch the lists when missing or stale. On a
# failed refresh, lists already there are kept (offline runs still work).
ensure_lists() {
	local suite=$1 d uri key archive stamp
	d=$(apt_dir "$suite")
	stamp=$d/lists-updated
	if [ -f "$stamp" ] && [ "$(stat -c %Y "$stamp")" -ge "$LISTS_NOT_BEFORE" ]; then
		return 0
	fi
	archive=$(system_archive)
	[ -n "$archive" ] || { echo "run-vm: no Debian archive in the system's apt sources"; return 1; }
	uri=${archive%% *}
	key=${archive#* }
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" || die_setup "cannot write $d"
	[ -f "$d/status" ] || : >"$d/status"
	echo "deb [arch=amd64,arm64${key:+ signed-by=$key}] $uri $suite main" >"$d/sources.list"
	echo "run-vm: refreshing the package lists of Debian $suite (private apt state in $d)"
	# apt-get update exits 0 even when it kept old lists after a failed fetch
	if apt_private "$suite" apt-get update >"$WORK/update.log" 2>&1 &&
		! grep -q -E '^(E:|W: (Failed|Some index))' "$WORK/update.log"; then
		cat "$WORK/update.log" >>"$SETUP_LOG"
		touch "$stamp"
	elif cat "$WORK/update.log" >>"$SETUP_LOG" && [ -f "$stamp" ]; then
		echo "run-vm: refreshing Debian $suite's lists failed (see $SETUP_LOG); using the old ones"
	else
		echo "run-vm: apt-get update for Debian $suite failed (see $SETUP_LOG)"
		return 1
	fi
}

# Follow a meta package (linux-image-amd64) to the image it depends on
# (linux-image-6.1.0-NN-amd64). A real image package resolves to itself.
resolve_kernel_pkg() {
	local pkg=$1 dep
	apt_private "$SUITE" apt-cache show "$pkg:$DEB_ARCH" >/dev/null 2>&1 || return 1
	dep=$(apt_private "$SUITE" apt-cache depends "$pkg:$DEB_ARCH" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^: ]*\).*/\1/p' | head -n 1)
	echo "${dep:-$pkg}"
}

# apt-get download SUITE's PKG for DEB_ARCH into $WORK/dl, unpack it there,
# echo the unpack dir.
download_deb() {
	local suite=$1 pkg=$2 deb
	rm -rf "$WORK/dl" && mkdir -p "$WORK/dl/x" || return 1
	# apt drops privileges to _apt for downloads; let it write here.
	chown _apt "$WORK/dl" 2>/dev/null
	(cd "$WORK/dl" && apt_private "$suite" apt-get download "$pkg:$DEB_ARCH") >>"$SETUP_LOG" 2>&1 ||
		return 1
	deb=$(ls "$WORK"/dl/*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || return 1
	dpkg-deb -f "$deb" Package Version Architecture >"$WORK/dl/x/.control" || return 1
	dpkg -x "$deb" "$WORK/dl/x" || return 1
	echo "$WORK/dl/x"
}

# Debian builds virtio as modules, and the initramfs loads none by itself:
# keep the ones a virtio disk needs (virtio_blk and the transports, with
# the modules each names in its .modinfo "depends=": the package has no
# modules.dep, depmod writes it on install), uncompressed so that busybox's
# insmod takes them, and the order to load them in, dependencies first.
# A module the kernel has built in is not in the package and needs nothing.
DISK_MODULES="virtio_pci virtio_mmio virtio_blk"
keep_disk_modules() {
	local pkg=$1 out=$2 m
	mkdir -p "$out" && : >"$out/load-order" || return 1
	for m in $DISK_MODULES; do
		keep_module "$pkg" "$out" "$m" 0 || return 1
	done
}

# keep_module PKG OUT NAME DEPTH: NAME's dependencies, then NAME.
keep_module() {
	local pkg=$1 out=$2 name=$3 depth=$4 f dep
	grep -qx "$name.ko" "$out/load-order" && return 0
	[ "$depth" -lt 8 ] || { echo "module dependencies deeper than 8 at $name" >>"$SETUP_LOG"; return 1; }
	# lib/modules (bookworm, bullseye) or usr/lib/modules (trixie's merged /usr)
	# (file names may spell the module's underscores as dashes)
	f=$(find "$pkg"/lib/modules "$pkg"/usr/lib/modules \( -name "$name.ko*" -o \
		-name "$(echo "$name" | tr _ -).ko*" \) 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 0	# built in (or absent: the test will say)
	case $f in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac >"$out/$name.ko.tmp" || return 1
	for dep in $(tr '\0' '\n' <"$out/$name.ko.tmp" | sed -n 's/^depends=//p' | tr ',' ' '); do
		keep_module "$pkg" "$out" "$dep" $((depth + 1)) || return 1
	done
	mv "$out/$name.ko.tmp" "$out/$name.ko" && echo "$name.ko" >>"$out/load-order"
}

# Sets KPKG and KDIR ($CACHE/kernels/KPKG holding vmlinuz, config, version,
# and modules/ for the virtio disk).
ensure_kernel() {
	local want=${KERNEL_PKG:-linux-image-$DEB_ARCH} map x tmp
	mkdir -p "$CACHE/kernels" || die_setup "cannot create $CACHE"
	map=$CACHE/kernels/resolved-$SUITE-$want-$DEB_ARCH

	KPKG=$(resolve_kernel_pkg "$want")
	# Lists unusable (offline, never fetched): the last answer, if cached.
	if [ -z "$KPKG" ] && [ -f "$map" ] && [ -f "$CACHE/kernels/$(cat "$map")/vmlinuz" ]; then
		KPKG=$(cat "$map")
	fi
	[ -n "$KPKG" ] || die_setup "no package $want for $DEB_ARCH in Debian $SUITE's lists (see $SETUP_LOG)"
	echo "$KPKG" >"$map"
	KDIR=$CACHE/kernels/$KPKG
	# (a kernel cached before the disk modules were kept is fetched again)
	[ -f "$KDIR/vmlinuz" ] && [ -f "$KDIR/modules/load-order" ] && return 0

	echo "run-vm: downloading $KPKG ($DEB_ARCH, Debian $SUITE) into $CACHE"
	x=$(download_deb "$SUITE" "$KPKG") || die_setup "apt-get download $KPKG failed (see $SETUP_LOG)"
	tmp=$CACHE/kernels/.$KPKG.$$
	rm -rf "$tmp" && mkdir -p "$tmp" || die_setup "cannot write $CACHE"
	cp "$x"/boot/vmlinuz-* "$tmp/vmlinuz" || die_setup "$KPKG has no boot/vmlinuz-*"
	# the guests have no /proc/config.gz: the package's config says what
	# the kernel was built with
	cp "$x"/boot/config-* "$tmp/config" 2>/dev/null
	cp "$x/.control" "$tmp/version"
	keep_disk_modules "$x" "$tmp/modules" || die_setup "$KPKG: cannot unpack the virtio disk's modules (see $SETUP_LOG)"
	rm -rf "$KDIR" && mv "$tmp" "$KDIR" || die_setup "cannot write $KDIR"
	rm -rf "$WORK/dl"
}

# Sets BUSYBOX to a static busybox binary for the guest architecture.
ensure_busybox() {
	local x tmp dir
	dir=$CACHE/busybox-$DEB_ARCH
	BUSYBOX=$dir/busybox
	[ -x "$BUSYBOX" ] && return 0
	echo "run-vm: downloading busybox-static ($DEB_ARCH) into $CACHE"
	ensure_lists "$BUSYBOX_SUITE" || die_setup "no package lists for busybox-static (see $SETUP_LOG)"
	x=$(download_deb "$BUSYBOX_SUITE" busybox-static) ||
		die_setup "apt-get download busybox-static:$DEB_ARCH failed (see $SETUP_LOG)"
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
	# init.sh loads them, in this order, before the tests run
	if [ -s "$KDIR/modules/load-order" ]; then
		cp -a "$KDIR/modules" "$root/modules" || return 1
	fi
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 | gzip -1) >"$WORK/initrd.cpio.gz"
}

ensure_host_packages
# One run at a time fills the cache; concurrent runs just wait.
mkdir -p "$CACHE" || die_setup "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock 9
ensure_lists "$SUITE"	# on failure, a kernel cached earlier may still do
ensure_kernel
ensure_busybox
flock -u 9
KVERSION=$(sed -n 's/^Version: //p' "$KDIR/version")
echo "$TAG: kernel $KPKG $KVERSION (Debian $SUITE, $DEB_ARCH)"
build_initramfs || die_setup "building the initramfs failed"
# A scratch disk, /dev/vda in the guest, for the tests that need block
# I/O (the course's kprobe on blk_mq_start_request); sparse, 64 MiB.
truncate -s 64M "$WORK/disk.img" || die_setup "cannot create $WORK/disk.img"

# Boot. stdin is /dev/null so qemu's console multiplexer never reads commands.
# softlockup_all_cpu_backtrace: a CPU stuck in the kernel for 20 s gets
# every CPU's stack on the console, the other one's included (the one it
# waits for, or that waits for it).  No softlockup_panic: under TCG a CPU
# can stall for 26 s waiting on the other's IPI and then go on (seen in
# 6.1's text_poke_bp at boot); such a guest finishes and is reported below.
APPEND="console=$CONSOLE quiet panic=-1 softlockup_all_cpu_backtrace=1 ${VM_APPEND:-}"
BOOT_START=$(date +%s)
CLEAN=$WORK/console.txt
boot() {
	timeout -k 10 "$TIMEOUT" "$QEMU" -accel tcg $QEMU_MACHINE -smp 2 -m 2048 \
		-nographic -no-reboot -nic none \
		-drive "file=$WORK/disk.img,if=virtio,format=raw" \
		-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd.cpio.gz" -append "$APPEND" \
		</dev/null >"$CONSOLE_LOG" 2>&1
	QRC=$?
	# The console is a tty stream: drop carriage returns and the terminal escape
	# sequences the firmware prints (SeaBIOS clears the screen) before matching lines.
	tr -d '\r' <"$CONSOLE_LOG" | sed -E 's/\x1b(\[[0-9;?]*[A-Za-z]|[c()][0-9A-Z]?)//g' >"$CLEAN"
}
boot
# A kernel that panics before /init starts has run none of our code (seen
# once: an int3 in the boot-time text patching of 6.12 under TCG): boot it
# once more, saying so.  A panic after @@GUEST-START is a test's and stays,
# but for the int3 below.
if ! grep -a -q '^@@GUEST-START' "$CLEAN" && grep -a -q 'Kernel panic' "$CLEAN"; then
	echo "$TAG: the kernel panicked before /init ($(grep -a -m 1 'Kernel panic' "$CLEAN" | sed 's/^\[[ 0-9.]*\] *//')); booting once more"
	cp "$CONSOLE_LOG" "$CONSOLE_LOG.first-boot"
	boot
# The same int3 after /init: x86 text patching (text_poke_bp, as a
# tracepoint's static key flips when a program attaches) racing the other
# emulated CPU; seen on 6.12 x86_64 under TCG in syscall_trace_enter and
# __schedule, code no test changes.  Once more, saying so; a second one
# stays a failure.
elif ! grep -a -q '@@GUEST-DONE' "$CLEAN" && grep -a -q 'Oops: int3' "$CLEAN" &&
	grep -a -A6 'Oops: int3' "$CLEAN" | grep -a -q 'RIP: 0010:'; then
	echo "$TAG: the kernel hit an int3 in its own text ($(grep -a -A6 'Oops: int3' "$CLEAN" | grep -a -m 1 'RIP: 0010:' | sed 's/^\[[ 0-9.]*\] *//'), x86 text patching under TCG); booting once more, first console in $CONSOLE_LOG.first-boot"
	cp "$CONSOLE_LOG" "$CONSOLE_LOG.first-boot"
	boot
fi
BOOT_SECS=$(( $(date +%s) - BOOT_START ))

RESULTS=$WORK/results.txt
grep -a -E '^(PASS|FAIL|SKIP) [^ ]' "$CLEAN" | sed -E "s#^(PASS|FAIL|SKIP) #\\1 $TAG/#" >"$RESULTS"

# init.sh prints "@@GUEST-START <uname -r>": the kernel that really ran.
RELEASE=$(sed -n 's/^@@GUEST-START \([^ ]*\).*/\1/p' "$CLEAN" | head -n 1)
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
	# What was running: the last result line before the end.
	last=$(grep -a -E '^(PASS|FAIL|SKIP) ' "$CLEAN" | tail -n 1)
	if [ -n "$last" ]; then
		echo "--- the last test to finish: $last ---"
	fi
	# The first lockup or stall report, with the stack that follows it: the
	# last lines alone show only the watchdog repeating itself.
	first=$(grep -a -n -m 1 -E 'soft lockup|self-detected stall|blocked for more than|BUG:|Oops' "$CLEAN" | cut -d: -f1)
	if [ -n "$first" ]; then
		echo "--- console lines $first.. ($CONSOLE_LOG) ---"
		sed -n "$first,$((first + 45))p" "$CLEAN" | sed 's/^/  | /'
	fi
	echo "--- last 30 console lines ($CONSOLE_LOG) ---"
	tail -n 30 "$CLEAN" | sed 's/^/  | /'	# indented: not result lines
elif [ "$NFAIL" -gt 0 ]; then
	echo "--- last 40 console lines ($CONSOLE_LOG) ---"
	tail -n 40 "$CLEAN" | sed 's/^/  | /'	# indented: not result lines
fi
[ "$NFAIL" -gt 0 ] && echo "console log: $CONSOLE_LOG"

# A soft lockup the guest lived through is no failure, but is worth knowing of.
lockups=$(grep -a -c 'soft lockup' "$CLEAN")
if [ -z "$BOOT_FAILED" ] && [ "$lockups" -gt 0 ]; then
	echo "$TAG: the guest reported $lockups soft lockup(s) and went on; the first: $(grep -a -m 1 'soft lockup' "$CLEAN" | sed 's/^\[[ 0-9.]*\] *//') (see $CONSOLE_LOG)"
fi
echo "$TAG: guest ran Linux ${RELEASE:-?} (Debian package $KPKG $KVERSION); boot+run took $BOOT_SECS s"
echo "$TAG: $NPASS passed, $NFAIL failed, $NSKIP skipped in $(( $(date +%s) - START )) s"
[ "$NFAIL" -eq 0 ]
