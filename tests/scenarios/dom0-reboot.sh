# reboot in dom0 resets the machine: Xen restarts the host when its
# initial domain reboots (the harness boots Xen without "noreboot" for
# this and checks that QEMU, run with -no-reboot, exits on the reset).
. /tests/lib/xtest.sh
echo "XTEST-RESULT: PASS dom0-reboot-requested"
sync
reboot -f
sleep 60
fail "still running 60 s after reboot"
exit 1
