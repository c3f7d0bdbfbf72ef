# Save/restore and checkpoints of a guest at work (issue 13 §4): a 2-vCPU
# guest with a disk (blkfront) and a vif (netfront) runs, all the time,
#  - xbench memcheck: 24 MiB rewritten round after round, each round
#    checking the one before;
#  - 2 MiB written to its disk 256 KiB at a time (O_DIRECT), each piece
#    read back and compared, over and over;
#  - one TCP connection streaming random data to dom0 at 128 KiB/s;
# through rounds of "xl save -c" (checkpoint) and of "xl save" + "xl
# restore" (a new domain: the frontends reconnect to new backends and
# re-issue what was in flight).  After every round the heartbeat goes on
# with a clock that never went back (within 4 s of dom0's: this guest's
# console lags behind its work; save-rounds checks the clock of an idle
# guest closer), the memory check, the disk and the stream all make
# progress, and nothing reports an error.  At the end the stream dom0
# received is byte for byte what the guest sent, and the backing file
# holds the guest's data.
# Last, a save with writes in flight: the filesystem under the backing
# file is frozen, the guest's writeback reaches the backend and waits
# there, the guest is saved, and after the restore blkfront must issue
# those writes again (its log counts them) and the disk must hold them.
. /tests/lib/xtest.sh
. /tests/lib/blk.sh
name=savew
cfg=/tmp/$name.cfg
img=/tmp/$name.save
fs=/tmp/$name-fs
disk=$fs/disk.img
stream=/tmp/$name.stream
rounds=${XTEST_SAVE_ROUNDS:-5}
SAVE_SKEW_MAX_MS=4000
loop= fsloop= listener=
# On a failure, the guest kernel's own lines first (the agent's are many).
finish() {
	[ "$1" = 0 ] || tr -d '\r' <"$(console_log $name)" 2>/dev/null |
		grep -vE '^(AGENT: |memcheck ok)' | tail -n 60 | sed 's/^/  kernel| /'
	fsfreeze --unfreeze $fs 2>/dev/null
	cleanup_domain $name
	kill $listener 2>/dev/null
	[ -z "$loop" ] || /usr/sbin/losetup -d $loop 2>/dev/null
	umount $fs 2>/dev/null
	[ -z "$fsloop" ] || /usr/sbin/losetup -d $fsloop 2>/dev/null
	rm -rf $img $fs $fs.img $stream /tmp/$name.warn0
}
trap 'finish $?' EXIT

# The backing file lives on a filesystem of its own, one dom0 can freeze.
dd if=/dev/zero of=$fs.img bs=1M count=24 2>/dev/null
/usr/sbin/mke2fs -q -F $fs.img || { fail "mke2fs"; exit 1; }
fsloop=$(/usr/sbin/losetup -f --show $fs.img) || { fail "losetup"; exit 1; }
mkdir -p $fs
mount -t ext4 $fsloop $fs || { fail "mount $fsloop"; exit 1; }
dd if=/dev/zero of=$disk bs=1M count=16 2>/dev/null
loop=$(/usr/sbin/losetup -f --show $disk) || { fail "losetup"; exit 1; }
script=$(blk_phy_script)
rm -f $stream
sleep 900 | nc -l -p 5003 >$stream &
listener=$!
write_cfg $cfg $name heartbeat,save-workload,serve "vcpus = 2" "memory = 160" \
	"disk = ['format=raw, script=$script, vdev=xvda, access=rw, target=$loop']" \
	"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:50']"
xl create -q $cfg || { fail "xl create"; exit 1; }
line=$(wait_console $name 'AGENT: (workload-started|workload-error)' 240) ||
	{ fail "the workload did not start"; exit 1; }
case $line in *error*) fail "$line"; exit 1 ;; esac

log() { tr -d '\r' <"$(console_log $name)"; }
memchecks() { log | grep -c '^memcheck ok'; }
disk_passes() { log | sed -n 's/^AGENT: disk-pass \([0-9]*\)$/\1/p' | tail -n 1; }
stream_bytes() { wc -c <$stream; }

# errors: what went wrong so far, if anything (the heartbeat's own lines
# and the memcheck's "ok" ones are fine).
errors() {
	log | grep -E '^memcheck bad|^AGENT: (disk-error|workload-error)|I/O error|blk_update_request|protocol error' |
		head -n 5
}

# progress WHAT: after a round (and after save_check saw the guest's
# first heartbeat since it), the memory check, the disk and the stream all
# go on: one more memcheck report and disk pass, and 256 KiB more of the
# stream.
progress() {
	local t=120 m0 d0 s0 m d s
	m0=$(memchecks) d0=$(disk_passes) s0=$(stream_bytes)
	while [ $t -gt 0 ]; do
		m=$(memchecks) d=$(disk_passes) s=$(stream_bytes)
		[ "$m" -gt "$m0" ] && [ "${d:-0}" -gt "${d0:-0}" ] &&
			[ "$s" -ge $((s0 + 262144)) ] && break
		sleep 1
		t=$((t - 1))
	done
	if [ -n "$(errors)" ]; then
		fail "$1: the workload reports errors:"
		errors | sed 's/^/  | /'
		return 1
	fi
	if [ $t -eq 0 ]; then
		fail "$1: the workload stalled: memcheck reports $m0 -> $m, disk passes $d0 -> $d, stream $s0 -> $s bytes"
		log | tail -n 20 | sed 's/^/  | /'
		return 1
	fi
	say "$1: memcheck reports $m0 -> $m, disk passes $d0 -> $d, stream $((s0 / 1024)) -> $((s / 1024)) KiB"
}

progress "before the first round" || exit 1
console_warnings $name >/tmp/$name.warn0

for r in $(seq "$rounds"); do
	checkpoint_round $name $img $r || exit 1
	progress "checkpoint $r" || exit 1
done
for r in $(seq "$rounds"); do
	restore_round $name $img $r || exit 1
	progress "restore $r" || exit 1
done

# The end: the guest stops its work and says what it sent and wrote.
guest_serve $name 1 save-workload-end || { fail "the guest did not end its workload"; exit 1; }
mc=$(wait_console $name 'AGENT: workload-memcheck' 5)
dk=$(wait_console $name 'AGENT: workload-disk ' 5)
st=$(wait_console $name 'AGENT: workload-stream ' 5)
say "guest: ${mc#AGENT: }; ${dk#AGENT: }; ${st#AGENT: }"
[ "${mc##* }" = running ] || { fail "the memory check died"; exit 1; }
t=30
sent=$(echo "$st" | sed -n 's/.* bytes=\([0-9]*\) .*/\1/p')
while [ $t -gt 0 ] && [ "$(stream_bytes)" -lt "${sent:-0}" ]; do
	sleep 1
	t=$((t - 1))
done
got_md5=$(md5sum <$stream | cut -d' ' -f1)
case $st in
*" rc=0 "*" md5=$got_md5") say "stream: $(stream_bytes) bytes, md5 $got_md5 on both ends" ;;
*) fail "stream: dom0 got $(stream_bytes) bytes, md5 $got_md5"; exit 1 ;;
esac
want=${dk##*md5=}

# Writes in flight across a save.
fsfreeze --freeze $fs || { fail "fsfreeze"; exit 1; }
guest_serve $name 2 save-inflight-start || { fail "the guest did not start its write"; exit 1; }
line=$(wait_console $name 'AGENT: inflight-(ready|error)' 5)
case $line in *ready*) say "guest: ${line#AGENT: }" ;; *) fail "${line:-no inflight line}"; exit 1 ;; esac
reissued() {
	log | sed -n 's/.*: \([0-9]*\) requests to issue again.*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}
n0=$(reissued)
timeout 180 xl save -p $name $img >/dev/null 2>&1 || { fail "in flight: xl save -p"; exit 1; }
fsfreeze --unfreeze $fs
xl destroy $name
wait_gone $name 30 || { fail "in flight: $name still listed"; exit 1; }
save_mark $name
timeout 180 xl restore $img >/dev/null 2>&1 || { fail "in flight: xl restore"; exit 1; }
save_check $name "in flight: save + restore" || exit 1
guest_serve $name 3 save-inflight-check || { fail "the guest did not check its write"; exit 1; }
line=$(wait_console $name "AGENT: inflight-check " 5)
say "guest: ${line#AGENT: }"
n=$(($(reissued) - n0))
[ $n -gt 0 ] || { fail "in flight: blkfront issued no request again"; exit 1; }
iwant=$(echo "$line" | sed -n 's/.* want=\([0-9a-f]*\).*/\1/p')
case $line in
*stuck*) fail "in flight: the writes never completed: ${line#AGENT: }"; exit 1 ;;
*" md5=$iwant "*) say "in flight: $n requests issued again, the guest reads its 1 MiB back" ;;
*) fail "in flight: the guest reads back other data"; exit 1 ;;
esac

xl destroy $name
wait_gone $name 30 || { fail "$name still listed"; exit 1; }
got=$(dd if=$disk bs=1M count=2 2>/dev/null | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || { fail "backing file md5 $got, the guest wrote $want"; exit 1; }
say "disk: the backing file holds the guest's 2 MiB (md5 $got)"
got=$(dd if=$disk bs=64k skip=64 count=16 2>/dev/null | md5sum | cut -d' ' -f1)
[ "$got" = "$iwant" ] || { fail "backing file md5 $got at 4 MiB, the guest wrote $iwant"; exit 1; }
say "disk: and the 1 MiB that was in flight (md5 $got)"
# What our frontends said of their reconnections (the upstream guest's
# say nothing).
say "guest kernel: $(log | grep -c 'connected again') disk reconnections," \
	"$(reissued) requests issued again"

if console_warnings $name | grep -vxF -f /tmp/$name.warn0 | head -n 5 | sed 's/^/  | /' | grep .; then
	fail "kernel warnings on the guest's console"
	exit 1
fi
