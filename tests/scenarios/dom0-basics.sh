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
