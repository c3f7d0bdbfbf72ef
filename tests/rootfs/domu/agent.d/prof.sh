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

# Profiling aid for either kernel: each micro-benchmark a few times with
# what it cost the system: interrupts, context switches and CPU ticks by
# kind (user, system, steal) from /proc/stat.
task_profstat() {
	local b r i s0 s1
	for b in "fork 300" "fault 64 6"; do
		for i in 1 2 3 4; do
			s0=$(awk '/^cpu / { print $2, $4, $9 } /^intr/ { print $2 }
				/^ctxt/ { print $2 }' /proc/stat | tr '\n' ' ')
			# shellcheck disable=SC2086
			r=$(xbench $b)
			s1=$(awk '/^cpu / { print $2, $4, $9 } /^intr/ { print $2 }
				/^ctxt/ { print $2 }' /proc/stat | tr '\n' ' ')
			say "profstat $r $(echo "$s0 $s1" | awk '{
				printf "user=%d sys=%d steal=%d intr=%d ctxt=%d",
				$6 - $1, $7 - $2, $8 - $3, $9 - $4, $10 - $5 }')"
		done
	done
	task_profile_dump
}

# With the kernel booted with profile=N (CONFIG_PROFILING): forget the
# ticks so far, so a later profile-dump covers only the tasks in between.
task_profile_reset() {
	[ -w /proc/profile ] && echo 0 >/proc/profile
	true
}

# The 40 busiest /proc/profile buckets as bucket:ticks; the first word
# read is the bucket size in bytes: address = _stext + bucket * size.
task_profile_dump() {
	[ -r /proc/profile ] || return 0
	say "profile shift=$(od -An -tu4 -N4 /proc/profile | tr -d ' ')$(
		od -An -tu4 -v /proc/profile | tr -s ' ' '\n' |
		awk 'NF && n++ > 0 && $1 > 0 { print $1, n - 2 }' |
		sort -k1,1nr | head -n 40 | awk '{ printf " %d:%d", $2, $1 }')"
}

# Our kernel's hypercall counters: hc-mark remembers them, hc-dump prints
# what each hypercall number gained since ("nr:count").
task_hc_mark() {
	cat /sys/hypervisor/pv/hypercalls_by_op >/tmp/hc-mark 2>/dev/null
	true
}

task_hc_dump() {
	local ops=/sys/hypervisor/pv/hypercalls_by_op
	[ -r $ops ] && [ -f /tmp/hc-mark ] || return 0
	say "hypercalls $(awk 'NR == FNR { b[$1] = $2; next }
		$2 - b[$1] > 0 { printf "%s:%d ", $1, $2 - b[$1] }' /tmp/hc-mark $ops)"
}
