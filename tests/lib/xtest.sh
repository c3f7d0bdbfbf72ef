# Helpers for scenarios running inside the test dom0 (busybox sh).
# Source it; every helper prints what it checked and returns non-zero on a
# failed check so a scenario can do `check ... || exit 1`.

XTEST_DOMU=${XTEST_DOMU:-upstream}
GUEST_KERNEL=/guest/$XTEST_DOMU/vmlinuz
GUEST_INITRD=/guest/domu-initrd.gz
CONSOLE_DIR=/var/log/xen/console

say() { echo "  [$(cut -d" " -f1 /proc/uptime)] $*"; }

# now_ms: dom0's uptime in milliseconds (busybox date has no %N).
now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

fail() {
	echo "  FAIL: $*"
	return 1
}

# free_mem_mb: the hypervisor's free memory as xl reports it.
free_mem_mb() { xl info | sed -n 's/^free_memory *: *\([0-9]*\).*/\1/p'; }

# write_cfg FILE NAME AGENT-TASKS [extra xl.cfg lines...]: 128 MiB and one
# vCPU unless an extra line sets "memory = " or "vcpus = " itself; a line
# "extra += WORDS" adds WORDS to the guest's command line.
write_cfg() {
	local file=$1 name=$2 tasks=$3 l mem="memory = 128" cpus="vcpus = 1"
	local more=${XTEST_GUEST_EXTRA:-}
	shift 3
	for l in "$@"; do
		case $l in
		"memory = "*) mem= ;;
		"vcpus = "*) cpus= ;;
		"extra += "*) more="${more:+$more }${l#extra += }" ;;
		esac
	done
	{
		echo "name = '$name'"
		echo "type = 'pv'"
		echo "kernel = '$GUEST_KERNEL'"
		echo "ramdisk = '$GUEST_INITRD'"
		echo "extra = 'console=hvc0 xtest.agent=$tasks${more:+ $more}'"
		[ -z "$mem" ] || echo "$mem"
		[ -z "$cpus" ] || echo "$cpus"
		echo "on_crash = 'preserve'"
		for l in "$@"; do
			case $l in "extra += "*) ;; *) echo "$l" ;; esac
		done
	} >"$file"
}

console_log() { echo "$CONSOLE_DIR/guest-$1.log"; }

# wait_console NAME REGEX SECONDS: wait until the guest's console shows a
# line matching REGEX; print that line (without CR).
wait_console() {
	local name=$1 re=$2 t=$3 log line
	log=$(console_log "$name")
	while [ "$t" -gt 0 ]; do
		line=$(tr -d '\r' <"$log" 2>/dev/null | grep -m1 -E "$re")
		if [ -n "$line" ]; then
			echo "$line"
			return 0
		fi
		sleep 1
		t=$((t - 1))
	done
	echo "  no '$re' on $name's console; its last lines:" >&2
	tr -d '\r' <"$log" 2>/dev/null | tail -n 15 | sed 's/^/    | /' >&2
	return 1
}

domain_exists() { xl domid "$1" >/dev/null 2>&1; }

# wait_gone NAME SECONDS
wait_gone() {
	local t=$2
	while [ "$t" -gt 0 ]; do
		domain_exists "$1" || return 0
		sleep 1
		t=$((t - 1))
	done
	return 1
}

# wait_free_mem MB SECONDS: the hypervisor's free memory is back to >= MB.
wait_free_mem() {
	local want=$1 t=$2 now
	while [ "$t" -gt 0 ]; do
		now=$(free_mem_mb)
		[ "$now" -ge "$want" ] && return 0
		sleep 1
		t=$((t - 1))
	done
	fail "free memory ${now} MiB, expected >= ${want} MiB"
	# A domain that is gone from xl's names but still dying (its pages
	# held by a grant or foreign mapping in dom0) shows here.
	xl list | sed 's/^/    | /'
	# Where its vCPUs are (symbols: the guest kernel's System.map).
	domain_exists "$1" && /usr/lib/xen-4.17/bin/xenctx -a -C "$(xl domid "$1")" 2>&1 |
		grep -E '^(vcpu|rip|rsp|cs|Stack|Call)|^ *[0-9a-f]{16}' | head -n 60 | sed 's/^/    | /'
	return 1
}

# cleanup_domain NAME: never leave a guest behind for the next scenario.
# guest_serve NAME N TASK...: a guest whose agent runs task "serve" gets
# "run TASK..." on its console as its Nth request; wait for the answer.
guest_serve() {
	local name=$1 n=$2 tty
	shift 2
	tty=$(xenstore-read "/local/domain/$(xl domid "$name")/console/tty") || return 1
	echo "run $*" >"$tty"
	wait_console "$name" "^AGENT: served $n\$" 900 >/dev/null
}

cleanup_domain() { domain_exists "$1" && xl destroy "$1" >/dev/null 2>&1; true; }

# last_tick NAME: the newest heartbeat counter on the guest's console.
last_tick() {
	tr -d '\r' <"$(console_log "$1")" | sed -n 's/^AGENT: tick \([0-9]*\) .*/\1/p' | tail -n 1
}

# last_mem_kb NAME: MemTotal of the newest heartbeat.
last_mem_kb() {
	tr -d '\r' <"$(console_log "$1")" | sed -n 's/^AGENT: tick [0-9]* mem_kb=\([0-9]*\).*/\1/p' | tail -n 1
}

# wait_tick_after NAME N SECONDS: a heartbeat newer than N shows up.
wait_tick_after() {
	local t=$3 now
	while [ "$t" -gt 0 ]; do
		now=$(last_tick "$1")
		[ -n "$now" ] && [ "$now" -gt "$2" ] && return 0
		sleep 1
		t=$((t - 1))
	done
	fail "no heartbeat after tick $2 on $1's console (last: ${now:-none})"
	echo "  $1's console, last lines:"
	tr -d '\r' <"$(console_log "$1")" 2>/dev/null | tail -n 25 | sed 's/^/    | /'
	xl list | sed 's/^/    | /'
	# Where its vCPUs are (symbols: the guest kernel's System.map).
	domain_exists "$1" && /usr/lib/xen-4.17/bin/xenctx -a -C "$(xl domid "$1")" 2>&1 |
		grep -E '^(vcpu|rip|rsp|cs|Stack|Call)|^ *[0-9a-f]{16}' | head -n 60 | sed 's/^/    | /'
	return 1
}

# Save/restore scenarios.  guest_time_ms NAME: the guest's clock in ms
# in its newest heartbeat (time=SECONDS.MILLISECONDS).
guest_time_ms() {
	tr -d '\r' <"$(console_log "$1")" |
		sed -n 's/^AGENT: tick [0-9]* .*time=\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p' | tail -n 1
}

# wall_ms: dom0's wall clock in ms (busybox's date has no %N).
wall_ms() {
	adjtimex | awk '/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d%03d", s, u / 1000 }'
}

# fresh_tick NAME: wait (up to 5 s, polling every 0.1 s) for the guest's
# next heartbeat and print dom0's wall clock in ms as it shows up.  The
# heartbeat was printed at most the console's delay and 0.1 s earlier.
fresh_tick() {
	local last t=50
	last=$(last_tick "$1")
	while [ $t -gt 0 ]; do
		[ "$(last_tick "$1")" != "$last" ] && { wall_ms; return 0; }
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# save_mark NAME: remember where the heartbeat is: once the guest is gone
# after "xl save", once "xl save -c" returned for a checkpoint (a mark
# taken before the command would let heartbeats the guest printed while
# xl prepared the checkpoint pass for ones after it).
save_mark() {
	SAVE_TICK=$(last_tick "$1")
	SAVE_TIME=$(guest_time_ms "$1")
}

# save_check NAME WHAT: after the resume, a heartbeat printed later than
# the mark, with a clock that did not go back and is within 1 s of dom0's
# (SAVE_SKEW_MAX_MS, for a guest so busy that its heartbeat and console
# lag).  The tick after the mark may have been printed just before the
# suspend and reach the console log only after the resume; the one after
# that cannot.  The skew is taken on the next heartbeat, stamped by dom0
# as it arrives (fresh_tick).
save_check() {
	local now gt skew max=${SAVE_SKEW_MAX_MS:-1000}
	wait_tick_after "$1" "$((SAVE_TICK + 1))" 90 || return 1
	now=$(fresh_tick "$1") || { fail "$2: no heartbeat within 5 s"; return 1; }
	gt=$(guest_time_ms "$1")
	skew=$((now - gt))
	if [ "$skew" -lt "-$max" ] || [ "$skew" -gt "$max" ]; then
		fail "$2: guest clock $gt ms, dom0's $now ms (marked at tick $SAVE_TICK, time $SAVE_TIME)"
		tr -d '\r' <"$(console_log "$1")" | grep '^AGENT: tick' | tail -n 6 | sed 's/^/  | /'
		return 1
	fi
	if [ "$gt" -lt "$SAVE_TIME" ]; then
		fail "$2: guest clock went back from $SAVE_TIME to $gt ms"
		return 1
	fi
	say "$2: tick $SAVE_TICK -> $(last_tick "$1"), clock ${skew} ms behind dom0's"
}

# checkpoint_round NAME IMG R: checkpoint R ("xl save -c" into IMG): the
# guest runs on, its heartbeat goes on with a sane clock (save_check).
checkpoint_round() {
	local t0 t1
	t0=$(now_ms)
	timeout 180 xl save -c "$1" "$2" >/dev/null 2>&1 || { fail "checkpoint $3: xl save -c"; return 1; }
	t1=$(now_ms)
	domain_exists "$1" || { fail "checkpoint $3: the guest is gone"; return 1; }
	# Only now: the guest ran on while xl prepared the checkpoint.
	save_mark "$1"
	save_check "$1" "checkpoint $3 ($((t1 - t0)) ms)"
}

# restore_round NAME IMG R: round R of "xl save" into IMG, 2 s away, "xl
# restore": the heartbeat goes on from where it was with a sane clock.
restore_round() {
	local t0 t1 t2 t3
	t0=$(now_ms)
	timeout 180 xl save "$1" "$2" >/dev/null 2>&1 || { fail "save $3: xl save"; return 1; }
	t1=$(now_ms)
	wait_gone "$1" 30 || { fail "save $3: $1 still listed"; return 1; }
	save_mark "$1"
	sleep 2
	t2=$(now_ms)
	timeout 180 xl restore "$2" >/dev/null 2>&1 || { fail "restore $3: xl restore"; return 1; }
	t3=$(now_ms)
	save_check "$1" "save $3 ($((t1 - t0)) ms) + restore ($((t3 - t2)) ms)"
}

# console_warnings NAME: the kernel warnings on the guest's console, each
# once.  After a restore xenconsoled may show the ring's old contents
# again: compare with a copy taken before the first round.
console_warnings() {
	tr -d '\r' <"$(console_log "$1")" | grep -E 'WARNING:|BUG:|Oops|Call Trace' | sort -u
}
