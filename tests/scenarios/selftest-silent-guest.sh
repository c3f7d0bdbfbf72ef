# Harness self-test: a guest that never prints what a scenario waits for
# must make wait_console fail after its timeout (with the console tail),
# not hang; the guest is then destroyed.
. /tests/lib/xtest.sh
name=silent
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT
write_cfg $cfg $name silent
xl create $cfg || { fail "xl create"; exit 1; }
start=$(date +%s)
if wait_console $name 'AGENT: this-is-never-printed' 20; then
	fail "wait_console matched a line the guest never printed"
	exit 1
fi
took=$(($(date +%s) - start))
say "wait_console gave up after ${took}s"
[ "$took" -ge 20 ] && [ "$took" -le 40 ] || { fail "timeout not honoured (${took}s)"; exit 1; }
xl destroy $name && wait_gone $name 30 || { fail "destroy silent guest"; exit 1; }
