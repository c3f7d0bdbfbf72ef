# The in-guest test suite: KUnit tests built into the guest kernel run at
# boot (before init) and print KTAP on the console.  Each test case is
# reported to the harness as "XTEST-CASE: PASS|FAIL kunit:SUITE.CASE"; a
# case that skips inside a Xen guest counts as failed, and every suite we
# ship must have run.  XTEST_KUNIT_TAG names the run (domain and case
# prefix) when a variant (kunit-2l.sh) runs it again.
. /tests/lib/xtest.sh
name=${XTEST_KUNIT_TAG:-kunit}
cfg=/tmp/$name.cfg
suites=${XTEST_KUNIT_SUITES:-xen-pv-core xen-evtchn xen-grant-table xenbus-parse xenbus-store}
trap 'cleanup_domain $name' EXIT

rm -f "$(console_log $name)"
write_cfg $cfg $name "" "memory = 256" "vcpus = ${XTEST_KUNIT_VCPUS:-1}"
xl create $cfg || { fail "xl create"; exit 1; }
# The tests run before init, so userspace means they are all done.
if ! wait_console $name 'AGENT: up ' 400 >/dev/null; then
	fail "guest never reached userspace"
	xl dmesg | tail -n 30 | sed 's/^/    | /'
	exit 1
fi

tr -d '\r' <"$(console_log $name)" | sed 's/^\[ *[0-9.]*\] //' >/tmp/kunit.tap
# A case's diagnostics are the lines printed since the previous verdict.
awk -v tag=$name '
	/^    # Subtest: / { suite = $3; diag = ""; next }
	/^    (not )?ok [0-9]+ / {
		verdict = ($1 == "not") ? "FAIL" : "PASS"
		name = ($1 == "not") ? $4 : $3
		if ($0 ~ /# SKIP/) verdict = "FAIL"
		printf "XTEST-CASE: %s %s:%s.%s\n", verdict, tag, suite, name
		if (verdict == "FAIL") { printf "%s", diag; bad = 1 }
		diag = ""
		next
	}
	/^        / { diag = diag "      | " $0 "\n" }
	END { exit bad }
' /tmp/kunit.tap
rc=$?
grep -E '^    # (Subtest|.*pass:)|# SKIP|^    not ok' /tmp/kunit.tap | sed 's/^/  /'
for s in $suites; do
	grep -q "^    # Subtest: $s\$" /tmp/kunit.tap || { fail "suite $s did not run"; rc=1; }
done
exit $rc
