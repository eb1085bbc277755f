# SPDX-License-Identifier: BSD-2-Clause
# footprint.sh - benchmark 4: binary sizes and peak RSS.  Sourced by
# bench/run.sh.
#
# Sizes, stripped (strip -o), of memcpy_stat and bpfload built three ways:
#   dynamic        the normal build (`make`), needing only libc
#   static glibc   make LDFLAGS=-static          into $BUILD/bench/static-glibc
#   static musl    make CC=musl-gcc LDFLAGS=-static   into $BUILD/bench/static-musl
# against memcpy_stat written on libbpf (bench/peer/libbpf_memcpy_stat.c,
# dynamic and static with Debian's libbpf.a, libelf.a, libz.a; libbpf.a is
# built for glibc, so it has no musl build) and, for bpfload, Debian's
# bpftool.  "dynamic+libs" adds the shared libraries a binary needs
# besides libc (libbpf.so.1, libelf.so.1, libz.so.1 for the peer).
#
# Peak RSS (measure's median of ru_maxrss): memcpy_stat runs here until
# it finds no kprobes (open, load, then the attach fails: all of its
# memory but the table loop); bpfload --load-only on a CO-RE object,
# against bpftool prog loadall and libbpf_load on the same object.

# Build every tool with the given make arguments into $BUILD/bench/NAME.
footprint_build() {
	name=$1
	shift
	dir=$BUILD/bench/$name
	if ! $MAKE --no-print-directory -s BUILD="$dir" BINDIR="$dir/bin" "$@" all \
		>"$TMP/build.$name" 2>&1; then
		result FAIL "footprint-build-$name: make $* all failed: $(grep -m1 -i error "$TMP/build.$name")"
		return 1
	fi
	result PASS "footprint-build-$name: make $* builds every tool ($(ls "$dir/bin" | wc -l) binaries)"
}

# Bytes of the shared libraries a binary needs besides libc and the
# dynamic linker, as installed.
needed_libs_kib() {
	ldd "$1" 2>/dev/null | awk '$3 ~ /^\// && $1 !~ /^(libc|ld-linux|linux-vdso)/ { print $3 }' |
		while read -r lib; do wc -c <"$(readlink -f "$lib")"; done |
		awk '{ s += $1 } END { printf "%.1f\n", s / 1024 }'
}

plus() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.1f\n", a + b }'
}

bench_footprint() {
	progress "footprint: building static variants"
	glibc_ok=0 musl_ok=0
	footprint_build static-glibc LDFLAGS=-static && glibc_ok=1
	if command -v musl-gcc >/dev/null 2>&1; then
		footprint_build static-musl CC=musl-gcc LDFLAGS=-static && musl_ok=1
	else
		result SKIP "footprint-build-static-musl: musl-gcc not found: apt-get install musl-tools"
	fi
	peer=$BIN/libbpf_memcpy_stat

	# memcpy_stat
	figure footprint size.memcpy_stat.dynamic.vs_libbpf "$(stripped_kib ./memcpy_stat)" \
		"$(stripped_kib "$peer")" KiB
	figure footprint size.memcpy_stat.dynamic+libs.vs_libbpf "$(stripped_kib ./memcpy_stat)" \
		"$(plus "$(stripped_kib "$peer")" "$(needed_libs_kib "$peer")")" KiB
	[ "$glibc_ok" = 1 ] && figure footprint size.memcpy_stat.static_glibc.vs_libbpf \
		"$(stripped_kib "$BUILD/bench/static-glibc/bin/memcpy_stat")" "$(stripped_kib "$peer.static")" KiB
	[ "$musl_ok" = 1 ] && figure footprint size.memcpy_stat.static_musl \
		"$(stripped_kib "$BUILD/bench/static-musl/bin/memcpy_stat")" - KiB
	# bpfload, against bpftool as Debian builds it (dynamic)
	if [ -n "$BPFTOOL" ]; then
		figure footprint size.bpfload.dynamic.vs_bpftool "$(stripped_kib ./bpfload)" \
			"$(stripped_kib "$BPFTOOL")" KiB
		figure footprint size.bpfload.dynamic+libs.vs_bpftool "$(stripped_kib ./bpfload)" \
			"$(plus "$(stripped_kib "$BPFTOOL")" "$(needed_libs_kib "$BPFTOOL")")" KiB
	fi
	[ "$glibc_ok" = 1 ] && figure footprint size.bpfload.static_glibc \
		"$(stripped_kib "$BUILD/bench/static-glibc/bin/bpfload")" - KiB
	[ "$musl_ok" = 1 ] && figure footprint size.bpfload.static_musl \
		"$(stripped_kib "$BUILD/bench/static-musl/bin/bpfload")" - KiB
	if [ "$musl_ok" = 1 ]; then
		for t in "$BUILD"/bench/static-musl/bin/*; do
			echo "$(basename "$t") $(stripped_kib "$t")"
		done >"$TMP/musl-sizes"
		MUSL_SIZES=$(awk '{ printf "%s%s %s KiB", (NR > 1 ? ", " : ""), $1, $2 }' "$TMP/musl-sizes")
		echo "$MUSL_SIZES" >"$TMP/musl-sizes.line"
	fi

	progress "footprint: peak RSS"
	set -- mst_dynamic ./memcpy_stat ::: peer_dynamic "$peer" ::: peer_static "$peer.static"
	[ "$glibc_ok" = 1 ] && set -- "$@" ::: mst_glibc "$BUILD/bench/static-glibc/bin/memcpy_stat"
	[ "$musl_ok" = 1 ] && set -- "$@" ::: mst_musl "$BUILD/bench/static-musl/bin/memcpy_stat"
	"$BIN/measure" -x -n "$RUNS" -w "$WARMUP" "$@" >"$TMP/rss" 2>&1
	figure footprint rss.memcpy_stat_until_attach.dynamic.vs_libbpf \
		"$(measured mst_dynamic rss_kib "$TMP/rss")" "$(measured peer_dynamic rss_kib "$TMP/rss")" KiB
	[ "$glibc_ok" = 1 ] && figure footprint rss.memcpy_stat_until_attach.static_glibc.vs_libbpf \
		"$(measured mst_glibc rss_kib "$TMP/rss")" "$(measured peer_static rss_kib "$TMP/rss")" KiB
	[ "$musl_ok" = 1 ] && figure footprint rss.memcpy_stat_until_attach.static_musl \
		"$(measured mst_musl rss_kib "$TMP/rss")" - KiB

	core=$BUILD/bench/kern/sched_lat.bpf.o
	pins=/sys/fs/bpf/bl-bench-fp-$$
	set -- bpfload ./bpfload --load-only "$core" ::: \
		libbpf "$BIN/libbpf_load" "$core"
	[ "$musl_ok" = 1 ] && set -- "$@" ::: bpfload_musl "$BUILD/bench/static-musl/bin/bpfload" --load-only "$core"
	[ -n "$BPFTOOL" ] && set -- "$@" ::: bpftool --cleanup="rm -rf $pins" "$BPFTOOL" prog loadall "$core" "$pins"
	if "$BIN/measure" -n "$RUNS" -w "$WARMUP" "$@" >"$TMP/rss-core" 2>&1; then
		result PASS "footprint-rss: bpfload, libbpf_load and bpftool loaded $(basename "$core")"
	else
		result FAIL "footprint-rss: a loader failed on $core: $(grep -v 'fail 0' "$TMP/rss-core" | head -n 1)"
	fi
	rm -rf "$pins"
	figure footprint rss.bpfload_core_object.vs_libbpf_load "$(measured bpfload rss_kib "$TMP/rss-core")" \
		"$(measured libbpf rss_kib "$TMP/rss-core")" KiB
	[ -n "$BPFTOOL" ] && figure footprint rss.bpfload_core_object.vs_bpftool \
		"$(measured bpfload rss_kib "$TMP/rss-core")" "$(measured bpftool rss_kib "$TMP/rss-core")" KiB
	[ "$musl_ok" = 1 ] && figure footprint rss.bpfload_core_object.static_musl \
		"$(measured bpfload_musl rss_kib "$TMP/rss-core")" - KiB
	[ "$musl_ok" = 1 ] && result PASS "footprint-sizes: $(cat "$TMP/musl-sizes.line")"
	return 0
}
