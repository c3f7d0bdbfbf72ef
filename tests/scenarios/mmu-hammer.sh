# The PV MMU under load: workers (one per vCPU, plus one) fork with
# copy-on-write checks, map/touch/unmap, mprotect a region read-only and
# make sure writes fault, and exec, all with their data checked.
. /tests/lib/xtest.sh
name=hammer
cfg=/tmp/$name.cfg
vcpus=${XTEST_VCPUS:-1}
trap 'cleanup_domain $name' EXIT

rm -f "$(console_log $name)"
write_cfg $cfg $name mmu-hammer "vcpus = $vcpus" "memory = 256"
xl create $cfg || { fail "xl create"; exit 1; }
line=$(wait_console $name 'AGENT: mmu-hammer' 400) || { fail "no result from the workload"; exit 1; }
say "${line#AGENT: }"
case $line in
"AGENT: mmu-hammer hammer ok "*) ;;
*) fail "workload failed"; exit 1 ;;
esac
