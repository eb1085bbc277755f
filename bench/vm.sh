# SPDX-License-Identifier: BSD-2-Clause
# vm.sh - what this machine cannot show, measured in a qemu guest booted
# from Debian's stock x86_64 kernel by tests/vm/run-vm.sh (which has
# kprobes): benchmark 3 on the kprobe memcpy_stat really uses
# (__check_object_size; kern/memcpy_stat.bpf.o itself against learn-bpf's
# shared counter), and memcpy_stat's peak RSS over a whole run (attach,
# tables, detach) against its libbpf peer.  Sourced by bench/run.sh.
#
# The guest runs under software emulation (TCG), so its nanoseconds are
# many times the hardware's: compare the ratios, not the values.  Its
# figures are the fastest of 9 rounds (kcost_figures ... min).  Results
# come back on the console as "@@BENCH <line>".

# The guest's kernel: Debian 12's (tests/vm/run-vm.sh's KERNEL).
BENCH_VM_KERNEL=${BENCH_VM_KERNEL:-6.1}

bench_vm() {
	guest=$BUILD/bench/vm/guest
	logs=$BUILD/bench/vm
	musl=$BUILD/bench/static-musl/bin
	if [ ! -x "$musl/memcpy_stat" ]; then
		footprint_build static-musl CC=musl-gcc LDFLAGS=-static || return
	fi
	rm -rf "$guest"
	mkdir -p "$guest/bin" "$guest/objs" || return
	cp "$BIN/kcost.static" "$guest/bin/kcost" &&
		cp "$BIN/measure" "$guest/bin/measure" &&
		cp "$musl/memcpy_stat" "$guest/bin/memcpy_stat" &&
		cp "$BIN/libbpf_memcpy_stat.static" "$guest/bin/libbpf_memcpy_stat" &&
		cp "$BUILD/kern/memcpy_stat.bpf.o" "$BUILD/bench/kern/kcost.bpf.o" "$guest/objs/" ||
		{ result FAIL "vm: cannot assemble $guest"; return; }
	calls=20000 rounds=9 runs=3
	[ "$QUICK" = 1 ] && calls=500 rounds=1 runs=1
	cat >"$guest/run-guest.sh" <<GUEST
#!/bin/sh
# Runs inside the guest (busybox sh), from /init.
echo "# guest kernel: \$(uname -r)"
for cpus in 1 2; do
	if kcost --kprobe __check_object_size --memcpy-stat objs/memcpy_stat.bpf.o --cpus \$cpus \\
		--rounds $rounds --calls $calls objs/kcost.bpf.o >/tmp/kc 2>&1; then
		sed 's/^/@@BENCH /' /tmp/kc
		echo "PASS kcost-kprobe-\${cpus}cpu"
	else
		echo "FAIL kcost-kprobe-\${cpus}cpu: \$(head -n 1 /tmp/kc)"
	fi
done
if measure -n $runs -w 0 ours memcpy_stat --interval 1 --duration 2 ::: \\
	libbpf libbpf_memcpy_stat -i 1 -d 2 >/tmp/rss 2>&1; then
	sed 's/^/@@BENCH rss /' /tmp/rss
	echo "PASS memcpy_stat-whole-run"
else
	echo "FAIL memcpy_stat-whole-run: \$(tr '\\n' ' ' </tmp/rss)"
fi
GUEST
	progress "vm: booting the guest (qemu, software emulation)"
	tag=vm-$BENCH_VM_KERNEL-x86_64
	rm -f "$logs/console.log"
	KERNEL=$BENCH_VM_KERNEL VM_TIMEOUT=${VM_TIMEOUT:-400} \
		tests/vm/run-vm.sh x86_64 "$guest" "$logs" >"$TMP/vm.out" 2>&1
	# the harness's result lines, under our name
	grep -E "^(PASS|FAIL|SKIP) $tag/" "$TMP/vm.out" | sed "s#^\([A-Z]*\) $tag/#\1 #" |
		while read -r verdict rest; do result "$verdict" "vm-$rest"; done
	console=$logs/console.log
	[ -f "$console" ] || return
	tr -d '\r' <"$console" | sed -n 's/^@@BENCH //p' >"$TMP/vm.lines"
	kernel=$(sed -n "s/^$tag: kernel //p" "$TMP/vm.out" | head -n 1)
	[ -n "$kernel" ] && echo "$kernel" >"$TMP/vm.kernel"
	for cpus in 1 2; do
		grep "^kcost kprobe $cpus " "$TMP/vm.lines" >"$TMP/vm.kc"
		[ -s "$TMP/vm.kc" ] && kcost_figures vm kprobe_guest "$cpus" "$TMP/vm.kc" min
	done
	sed -n 's/^rss //p' "$TMP/vm.lines" >"$TMP/vm.rss"
	if [ -s "$TMP/vm.rss" ]; then
		figure vm rss.memcpy_stat.guest_whole_run.musl.vs_libbpf_static \
			"$(measured ours rss_kib "$TMP/vm.rss")" "$(measured libbpf rss_kib "$TMP/vm.rss")" KiB
	fi
}
