# Clock checks across vCPU migration (tests/scenarios/clock-migrate.sh moves
# the vCPUs between physical CPUs while this runs).
task_clock() {
	local r
	say "clock-start"
	r=$(xbench clock "${CLOCK_SECONDS:-30}" 2>&1)
	say "$r"
}

# Keep the CPU busy for STEAL_SECONDS (default 8) and report the ticks
# /proc/stat charged meanwhile: all of them, and those counted as stolen
# (the vCPU runnable while Xen ran someone else).  tests/scenarios/
# domu-steal.sh runs it with and without a competitor on the same pCPU.
task_steal() {
	local s0 s1
	s0=$(awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $9 }' /proc/stat)
	timeout "${STEAL_SECONDS:-8}" sh -c 'while :; do :; done'
	s1=$(awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $9 }' /proc/stat)
	say "steal $(echo "$s0 $s1" | awk '{ printf "total=%d steal=%d", $3 - $1, $4 - $2 }')"
}
