# Guest side of tests/scenarios/save-workload.sh: work that must come
# through save/restore and checkpoints intact, all in the background:
#  - memory: xbench memcheck rewrites and checks 24 MiB without end;
#  - disk: 2 MiB of random data written to /dev/xvda 256 KiB at a time
#    (O_DIRECT), each piece read back and compared, over and over;
#  - network: one TCP connection to dom0 (169.254.100.1:5003) carrying
#    random data at 128 KiB/s, a copy kept here.
# save-workload-end stops it all and reports what each part saw.

SAVE_W=/tmp/save-w

task_save_workload() {
	mkdir -p $SAVE_W
	rm -f $SAVE_W/*
	ip link set lo up
	ip link set eth0 up && ip addr add 169.254.100.2/16 dev eth0 ||
		say "workload-error no eth0"
	[ -b /dev/xvda ] || say "workload-error no /dev/xvda"

	# Its lines ("memcheck ok/bad ...") go to the console as they are.
	xbench memcheck 24 &
	echo $! >$SAVE_W/memcheck.pid

	dd if=/dev/urandom of=$SAVE_W/disk bs=256k count=8 2>/dev/null
	(
		pass=0
		while [ ! -e $SAVE_W/stop ]; do
			for k in 0 1 2 3 4 5 6 7; do
				dd if=$SAVE_W/disk of=/dev/xvda bs=256k skip=$k seek=$k count=1 \
					oflag=direct 2>/dev/null || say "disk-error write of piece $k failed (pass $pass)"
				a=$(dd if=$SAVE_W/disk bs=256k skip=$k count=1 2>/dev/null | md5sum)
				b=$(dd if=/dev/xvda bs=256k skip=$k count=1 iflag=direct 2>/dev/null | md5sum)
				[ "$a" = "$b" ] || say "disk-error piece $k reads back wrong (pass $pass)"
			done
			pass=$((pass + 1))
			echo $pass >$SAVE_W/disk-passes
			say "disk-pass $pass"
		done
		touch $SAVE_W/disk-stopped
	) &

	(
		{
			xbench pace 128 </dev/urandom &
			echo $! >$SAVE_W/pace.pid
			wait
		} | tee $SAVE_W/sent | nc 169.254.100.1 5003
		echo $? >$SAVE_W/nc.rc
	) &
	say "workload-started"
}

task_save_workload_end() {
	local t=60
	touch $SAVE_W/stop
	kill "$(cat $SAVE_W/pace.pid)" 2>/dev/null
	while [ $t -gt 0 ] && { [ ! -e $SAVE_W/nc.rc ] || [ ! -e $SAVE_W/disk-stopped ]; }; do
		sleep 1
		t=$((t - 1))
	done
	say "workload-memcheck $(kill -0 "$(cat $SAVE_W/memcheck.pid)" 2>/dev/null && echo running || echo dead)"
	kill "$(cat $SAVE_W/memcheck.pid)" 2>/dev/null
	say "workload-disk passes=$(cat $SAVE_W/disk-passes 2>/dev/null) md5=$(md5sum <$SAVE_W/disk | cut -d' ' -f1)"
	say "workload-stream rc=$(cat $SAVE_W/nc.rc 2>/dev/null) bytes=$(wc -c <$SAVE_W/sent) md5=$(md5sum <$SAVE_W/sent | cut -d' ' -f1)"
}

# wait_writeback OP KB SECONDS: wait until the kB under writeback compare
# to KB as test's -OP does; prints the last value, fails on time out.
wait_writeback() {
	local t=$(($3 * 2)) wb
	while :; do
		wb=$(sed -n 's/^Writeback: *\([0-9]*\) kB/\1/p' /proc/meminfo)
		[ "$wb" -"$1" "$2" ] && break
		[ $t -gt 0 ] || { echo "$wb"; return 1; }
		sleep 0.5
		t=$((t - 1))
	done
	echo "$wb"
}

# save-inflight-start: 1 MiB written to /dev/xvda at 4 MiB through the page
# cache, with writeback asked for at once and the device held open (its
# last close would wait for the writeback).  dom0 froze the filesystem under
# the backing file, so the writes reach the backend and stay there: the
# guest is then saved with them in flight, and on restore blkfront must
# issue them again.
task_save_inflight_start() {
	local wb
	mkdir -p $SAVE_W
	sleep 900 </dev/xvda &
	echo $! >$SAVE_W/holder.pid
	echo 10 >/proc/sys/vm/dirty_writeback_centisecs
	echo 10 >/proc/sys/vm/dirty_expire_centisecs
	dd if=/dev/urandom of=$SAVE_W/inflight bs=64k count=16 2>/dev/null
	dd if=$SAVE_W/inflight of=/dev/xvda bs=64k seek=64 count=16 conv=notrunc 2>/dev/null ||
		{ say "inflight-error the write failed"; return; }
	wb=$(wait_writeback ge 1024 10) ||
		{ say "inflight-error only ${wb} kB under writeback"; return; }
	say "inflight-ready writeback=${wb}kB"
}

# save-inflight-check: after the restore, the writeback completes (within
# 30 s: a lost request would leave its pages under writeback for ever, and
# sync would never return) and the disk holds what was written.
task_save_inflight_check() {
	local wb got want
	wb=$(wait_writeback eq 0 30) ||
		{ say "inflight-check stuck writeback=${wb}kB"; return; }
	sync
	kill "$(cat $SAVE_W/holder.pid)" 2>/dev/null
	want=$(md5sum <$SAVE_W/inflight | cut -d' ' -f1)
	got=$(dd if=/dev/xvda bs=64k skip=64 count=16 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	say "inflight-check md5=$got want=$want"
}
