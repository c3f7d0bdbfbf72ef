# Time stays right while Xen moves a guest's vCPUs between physical CPUs:
# a 2-vCPU guest reads CLOCK_MONOTONIC on both vCPUs for 30 s (readings
# never go back, also across vCPUs; 10 ms sleeps take 10 ms to 1 s) while
# dom0 swaps the vCPUs' pCPUs with xl vcpu-pin every half second.  The
# guest's elapsed time must match dom0's, and xl vcpu-list must have seen
# each vCPU on more than one pCPU.
. /tests/lib/xtest.sh
name=clk
cfg=/tmp/$name.cfg
seen=/tmp/clk-seen
trap 'cleanup_domain $name' EXIT

pcpus=$(xl info | sed -n 's/^nr_cpus *: *//p')
[ "${pcpus:-0}" -ge 2 ] || { fail "need 2 physical CPUs, xl info says ${pcpus:-none}"; exit 1; }
write_cfg $cfg $name clock "vcpus = 2"
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: clock-start' 180 >/dev/null || { fail "guest never started the clock check"; exit 1; }
t0=$(cut -d' ' -f1 /proc/uptime)
: >$seen
flip=0
log=$(console_log $name)
while ! tr -d '\r' <"$log" | grep -qE '^AGENT: clock (ok|bad)'; do
	xl vcpu-pin $name 0 $flip all
	xl vcpu-pin $name 1 $((1 - flip)) all
	flip=$((1 - flip))
	sleep 0.5
	xl vcpu-list $name | awk 'NR > 1 && $4 ~ /^[0-9]+$/ { print $3, $4 }' >>$seen
	t=$(cut -d' ' -f1 /proc/uptime)
	awk -v a=$t0 -v b=$t 'BEGIN { exit !(b - a > 120) }' && { fail "no verdict after 120 s"; exit 1; }
done
t1=$(cut -d' ' -f1 /proc/uptime)
line=$(wait_console $name 'AGENT: clock (ok|bad)' 5)
say "guest: ${line#AGENT: }"
for v in 0 1; do
	n=$(awk -v v=$v '$1 == v { print $2 }' $seen | sort -u | wc -l)
	say "vCPU $v ran on $n physical CPUs"
	[ "$n" -ge 2 ] || { fail "vCPU $v never moved"; exit 1; }
done
case $line in
*"clock ok "*) ;;
*) fail "guest clock check failed"; exit 1 ;;
esac
guest_ms=$(echo "$line" | sed -n 's/.*elapsed_ms=\([0-9]*\).*/\1/p')
dom0_ms=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%d", (b - a) * 1000 }')
say "elapsed: guest $guest_ms ms, dom0 saw $dom0_ms ms"
# dom0 sees the start and the verdict through the console log, polled.
awk -v g=$guest_ms -v d=$dom0_ms 'BEGIN { exit !(g > d * 0.8 - 2000 && g < d * 1.2 + 2000) }' ||
	{ fail "guest time and dom0 time disagree"; exit 1; }
