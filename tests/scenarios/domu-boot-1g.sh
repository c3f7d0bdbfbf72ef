# domu-boot with 1 GiB of guest memory.
XTEST_MEM=1024
. /tests/scenarios/domu-boot.sh
