# make bench: the same guest workloads on each guest kernel in this one
# boot.  Host noise under QEMU/TCG is large and drifts over minutes, so
# the kernels' runs are interleaved as finely as the workloads allow:
# each of XTEST_BENCH_ROUNDS rounds (default 3) boots one guest of each
# kernel (boot time measured, order alternating), keeps both up and runs
# every workload step on one, then the other, order alternating step by
# step.  Each metric is the median of its runs, and "paired" is the median
# of the ours/upstream ratios of runs made back to back.  Prints
# "BENCH: KIND METRIC VALUE" and "BENCH: paired METRIC RATIO" lines that
# scripts/run-bench.sh turns into a table.
#
# A guest's workloads are agent tasks that print "AGENT: bench METRIC VALUE
# UNIT" lines: "bench-mmu" (fork/exec, page faults, mprotect), and with
# XTEST_BENCH_IO set, "blk-bench" (fio on a disk) and "net-bench" (iperf3
# against dom0).  The guests' agents serve them one step at a time (task
# "serve"), driven through their console ptys.
. /tests/lib/xtest.sh
vals=/tmp/bench-vals
kinds=${XTEST_BENCH_KINDS:-upstream ours}
rounds=${XTEST_BENCH_ROUNDS:-3}
iperf=

cleanup() {
	local k
	for k in $kinds; do
		cleanup_domain bench-$k
		rm -f /tmp/bench-$k.img
	done
	[ -n "$iperf" ] && kill $iperf 2>/dev/null
	true
}
trap cleanup EXIT

steps="bench-mmu bench-mmu"
if [ -n "${XTEST_BENCH_IO:-}" ]; then
	# One disk workload, one network direction per step, so that dom0
	# can take Xen's CPU time of the guest around each (serve); the
	# net-bench-ready step only waits for dom0's iperf3 server.
	steps="$steps blk-bench-write blk-bench-read blk-bench-randread"
	steps="$steps net-bench-ready net-bench-tx net-bench-rx"
	iperf3 -s -D -p 5201 >/dev/null 2>&1 && iperf=$(pidof iperf3)
fi
# xtest.bench_steps: a shorter list, to look at one workload.
steps=${XTEST_BENCH_STEPS:-$steps}
rm -f $vals

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# reversed WORDS...: the words in the opposite order.
reversed() { echo "$*" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }'; }

# boot_kind KIND INDEX: a guest of KIND, its boot time into $vals.
boot_kind() {
	local kind=$1 name=bench-$1 cfg=/tmp/bench-$1.cfg disk=/tmp/bench-$1.img
	local start up
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	GUEST_INITRD=/guest/domu-bench-initrd.gz
	rm -f "$(console_log $name)"
	# Our test kernel has KUnit built in: keep its boot-time tests out of
	# the boot time (upstream's kernel just ignores the parameter).
	local ex="extra += kunit.enable=0 xtest.ip=169.254.100.$((10 + $2))"
	if [ -n "${XTEST_BENCH_IO:-}" ]; then
		# Sparse: dom0's files live in its RAM; fio writes 64 MiB.
		[ -f $disk ] || truncate -s 128M $disk
		write_cfg $cfg $name serve "memory = 512" "$ex" \
			"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']" \
			"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:$((10 + $2))']"
	else
		write_cfg $cfg $name serve "memory = 512" "$ex"
	fi
	start=$(cut -d' ' -f1 /proc/uptime)
	if ! xl create $cfg >/tmp/bench-create.log 2>&1; then
		echo "BENCH: $kind unavailable (xl create: $(tail -n 4 /tmp/bench-create.log | tr '\n' ' '))"
		return 1
	fi
	if ! wait_console $name 'AGENT: serving' 300 >/dev/null; then
		echo "BENCH: $kind unavailable (no userspace)"
		cleanup_domain $name
		return 1
	fi
	up=$(cut -d' ' -f1 /proc/uptime)
	echo "$kind boot_to_userspace_s $(awk -v a=$start -v b=$up 'BEGIN { printf "%.1f", b - a }') $round.0" >>$vals
}

# serve KIND STEP N: the guest of KIND runs agent task STEP as its Nth
# request; its bench lines (tagged round.N) go into $vals.
serve() {
	local kind=$1 name=bench-$1 log c0 c1
	log=$(console_log $name)
	c0=$(domcpu "$(xl domid $name)")
	guest_serve $name $3 $2 || { say "$kind: step $2 did not finish"; return 1; }
	c1=$(domcpu "$(xl domid $name)")
	# The lines between request N-1's answer and request N's.
	tr -d '\r' <"$log" | awk -v n=$3 -v k=$kind -v tag="$round.$3" '
		$1 == "AGENT:" && $2 == "served" { s = $3; next }
		s == n - 1 && $1 == "AGENT:" && $2 == "bench" && $4 ~ /^[0-9.]+$/ { print k, $3, $4, tag }' >>$vals
	tr -d '\r' <"$log" | awk -v n=$3 '$1 == "AGENT:" && $2 == "served" { s = $3; next }
		s == n - 1 && /^AGENT: (bench-(detail|error)|blk-error|net-error|profile-cpu)/' | sed "s/^/  $kind: /"
	xen_cpu_figures $kind $2 $round.$3 "$c0" "$c1"
}

# step_value KIND METRIC TAG: what the guest of KIND reported for METRIC
# in the step tagged TAG.
step_value() {
	awk -v k=$1 -v m=$2 -v t=$3 '$1 == k && $2 == m && $4 == t { print $3 }' $vals
}

# xen_cpu_figures KIND STEP TAG C0 C1: for the disk and network steps, the
# data the step moved (MiB for the disk, MB of 10^6 bytes as iperf3
# counts for the network) per second of CPU time Xen charged the guest for the
# whole step (domcpu readings C0 and C1, ns), as METRIC_mb_per_xen_cpu_s.
# Unlike the guest's own figures (*_mb_per_cpu_s, sampled by its ticks,
# which the time its vCPU waits for a physical CPU skews: a guest sending
# at full speed counts 40% of its ticks as stolen) it is exact, and it
# counts Xen's work in the guest's hypercalls and traps; it also counts
# the agent's few commands around the workload, the same for both kernels.
xen_cpu_figures() {
	local m v mb
	case $2 in
	blk-bench-write | blk-bench-read) m=blk_seq_${2#blk-bench-} mb=64 ;;
	blk-bench-randread)
		m=blk_randread
		# 15 s of 4 KiB reads.
		v=$(step_value $1 blk_randread_iops $3)
		[ -n "$v" ] && mb=$(awk -v i=$v 'BEGIN { printf "%.1f", i * 15 * 4 / 1024 }') ;;
	net-bench-tx | net-bench-rx)
		m=net_${2#net-bench-}
		# 10 s of iperf3.
		v=$(step_value $1 ${m}_mbits $3)
		[ -n "$v" ] && mb=$(awk -v r=$v 'BEGIN { printf "%.1f", r * 10 / 8 }') ;;
	*) return 0 ;;
	esac
	[ -n "$mb" ] && [ -n "$4" ] && [ -n "$5" ] && [ "$5" -gt "$4" ] || return 0
	echo "$1 ${m}_mb_per_xen_cpu_s $(awk -v m=$mb -v a=$4 -v b=$5 \
		'BEGIN { printf "%.1f", m / ((b - a) / 1e9) }') $3" >>$vals
	say "$1: $2 moved $mb MB, Xen CPU $((($5 - $4) / 1000000)) ms"
}

# bench_save KIND: a checkpoint ("xl save -c"), then "xl save" of the
# guest of KIND (512 MiB), in dom0's wall time, as rates so that higher is
# better like every other metric.  The image goes to /dev/null: dom0's
# /tmp (RAM) cannot hold 512 MiB beside the bench disks, so "xl restore"
# is timed by the save-rounds scenario's smaller guest instead.
bench_save() {
	local kind=$1 name=bench-$1 log=/tmp/bench-save.log t0 ck sv

	t0=$(now_ms)
	timeout 600 xl save -c $name /dev/null >$log 2>&1 ||
		{ say "$kind: xl save -c failed: $(grep -v Frames $log | tail -n 3 | tr '\n' ' ')"; return 1; }
	ck=$(($(now_ms) - t0))
	t0=$(now_ms)
	timeout 600 xl save $name /dev/null >$log 2>&1 ||
		{ say "$kind: xl save failed: $(grep -v Frames $log | tail -n 3 | tr '\n' ' ')"; return 1; }
	sv=$(($(now_ms) - t0))
	echo "$kind checkpoints_per_min $(awk -v d=$ck 'BEGIN { printf "%.2f", 60000 / d }') $round.90" >>$vals
	echo "$kind save_mib_s $(awk -v d=$sv 'BEGIN { printf "%.1f", 512000 / d }') $round.90" >>$vals
	say "$kind: checkpoint $ck ms, save $sv ms"
}

# dom_mib ID: the memory of domain ID in MiB, as "xl list" shows it (its
# pages), from a call much cheaper than xl.
dom_mib() { echo $(($(domcpu -p "$1") / 256)); }

# balloon_to KIND MIB: "xl mem-set" the guest of KIND to MIB and wait
# (up to 120 s, polling every 0.1 s) until it holds within 4 MiB of that
# (a balloon driver may keep a few pages); prints the ms it took.
balloon_to() {
	local name=bench-$1 want=$2 t0 t=1200 m id
	id=$(xl domid $name) || return 1
	t0=$(now_ms)
	xl mem-set $name ${want}m || return 1
	while [ $t -gt 0 ]; do
		m=$(dom_mib $id)
		[ -n "$m" ] && [ $((m - want)) -le 4 ] && [ $((want - m)) -le 4 ] && break
		sleep 0.1
		t=$((t - 1))
	done
	[ $t -gt 0 ] || return 1
	echo $(($(now_ms) - t0))
}

# bench_balloon KIND: the guest of KIND (512 MiB) ballooned down to half
# and back up, as MiB per second of dom0's wall time.
bench_balloon() {
	local kind=$1 dn up
	dn=$(balloon_to $kind 256) || { say "$kind: balloon down to 256 MiB did not finish"; return 1; }
	up=$(balloon_to $kind 512) || { say "$kind: balloon up to 512 MiB did not finish"; return 1; }
	echo "$kind balloon_down_mib_s $(awk -v d=$dn 'BEGIN { printf "%.1f", 256000 / d }') $round.80" >>$vals
	echo "$kind balloon_up_mib_s $(awk -v d=$up 'BEGIN { printf "%.1f", 256000 / d }') $round.81" >>$vals
	say "$kind: balloon 512 -> 256 MiB in $dn ms, back in $up ms"
}

round=1
while [ $round -le $rounds ]; do
	order=$kinds
	[ $((round % 2)) = 0 ] && order=$(reversed $kinds)
	up=
	i=0
	for kind in $order; do
		i=$((i + 1))
		if [ ! -f /guest/$kind/vmlinuz ]; then
			echo "BENCH: $kind unavailable (no kernel)"
			continue
		fi
		say "round $round: boot $kind"
		boot_kind $kind $i && up="$up $kind"
	done
	n=0
	for step in $steps; do
		n=$((n + 1))
		for kind in $up; do
			serve $kind $step $n
		done
		up=$(reversed $up)
	done
	for kind in $up; do
		bench_balloon $kind
	done
	up=$(reversed $up)
	# Last: "xl save" ends the guest.
	for kind in $up; do
		bench_save $kind
	done
	for kind in $kinds; do
		cleanup_domain bench-$kind
		wait_gone bench-$kind 30
	done
	round=$((round + 1))
done

for kind in $kinds; do
	for m in $(awk -v k=$kind '$1 == k { print $2 }' $vals | sort -u); do
		v=$(awk -v k=$kind -v m=$m '$1 == k && $2 == m { print $3 }' $vals | median)
		n=$(awk -v k=$kind -v m=$m '$1 == k && $2 == m' $vals | wc -l)
		echo "BENCH: $kind $m $v"
		say "$kind $m: median of $n runs: $(awk -v k=$kind -v m=$m '$1 == k && $2 == m { printf "%s ", $3 }' $vals)"
	done
done

# Runs made back to back (same round and step): the median of their ratios.
for m in $(awk '{ print $2 }' $vals | sort -u); do
	r=$(awk -v m=$m '$2 == m && ($1 == "ours" || $1 == "upstream") { v[$1, $4] = $3; t[$4] = 1 }
		END { for (k in t) if (v["ours", k] != "" && v["upstream", k] > 0)
			printf "%.3f\n", v["ours", k] / v["upstream", k] }' $vals)
	[ -n "$r" ] || continue
	echo "BENCH: paired $m $(echo "$r" | median)"
	say "paired $m: ours/upstream per pair: $(echo "$r" | sort -n | tr '\n' ' ')"
done
