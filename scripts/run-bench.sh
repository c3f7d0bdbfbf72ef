#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one Xen boot (upstream dom0) running the same guest workloads
# on our domU kernel and on the upstream one, then a table of
# ours/upstream ratios (higher is better for every metric except boot time).
# Benchmarks are not tests: nothing here passes or fails.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
log=$top/out/logs/bench.serial
mkdir -p "$top/out/logs"
# Under QEMU's icount the machine's clock advances with the instructions
# it executes (2^BENCH_ICOUNT ns each), so every rate measured inside is
# work per instruction, repeatable to a few percent whatever else the host
# does; wall-clock TCG numbers drift by 2x within one run.  BENCH_ICOUNT=
# (empty) measures in host time instead.
icount=${BENCH_ICOUNT-3}
[ "$icount" = 0 ] && icount=
QEMU_ICOUNT=$icount BOOT_TIMEOUT=4800 "$top/scripts/boot.sh" xen "$top/out/upstream/bzImage" \
	"$top/out/img/dom0-initrd.gz" "$log" "xtest.domu=upstream xtest.run=bench xtest.timeout=4500 xtest.bench_rounds=${BENCH_ROUNDS:-3} xtest.bench_io=${BENCH_IO:-1}"
tr -d '\r' <"$log" | sed -n 's/^BENCH: //p' >"$top/out/logs/bench.txt"
awk '
	$2 == "unavailable" { note[$1] = $0; next }
	{ v[$1 "," $2] = $3; if ($1 != "paired") m[$2] = 1 }
	END {
		printf "%-22s %14s %14s %8s %8s\n", "metric", "ours", "upstream", "ratio", "paired"
		for (k in m) {
			o = v["ours," k]; u = v["upstream," k]; p = v["paired," k]
			r = (o != "" && u != "" && u > 0) ? sprintf("%.2f", o / u) : "n/a"
			printf "%-22s %14s %14s %8s %8s\n", k, o == "" ? "-" : o, u == "" ? "-" : u, r,
				p == "" ? "n/a" : sprintf("%.2f", p)
		}
		for (n in note) print "note: " note[n]
	}' "$top/out/logs/bench.txt"
echo "raw numbers: out/logs/bench.txt, serial log: $log"
