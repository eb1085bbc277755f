#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# install-deps.sh - the Debian packages `make bench` uses, installed when
# missing (as root):
#   libbpf-dev, libelf-dev, zlib1g-dev   the libbpf peers (bench/peer/),
#                 static too (libbpf.a, libelf.a, libz.a), and
#                 <bpf/bpf_helpers.h> for the objects in bench/kern/
#   bpftool       a peer, and vmlinux.h for bench/kern/
#   strace        counts every loader's bpf(2) calls the same way
#   musl-tools    musl-gcc, for the static musl build of the tools (the
#                 kernel's uapi headers still come from linux-libc-dev)
set -u
packages="libbpf-dev libelf-dev zlib1g-dev bpftool strace musl-tools"
# shellcheck disable=SC2086 # package names, split on purpose
exec "$(dirname "$0")/../tests/apt-install.sh" "the benchmarks" $packages
