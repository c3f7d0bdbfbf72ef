# Guest tasks for the Xen block frontend (xvd disks).  Sourced by the agent;
# every result line starts with "AGENT: blk-".

# blk_region DEV MIB-OFFSET MIB-COUNT: md5 of a region, read O_DIRECT.
blk_region() {
	dd if="$1" bs=1M skip="$2" count="$3" iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1
}

# blk_put BLOB DEV BS SEEK-IN-BS FLAGS: write BLOB at SEEK, report failure.
blk_put() {
	dd if="$1" of="$2" bs="$3" seek="$4" $5 2>/tmp/dd.err || {
		say "blk-error write $1 bs=$3: $(tail -n 1 /tmp/dd.err)"
		return 1
	}
}

# blk_check NAME BLOB DEV OFFSET-BYTES: the region reads back as BLOB.
blk_check() {
	local size want got
	size=$(wc -c <"$2")
	want=$(md5 "$2")
	got=$(dd if="$3" bs=512 skip=$(($4 / 512)) count=$((size / 512)) iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	if [ "$want" = "$got" ]; then
		say "blk-ok $1 $size bytes"
	else
		say "blk-error $1 reads back $got, wrote $want"
	fi
}

# The negotiated parameters, as the driver logged them.
task_blk_info() {
	local t=20
	# Every vbd the toolstack gave us has its disk (they connect in turn).
	while [ $t -gt 0 ] && [ "$(ls -d /sys/bus/xen/devices/vbd-* 2>/dev/null | wc -l)" -gt \
		"$(ls -d /sys/block/xvd* 2>/dev/null | wc -l)" ]; do
		sleep 1
		t=$((t - 1))
	done
	dmesg | grep -E 'vbd-[0-9]+: xvd' | sed 's/^\[[^]]*\] //' | while read -r l; do
		say "blk-info $l"
	done
	for d in /sys/block/xvd*; do
		[ -d "$d" ] || continue
		say "blk-dev ${d##*/} size=$(cat $d/size) ro=$(cat $d/ro) lbs=$(cat $d/queue/logical_block_size) hwq=$(ls $d/mq | wc -l) max_kb=$(cat $d/queue/max_hw_sectors_kb) segs=$(cat $d/queue/max_segments) discard_max=$(cat $d/queue/discard_max_hw_bytes) wc=$(cat $d/queue/write_cache)"
		# Small disks (<= 8 MiB): their whole content, for dom0 to compare.
		[ "$(cat $d/size)" -le 16384 ] &&
			say "blk-dev-md5 ${d##*/} $(md5sum </dev/${d##*/} | cut -d' ' -f1)"
	done
}

# Data integrity on /dev/xvda (>= 32 MiB); the layout is what dom0 checks:
#   0-8 MiB   1 MiB O_DIRECT writes     8 MiB   4 KiB O_DIRECT writes (256 KiB)
#   9 MiB     512 B O_DIRECT writes (32 KiB)    10-14 MiB buffered, fsync
#   16-24 MiB four concurrent writers of 2 MiB each (64 KiB O_DIRECT)
task_blk_integrity() {
	local dev=/dev/xvda i pids
	[ -b $dev ] || { say "blk-error no $dev"; return; }
	cd /tmp || return
	dd if=/dev/urandom of=big bs=1M count=8 2>/dev/null
	blk_put big $dev 1M 0 oflag=direct && blk_check direct-1M big $dev 0
	dd if=/dev/urandom of=k4 bs=4k count=64 2>/dev/null
	blk_put k4 $dev 4k 2048 oflag=direct && blk_check direct-4K k4 $dev $((8 << 20))
	dd if=/dev/urandom of=s512 bs=512 count=64 2>/dev/null
	blk_put s512 $dev 512 18432 oflag=direct && blk_check direct-512 s512 $dev $((9 << 20))
	dd if=/dev/urandom of=buf bs=1M count=4 2>/dev/null
	blk_put buf $dev 1M 10 conv=fsync && {
		echo 3 >/proc/sys/vm/drop_caches
		# Buffered read back, through the page cache.
		if [ "$(dd if=$dev bs=1M skip=10 count=4 2>/dev/null | md5sum | cut -d' ' -f1)" = "$(md5 buf)" ]; then
			say "blk-ok buffered 4194304 bytes"
		else
			say "blk-error buffered data differs"
		fi
	}
	pids=
	for i in 0 1 2 3; do
		dd if=/dev/urandom of=par$i bs=1M count=2 2>/dev/null
	done
	for i in 0 1 2 3; do
		dd if=par$i of=$dev bs=64k seek=$((256 + i * 32)) oflag=direct 2>/dev/null &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	for i in 0 1 2 3; do
		blk_check parallel-$i par$i $dev $(((16 + i * 2) << 20))
	done
	# Concurrent readers of everything at once, compared.
	for i in 0 1 2 3; do
		(blk_region $dev $((16 + i * 2)) 2 >rd$i) &
	done
	wait
	for i in 0 1 2 3; do
		[ "$(cat rd$i)" = "$(md5 par$i)" ] || say "blk-error parallel read $i differs"
	done
	sync
	say "blk-disk-md5 $(blk_region $dev 0 24)"
	rm -f big k4 s512 buf par? rd?
}

# ext4 on /dev/xvdc: make, fill, fsck clean, remount, verify.
task_blk_fs() {
	local dev=/dev/xvdc mnt=/mnt/blk i
	[ -b $dev ] || { say "blk-error no $dev"; return; }
	mkdir -p $mnt
	mkfs.ext4 -q -F $dev >/tmp/mkfs.log 2>&1 || { say "blk-error mkfs: $(tail -n 1 /tmp/mkfs.log)"; return; }
	mount -t ext4 $dev $mnt || { say "blk-error mount"; return; }
	mkdir -p $mnt/d
	for i in $(seq 1 12); do
		dd if=/dev/urandom of=$mnt/d/f$i bs=4k count=$((i * 37 % 200 + 1)) 2>/dev/null
	done
	dd if=/dev/urandom of=$mnt/big bs=1M count=4 2>/dev/null
	(cd $mnt && md5sum big d/*) >/tmp/fs.sums
	umount $mnt || { say "blk-error umount"; return; }
	if fsck.ext4 -fn $dev >/tmp/fsck.log 2>&1; then
		say "blk-ok fsck clean"
	else
		say "blk-error fsck: $(tail -n 2 /tmp/fsck.log | tr '\n' ' ')"
	fi
	mount -t ext4 -o ro $dev $mnt || { say "blk-error remount"; return; }
	if (cd $mnt && md5sum -c /tmp/fs.sums >/tmp/fs.check 2>&1); then
		say "blk-ok fs files $(wc -l </tmp/fs.sums) verified"
	else
		say "blk-error fs checksums: $(grep -v OK /tmp/fs.check | head -n 2 | tr '\n' ' ')"
	fi
	umount $mnt
	say "blk-fs-done"
}

# /dev/xvdb is read-only: reads work, writes are refused.
task_blk_ro() {
	local dev=/dev/xvdb
	[ -b $dev ] || { say "blk-error no $dev"; return; }
	say "blk-ro-flag $(cat /sys/block/xvdb/ro)"
	if dd if=/dev/zero of=$dev bs=4k count=1 oflag=direct 2>/dev/null; then
		say "blk-error write to read-only disk succeeded"
	else
		say "blk-ok read-only write refused"
	fi
	say "blk-ro-md5 $(blk_region $dev 0 4)"
}

# Discard a written region; dom0 checks it reads as zeros / was punched.
task_blk_discard() {
	local dev=/dev/xvda
	dd if=/dev/urandom of=$dev bs=1M seek=24 count=4 oflag=direct 2>/dev/null
	if blkdiscard -o $((24 << 20)) -l $((4 << 20)) $dev 2>/tmp/bd.err; then
		say "blk-discard-done $(blk_region $dev 24 4)"
	else
		say "blk-error discard: $(cat /tmp/bd.err)"
	fi
}

# Print the size of xvda every second: dom0 grows the disk and watches.
task_blk_size_watch() {
	(
		while :; do
			# Some I/O: blkback notices a resize when it serves requests.
			dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
			say "blk-size $(cat /sys/block/xvda/size 2>/dev/null)"
			sleep 1
		done
	) &
}


# Hot-plug loop: wait for /dev/xvdd to appear, do checked I/O, report, and
# wait for it to go; forever in the background (dom0 drives the rounds).
task_blk_hotplug() {
	(
		n=0
		while :; do
			while [ ! -b /dev/xvdd ]; do sleep 0.2; done
			n=$((n + 1))
			sleep 1
			dd if=/dev/urandom of=/tmp/hp bs=1M count=2 2>/dev/null
			if dd if=/tmp/hp of=/dev/xvdd bs=1M oflag=direct 2>/dev/null &&
				[ "$(blk_region /dev/xvdd 0 2)" = "$(md5 /tmp/hp)" ]; then
				say "blk-hp-ok $n $(md5 /tmp/hp)"
			else
				say "blk-hp-error $n"
			fi
			while [ -b /dev/xvdd ]; do sleep 0.2; done
			say "blk-hp-gone $n"
		done
	) &
}

# Keep writing to /dev/xvde until it goes away; report how dd ended.
task_blk_hp_busy() {
	(
		n=0
		while [ ! -b /dev/xvde ]; do sleep 0.2; done
		say "blk-busy-start"
		while dd if=/dev/zero of=/dev/xvde bs=64k count=128 oflag=direct 2>/tmp/busy.err; do
			n=$((n + 1))
		done
		say "blk-busy-end after $n passes: $(tail -n 1 /tmp/busy.err)"
	) &
}

# user, system, softirq ticks; interrupts; context switches.
blk_cpu_stat() {
	awk '/^cpu / { print $2, $4, $8 } /^intr/ { print $2 } /^ctxt/ { print $2 }' /proc/stat | tr '\n' ' '
}

# fio numbers for make bench (bench image, memory = 512), one step each:
# make bench takes Xen's CPU time of the guest around every step.
task_blk_bench() {
	task_blk_bench_write
	task_blk_bench_read
	task_blk_bench_randread
}

# blk_bench_seq write|read: 64 MiB in 1 MiB direct I/Os, the MiB/s and
# the MiB per busy CPU-second.
blk_bench_seq() {
	local dev=/dev/xvda r c0 c1 col=48
	command -v fio >/dev/null || { say "blk-error no fio"; return; }
	[ -b $dev ] || { say "blk-error no $dev"; return; }
	[ "$1" = read ] && col=7
	c0=$(cpu_busy_ms)
	r=$(fio --name=s$1 --filename=$dev --rw=$1 --bs=1M --direct=1 --ioengine=psync \
		--size=64M --output-format=terse --terse-version=3 2>&1 | tail -n 1)
	c1=$(cpu_busy_ms)
	say "bench blk_seq_$1_mbs $(echo "$r" | awk -F';' -v c=$col '{printf "%.1f", $c / 1024}')"
	say "bench blk_seq_$1_mb_per_cpu_s $(per_cpu_s 64 $c0 $c1)"
}
task_blk_bench_write() { blk_bench_seq write; }
task_blk_bench_read() { blk_bench_seq read; }

# 4 KiB random reads, one at a time, 15 s: IOPS, and what an I/O costs.
task_blk_bench_randread() {
	local dev=/dev/xvda r s0 s1 h0 h1
	command -v fio >/dev/null || { say "blk-error no fio"; return; }
	[ -b $dev ] || { say "blk-error no $dev"; return; }
	s0=$(blk_cpu_stat)
	h0=$(cat /sys/hypervisor/pv/hypercalls_by_op 2>/dev/null)
	r=$(fio --name=rr --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=psync \
		--iodepth=1 --numjobs=1 --size=64M --runtime=15 --time_based \
		--output-format=terse --terse-version=3 2>&1 | tail -n 1)
	s1=$(blk_cpu_stat)
	h1=$(cat /sys/hypervisor/pv/hypercalls_by_op 2>/dev/null)
	say "bench blk_randread_iops $(echo "$r" | awk -F';' '{print $8}')"
	# Our kernel counts its hypercalls: which ones an I/O costs.
	[ -n "$h0" ] && say "bench-detail randread hypercalls per I/O by number: $(echo "$h0
--
$h1" | awk -v n="$(echo "$r" | awk -F';' '{print $6 / 4}')" '
		$0 == "--" { seen = 1; next }
		!seen { b[$1] = $2; next }
		n > 0 && $2 - b[$1] > 0 { printf "%s:%.2f ", $1, ($2 - b[$1]) / n }')"
	# What each I/O cost the guest: interrupts, switches, busy time
	# (/proc/stat counts USER_HZ, 100 a second).
	say "bench-detail randread: scheduler $(cat /sys/block/xvda/queue/scheduler) $(echo "$s0 $s1" |
		awk -v n="$(echo "$r" | awk -F';' '{print $6 / 4}')" '{ n = n > 0 ? n : 1
			printf "per I/O: intr=%.2f ctxt=%.2f busy_ms=%.3f",
			($9 - $4) / n, ($10 - $5) / n, ($6 + $7 + $8 - $1 - $2 - $3) * 10 / n }')"
}

# 4 KiB random reads from 4 jobs with 32 in flight each (io_uring), 15 s:
# the backend's parallelism (make bench's backends part).
task_blk_bench_jobs4() {
	local r
	command -v fio >/dev/null || { say "blk-error no fio"; return; }
	r=$(fio --name=rr4 --filename=/dev/xvda --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring --iodepth=32 --numjobs=4 --group_reporting \
		--size=64M --runtime=15 --time_based \
		--output-format=terse --terse-version=3 2>&1 | tail -n 1)
	say "bench blk_randread4_iops $(echo "$r" | awk -F';' '$8 ~ /^[0-9]+$/ { print $8 }')"
}

# Disk and network traffic that runs until the guest is destroyed
# (tests/scenarios/backend-cycles.sh): direct writes and reads on xvda, a
# stream to dom0's port 5090, and a listener on 5091 dom0 streams into.
task_io_storm() {
	net_ifup eth0 "$NET_SELF/24" || return
	(
		while :; do
			dd if=/dev/zero of=/dev/xvda bs=64k count=64 oflag=direct 2>/dev/null
			dd if=/dev/xvda of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
		done
	) &
	(while :; do nc "$NET_DOM0" 5090 </dev/zero 2>/dev/null; sleep 0.2; done) &
	(while :; do nc -l -p 5091 >/dev/null 2>&1; done) &
	say "io-storm running"
}
