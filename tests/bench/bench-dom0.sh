# make bench, dom0 part (issue 11 §6): what the dom0 kernel costs the
# toolstack.  scripts/run-bench.sh runs this in one boot with our kernel
# as dom0 and one with upstream's, the guests upstream's kernel in both,
# and divides.  Prints "BENCH-DOM0: METRIC VALUE" lines:
#   dom0_ready_s        dom0's uptime when xl first answered (init)
#   create_to_user_s    xl create until the guest's agent runs, median
#                       over the cycles below
#   cycles_s            XTEST_DOM0_CYCLES (default 20) cycles of a 128 MiB
#                       guest created, up in userspace, destroyed and gone
#   save_pages_s        xl save -c of a 256 MiB guest into /dev/null: every
#                       page mapped through privcmd (MMAPBATCH_V2 by
#                       libxenguest), per second.  (xl dump-core, the
#                       plainer choice, fails for PV guests on Xen 4.17
#                       under either dom0: "p2m_size < nr_pages -1".)
#   gntdev_map_pages_s  tests/dom0/gntbench: 64 pages dom0 granted itself
#                       mapped, read and unmapped through gntdev for 10 s
# Lower is better for the first three, higher for the last two.
. /tests/lib/xtest.sh
name=bdom0
cfg=/tmp/$name.cfg
cycles=${XTEST_DOM0_CYCLES:-20}
trap 'cleanup_domain $name; rm -f /tmp/$name.times' EXIT

out() { echo "BENCH-DOM0: $1 $2"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

out dom0_ready_s "$(cat /run/toolstack-ready)"

write_cfg $cfg $name heartbeat
rm -f /tmp/$name.times
c0=$(now_ms)
for i in $(seq "$cycles"); do
	rm -f "$(console_log $name)"
	t0=$(now_ms)
	xl create -q $cfg || { fail "cycle $i: xl create"; exit 1; }
	wait_console $name 'AGENT: up ' 300 >/dev/null || { fail "cycle $i: no userspace"; exit 1; }
	t1=$(now_ms)
	echo $((t1 - t0)) >>/tmp/$name.times
	xl destroy $name
	wait_gone $name 60 || { fail "cycle $i: $name still listed"; exit 1; }
done
c1=$(now_ms)
out create_to_user_s "$(sort -n /tmp/$name.times | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }')"
out cycles_s "$(secs $c0 $c1)"

write_cfg $cfg $name heartbeat "memory = 256"
xl create -q $cfg || { fail "xl create (256 MiB)"; exit 1; }
# Its third heartbeat: the guest is past its boot and answers a suspend.
wait_console $name 'AGENT: tick 3 ' 300 >/dev/null || { fail "256 MiB guest: no heartbeat"; exit 1; }
t0=$(now_ms)
xl save -c $name /dev/null >/tmp/$name.save.log 2>&1 ||
	{ fail "xl save -c"; tail -n 8 /tmp/$name.save.log; exit 1; }
t1=$(now_ms)
out save_pages_s "$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", 65536 * 1000 / ms }')"
xl destroy $name

line=$(gntbench 10 64) || { fail "gntbench"; exit 1; }
out gntdev_map_pages_s "${line##* }"
