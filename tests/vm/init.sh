#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# /init of the test initramfs built by run-vm.sh.
#
# The kernel unpacks the initramfs into a RAM filesystem and runs this script as
# PID 1, with /dev/console (packed into the archive) as stdin/stdout/stderr.
# It mounts the filesystems BPF tools expect, runs the guest's run-guest.sh,
# prints the marker the host waits for, and powers the machine off. PID 1 must
# never exit: the kernel would panic ("Attempted to kill init").

/bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The /dev/console node from the archive is hidden by devtmpfs now; the open
# descriptors still work, but reopen so children inherit a real console.
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
# cgroup v2, as systemd mounts it: the fault tests put a process in a
# memory cgroup with a small limit
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null || true
# /sys/kernel/security/lsm tells whether the BPF LSM is active, as on a
# booted Debian system
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || true
mkdir -p /tmp /root /run
# The virtio disk's modules, which Debian does not build in (run-vm.sh
# packs them with the order to load them in); a test that needs the disk
# finds /dev/vda missing and says so when one fails to load.
if [ -f /modules/load-order ]; then
	for m in $(cat /modules/load-order); do
		insmod "/modules/$m" || echo "init: insmod $m failed"
	done
fi
# run-vm.sh packs the kernel package's config; put it where the loader
# looks for it (__kconfig externs).
[ -f /boot/kernel-config ] && mv /boot/kernel-config "/boot/config-$(uname -r)"

export PATH=/opt/t/bin:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
export TERM=dumb

echo
echo "@@GUEST-START $(uname -r)"
cd /opt/t || echo "init: /opt/t missing"
sh /opt/t/run-guest.sh
rc=$?

# Start the marker on a fresh line in case the guest's output did not end with one.
echo
echo "@@GUEST-DONE rc=$rc"
sync
poweroff -f
# poweroff -f should not return; if it does, ask the kernel directly.
echo o >/proc/sysrq-trigger
while :; do sleep 60; done
