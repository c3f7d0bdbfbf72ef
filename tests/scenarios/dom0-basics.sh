# What a user sees of Xen from dom0 (seed test plan): /sys/hypervisor says
# xen, xl info reports the 4.17 hypervisor, xl list shows Domain-0.
. /tests/lib/xtest.sh
type=$(cat /sys/hypervisor/type 2>/dev/null)
say "/sys/hypervisor/type: ${type:-missing}"
[ "$type" = xen ] || { fail "/sys/hypervisor/type is not xen"; exit 1; }
major=$(cat /sys/hypervisor/version/major) minor=$(cat /sys/hypervisor/version/minor)
say "/sys/hypervisor/version: $major.$minor"
[ "$major.$minor" = 4.17 ] || { fail "hypervisor version $major.$minor"; exit 1; }
ver=$(xl info | sed -n 's/^xen_version *: *//p')
say "xl info xen_version: $ver"
case $ver in 4.17.*) ;; *) fail "xl info xen_version '$ver'"; exit 1 ;; esac
xl list | awk '$1 == "Domain-0" && $2 == 0 { found = 1 } END { exit !found }' ||
	{ fail "xl list has no Domain-0 with id 0"; exit 1; }
say "xl list: Domain-0 present"

# The control domain as the toolstack sees it (either dom0 kernel).
caps=$(cat /proc/xen/capabilities 2>/dev/null)
say "/proc/xen/capabilities: ${caps:-empty}"
[ "$caps" = control_d ] || { fail "/proc/xen/capabilities is not control_d"; exit 1; }
uuid=$(cat /sys/hypervisor/uuid 2>/dev/null)
say "/sys/hypervisor/uuid: ${uuid:-missing}"
[ "$uuid" = 00000000-0000-0000-0000-000000000000 ] ||
	{ fail "dom0's uuid is not all zeros (Debian's init script checks it)"; exit 1; }
# Our kernel audits its pv_ops table at boot (arch/x86/xen/pv-ops-audit.c):
# a slot left NULL, in init text or outside kernel text panics it.
case $(uname -r) in
*-ours)
	audit=$(dmesg | sed -n 's/.*xen: pv_ops audit: //p')
	say "pv_ops audit: ${audit:-missing}"
	[ -n "$audit" ] || { fail "dom0's kernel did not report its pv_ops audit"; exit 1; }
	;;
esac
# dom0's DMA bounce pool (swiotlb-xen) outlives boot: the x86 IOMMU setup
# frees a pool it believes unused, and every bounce would then fail.
pool=$(dmesg | sed -n 's/.*software IO TLB: mapped .*(\([0-9]*MB\))$/\1/p')
say "DMA bounce pool: ${pool:-none}"
[ -n "$pool" ] || { fail "dom0 has no DMA bounce pool"; exit 1; }
if dmesg | grep -q 'software IO TLB: tearing down'; then
	fail "dom0 freed its DMA bounce pool at boot"
	exit 1
fi
xl dmesg | grep -q 'Xen version 4.17' || { fail "xl dmesg lacks Xen's banner"; exit 1; }
say "xl dmesg: $(xl dmesg | wc -l) lines"
n=$(xl vcpu-list Domain-0 | awk '$1 == "Domain-0"' | wc -l)
say "xl vcpu-list: $n vCPUs of Domain-0"
[ "$n" -ge 1 ] || { fail "xl vcpu-list shows no vCPU of Domain-0"; exit 1; }
xl debug-keys q || { fail "xl debug-keys"; exit 1; }
xl dmesg | tail -n 200 | grep -q "'q' pressed" || { fail "debug key 'q' did not reach Xen"; exit 1; }
say "xl debug-keys q: Xen dumped its domains"
name=$(xenstore-read /local/domain/0/name)
say "xenstore /local/domain/0/name: $name"
[ "$name" = Domain-0 ] || { fail "xenstore has no Domain-0 entry"; exit 1; }
xenstore-ls /local/domain/0 >/dev/null || { fail "xenstore-ls /local/domain/0"; exit 1; }
