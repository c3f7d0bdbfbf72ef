# Our frontends treat their backend as untrusted.  This scenario gives a
# running guest block and network devices made by hand in xenstore, with
# no real backend behind them: first impossible values (a sector size of
# 3 bytes, a multicast MAC), then rings answered the wrong way by
# /usr/bin/fakeback (a response id the frontend never issued, a wrong
# operation, a producer index past the requests, an rx buffer with another
# slot's id or more bytes than its page holds).  Each time the guest must
# report the problem, close the device and carry on; a later device must
# still work.  Then a backend that keeps a read's pages mapped after
# answering it, rx error responses mixed with good ones (counted, not
# fatal), a backend that floods a disk's, then a vif's event channel, and
# a backend that reads every page it is granted whole (XSA-403).
. /tests/lib/xtest.sh
name=hostile
cfg=/tmp/$name.cfg
fb= domid=
hostile_end() {
	cleanup_domain $name
	[ -n "$fb" ] && kill $fb 2>/dev/null
	xl vcpu-pin 0 all all >/dev/null 2>&1
	[ -n "$domid" ] && xenstore-rm /local/domain/0/backend/hostile-vbd/$domid \
		/local/domain/0/backend/hostile-vif/$domid 2>/dev/null
	true
}
trap hostile_end EXIT

rm -f "$(console_log $name)"
write_cfg $cfg $name serve
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: serving' 120 >/dev/null || { fail "guest never reached userspace"; exit 1; }
served=0
domid=$(xl domid $name)

# fe_path/be_path KIND ID.  The backend directory is not under
# backend/vbd or backend/vif: dom0's real blkback and netback would probe
# it, and the features they write there (ring pages, queues, split
# channels) could reach the frontend before it reads them, so that it
# sets up a ring fakeback cannot serve.
fe_path() { echo "/local/domain/$domid/device/$1/$2"; }
be_path() { echo "/local/domain/0/backend/hostile-$1/$domid/$2"; }

# fake_dev KIND ID FRONTEND-KEYS... -- BACKEND-KEYS...: a device of the
# guest with both directories, the backend in InitWait.
fake_dev() {
	local kind=$1 id=$2 f b fk='' bk=''
	shift 2
	f=$(fe_path "$kind" "$id")
	b=$(be_path "$kind" "$id")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do fk="$fk $f/$1 $2"; shift 2; done
	[ "${1:-}" = -- ] && shift
	while [ $# -gt 0 ]; do bk="$bk $b/$1 $2"; shift 2; done
	# Keys and values are single words, split on purpose.
	# shellcheck disable=SC2086
	xenstore-write "$b/frontend" "$f" "$b/frontend-id" "$domid" "$b/state" 1 $bk &&
		xenstore-chmod -r "$b" n0 "r$domid" &&
		xenstore-write $fk "$f/state" 1 "$f/backend-id" 0 "$f/backend" "$b" &&
		xenstore-chmod -r "$f" "n$domid" r0 &&
		xenstore-write "$b/state" 2
}

# drop_dev KIND ID: the backend closes and both directories go.
drop_dev() {
	xenstore-write "$(be_path "$1" "$2")/state" 6 2>/dev/null
	sleep 1
	xenstore-rm "$(fe_path "$1" "$2")" 2>/dev/null
	xenstore-rm "$(be_path "$1" "$2")" 2>/dev/null
}

# wait_fe_state KIND ID REGEX SECONDS: the frontend's state matches.
wait_fe_state() {
	local t=$4 s
	while [ "$t" -gt 0 ]; do
		s=$(xenstore-read "$(fe_path "$1" "$2")/state" 2>/dev/null)
		echo "$s" | grep -qE "^($3)$" && return 0
		sleep 1
		t=$((t - 1))
	done
	echo "frontend $1/$2 state '$s', wanted $3"
	return 1
}

# expect_refused KIND ID WHAT MESSAGE: the guest logged MESSAGE, recorded
# an error for the device in xenstore and closed it (5 or 6).
expect_refused() {
	local err
	wait_console $name "$4" 60 >/dev/null || { fail "$3: no '$4' on the console"; return 1; }
	wait_fe_state "$1" "$2" '5|6' 30 || { fail "$3: frontend did not close"; return 1; }
	err=$(xenstore-read "/local/domain/$domid/error/device/$1/$2/error" 2>/dev/null)
	[ -n "$err" ] || { fail "$3: no error/device/$1/$2/error node"; return 1; }
	say "$3: refused ($err)"
}

# blk_ring ID MODE DISK-KEYS...: connect a fake disk whose ring fakeback
# answers in MODE; BLK_FE_KEYS adds keys to the frontend's directory.
blk_ring() {
	local id=$1 mode=$2 f b ref port
	shift 2
	f=$(fe_path vbd "$id")
	b=$(be_path vbd "$id")
	# shellcheck disable=SC2086
	fake_dev vbd "$id" virtual-device "$id" device-type disk ${BLK_FE_KEYS:-} || return 1
	wait_fe_state vbd "$id" 3 60 || return 1
	ref=$(xenstore-read "$f/ring-ref") && port=$(xenstore-read "$f/event-channel") ||
		{ echo "no ring-ref/event-channel under $f"; return 1; }
	fakeback blk "$domid" "$port" "$mode" "$ref" >/tmp/fakeback.out 2>&1 &
	fb=$!
	sleep 1
	xenstore-write "$b/sectors" 2048 "$b/info" 0 "$b/sector-size" 512 "$@" \
		"$b/state" 4
}

# net_ring ID MAC MODE: connect a fake vif whose rx ring fakeback answers
# in MODE once the guest has brought the interface up (the frontend looks
# at its rx ring only then); fakeback's output is shown.
net_ring() {
	local f
	f=$(fe_path vif "$1")
	fake_dev vif "$1" mac "$2" handle "$1" || return 1
	wait_fe_state vif "$1" 4 60 || return 1
	fakeback net "$domid" "$(xenstore-read "$f/event-channel")" "$3" \
		"$(xenstore-read "$f/tx-ring-ref")" "$(xenstore-read "$f/rx-ring-ref")" \
		>/tmp/fakeback.out 2>&1 &
	fb=$!
	served=$((served + 1))
	guest_serve $name $served net-up-all || fail "vif $1 $3: guest did not bring the interface up"
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
}

# agent_last KEY: the rest of the newest "AGENT: KEY ..." line.
agent_last() { tr -d '\r' <"$(console_log $name)" | sed -n "s/^AGENT: $1 //p" | tail -n 1; }

rc=0
# 1. Impossible values in xenstore.
fake_dev vbd 51760 virtual-device 51760 device-type disk -- \
	sectors 2048 info 0 sector-size 3 || { fail "xenstore-write"; exit 1; }
wait_fe_state vbd 51760 3 60 || { fail "blk: frontend never initialised"; exit 1; }
xenstore-write "$(be_path vbd 51760)/state" 4
expect_refused vbd 51760 "sector-size 3" "sector-size 3 is not a power of two" || rc=1
drop_dev vbd 51760

fake_dev vif 7 mac 01:00:5e:00:00:07 handle 7 || { fail "xenstore-write"; exit 1; }
expect_refused vif 7 "multicast MAC" "valid unicast" || rc=1
drop_dev vif 7

# 2. Rings answered the wrong way: the disk's first read (the partition
# scan) gets the hostile answer and must fail, not hang.
id=51776
for mode in bad-id stale-id bad-op overrun; do
	case $mode in
	bad-id | stale-id) msg="request id we did not issue" ;;
	bad-op) msg="operation does not match" ;;
	overrun) msg="ran ahead of the requests" ;;
	esac
	if ! blk_ring $id $mode; then
		fail "blk $mode: could not set up the fake disk"; rc=1; drop_dev vbd $id; continue
	fi
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
	grep -q "answered $mode" /tmp/fakeback.out || { fail "blk $mode: fakeback saw no request"; rc=1; }
	expect_refused vbd $id "blk $mode" "$msg" || rc=1
	drop_dev vbd $id
	id=$((id + 16))
done

# A backend that keeps a completed read's pages mapped (XSA-396): the
# guest must neither free nor reuse them while they are mapped (it parks
# their grants and says so), must release them once they are unmapped,
# and the disk goes on working meanwhile.
if blk_ring $id keep-mapped; then
	held= freed=
	if wait_console $name 'backend still maps' 60 >/dev/null; then
		served=$((served + 1))
		guest_serve $name $served grants-parked blk-probe ||
			fail "keep-mapped: guest did not answer"
		held=$(agent_last grants-parked)
		probe=$(agent_last blk-probe)
	else
		fail "keep-mapped: no 'backend still maps' on the console"; rc=1
	fi
	t=40
	until grep -q 'then unmapped' /tmp/fakeback.out || [ $t = 0 ]; do sleep 1; t=$((t - 1)); done
	# The guest retries parked revokes every second.
	sleep 3
	served=$((served + 1))
	guest_serve $name $served grants-parked || fail "keep-mapped: guest did not answer"
	freed=$(agent_last grants-parked)
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
	pages=$(sed -n 's/.*keep-mapped, \([0-9]*\) pages still mapped.*/\1/p' /tmp/fakeback.out)
	say "keep-mapped: fakeback held ${pages:-?} pages; the guest's parked grants:" \
		"${held:-?} while held, ${freed:-?} after the unmap; read meanwhile: ${probe:-none}"
	[ -n "$pages" ] && [ "${held:-0}" -ge "$pages" ] 2>/dev/null ||
		{ fail "keep-mapped: the mapped pages' grants were not parked"; rc=1; }
	[ "$freed" = 0 ] || { fail "keep-mapped: grants still parked after the unmap"; rc=1; }
	case $probe in *" ok") ;; *) fail "keep-mapped: the disk did not work meanwhile"; rc=1 ;; esac
	wait_fe_state vbd $id 4 5 || { fail "keep-mapped: the frontend gave the disk up"; rc=1; }
else
	fail "keep-mapped: could not set up the fake disk"; rc=1
fi
drop_dev vbd $id
id=$((id + 16))

for mode in rx-bad-id rx-overflow; do
	case $mode in
	rx-bad-id) msg="but we posted id" ;;
	rx-overflow) msg="overflow the page" ;;
	esac
	if net_ring 8 00:16:3e:5a:00:08 $mode; then
		expect_refused vif 8 "net $mode" "$msg" || rc=1
	else
		fail "net $mode: frontend never connected"; rc=1
	fi
	drop_dev vif 8
done

# rx error responses among good ones are counted, not a protocol error:
# the device stays connected.
f=$(fe_path vif 9)
mac=00:16:3e:5a:00:09
if net_ring 9 $mac rx-mixed; then
	sleep 1
	served=$((served + 1))
	guest_serve $name $served net-stats || fail "net rx-mixed: no counters"
	line=$(agent_last "net-stats $mac")
	say "net rx-mixed: guest counters $line"
	pk=$(echo "$line" | sed -n 's/.*rx_packets=\([0-9]*\).*/\1/p')
	er=$(echo "$line" | sed -n 's/.*rx_errors=\([0-9]*\).*/\1/p')
	[ "${pk:-0}" -ge 2 ] && [ "${er:-0}" -ge 2 ] ||
		{ fail "net rx-mixed: good and error responses not both counted"; rc=1; }
	[ "$(xenstore-read "$f/state")" = 4 ] ||
		{ fail "net rx-mixed: the frontend dropped a device that kept the protocol"; rc=1; }
	xenstore-read "/local/domain/$domid/error/device/vif/9/error" >/dev/null 2>&1 &&
		{ fail "net rx-mixed: an error was recorded"; rc=1; }
else
	fail "net rx-mixed: frontend never connected"; rc=1
fi
drop_dev vif 9

# 3. An event storm (XSA-391): after the disk's first request fakeback
# notifies its channel as fast as it can for 20 s, then serves the disk
# properly.  The guest's CPU stays usable (a timed loop takes at most
# twice its quiet time, the median of three runs each: TCG's speed
# varies by half from one moment to the next), the storm reaches
# blkfront's handler only a few times a second (its channel is bound for
# late EOI, and EOIs without work delay the unmask), and the disk works
# afterwards.
# The storm's sender spins on a CPU: dom0 on pCPU 0, the guest on pCPU 1,
# so that what the loop measures is the events' cost, not a shared CPU.
xl vcpu-pin 0 all 0 >/dev/null 2>&1
xl vcpu-pin $name all 1 >/dev/null 2>&1
served=$((served + 1))
guest_serve $name $served cpu-work || fail "storm: guest did not time its loop"
quiet=$(agent_last cpu-work-ms)
quiet_runs=${quiet#* }
quiet=${quiet%% *}
if blk_ring $id flood; then
	sleep 2
	served=$((served + 1))
	guest_serve $name $served blkif-irqs cpu-work || fail "storm: guest did not answer"
	storm=$(agent_last cpu-work-ms)
	storm_runs=${storm#* }
	storm=${storm%% *}
	before=$(agent_last blkif-irqs)
	served=$((served + 1))
	guest_serve $name $served blkif-irqs || fail "storm: no irq count"
	after=$(agent_last blkif-irqs)
	t=30
	until grep -q 'notifications in' /tmp/fakeback.out || [ $t = 0 ]; do sleep 1; t=$((t - 1)); done
	served=$((served + 1))
	guest_serve $name $served blk-probe || fail "storm: guest did not read its disks"
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
	n=$((${after%% *} - ${before%% *}))
	say "storm: loop ${storm:-?} ms, median of $storm_runs (quiet ${quiet:-?} ms, of $quiet_runs);" \
		"blkfront handled $n events meanwhile; flow ${after#* }"
	tr -d '\r' <"$(console_log $name)" | grep -m1 'fires without work' | sed 's/^/    /'
	[ -n "$quiet" ] && [ -n "$storm" ] && [ "$storm" -le $((2 * quiet)) ] ||
		{ fail "storm: the guest's CPU was not usable"; rc=1; }
	case $after in *late-eoi*) ;; *) fail "storm: blkfront's channel is not late EOI"; rc=1 ;; esac
	[ "$n" -le 400 ] || { fail "storm: $n events reached the driver"; rc=1; }
	grep -q 'notifications in' /tmp/fakeback.out || { fail "storm: fakeback never flooded"; rc=1; }
	case $(agent_last blk-probe) in *" ok") ;; *) fail "storm: the disk did not work afterwards"; rc=1 ;; esac
	wait_fe_state vbd $id 4 5 || { fail "storm: the frontend gave the disk up"; rc=1; }
else
	fail "storm: could not set up the fake disk"; rc=1
fi
drop_dev vbd $id

# The same storm on a vif's channel: netfront's handler counts an event
# as work only if the backend moved a ring since the last one.
f=$(fe_path vif 10)
if fake_dev vif 10 mac 00:16:3e:5a:00:0a handle 10 && wait_fe_state vif 10 4 60; then
	fakeback net "$domid" "$(xenstore-read "$f/event-channel")" flood \
		"$(xenstore-read "$f/tx-ring-ref")" "$(xenstore-read "$f/rx-ring-ref")" \
		>/tmp/fakeback.out 2>&1 &
	fb=$!
	served=$((served + 1))
	guest_serve $name $served net-up-all || fail "vif storm: guest did not bring the interface up"
	sleep 2
	served=$((served + 1))
	guest_serve $name $served vif-irqs cpu-work || fail "vif storm: guest did not answer"
	storm=$(agent_last cpu-work-ms)
	storm_runs=${storm#* }
	storm=${storm%% *}
	before=$(agent_last vif-irqs)
	served=$((served + 1))
	guest_serve $name $served vif-irqs || fail "vif storm: no irq count"
	after=$(agent_last vif-irqs)
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
	n=$((${after%% *} - ${before%% *}))
	say "vif storm: loop ${storm:-?} ms, median of $storm_runs (quiet ${quiet:-?} ms);" \
		"netfront handled $n events meanwhile; flow ${after#* }"
	[ -n "$quiet" ] && [ -n "$storm" ] && [ "$storm" -le $((2 * quiet)) ] ||
		{ fail "vif storm: the guest's CPU was not usable"; rc=1; }
	case $after in *late-eoi*) ;; *) fail "vif storm: netfront's channel is not late EOI"; rc=1 ;; esac
	[ "$n" -le 400 ] || { fail "vif storm: $n events reached the driver"; rc=1; }
	grep -q 'notifications in' /tmp/fakeback.out || { fail "vif storm: fakeback never flooded"; rc=1; }
	[ "$(xenstore-read "$f/state")" = 4 ] || { fail "vif storm: the frontend gave the vif up"; rc=1; }
else
	fail "vif storm: frontend never connected"; rc=1
fi
drop_dev vif 10
xl vcpu-pin 0 all all >/dev/null 2>&1

# A backend that reads whole every page it is granted (XSA-403).  The
# guest does sector I/O from pages otherwise full of a secret and pings
# out of a vif.  Trusted (the default), the disk's pages are granted in
# place and the backend sees the secret around the sectors: that shows
# the check can see one.  With trusted=0 in the frontend's directory (the
# toolstack's word) every page the backend gets holds only the sectors
# or the packet, and zeros.
#
# secret_seen KIND TASK: the guest runs TASK against the fake device;
# once fakeback is done its output is shown and its "secret KIND" line
# left in $line.
secret_seen() {
	served=$((served + 1))
	guest_serve $name $served "$2" || fail "$1 trusted=$trusted: guest did not answer"
	wait $fb
	fb=
	sed 's/^/    /' /tmp/fakeback.out
	line=$(sed -n "s/^fakeback: secret $1 //p" /tmp/fakeback.out)
	say "$1 trusted=$trusted: guest $(agent_last "$2"); backend saw $line"
}
for trusted in 1 0; do
	if BLK_FE_KEYS="trusted $trusted" blk_ring $id secret &&
		wait_fe_state vbd $id 4 60; then
		secret_seen blk blk-secret
		pages=$(echo "$line" | sed -n 's/.* pages=\([0-9]*\).*/\1/p')
		exposed=$(echo "$line" | sed -n 's/.* exposed=\([0-9]*\).*/\1/p')
		case $(agent_last blk-secret) in *" secret done") ;; *) fail "blk trusted=$trusted: the secret I/O failed"; rc=1 ;; esac
		[ "${pages:-0}" -ge 2 ] || { fail "blk trusted=$trusted: fakeback saw no data pages"; rc=1; }
		if [ $trusted = 1 ]; then
			[ "${exposed:-0}" -ge 2 ] || { fail "blk trusted=1: the secret around the sectors was not seen"; rc=1; }
		else
			[ "${exposed:-1}" = 0 ] || { fail "blk trusted=0: $exposed pages showed more than their sectors"; rc=1; }
		fi
	else
		fail "blk trusted=$trusted: could not set up the fake disk"; rc=1
	fi
	drop_dev vbd $id
	id=$((id + 16))

	vid=$((12 - trusted))
	f=$(fe_path vif $vid)
	if fake_dev vif $vid mac 00:16:3e:5a:00:$vid handle $vid trusted $trusted &&
		wait_fe_state vif $vid 4 60; then
		# Carrier on: the guest transmits.
		xenstore-write "$(be_path vif $vid)/state" 4
		fakeback net "$domid" "$(xenstore-read "$f/event-channel")" secret \
			"$(xenstore-read "$f/tx-ring-ref")" "$(xenstore-read "$f/rx-ring-ref")" \
			>/tmp/fakeback.out 2>&1 &
		fb=$!
		secret_seen net net-secret
		packets=$(echo "$line" | sed -n 's/.*tx packets=\([0-9]*\).*/\1/p')
		exposed=$(echo "$line" | sed -n 's/.*tx packets=[0-9]* pages=[0-9]* exposed=\([0-9]*\).*/\1/p')
		rxexp=$(echo "$line" | sed -n 's/.*rx pages=[0-9]* exposed=\([0-9]*\).*/\1/p')
		[ "${packets:-0}" -ge 4 ] || { fail "net trusted=$trusted: fakeback saw ${packets:-no} packets, not the 4 pings"; rc=1; }
		if [ $trusted = 0 ]; then
			[ "${exposed:-1}" = 0 ] && [ "${rxexp:-1}" = 0 ] ||
				{ fail "net trusted=0: tx pages showing more than the packet: $exposed, rx pages not zero: $rxexp"; rc=1; }
		fi
	else
		fail "net trusted=$trusted: frontend never connected"; rc=1
	fi
	drop_dev vif $vid
done

# 4. The guest is fine: it answers, and never oopsed.
domain_exists $name || { fail "guest died"; exit 1; }
xl sysrq $name h && sleep 3
tr -d '\r' <"$(console_log $name)" | grep -q 'sysrq: HELP' || { fail "guest stopped answering"; rc=1; }
if tr -d '\r' <"$(console_log $name)" | grep -qE 'BUG:|Oops|WARNING:|Call Trace'; then
	fail "guest kernel complained:"
	tr -d '\r' <"$(console_log $name)" | grep -A12 -m1 -E 'BUG:|Oops|WARNING:|Call Trace' | sed 's/^/    /'
	rc=1
fi
[ $rc = 0 ] && say "guest alive and clean after 16 hostile devices"
exit $rc
