# SPDX-License-Identifier: BSD-2-Clause
# events.sh - benchmark 2: event throughput, our readers against
# libbpf's, with the same producer (bench/kern/events.bpf.o on
# syscalls/sys_enter_getppid, producers calling getppid() in a loop, each
# pinned to its CPU) for a BPF ring buffer and a perf event array, 1 and 2
# producer CPUs, 16 B and 1 KiB records.  Sourced by bench/run.sh.
#
# Each configuration runs EVENT_RUNS times (7), ours and libbpf's in turn;
# the figures are medians: events received per second, events lost (the
# programs' own count of refused records), the reader's CPU time, in all
# and per record received.
# Every run must account for every record: received + lost == produced
# (events_ours and libbpf_events exit 1 otherwise).
#
# How fast records arrive in a live run depends mostly on wake-ups: a
# reader that has caught up sleeps in epoll_wait, and the kernel wakes it
# (for a ring buffer, when a record is committed at the reader's
# position; for a perf buffer, after every sample, wakeup_events = 1 in
# both readers).  The drain figures take that out: the reader's own cost
# per record.

bench_events() {
	obj=$BUILD/bench/kern/events.bpf.o
	for mode in ringbuf perf; do
		for size in 16 1024; do
			for producers in 1 2; do
				events_config "$obj" "$mode" "$size" "$producers"
			done
		done
	done
	for mode in ringbuf perf; do
		for size in 16 1024; do
			events_drain "$obj" "$mode" "$size"
		done
	done
}

# The reader alone: the producers (2) fill a large buffer while nothing
# reads it, then the reader empties it on CPU 0, timed (--drain,
# events_common.h); the figure is the fastest of EVENT_RUNS runs.
# Perf producers are slower (a wake-up per sample), so they run longer.
events_drain() {
	obj=$1 mode=$2 size=$3
	tag=$mode.${size}B
	progress "events: drain, $tag"
	secs=0.1 big="--ring-bytes $((64 << 20))"
	[ "$mode" = perf ] && secs=0.3 big="--perf-pages 4096"
	[ "$QUICK" = 1 ] && secs=0.02 big=
	: >"$TMP/dr.ours"
	: >"$TMP/dr.libbpf"
	bad=
	r=0
	while [ "$r" -lt "$EVENT_RUNS" ]; do
		for reader in ours libbpf; do
			prog=$BIN/events_ours
			[ "$reader" = libbpf ] && prog=$BIN/libbpf_events
			"$prog" --"$mode" --drain $big --size "$size" --producers 2 --seconds "$secs" \
				"$obj" >>"$TMP/dr.$reader" 2>"$TMP/ev.err" ||
				bad="$bad $reader: $(head -n 1 "$TMP/ev.err")"
		done
		r=$((r + 1))
	done
	# The fastest run: the drain is the same work every time, and what
	# varies (other processes, where the scheduler put things) only adds.
	for reader in ours libbpf; do
		awk '{ for (i = 1; i < NF; i++) if ($i == "drain_ns_per_record") print $(i + 1) }' \
			"$TMP/dr.$reader" | sort -g | head -n 1 >"$TMP/dr.med.$reader"
	done
	figure events "drain.$tag.vs_libbpf" "$(cat "$TMP/dr.med.ours")" "$(cat "$TMP/dr.med.libbpf")" ns/record
	case $bad in
	'') result PASS "events-drain-$tag: the buffer emptied, received + lost == produced, ours and libbpf's" ;;
	*ours:*) result FAIL "events-drain-$tag:$bad" ;;
	*) result SKIP "events-drain-$tag: the libbpf peer failed:$bad" ;;
	esac
}

events_config() {
	obj=$1 mode=$2 size=$3 producers=$4
	tag=$mode.${size}B.${producers}cpu
	progress "events: $tag"
	: >"$TMP/ev.ours"
	: >"$TMP/ev.libbpf"
	bad=
	r=0
	while [ "$r" -lt "$EVENT_RUNS" ]; do
		for reader in ours libbpf; do
			prog=$BIN/events_ours
			[ "$reader" = libbpf ] && prog=$BIN/libbpf_events
			if ! "$prog" --"$mode" --size "$size" --producers "$producers" \
				--seconds "$EVENT_SECONDS" "$obj" >>"$TMP/ev.$reader" 2>"$TMP/ev.err"; then
				bad="$bad $reader: $(head -n 1 "$TMP/ev.err")"
			fi
		done
		r=$((r + 1))
	done
	for what in events_per_s lost consumer_cpu_ms; do
		for reader in ours libbpf; do
			awk -v k="$what" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' \
				"$TMP/ev.$reader" | median >"$TMP/ev.$what.$reader"
		done
	done
	figure events "events.$tag.vs_libbpf" "$(cat "$TMP/ev.events_per_s.ours")" \
		"$(cat "$TMP/ev.events_per_s.libbpf")" events/s
	figure events "lost.$tag.vs_libbpf" "$(cat "$TMP/ev.lost.ours")" \
		"$(cat "$TMP/ev.lost.libbpf")" events
	figure events "reader_cpu.$tag.vs_libbpf" "$(cat "$TMP/ev.consumer_cpu_ms.ours")" \
		"$(cat "$TMP/ev.consumer_cpu_ms.libbpf")" ms
	# The reader's CPU time per record received: its efficiency, less
	# bound to how the scheduler treated it than events/s.
	for reader in ours libbpf; do
		awk '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1)
			if (v["received"] > 0) printf "%.0f\n", v["consumer_cpu_ms"] * 1e6 / v["received"] }' \
			"$TMP/ev.$reader" | median >"$TMP/ev.per_event.$reader"
	done
	figure events "reader_cpu_per_event.$tag.vs_libbpf" "$(cat "$TMP/ev.per_event.ours")" \
		"$(cat "$TMP/ev.per_event.libbpf")" ns
	# Records neither received nor counted lost, over all runs: 0 unless
	# a reader drops records silently.
	for reader in ours libbpf; do
		awk '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1); s += v["produced"] - v["received"] - v["lost"] }
			END { print s + 0 }' "$TMP/ev.$reader" >"$TMP/ev.silent.$reader"
	done
	figure events "unaccounted.$tag.vs_libbpf" "$(cat "$TMP/ev.silent.ours")" \
		"$(cat "$TMP/ev.silent.libbpf")" events
	if [ -n "$bad" ]; then
		case $bad in
		*ours:*) result FAIL "events-$tag:$bad" ;;
		*) result SKIP "events-$tag: the libbpf peer failed:$bad" ;;
		esac
	else
		result PASS "events-$tag: received + lost == produced in every run, ours and libbpf's"
	fi
}
