#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# apt-install.sh WHO PACKAGE... - install the Debian packages that are
# missing, with the system's apt (as root); WHO names what needs them in
# the error line ("the tests", "the benchmarks").  Shared by
# tests/install-deps.sh and bench/install-deps.sh.
set -u
who=$1
shift
missing=
for p in "$@"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "error: $who need:$missing; install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "# installing$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # package names, split on purpose
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "error: could not install$missing" >&2; exit 1; }
