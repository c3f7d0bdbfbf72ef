# domu-boot with 2 vCPUs: the guest starts its secondary vCPU at boot.
XTEST_VCPUS=2
. /tests/scenarios/domu-boot.sh
