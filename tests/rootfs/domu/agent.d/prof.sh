# Profiling aid (not a test): each micro-benchmark once, with the hypercalls
# it cost by hypercall number ("nr:count" deltas) from our kernel's counters.
task_prof() {
	local b r before after
	local ops=/sys/hypervisor/pv/hypercalls_by_op
	[ -r $ops ] || { say "prof unavailable (no $ops)"; return; }
	for b in "fork 300" "fault 64 6" "mprotect 64 40"; do
		before=$(cat $ops)
		# shellcheck disable=SC2086
		r=$(xbench $b)
		after=$(cat $ops)
		say "prof $r hypercalls: $(echo "$before
--
$after" | awk '
			$0 == "--" { seen = 1; next }
			!seen { b[$1] = $2; next }
			$2 - b[$1] > 0 { printf "%s:%d ", $1, $2 - b[$1] }')"
	done
}
