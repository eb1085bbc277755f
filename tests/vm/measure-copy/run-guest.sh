#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Measure which kernel copy routines kprobe events accept, and how often they fire.
# Output lines: "M func present=N blacklist=yes|no filter=yes|no attach=ok|<error> hits=N"
# and "S func arg=N samples=N min= max= median= hist=..." for the size argument.
T=/sys/kernel/tracing
echo "K $(uname -r) | $(cat /proc/version)"

# name:index-of-the-byte-count-argument
CANDS="memcpy:3 __memcpy:3 memmove:3 __memmove:3
_copy_to_user:3 _copy_from_user:3 __arch_copy_to_user:3 __arch_copy_from_user:3
copy_from_kernel_nofault:3 copy_to_kernel_nofault:3 copy_from_user_nofault:3 copy_to_user_nofault:3
copy_from_user_nmi:3 __check_object_size:2 _copy_to_iter:2 _copy_from_iter:2
copy_page_to_iter:3 copy_page_from_iter:3 copy_page_from_iter_atomic:3 simple_copy_to_iter:3
memcpy_toio:3 memcpy_fromio:3 __memcpy_toio:3 __memcpy_fromio:3
memcpy_and_pad:4 nla_memcpy:3 memcpy_flushcache:3 __memcpy_flushcache:3
memdup_user:2 kmemdup:2 kmemdup_nul:2 skb_copy_bits:4 skb_copy_datagram_iter:4
simple_read_from_buffer:2 strncpy_from_user_nofault:3 csum_and_copy_to_iter:2"

workload() {
	cat /proc/kallsyms >/dev/null
	ls -lR /sys >/dev/null 2>&1
	dd if=/dev/zero of=/dev/null bs=4k count=1000 2>/dev/null
}

echo 0 > $T/tracing_on
echo > $T/kprobe_events
echo > $T/error_log 2>/dev/null
echo 16384 > $T/buffer_size_kb
# Read the big lists once: grepping tracefs/proc files repeatedly is slow under TCG.
cp /proc/kallsyms /tmp/kallsyms
cp $T/available_filter_functions /tmp/filter
cp /sys/kernel/debug/kprobes/blacklist /tmp/blacklist

i=0
OK=""
for c in $CANDS; do
	f=${c%:*}; a=${c#*:}; i=$((i+1))
	present=$(grep -cE "^[0-9a-f]+ [tTwW] $f\$" /tmp/kallsyms)
	bl=no; awk -v f="$f" '$2==f{found=1} END{exit !found}' /tmp/blacklist && bl=yes
	fl=no; grep -qx "$f" /tmp/filter && fl=yes
	err=$( (echo "p:kprobes/c$i $f size=\$arg$a:u64" >> $T/kprobe_events) 2>&1 )
	if [ -z "$err" ]; then
		attach=ok; OK="$OK c$i:$f:$a"
	else
		attach="FAIL(${err##*: }; $(grep error: $T/error_log | tail -n 1 | sed 's/^.*error: *//'))"
		echo > $T/error_log 2>/dev/null
	fi
	echo "M $f present=$present blacklist=$bl filter=$fl attach=$attach"
done

# Hits: all accepted probes enabled together during one run of the workload.
echo 1 > $T/tracing_on
t0=$(cat /proc/uptime); t0=${t0%% *}
echo 1 > $T/events/kprobes/enable
workload
echo 0 > $T/events/kprobes/enable
t1=$(cat /proc/uptime); t1=${t1%% *}
echo "W workload with all probes: $t0 -> $t1 s uptime"
for o in $OK; do
	ev=${o%%:*}; rest=${o#*:}; f=${rest%:*}
	echo "H $f $(awk -v e="$ev" '$1==e{print "hits=" $2 " missed=" $3}' $T/kprobe_profile)"
done

# Size argument: each probe alone, fresh buffer, the same workload.
for o in $OK; do
	ev=${o%%:*}; rest=${o#*:}; f=${rest%:*}; a=${rest#*:}
	hits=$(awk -v e="$ev" '$1==e{print $2}' $T/kprobe_profile)
	[ "${hits:-0}" -gt 0 ] || continue
	echo > $T/trace
	echo 1 > $T/events/kprobes/$ev/enable
	workload
	echo 0 > $T/events/kprobes/$ev/enable
	grep -o 'size=[0-9]*' $T/trace | sed 's/size=//' | sort -n | awk -v f="$f" -v a="$a" '
		function pow2(k,  r) { r=1; while (k-- > 0) r*=2; return r }
		{ v[NR]=$1; n=NR; s+=$1; c[$1]++
		  b=0; x=$1; while (x > 1) { x=int(x/2); b++ } if ($1==0) b=-1; h[b]++ }
		END {
			if (n==0) { print "S " f " arg=" a " samples=0"; exit }
			line="S " f " arg=" a " samples=" n " min=" v[1] " median=" v[int((n+1)/2)] " max=" v[n] " mean=" int(s/n)
			hist=""; for (b=-1; b<=40; b++) if (h[b]) hist=hist " " (b<0 ? "0" : pow2(b)) ":" h[b]
			print line; print "S   log2-buckets(lower bound:count)" hist
			top=""; for (k=0; k<6; k++) { best=-1; for (x in c) if (c[x]>best) { best=c[x]; bx=x } if (best<0) break; top=top " " bx "x" best; delete c[bx] }
			print "S   most common(value x count)" top
		}'
	echo "S   trace-buffer overruns: $(grep -h overrun $T/per_cpu/cpu*/stats | awk '{s+=$2} END{print s}')"
done
echo 0 > $T/tracing_on
echo > $T/kprobe_events

# Broad scan: every traceable function whose name suggests copying, no args, hits only.
grep -E 'copy|cpy|memmove|memdup' /tmp/filter | grep -v '[][ ]' | grep -v '^__traceiter' | sort -u > /tmp/scan
n=0; rejected=0
while read f; do
	n=$((n+1))
	(echo "p:scan/s$n $f" >> $T/kprobe_events) 2>/dev/null || { rejected=$((rejected+1)); continue; }
	echo "s$n $f" >> /tmp/scanmap
done < /tmp/scan
echo "B scanned $n functions, $rejected rejected"
echo 1 > $T/tracing_on
echo 1 > $T/events/scan/enable
workload
echo 0 > $T/events/scan/enable
echo 0 > $T/tracing_on
awk 'NR==FNR{name[$1]=$2; next} ($1 in name) && $2>0 {print "B " name[$1] " hits=" $2}' /tmp/scanmap $T/kprobe_profile | sort -t= -k2 -n -r
echo > $T/kprobe_events
echo PASS copy-measure
