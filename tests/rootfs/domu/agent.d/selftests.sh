# The kernel's own x86 and vm selftests (tests/selftests/build.sh), in
# the guest image that carries them.  Each runs as an unprivileged-looking
# ordinary process under a time limit; one line per test for the
# scenario (tests/scenarios/selftests.sh): its exit status (0 pass, 4
# skip, 124 killed by the timeout) and, on failure, its [FAIL] lines
# and last lines.
# selftest_run TIMEOUT NAME: one test, set up the way the kernel's own
# runner (tools/testing/selftests/vm/run_vmtests.sh) sets it up.
selftest_run() {
	local rc oc
	case $2 in
	vm/on-fault-limit)
		# Checks RLIMIT_MEMLOCK, which root's CAP_IPC_LOCK bypasses:
		# run_vmtests.sh runs it as nobody.
		timeout "$1" /selftests/nobody "/selftests/$2"
		;;
	vm/mremap_test)
		# Maps 2 GiB regions and touches the first 4 MiB of each; the
		# heuristic overcommit check refuses 2 GiB in a 512 MiB guest.
		oc=$(cat /proc/sys/vm/overcommit_memory)
		echo 1 >/proc/sys/vm/overcommit_memory
		timeout "$1" "/selftests/$2"
		rc=$?
		echo "$oc" >/proc/sys/vm/overcommit_memory
		return $rc
		;;
	*)
		timeout "$1" "/selftests/$2"
		;;
	esac
}

task_selftests() {
	local t rc out only skip tmo list=/tmp/selftests.list
	[ -r /selftests/list ] || { say "selftests-error no /selftests/list"; return; }
	# xtest.selftests=NAME:NAME runs just those (x86/NAME, vm/NAME or
	# xen/NAME); xtest.selftests_skip=NAME:NAME leaves those out.
	only=$(sed -n 's/.*xtest\.selftests=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',:' '\n\n')
	if [ -n "$only" ]; then
		echo "$only" | grep -xF -f - /selftests/list >$list
	else
		cp /selftests/list $list
	fi
	skip=$(sed -n 's/.*xtest\.selftests_skip=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',:' '\n\n')
	if [ -n "$skip" ]; then
		echo "$skip" | grep -vxF -f - $list >$list.new
		mv $list.new $list
	fi
	say "selftests-start $(wc -l <$list)"
	while read -r t; do
		# syscall_numbering makes a great many system calls, and each is a
		# round trip through Xen in a PV guest, several times native's cost.
		case $t in
		x86/syscall_numbering_*) tmo=300 ;;
		*) tmo=${SELFTEST_TIMEOUT:-60} ;;
		esac
		say "selftest-run $t"
		out=$(cd /tmp && selftest_run "$tmo" "$t" 2>&1)
		rc=$?
		say "selftest $t rc=$rc"
		# xtest.selftests_verbose=1: every test's lines, passed or not.
		if { [ $rc != 0 ] && [ $rc != 4 ]; } || grep -q 'xtest\.selftests_verbose=1' /proc/cmdline; then
			# Its first complaints, then how it ended.
			{
				echo "$out" | grep -m 8 -E '\[FAIL\]|\[WARN\]'
				echo "..."
				echo "$out" | tail -n 12
			} | sed "s|^|AGENT: \| $t: |"
		fi
	done <$list
	say "selftests-done"
}
