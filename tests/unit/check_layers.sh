#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check_layers.sh - the loader's layers, checked on its sources.
#
#   sys -> elf -> btf -> object -> attach -> events -> skeleton
#
# A file in one folder may include headers of its own folder and of the
# folders before it, never of those after it; public headers
# (loader/include/bpfload) include only public headers; no unit (NAME.c
# with NAME.h) includes, through its .c or .h, a unit that includes it
# back, directly or not; and no loader source is over 700 lines.
cd "$(dirname "$0")/../.." || exit 2
layers="sys elf btf object attach events skeleton"

rank() {
	i=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 99
}

bad=
for f in loader/*/*.[ch]; do
	dir=$(basename "$(dirname "$f")")
	[ "$dir" = include ] && continue
	mine=$(rank "$dir")
	for inc in $(sed -n 's|^#include "\([a-z_]*\)/.*"|\1|p' "$f" | sort -u); do
		if [ "$(rank "$inc")" -gt "$mine" ]; then
			bad="$bad $f->$inc"
		fi
	done
done
if [ -z "$bad" ]; then
	echo "PASS layers/downward-includes"
else
	echo "FAIL layers/downward-includes: a layer includes one above it:$bad"
fi

bad=$(grep -l '^#include "' loader/include/bpfload/*.h)
if [ -z "$bad" ]; then
	echo "PASS layers/public-headers-self-contained"
else
	echo "FAIL layers/public-headers-self-contained: public headers include internal ones:" $bad
fi

# Unit graph: an edge from unit A to unit B when A.c or A.h includes B.h
# of another unit.  A header with no .c of its own (btf_internal.h) is
# no unit: what it includes counts for whoever includes it.  tsort says
# "loop" when there is a circle.
includes() {	# FILE DEPTH: the units FILE reaches
	sed -n 's|^#include "\(.*\)\.h"|\1|p' "$1" | while read -r b; do
		if [ -f "loader/$b.c" ]; then
			echo "loader/$b"
		elif [ -f "loader/$b.h" ] && [ "$2" -lt 4 ]; then
			includes "loader/$b.h" $(($2 + 1))
		fi
	done
}
edges=$(for f in loader/*/*.[ch]; do
	a=${f%.*}
	[ -f "$a.c" ] || continue
	includes "$f" 0 | while read -r b; do
		[ "$b" = "$a" ] || echo "$a $b"
	done
done)
loops=$(echo "$edges" | tsort 2>&1 >/dev/null | grep -v 'input contains a loop' | sed 's/^tsort: //' | tr '\n' ' ')
if [ -z "$loops" ]; then
	echo "PASS layers/no-include-circle"
else
	echo "FAIL layers/no-include-circle: units in a circle: $loops"
fi

long=$(wc -l loader/*/*.c loader/*/*.h loader/include/bpfload/*.h | awk '$2 != "total" && $1 > 700 { print $2 " (" $1 " lines)" }')
if [ -z "$long" ]; then
	echo "PASS layers/files-at-most-700-lines"
else
	echo "FAIL layers/files-at-most-700-lines:" $long
fi
