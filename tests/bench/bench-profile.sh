# Not run by make test: the fork and page-fault micro-benchmarks on each
# guest kernel, with interrupts, context switches and CPU ticks per run
# (agent task profstat), for finding where a slow run's time goes.
. /tests/lib/xtest.sh
name=profstat
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT
for kind in ${XTEST_BENCH_KINDS:-upstream ours}; do
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	rm -f "$(console_log $name)"
	write_cfg $cfg $name profstat "memory = 512" \
		"extra += kunit.enable=0${XTEST_PROFILE:+ profile=$XTEST_PROFILE}"
	xl create $cfg || exit 1
	wait_console $name 'AGENT: tasks-done' 900 >/dev/null || exit 1
	tr -d '\r' <"$(console_log $name)" | grep -E '^AGENT: (profstat|profile)' | sed "s/^/  $kind: /"
	xl destroy $name
	wait_gone $name 30
done
