# The kernel's own x86 and vm selftests (tests/selftests/build.sh) as
# ordinary processes in a PV guest of 2 vCPUs and 512 MiB: first in our
# guest, then the tests ours did not pass in the upstream one, in the
# same Xen boot.  Each test of ours is its own result, "XTEST-CASE:
# PASS|FAIL selftest:NAME"; the upstream guest's outcome is printed
# beside each failure, and the case "selftest:parity" fails if upstream
# passes a test we fail.  (What upstream does with a test ours passes
# changes no verdict: it is not run, which halves the scenario's time.)
#
# A test passes with exit status 0, or 4 (kselftest's "skip": a CPU
# feature the emulated machine lacks).  It fails on any other status, a
# kill by its time limit, a guest that stopped answering (a progress
# timeout, ST_IDLE; the case "selftest:complete" fails then,
# naming the test), or a BUG/WARNING/Oops on the guest's console while it
# ran.  tests/selftests/xfail lists tests expected to fail
# for a documented reason; those pass as "xfail" (see its header).
# tests/selftests/upstream-skip lists tests the upstream guest does not
# survive; its run leaves them out so that the rest of its results exist.
. /tests/lib/xtest.sh
xfail=/tests/selftests/xfail
upskip=/tests/selftests/upstream-skip
trap 'cleanup_domain st-ours; cleanup_domain st-upstream' EXIT
# Silence that means a dead guest: longer than the agent's longest time
# limit for one test (300 s, syscall_numbering), which it enforces itself.
ST_IDLE=330

# run_kind KIND [NAME:NAME]: results in /tmp/st-KIND.res as "NAME STATUS"
# lines; the upstream guest runs only the tests named.
run_kind() {
	local kind=$1 name=st-$1 cfg=/tmp/st-$1.cfg log last=0 n idle=0 total t
	log=$(console_log $name)
	rm -f "$log" /tmp/$name.res /tmp/$name.stuck
	local extra=$XTEST_GUEST_EXTRA skip
	if [ $kind = upstream ]; then
		skip=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' $upskip | cut -d' ' -f1 | tr '\n' ':')
		extra="${extra:+$extra }xtest.selftests_skip=${skip%:} xtest.selftests=$2"
	fi
	XTEST_GUEST_EXTRA=$extra GUEST_KERNEL=/guest/$kind/vmlinuz \
		GUEST_INITRD=/guest/domu-selftest-initrd.gz \
		write_cfg $cfg $name selftests "memory = 512" "vcpus = 2"
	xl create -q $cfg || { fail "$kind: xl create"; return 1; }
	total=$(wait_console $name 'AGENT: selftests-start ' 120) || return 1
	total=${total##* }
	# Wait while results keep coming.
	while ! tr -d '\r' <"$log" | grep -q 'AGENT: selftests-done'; do
		# A line per test started and per test ended.
		n=$(tr -d '\r' <"$log" | grep -c '^AGENT: selftest[ -]')
		if [ "$n" != "$last" ]; then
			last=$n
			idle=0
		elif [ $idle -ge $ST_IDLE ]; then
			n=$(tr -d '\r' <"$log" | grep -c '^AGENT: selftest ')
			t=$(tr -d '\r' <"$log" | sed -n 's/^AGENT: selftest-run //p' | tail -n 1)
			say "$kind: no result for $ST_IDLE s after $n of $total tests, in ${t:-?}: guest stuck"
			echo "$n of $total, stuck in ${t:-?}" >/tmp/$name.stuck
			break
		fi
		sleep 2
		idle=$((idle + 2))
	done
	tr -d '\r' <"$log" | sed -n 's/^AGENT: selftest \([^ ]*\) rc=\([0-9]*\)$/\1 \2/p' \
		>/tmp/$name.res
	# A test that took the kernel down shows on the console.
	if tr -d '\r' <"$log" | grep -qE 'BUG:|WARNING:|Oops|general protection fault|Call Trace'; then
		say "$kind: the kernel complained on the console:"
		tr -d '\r' <"$log" | sed -n '/BUG:\|WARNING:\|Oops\|general protection/,$p' |
			head -n 60 | sed 's/^/    | /'
		echo oops >/tmp/$name.oops
	fi
	# Failures' output, for the log.
	tr -d '\r' <"$log" | grep '^AGENT: | ' | head -n 200 | sed 's/^AGENT: /    /'
	xl destroy $name
	return 0
}

verdict() { # RC -> pass|skip|fail
	case $1 in 0) echo pass ;; 4) echo skip ;; *) echo "fail(rc=$1)" ;; esac
}

run_kind ours || exit 1
# The upstream guest runs what ours failed (or did not get to).
failed=$(awk '$2 != 0 && $2 != 4 { print $1 }' /tmp/st-ours.res | tr '\n' ':')
if [ -f /tmp/st-ours.stuck ]; then
	failed=$failed$(tr -d '\r' <"$(console_log st-ours)" |
		sed -n 's/^AGENT: selftest-run //p' | tail -n 1)
fi
failed=${failed%:}
: >/tmp/st-upstream.res
if [ -n "$failed" ]; then
	run_kind upstream "$failed" || say "upstream guest did not run its selftests"
fi
ok=1
# Every test in the list, in order, whether or not our guest got to it.
for t in $(cat /tmp/st-ours.res /tmp/st-upstream.res 2>/dev/null | cut -d' ' -f1 | awk '!seen[$0]++'); do
	ours=$(awk -v t="$t" '$1 == t { print $2 }' /tmp/st-ours.res)
	up=$(awk -v t="$t" '$1 == t { print $2 }' /tmp/st-upstream.res 2>/dev/null)
	vo=${ours:+$(verdict "$ours")}
	vu=${up:+$(verdict "$up")}
	if [ -z "$vu" ] && grep -q "^$t " $upskip; then
		vu="skipped ($(awk -v t="$t" '$1 == t { $1 = ""; print substr($0, 2) }' $upskip))"
	fi
	reason=$(awk -v t="$t" '$1 == t { $1 = ""; print substr($0, 2) }' $xfail 2>/dev/null)
	res=FAIL xen=0
	case $vo in pass | skip) res=PASS ;; esac
	case $reason in xen:*) xen=1 ;; esac
	if [ $res = FAIL ] && [ -n "$reason" ] && [ -n "$vo" ] &&
	   { [ $xen = 1 ] || { [ "${vu%%(*}" != pass ] && [ "${vu%%(*}" != skip ]; }; }; then
		res=PASS
		vo="$vo, xfail: $reason"
	fi
	echo "XTEST-CASE: $res selftest:$t"
	say "$t: ours ${vo:-not run}${vu:+, upstream $vu}"
	case $vu in pass | skip)
		case $vo in
		pass | skip) ;;
		*) [ $xen = 1 ] || { ok=0; say "  upstream passes $t, ours does not"; } ;;
		esac ;;
	esac
done
# Our guest must get through the whole list.
if [ -f /tmp/st-ours.stuck ]; then
	echo "XTEST-CASE: FAIL selftest:complete"
	say "ours ran $(cat /tmp/st-ours.stuck)"
	ok=0
else
	echo "XTEST-CASE: PASS selftest:complete"
fi
if [ -f /tmp/st-ours.oops ]; then
	echo "XTEST-CASE: FAIL selftest:console-clean"
	ok=0
else
	echo "XTEST-CASE: PASS selftest:console-clean"
fi
echo "XTEST-CASE: $([ $ok = 1 ] && echo PASS || echo FAIL) selftest:parity"
[ $ok = 1 ]
