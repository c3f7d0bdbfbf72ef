# Guest side of tests/scenarios/balloon.sh's growth above the boot size:
# in the background, wait until MemTotal passes GROW_MIB (default 320),
# then fill and check GROW_USE_MIB (default 288) of memory, more than the
# guest booted with (256 MiB), for two rounds of xbench memcheck.  Says
# "grow-use ok rounds=N" or "grow-use bad ..." once.
task_grow_use() {
	(
		want=$((${GROW_MIB:-320} * 1024))
		while [ "$(sed -n 's/MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)" -lt $want ]; do
			sleep 1
		done
		xbench memcheck "${GROW_USE_MIB:-288}" >/tmp/grow-use 2>&1 &
		pid=$!
		t=180 r=0
		while [ $t -gt 0 ] && kill -0 $pid 2>/dev/null; do
			r=$(sed -n 's/^memcheck ok rounds=\([0-9]*\)/\1/p' /tmp/grow-use | tail -n 1)
			[ "${r:-0}" -ge 2 ] && break
			sleep 1
			t=$((t - 1))
		done
		kill $pid 2>/dev/null
		if [ "${r:-0}" -ge 2 ]; then
			say "grow-use ok rounds=$r"
		else
			say "grow-use bad $(tr '\n' ' ' </tmp/grow-use | cut -c1-200)"
		fi
	) &
}
