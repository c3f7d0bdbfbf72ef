# Feature negotiation of our block frontend with dom0's blkback:
#  - what the frontend published in xenstore (ring-page-order, ring-refN,
#    multi-queue-num-queues, queue-N/) follows min(backend limit, ours,
#    vCPUs), and the guest driver reports the same;
#  - indirect descriptors and persistent grants are used when offered;
#  - discard: a discarded region reads back as zeros in the guest and in
#    the backing file;
#  - capacity change: the backing file grows while the guest runs and the
#    guest's disk grows with it;
#  - a second guest that turns persistent grants, multi-queue and
#    multi-page rings off (module parameters) still moves data intact.
. /tests/lib/xtest.sh
name=blkfeat
cfg=/tmp/$name.cfg
d1=/tmp/$name-a.img
loop=
sdcloop=
trap 'cleanup_domain $name; for l in $loop $sdcloop; do /usr/sbin/losetup -d $l; done; rm -f $d1; true' EXIT

dd if=/dev/zero of=$d1 bs=1M count=64 2>/dev/null
loop=$(/usr/sbin/losetup -f --show $d1) || { fail "losetup"; exit 1; }
write_cfg $cfg $name blk-info,blk-discard,blk-size-watch "vcpus = 2" "memory = 256" \
	"extra += xen_blkfront.persistent_grants=1" \
	"disk = ['format=raw, vdev=xvda, access=rw, target=$loop']"
xl create $cfg || { fail "xl create"; exit 1; }
domid=$(xl domid $name)
fe=/local/domain/$domid/device/vbd/51712
be=/local/domain/0/backend/vbd/$domid/51712
wait_console $name 'AGENT: blk-discard-done|AGENT: blk-error' 300 >/dev/null ||
	{ fail "guest did not finish its tasks"; exit 1; }
log=$(console_log $name)
tr -d '\r' <"$log" | grep -E 'AGENT: blk-(info|dev|error|discard)' | sed 's/^/  /'
info=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-info //p' | head -n 1)

rd() { xenstore-read "$1" 2>/dev/null; }
bo=$(rd $be/max-ring-page-order)
bq=$(rd $be/multi-queue-max-queues)
bi=$(rd $be/feature-max-indirect-segments)
bp=$(rd $be/feature-persistent)
bd=$(rd $be/feature-discard)
say "backend: max-ring-page-order=${bo:-none} multi-queue-max-queues=${bq:-none} indirect=${bi:-none} persistent=${bp:-none} discard=${bd:-none}"

# Ring order: min(backend, 2); absent (single "ring-ref") for order 0.
want_o=0
[ -n "$bo" ] && { want_o=$bo; [ "$want_o" -gt 2 ] && want_o=2; }
fo=$(rd $fe/ring-page-order)
# Queues: min(backend, vCPUs = 2, 4); subdirectories only for more than one.
want_q=1
[ -n "$bq" ] && [ "$bq" -gt 1 ] && want_q=$([ "$bq" -lt 2 ] && echo "$bq" || echo 2)
fq=$(rd $fe/multi-queue-num-queues)
say "frontend: ring-page-order=${fo:-none} multi-queue-num-queues=${fq:-none} protocol=$(rd $fe/protocol) feature-persistent=$(rd $fe/feature-persistent)"
[ "${fo:-0}" = "$want_o" ] || { fail "ring-page-order ${fo:-none}, want $want_o"; exit 1; }
[ "${fq:-1}" = "$want_q" ] || { fail "queues ${fq:-1}, want $want_q"; exit 1; }
if [ "$want_q" -gt 1 ]; then
	dir=$fe/queue-$((want_q - 1))
else
	dir=$fe
fi
if [ "$want_o" -gt 0 ]; then
	ref=$(rd $dir/ring-ref$(((1 << want_o) - 1)))
else
	ref=$(rd $dir/ring-ref)
fi
[ -n "$ref" ] && [ -n "$(rd $dir/event-channel)" ] || { fail "no ring-ref/event-channel in $dir"; exit 1; }
case "$info" in
*" $want_q queue"*"ring order $want_o "*) ;;
*) fail "guest reports '$info', want $want_q queues, ring order $want_o"; exit 1 ;;
esac
if [ "${bi:-0}" -gt 11 ]; then
	case "$info" in *indirect*) ;; *) fail "indirect segments offered, not used"; exit 1 ;; esac
	tr -d '\r' <"$log" | grep -q 'AGENT: blk-dev xvda .*max_kb=1024 segs=256' ||
		{ fail "xvda does not take 1 MiB (256-segment) requests"; exit 1; }
fi
if [ "$bp" = 1 ]; then
	case "$info" in *persistent*) ;; *) fail "persistent grants offered, not used"; exit 1 ;; esac
fi

# Discard.
zero4=$(dd if=/dev/zero bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
if [ "$bd" = 1 ]; then
	g=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-discard-done //p')
	h=$(dd if=$d1 bs=1M skip=24 count=4 2>/dev/null | md5sum | cut -d' ' -f1)
	say "discarded 4 MiB: guest $g, backing file $h, zeros $zero4"
	[ "$g" = "$zero4" ] && [ "$h" = "$zero4" ] || { fail "discarded region is not zeros"; exit 1; }
	say "backing file uses $(du -k $d1 | cut -f1) KiB of 65536"
else
	say "backend offers no discard: skipped"
fi

# Capacity change: grow the file and its loop device.
truncate -s 96M $d1
/usr/sbin/losetup -c $loop
if wait_console $name 'AGENT: blk-size 196608' 60 >/dev/null; then
	say "guest xvda grew to 196608 sectors"
	tr -d '\r' <"$log" | grep -q 'size changed from 131072 to 196608' &&
		say "driver logged the change"
else
	fail "guest xvda did not grow to 96 MiB"
	exit 1
fi
xl destroy $name
wait_gone $name 30 || { fail "still listed"; exit 1; }

# Without persistent grants, one queue, one-page ring: the other data path.
rm -f "$(console_log $name)"
dd if=/dev/zero of=$d1 bs=1M count=64 2>/dev/null
truncate -s 64M $d1
/usr/sbin/losetup -c $loop
# Plus a disk named as SCSI sdc: it must be xvdc in the guest.
sdc=/tmp/blkfeat-sdc.img
dd if=/dev/urandom of=$sdc bs=1M count=4 2>/dev/null
sdcloop=$(/usr/sbin/losetup -f --show $sdc) || { fail "losetup"; exit 1; }
write_cfg $cfg $name blk-info,blk-integrity "vcpus = 2" "memory = 256" \
	"extra += xen_blkfront.persistent_grants=0 xen_blkfront.max_queues=1 xen_blkfront.max_ring_page_order=0" \
	"disk = ['format=raw, vdev=xvda, access=rw, target=$loop', 'format=raw, vdev=sdc, access=ro, target=$sdcloop']"
xl create $cfg || { fail "second xl create"; exit 1; }
domid=$(xl domid $name)
wait_console $name 'AGENT: blk-disk-md5|AGENT: tasks-done' 400 >/dev/null ||
	{ fail "second guest did not finish"; exit 1; }
tr -d '\r' <"$log" | grep -E 'AGENT: blk-(info|error|disk)' | sed 's/^/  /'
info=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-info //p' | head -n 1)
case "$info" in
*persistent*) fail "persistent grants used although turned off"; exit 1 ;;
*" 1 queue,"*"ring order 0 "*) ;;
*) fail "parameters not honoured: $info"; exit 1 ;;
esac
g=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-dev-md5 xvdc //p')
h=$(md5sum <$sdc | cut -d' ' -f1)
say "vdev=sdc (virtual-device $(rd /local/domain/$domid/device/vbd/2080/virtual-device)): guest xvdc $g, file $h"
[ -n "$g" ] && [ "$g" = "$h" ] || { fail "the sdc disk is not xvdc with the file's data"; exit 1; }
[ "$(rd /local/domain/$domid/device/vbd/51712/feature-persistent)" = 0 ] ||
	{ fail "frontend still offers feature-persistent"; exit 1; }
tr -d '\r' <"$log" | grep -q 'AGENT: blk-error' && { fail "guest reported errors"; exit 1; }
g=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: blk-disk-md5 //p')
h=$(dd if=$d1 bs=1M count=24 2>/dev/null | md5sum | cut -d' ' -f1)
say "non-persistent path, first 24 MiB: guest $g, backing file $h"
[ -n "$g" ] && [ "$g" = "$h" ] || { fail "data differs without persistent grants"; exit 1; }
xl destroy $name
wait_gone $name 30
rm -f $d1
