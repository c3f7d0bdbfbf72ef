# Our backends treat their frontend as untrusted.  Devices are made by hand
# in xenstore with dom0 itself as the frontend: /usr/bin/fakefront grants
# its own pages and opens an event channel, and sends what no real
# frontend would (tests/dom0/fakefront.c):
#  - a vbd: malformed requests (segment counts, sector bounds, bad grants,
#    unknown operations, oversized indirect requests, a wrapping discard)
#    each get an error response and the disk stays connected; a good read
#    returns the backing file's data, a good write lands in it;
#  - the same through a vbd whose frontend says it is a 32-bit guest
#    (protocol x86_32-abi: 108-byte slots, ids at byte 4);
#  - a vbd whose producer index runs 1000 past the ring: closed, with an
#    error node for the toolstack;
#  - a vif: frames too short or with inconsistent slot sizes get error
#    responses, good frames arrive on vif0.N; a slot running off its page
#    and a 19-slot packet each close the vif;
#  - a vif with two queues and a control ring: bad hash settings get their
#    error status, good ones take effect (frames dom0 sends reach the
#    queue the table names, with the Toeplitz hash Xen's reference code
#    computes); a control ring producer index 1000 past the ring closes
#    the vif.
# Afterwards dom0 logged no oops or warning, its irqs are back where they
# were, and no backend device or vif is left.
. /tests/lib/xtest.sh
img=/tmp/bh.img
loop=
ffpid=
trap 'kill $ffpid 2>/dev/null; for i in 1 2 3; do xenstore-rm /local/domain/0/backend/vbd/0/$i; done; for i in 1 2 3 4 5; do xenstore-rm /local/domain/0/backend/vif/0/$i; done; xenstore-rm /local/domain/0/fakefront; [ -n "$loop" ] && /usr/sbin/losetup -d $loop; rm -f $img; true' EXIT

fe_dir() { echo "/local/domain/0/fakefront/$1/$2"; }
be_dir() { echo "/local/domain/0/backend/$1/0/$2"; }

# wait_be KIND ID REGEX SECONDS: the backend's state matches.
wait_be() {
	local t=$4 s
	while [ "$t" -gt 0 ]; do
		s=$(xenstore-read "$(be_dir "$1" "$2")/state" 2>/dev/null)
		echo "$s" | grep -qE "^($3)$" && return 0
		sleep 1
		t=$((t - 1))
	done
	echo "  backend $1/$2 state '$s', wanted $3"
	return 1
}

# make_dev KIND ID BACKEND-KEYS...: both directories, frontend Initialising.
make_dev() {
	local kind=$1 id=$2 f b keys=''
	shift 2
	f=$(fe_dir "$kind" "$id")
	b=$(be_dir "$kind" "$id")
	while [ $# -ge 2 ]; do keys="$keys $b/$1 $2"; shift 2; done
	# Keys and values are single words, split on purpose.
	# shellcheck disable=SC2086
	xenstore-write "$f/state" 1 "$f/backend" "$b" "$f/backend-id" 0 &&
		xenstore-write "$b/frontend" "$f" "$b/frontend-id" 0 "$b/online" 1 \
			$keys "$b/state" 1
}

# start_ff KIND ID FAKEFRONT-ARGS...: fakefront in the background; publishes
# the keys it prints in the frontend directory.  "go" is sent with go_ff.
start_ff() {
	local kind=$1 id=$2 t=10 line kv
	shift 2
	rm -f /tmp/ff.in /tmp/ff.out
	mkfifo /tmp/ff.in
	fakefront "$@" </tmp/ff.in >/tmp/ff.out 2>&1 &
	ffpid=$!
	exec 3>/tmp/ff.in
	while [ $t -gt 0 ]; do
		line=$(grep -m1 '^fakefront: ready' /tmp/ff.out) && break
		sleep 1
		t=$((t - 1))
	done
	[ -n "$line" ] || { cat /tmp/ff.out; fail "fakefront did not start"; return 1; }
	for kv in ${line#fakefront: ready }; do
		xenstore-write "$(fe_dir "$kind" "$id")/${kv%%=*}" "${kv#*=}" || return 1
	done
}

# go_ff: let fakefront send; its exit status once done.
go_ff() {
	local rc
	echo go >&3
	wait $ffpid
	rc=$?
	exec 3>&-
	ffpid=
	sed 's/^/  /' /tmp/ff.out
	return $rc
}

# close_dev KIND ID: the frontend closes, both directories go.
close_dev() {
	xenstore-write "$(fe_dir "$1" "$2")/state" 6
	wait_be "$1" "$2" 6 10 >/dev/null
	xenstore-rm "$(be_dir "$1" "$2")"
	xenstore-rm "$(fe_dir "$1" "$2")"
}

# expect_closed KIND ID WHAT: the backend closed the device and said why.
expect_closed() {
	local err
	wait_be "$1" "$2" '5|6' 15 || { fail "$3: backend did not close"; return 1; }
	err=$(xenstore-read "/local/domain/0/error/backend/$1/0/$2/error" 2>/dev/null)
	[ -n "$err" ] || { fail "$3: no error node"; return 1; }
	say "$3: closed ($err)"
}

irqs0=$(($(wc -l </proc/interrupts) - 1))
dmesg -c >/dev/null
dd if=/dev/urandom of=$img bs=1M count=4 2>/dev/null
loop=$(/usr/sbin/losetup -f --show $img) || { fail "losetup"; exit 1; }
mm=$(stat -L -c '%t:%T' $loop)
sectors=$(($(stat -c %s $img) / 512))

# bad_vbd ID MODE PROTOCOL BYTE: fakefront's malformed requests then good
# ones on a vbd whose frontend names PROTOCOL; the good read must return
# the backing file's first page, the good write (fakefront fills the page
# with BYTE, in octal) must land in its second.
bad_vbd() {
	local id=$1 what="vbd $1 ($3)" want got
	make_dev vbd $id mode w device-type disk type phy &&
		wait_be vbd $id 2 10 || { fail "$what: no InitWait"; return 1; }
	xenstore-write "$(be_dir vbd $id)/physical-device" "$mm"
	start_ff vbd $id blk $sectors $2 || return 1
	xenstore-write "$(fe_dir vbd $id)/protocol" $3 "$(fe_dir vbd $id)/state" 3
	wait_be vbd $id 4 15 || { fail "$what: backend did not connect"; return 1; }
	go_ff || { fail "$what: a check of fakefront failed"; return 1; }
	want=$(dd if=$img bs=4096 count=1 2>/dev/null | md5sum | cut -d' ' -f1)
	got=$(sed -n 's/^fakefront: read-md5 //p' /tmp/ff.out)
	say "$what: sectors 0-7 read through the backend: $got, backing file $want"
	[ "$got" = "$want" ] || { fail "$what: the good read returned other data"; return 1; }
	want=$(head -c 4096 /dev/zero | tr '\0' "\\$4" | md5sum | cut -d' ' -f1)
	got=$(dd if=$img bs=4096 skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || { fail "$what: the good write is not in the backing file"; return 1; }
	say "$what: the good write is in the backing file"
	wait_be vbd $id 4 1 || { fail "$what did not stay connected"; return 1; }
	say "$what stayed connected: $(cat /sys/bus/xen-backend/devices/vbd-0-$id/statistics/bad) bad requests counted"
	close_dev vbd $id
}

# --- vbd 1: malformed requests, then good ones.
bad_vbd 1 bad x86_64-abi 132 || exit 1
# --- vbd 3: the same in a 32-bit guest's ring layout.
bad_vbd 3 bad32 x86_32-abi 074 || exit 1

# --- vbd 2: a producer index past the ring.
make_dev vbd 2 mode w device-type disk type phy &&
	wait_be vbd 2 2 10 || { fail "vbd 2: no InitWait"; exit 1; }
xenstore-write "$(be_dir vbd 2)/physical-device" "$mm"
start_ff vbd 2 blk $sectors overrun || exit 1
xenstore-write "$(fe_dir vbd 2)/state" 3
wait_be vbd 2 4 15 || { fail "vbd 2: backend did not connect"; exit 1; }
go_ff
expect_closed vbd 2 "req_prod overrun" || exit 1
close_dev vbd 2

# --- vifs: bad frames, then two that break the ring.
vif_up() {
	local id=$1 mode=$2
	make_dev vif $id handle $id mac 00:16:3e:00:00:0$id &&
		wait_be vif $id 2 10 || { fail "vif $id: no InitWait"; return 1; }
	ip link set vif0.$id up || { fail "no interface vif0.$id"; return 1; }
	xenstore-write "$(be_dir vif $id)/hotplug-status" connected
	case $mode in
	ctrl*) start_ff vif $id net $mode vif0.$id || return 1 ;;
	*) start_ff vif $id net $mode || return 1 ;;
	esac
	xenstore-write "$(fe_dir vif $id)/request-rx-copy" 1 \
		"$(fe_dir vif $id)/feature-rx-notify" 1 "$(fe_dir vif $id)/feature-sg" 1 \
		"$(fe_dir vif $id)/state" 4
	wait_be vif $id 4 15 || { fail "vif $id: backend did not connect"; return 1; }
}
vif_up 1 bad || exit 1
go_ff || { fail "vif 1: a check of fakefront failed"; exit 1; }
st=/sys/class/net/vif0.1/statistics
say "vif0.1: rx_packets $(cat $st/rx_packets) rx_errors $(cat $st/rx_errors)"
[ "$(cat $st/rx_packets)" -ge 2 ] && [ "$(cat $st/rx_errors)" -ge 2 ] ||
	{ fail "vif0.1 counters do not show 2 good and 2 bad frames"; exit 1; }
wait_be vif 1 4 1 || { fail "vif 1 did not stay connected"; exit 1; }
close_dev vif 1

vif_up 2 offpage || exit 1
go_ff
expect_closed vif 2 "slot off its page" || exit 1
close_dev vif 2
vif_up 3 slots || exit 1
go_ff
expect_closed vif 3 "19-slot packet" || exit 1
close_dev vif 3

# --- the control ring (feature-ctrl-ring): the hash settings, checked one
# by one, then frames dom0 sends through the vif must reach the queue the
# frontend's table names, with the Toeplitz hash of their headers.
vif_up 4 ctrl || exit 1
[ "$(xenstore-read "$(be_dir vif 4)/feature-ctrl-ring")" = 1 ] ||
	{ fail "vif 4: no feature-ctrl-ring offered"; exit 1; }
dmesg | grep 'vif0.4: connected' | tail -n 1 | sed 's/^/  dom0: /'
go_ff || { fail "vif 4: a check of the control ring failed"; exit 1; }
wait_be vif 4 4 1 || { fail "vif 4 did not stay connected"; exit 1; }
close_dev vif 4
vif_up 5 ctrl-overrun || exit 1
go_ff
expect_closed vif 5 "control ring overrun" || exit 1
close_dev vif 5

# --- dom0 came out intact.
sleep 1
dmesg | grep -E 'blkback|netback|vif0' | sed 's/^/  dom0: /' | head -n 20
if dmesg | grep -qE 'BUG:|WARNING:|Oops|Call Trace|general protection'; then
	fail "dom0's kernel complained"
	exit 1
fi
left=$(ls /sys/bus/xen-backend/devices/ 2>/dev/null | tr '\n' ' ')
[ -z "$left" ] || { fail "backend devices left: $left"; exit 1; }
ls /sys/class/net | grep -q '^vif0\.' && { fail "a vif0.N interface is left"; exit 1; }
irqs=$(($(wc -l </proc/interrupts) - 1))
say "dom0 irqs: $irqs0 before, $irqs after"
[ "$irqs" -le "$irqs0" ] || { fail "event channels left bound"; exit 1; }
xl list >/dev/null || { fail "xl list fails"; exit 1; }
