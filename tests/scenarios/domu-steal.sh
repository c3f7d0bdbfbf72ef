# Steal time: a guest pinned to physical CPU 1 spins for 8 s, first alone
# (dom0 kept on CPU 0), then while dom0, moved to CPU 1, spins as well.
# Alone, /proc/stat in the guest must show (almost) no steal; with the
# competitor Xen shares the CPU, and at least a fifth of the guest's ticks
# must be steal.
. /tests/lib/xtest.sh
name=steal
cfg=/tmp/$name.cfg
hog=
cleanup() {
	[ -n "$hog" ] && kill $hog 2>/dev/null
	xl vcpu-pin Domain-0 all all >/dev/null 2>&1
	cleanup_domain $name
}
trap cleanup EXIT

# steal_round N: "total steal" of the guest's ROUNDth steal report.
steal_round() {
	local line
	line=$(tr -d '\r' <"$(console_log $name)" | grep -E '^AGENT: steal total=' | sed -n "$1p")
	[ -n "$line" ] || return 1
	echo "$line" | sed 's/^AGENT: steal total=\([0-9]*\) steal=\([0-9]*\)/\1 \2/'
}

write_cfg $cfg $name steal,serve
echo "cpus = '1'" >>$cfg
xl vcpu-pin Domain-0 all 0
xl create $cfg || { fail "xl create"; exit 1; }
wait_console $name 'AGENT: steal total=' 180 >/dev/null || { fail "no first steal report"; exit 1; }
set -- $(steal_round 1)
say "alone: $2 of $1 ticks stolen"
[ "${1:-0}" -gt 0 ] && [ $(($2 * 10)) -le "$1" ] || { fail "steal without a competitor"; exit 1; }

# dom0 on the guest's pCPU, spinning; then a second round in the guest.
xl vcpu-pin Domain-0 all 1
sh -c 'while :; do :; done' &
hog=$!
guest_serve $name 1 steal || { fail "second steal round did not finish"; exit 1; }
kill $hog
hog=
set -- $(steal_round 2)
say "with dom0 spinning on the same pCPU: $2 of $1 ticks stolen"
[ "${1:-0}" -gt 0 ] && [ $(($2 * 5)) -ge "$1" ] || { fail "too little steal under contention"; exit 1; }
