# The in-guest KUnit suite again on the 2-level event channel ABI
# (xen.fifo_events=0), with two vCPUs so IPIs cross it too: the ABI a
# Xen without FIFO support leaves us on stays tested.  The suite's
# evtchn_abi_as_asked case checks the switch took.
XTEST_GUEST_EXTRA="${XTEST_GUEST_EXTRA:+$XTEST_GUEST_EXTRA }xen.fifo_events=0"
XTEST_KUNIT_TAG=kunit-2l
XTEST_KUNIT_VCPUS=2
. /tests/scenarios/kunit.sh
