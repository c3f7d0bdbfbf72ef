# Not run by make test: the fork benchmark in our guest, with the guest's
# hypercall counts by number afterwards (for finding where fork's cost goes).
. /tests/lib/xtest.sh
name=prof
cfg=/tmp/$name.cfg
trap 'cleanup_domain $name' EXIT
write_cfg $cfg $name ${PROF_TASK:-prof} "memory = 512"
xl create $cfg || exit 1
wait_console $name 'AGENT: tasks-done' 600 >/dev/null || exit 1
tr -d '\r' <"$(console_log $name)" | grep -E '^AGENT: (bench|prof)' | sed 's/^/  /'
