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
# pkg-config: any package that gives the command will do
command -v pkg-config >/dev/null 2>&1 || packages="$packages pkgconf"
# shellcheck disable=SC2086 # package names, split on purpose
exec "$(dirname "$0")/apt-install.sh" "the tests" $packages
