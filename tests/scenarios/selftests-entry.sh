# The kernel entry regression tests of the selftest image, alone: system
# calls made with DF set under PTRACE_SYSCALL (xen/syscall_df_32,
# xen/syscall_df_64) and the kernel selftest that found it
# (x86/test_syscall_vdso_32).  Runs tests/scenarios/selftests.sh on just
# those; the upstream guest does not survive them (upstream-skip).
XTEST_GUEST_EXTRA="${XTEST_GUEST_EXTRA:+$XTEST_GUEST_EXTRA }xtest.selftests=x86/test_syscall_vdso_32:xen/syscall_df_32:xen/syscall_df_64"
. /tests/scenarios/selftests.sh
