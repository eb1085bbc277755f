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
missing=
for p in $packages; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "error: the benchmarks need:$missing; install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "# installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "error: could not install$missing" >&2; exit 1; }
