# Helpers for the network scenarios (dom0 side).  Source after xtest.sh;
# the caller sets $name (the guest) and $pids (background jobs to kill).

# listen PORT FILE: one connection into FILE, in the background.
listen() {
	rm -f "$2"
	sleep 600 | nc -l -p "$1" >"$2" &
	pids="$pids $!"
}

# push FILE HOST PORT: send FILE to HOST, retrying the connect.
push() {
	local i=0
	until nc "$2" "$3" <"$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge 30 ] && return 1
		sleep 1
	done
}

# agent_value REGEX SECONDS: the last word of the guest's first line
# matching "AGENT: REGEX" (or a net-error line).
agent_value() {
	local line
	line=$(wait_console $name "AGENT: ($1|net-error)" "$2") || return 1
	case $line in
	*net-error*) echo "$line" >&2; return 1 ;;
	esac
	echo "${line##* }"
}

# same_sum LABEL WANT FILE: FILE (still growing maybe) ends with md5 WANT.
same_sum() {
	local t=60 got
	got=$(md5sum <"$3" | cut -d' ' -f1)
	while [ "$got" != "$2" ] && [ $t -gt 0 ]; do
		sleep 1
		t=$((t - 1))
		got=$(md5sum <"$3" | cut -d' ' -f1)
	done
	say "$1: sent $2, received $got ($(wc -c <"$3") bytes)"
	[ "$got" = "$2" ] || fail "$1: data differs"
}
