# mmu-hammer on 4 vCPUs: five workers fork, fault, mprotect and exec at
# once, so TLB shootdowns and pinning race across CPUs.
XTEST_VCPUS=4
. /tests/scenarios/mmu-hammer.sh
