#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# install-deps.sh - the Debian packages the tests use, installed when
# missing (as root), so that "sudo make test" works on a fresh machine.
#   libelf-dev    libelf, the unit tests' oracle for the ELF reader
#   libbpf-dev    <bpf/bpf_helpers.h> for test objects written like users'
#                 objects, and libbpf as the BTF tests' oracle
#   golang-github-cilium-ebpf-dev   cilium/ebpf's test objects
#   bpftool       an independent look at pinned maps
#   systemtap-sdt-dev   <sys/sdt.h>, for the USDT probes of the uprobe
#                 tests' target program
#   strace        what the kernel saw, to compare the loader's narration
#                 with (tests/kernel/htest_trace.c)
#   musl-tools    the benchmarks' quick mode (bench/run.sh --quick) builds
#                 the tools statically with musl, to size them
#   pkgconf       pkg-config, to build the README's example against an
#                 installed copy of the library (only when pkg-config is
#                 missing: any package that gives the command will do)
# The qemu harness (tests/vm) installs its own packages.
set -u
packages="libelf-dev libbpf-dev golang-github-cilium-ebpf-dev bpftool systemtap-sdt-dev strace musl-tools"
missing=
for p in $packages; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkgconf"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "error: the tests need:$missing; install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "# installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "error: could not install$missing" >&2; exit 1; }
