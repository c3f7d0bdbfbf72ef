# The kernel's own x86 selftests, both widths, and our regression tests
# for what they found (xen/*; tests/selftests/build.sh), run in dom0
# itself as ordinary processes of the control domain: there iopl() and
# ioperm() reach real ports through Xen (PHYSDEVOP_set_iopl and
# set_iobitmap), where a domU's reads of them see ones.  The binaries
# come from the selftest guest's image.  Each test is its own result,
# "XTEST-CASE: PASS|FAIL dom0-selftest:NAME": it passes with exit status 0
# or 4 (kselftest's skip), or if tests/selftests/xfail names it with a
# documented reason (the same reasons as in the guest: the emulated CPU,
# Xen's own IRET).  A test killed by its time limit fails; so does one
# that makes dom0's kernel complain (BUG/WARNING/Oops in dmesg), in the
# case dom0-selftest:console-clean.
. /tests/lib/xtest.sh
dir=/tmp/dom0-st
xfail=/tests/selftests/xfail
trap 'rm -rf $dir' EXIT
rm -rf $dir
mkdir -p $dir
(cd $dir && zcat /guest/domu-selftest-initrd.gz | cpio -i -d 'selftests/*' 2>/dev/null)
[ -r $dir/selftests/list ] || { fail "no selftests in the guest image"; exit 1; }
grep -E '^(x86|xen)/' $dir/selftests/list >$dir/run
say "$(wc -l <$dir/run) tests as dom0 processes"
marks=$(dmesg | wc -l)
ok=1
while read -r t; do
	# syscall_numbering makes a great many system calls (each a round
	# trip through Xen in a PV kernel).
	case $t in x86/syscall_numbering_*) tmo=300 ;; *) tmo=60 ;; esac
	start=$(date +%s)
	out=$(cd /tmp && timeout $tmo $dir/selftests/$t 2>&1 </dev/null)
	rc=$?
	took=$(($(date +%s) - start))
	reason=$(awk -v t="$t" '$1 == t { $1 = ""; print substr($0, 2) }' $xfail)
	case $rc in
	0) res=PASS v=pass ;;
	4) res=PASS v=skip ;;
	*)
		res=FAIL v="fail(rc=$rc)"
		[ $rc = 124 ] && v="killed after ${tmo}s"
		# A time limit is never an expected failure.
		[ -n "$reason" ] && [ $rc != 124 ] && res=PASS v="$v, xfail: $reason"
		;;
	esac
	echo "XTEST-CASE: $res dom0-selftest:$t"
	say "$t: $v (${took}s)"
	if [ $rc != 0 ] && [ $rc != 4 ]; then
		{
			echo "$out" | grep -m 8 -E '\[FAIL\]|\[WARN\]'
			echo "..."
			echo "$out" | tail -n 8
		} | sed "s#^#    | $t: #"
	fi
	[ $res = PASS ] || ok=0
done <$dir/run
if dmesg | tail -n +$((marks + 1)) |
   grep -qE 'BUG:|WARNING:|Oops|general protection fault|Call Trace'; then
	say "dom0's kernel complained while the tests ran:"
	dmesg | tail -n +$((marks + 1)) | sed -n '/BUG:\|WARNING:\|Oops\|general protection\|Call Trace/,$p' |
		head -n 60 | sed 's/^/    | /'
	echo "XTEST-CASE: FAIL dom0-selftest:console-clean"
	ok=0
else
	echo "XTEST-CASE: PASS dom0-selftest:console-clean"
fi
[ $ok = 1 ]
