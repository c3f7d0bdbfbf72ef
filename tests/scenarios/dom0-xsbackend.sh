# /dev/xen/xenbus_backend, through which Xen's init-xenstore-domain hands
# dom0's store ring to a xenstore stub domain (Debian ships no such
# domain, so the real tool cannot run here).  tests/dom0/xsbe checks the
# device with the store up: EVTCHN answers the port xenfs publishes, SETUP
# is refused (EEXIST; EINVAL for a reserved domid), mmap() shows the
# ring page xsd_kva shows and nothing more, and only CAP_SYS_ADMIN may
# open it.  In a boot with xtest.xs_domain=0, init handed the ring over
# before starting xenstored: then the store must be served on the port
# SETUP returned.
. /tests/lib/xtest.sh

out=$(xsbe check 2>&1)
rc=$?
echo "$out" | sed 's/^/  | /'
[ $rc = 0 ] || { fail "xenbus_backend: $(echo "$out" | grep -c '^FAIL') checks failed"; exit 1; }

[ -e /run/xsbe-port ] || { say "the store was not handed over in this boot"; exit 0; }
port=$(cat /run/xsbe-port)
xsd=$(cat /proc/xen/xsd_port)
[ "$port" = "$xsd" ] || { fail "SETUP returned port $port, xenfs publishes $xsd"; exit 1; }
dmesg | grep -q "domain 0 may serve the store ring (event channel $port)" ||
	{ fail "no kernel line for the handover to port $port"; exit 1; }
xenstore-write /tool/xsbe "$port" && [ "$(xenstore-read /tool/xsbe)" = "$port" ] ||
	{ fail "the store does not answer on port $port"; exit 1; }
xenstore-rm /tool/xsbe
say "SETUP moved the store to event channel $port before xenstored started; xenstored serves it there"
