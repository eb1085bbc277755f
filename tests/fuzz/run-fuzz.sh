#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-fuzz.sh SECONDS TARGET... - run each libFuzzer binary
# $FUZZ_DIR/fuzz_TARGET for SECONDS, one after another, from the seeds in
# tests/fuzz/corpus/TARGET (read only) and what earlier runs found in
# $FUZZ_DIR/corpus/TARGET (where new entries go).  Prints one line per
# target with libFuzzer's count of executions; exits 1 when any target
# crashed, naming the input that did it (keep it in
# tests/fuzz/regress/TARGET/ once fixed: make test replays it).
set -u
cd "$(dirname "$0")/../.." || exit 2
FUZZ_DIR=${FUZZ_DIR:-build/tests/fuzz}
seconds=$1
shift
failed=0
for t in "$@"; do
	bin=$FUZZ_DIR/fuzz_$t
	new=$FUZZ_DIR/corpus/$t
	crashes=$FUZZ_DIR/crashes/$t
	log=$FUZZ_DIR/fuzz_$t.log
	mkdir -p "$new" "$crashes"
	echo "fuzz $t: ${seconds} s (log $log)"
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$new" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $t: ${runs:-?} executions in ${seconds} s, coverage ${cov:-?} edges, scratch corpus now $(ls "$new" | wc -l) entries, no crash"
	else
		failed=1
		echo "fuzz $t: CRASH after ${runs:-?} executions (status $rc):"
		grep -m 3 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY' "$log" | sed 's/^/    /'
		ls "$crashes" | sed "s|^|    input: $crashes/|"
	fi
done
exit $failed
