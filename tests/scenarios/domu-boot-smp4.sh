# domu-boot with 4 vCPUs: the guest starts three secondary vCPUs at boot.
XTEST_VCPUS=4
. /tests/scenarios/domu-boot.sh
