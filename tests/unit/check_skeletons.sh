#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check_skeletons.sh - `bpfload gen skeleton` on every object we have,
# without a kernel: each header must compile on its own with -Wall
# -Wextra -Werror (its _Static_asserts check every variable's offset and
# every type's size against the object's BTF), as strict C11 too, twice
# in one file, next to another skeleton sharing its types, and after a
# program's own definition of one of them.  The same object gives the
# same header twice; bad input gives an error and no output.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
CC=${CC:-cc}
gen=./bpfload
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="-I loader/include"

if [ ! -x "$gen" ] || [ ! -f "$BUILD/tests/kern/skel_globals.bpf.o" ]; then
	echo "SKIP skeleton-gen: ./bpfload or the test objects are not built (make unit-tests)"
	exit 0
fi

# compile NAME FILE.c [FLAGS...]: 0 when it compiles, else the errors in $tmp/NAME.log
compile() {
	n=$1 c=$2
	shift 2
	$CC -std=gnu11 -Wall -Wextra -Werror $inc -I "$tmp" "$@" -c "$c" -o /dev/null >"$tmp/$n.log" 2>&1
}

# Our own objects: the tools' and the tests'.
for o in "$BUILD"/kern/*.bpf.o "$BUILD"/tests/kern/*.bpf.o; do
	n=$(basename "$o" .bpf.o)
	case $n in
	*_bad_*)	# made to be refused at open (tests/unit/test_externs.c)
		echo "SKIP skeleton-gen/compiles/$n: a deliberately invalid object"
		continue ;;
	esac
	if ! "$gen" gen skeleton --type socket_filter "$o" >"$tmp/$n.skel.h" 2>"$tmp/$n.err"; then
		if grep -q 'not supported' "$tmp/$n.err"; then
			echo "SKIP skeleton-gen/compiles/$n: the loader refuses it: $(cat "$tmp/$n.err")"
		else
			echo "FAIL skeleton-gen/compiles/$n: $(cat "$tmp/$n.err")"
		fi
		continue
	fi
	printf '#include "%s.skel.h"\nint main(void) { return 0; }\n' "$n" >"$tmp/$n.c"
	if compile "$n" "$tmp/$n.c"; then
		echo "PASS skeleton-gen/compiles/$n"
	else
		echo "FAIL skeleton-gen/compiles/$n: $(head -c 600 "$tmp/$n.log" | tr '\n' ' ')"
	fi
done

# cilium/ebpf's test objects: many more types; those the loader opens.
cilium=/usr/share/gocode/src/github.com/cilium/ebpf
if [ -d "$cilium" ]; then
	ok=0 bad=
	for o in "$cilium"/testdata/*-el.elf "$cilium"/btf/testdata/*-el.elf; do
		n=c_$(basename "$o" -el.elf | tr -c 'a-zA-Z0-9\n' _)
		"$gen" gen skeleton --type socket_filter "$o" "$n" >"$tmp/$n.skel.h" 2>/dev/null || continue
		printf '#include "%s.skel.h"\n' "$n" >"$tmp/$n.c"
		if compile "$n" "$tmp/$n.c"; then ok=$((ok + 1)); else bad="$bad $(basename "$o")"; fi
	done
	if [ -n "$bad" ]; then
		echo "FAIL skeleton-gen/cilium-objects-compile: these do not:$bad"
	else
		echo "PASS skeleton-gen/cilium-objects-compile"
		echo "# skeleton-gen/cilium-objects-compile: $ok objects"
	fi
else
	echo "SKIP skeleton-gen/cilium-objects-compile: golang-github-cilium-ebpf-dev is not installed"
fi

name=skeleton-gen/strict-c11
if compile c11 "$tmp/skel_globals.c" -std=c11 -pedantic-errors &&
	compile c11t "$tmp/skel_types.c" -std=c11 -pedantic-errors; then
	echo "PASS $name"
else
	echo "FAIL $name: $(cat "$tmp/c11.log" "$tmp/c11t.log" 2>/dev/null | head -c 600 | tr '\n' ' ')"
fi

# Without NAME, bpftool's rule: the file name without ".o", so that
# code written against bpftool's skeletons (x_bpf__open()) keeps its names.
name=skeleton-gen/default-name-as-bpftool
if "$gen" gen skeleton "$BUILD/tests/kern/skel_globals.bpf.o" >"$tmp/default.skel.h" &&
	grep -q '^struct skel_globals_bpf {' "$tmp/default.skel.h" &&
	grep -q 'skel_globals_bpf__open_and_load(' "$tmp/default.skel.h"; then
	echo "PASS $name"
else
	echo "FAIL $name: no struct skel_globals_bpf and skel_globals_bpf__open_and_load() in the header"
fi

# A NAME that is a type of the object's own is refused, saying so.
name=skeleton-gen/name-colliding-with-a-type-refused
if "$gen" gen skeleton "$BUILD/tests/kern/skel_globals.bpf.o" point >/dev/null 2>"$tmp/collide.err"; then
	echo "FAIL $name: NAME point was accepted although the object defines struct point"
elif grep -q 'collide with the object.s own type point' "$tmp/collide.err"; then
	echo "PASS $name"
else
	echo "FAIL $name: $(cat "$tmp/collide.err")"
fi

# The same object under two names shares struct point and enum mode.
name=skeleton-gen/twice-and-two-sharing-types
"$gen" gen skeleton "$BUILD/tests/kern/skel_globals.bpf.o" other >"$tmp/other.skel.h"
printf '#include "skel_globals.skel.h"\n#include "skel_globals.skel.h"\n#include "other.skel.h"\n#include "skel_types.skel.h"\n' >"$tmp/two.c"
if compile two "$tmp/two.c"; then
	echo "PASS $name"
else
	echo "FAIL $name: $(head -c 600 "$tmp/two.log" | tr '\n' ' ')"
fi

# A program's own struct point, announced with the guard macro.
name=skeleton-gen/own-definition-kept
cat >"$tmp/own.c" <<'EOF'
struct point { int x, y; };
#define BPFLOAD_SKEL_HAVE_struct_point
#include "skel_globals.skel.h"
int main(void) { struct point p = { 1, 2 }; struct skel_globals_bpf s; (void)s; return p.x - 1; }
EOF
if compile own "$tmp/own.c"; then
	echo "PASS $name"
else
	echo "FAIL $name: $(head -c 600 "$tmp/own.log" | tr '\n' ' ')"
fi

name=skeleton-gen/same-object-same-header
"$gen" gen skeleton --type socket_filter "$BUILD/tests/kern/skel_globals.bpf.o" >"$tmp/again.skel.h"
if cmp -s "$tmp/again.skel.h" "$tmp/skel_globals.skel.h"; then
	echo "PASS $name"
else
	echo "FAIL $name: two runs wrote different headers"
fi

name=skeleton-gen/bad-input-no-output
head -c 100 "$BUILD/tests/kern/skel_globals.bpf.o" >"$tmp/cut.o"
out1=$("$gen" gen skeleton "$tmp/cut.o" 2>"$tmp/e1"); rc1=$?
out2=$("$gen" gen skeleton "$tmp/none.o" 2>"$tmp/e2"); rc2=$?
if [ $rc1 = 1 ] && [ $rc2 = 1 ] && [ -z "$out1$out2" ] && [ -s "$tmp/e1" ] && grep -q 'none.o' "$tmp/e2"; then
	echo "PASS $name"
else
	echo "FAIL $name: exit $rc1/$rc2, stdout ${#out1}/${#out2} bytes, stderr: $(cat "$tmp/e1" "$tmp/e2")"
fi
