# Clock checks across vCPU migration (tests/scenarios/clock-migrate.sh moves
# the vCPUs between physical CPUs while this runs).
task_clock() {
	local r
	say "clock-start"
	r=$(xbench clock "${CLOCK_SECONDS:-30}" 2>&1)
	say "$r"
}
