#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one Xen boot (upstream dom0) running the same guest workloads
# on our domU kernel and on the upstream one, then a table of
# ours/upstream ratios (higher is better for every metric except boot time);
# then upstream's guest served by our backends and by upstream's, and the
# dom0 kernels compared, in a boot of each (below).
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
# The guest kernels, in one boot under upstream's dom0.  BENCH_DOMU=0
# skips them.
bench_domu() {
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
}
[ "${BENCH_DOMU:-1}" = 0 ] || bench_domu

# The backends (tests/bench/bench-backends.sh): upstream's guest served by
# our dom0's blkback and netback, then by upstream's; ratios ours/upstream
# (dom0 CPU per MB: lower is better).  BENCH_BACKENDS=0 skips it.
bench_backends() {
	local be=$top/out/logs/bench-backends.txt k
	: >"$be"
	for k in ours upstream; do
		QEMU_ICOUNT=$icount BOOT_TIMEOUT=3600 "$top/scripts/boot.sh" xen "$top/out/$k/bzImage" \
			"$top/out/img/dom0-initrd.gz" "$top/out/logs/bench-backends-$k.serial" \
			"kunit.enable=0 xtest.domu=upstream xtest.run=bench-backends xtest.timeout=3300"
		tr -d '\r' <"$top/out/logs/bench-backends-$k.serial" |
			sed -n "s/^BENCH-BE: /$k /p" >>"$be"
	done
	echo
	awk '
		{ v[$1 "," $2] = $3; m[$2] = 1 }
		END {
			printf "%-22s %14s %14s %8s\n", "backend metric", "ours", "upstream", "ratio"
			for (k in m) {
				o = v["ours," k]; u = v["upstream," k]
				r = (o != "" && u != "" && u > 0) ? sprintf("%.2f", o / u) : "n/a"
				printf "%-22s %14s %14s %8s\n", k, o == "" ? "-" : o, u == "" ? "-" : u, r
			}
		}' "$be"
	echo "raw numbers: $be, serial logs: out/logs/bench-backends-{ours,upstream}.serial"
}
[ "${BENCH_BACKENDS:-1}" = 0 ] || bench_backends

# The dom0 kernel (tests/bench/bench-dom0.sh): a boot with ours as dom0,
# one with upstream's, the guests upstream's kernel in both; ratios are
# ours/upstream (times: lower is better, rates: higher).  Our kernel's
# built-in KUnit suites stay out of its boot time (kunit.enable=0, which
# upstream's kernel ignores), as for the guests.  BENCH_DOM0=0
# skips it; BENCH_DOM0_CYCLES sets the create/destroy cycles (20).
[ "${BENCH_DOM0:-1}" = 0 ] && exit 0
d0=$top/out/logs/bench-dom0.txt
: >"$d0"
for k in ours upstream; do
	QEMU_ICOUNT=$icount BOOT_TIMEOUT=3600 "$top/scripts/boot.sh" xen "$top/out/$k/bzImage" \
		"$top/out/img/dom0-initrd.gz" "$top/out/logs/bench-dom0-$k.serial" \
		"kunit.enable=0 xtest.domu=upstream xtest.run=bench-dom0 xtest.timeout=3300 xtest.dom0_cycles=${BENCH_DOM0_CYCLES:-20}"
	tr -d '\r' <"$top/out/logs/bench-dom0-$k.serial" |
		sed -n "s/^BENCH-DOM0: /$k /p" >>"$d0"
done
echo
awk '
	{ v[$1 "," $2] = $3; m[$2] = 1 }
	END {
		printf "%-22s %14s %14s %8s\n", "dom0 metric", "ours", "upstream", "ratio"
		for (k in m) {
			o = v["ours," k]; u = v["upstream," k]
			r = (o != "" && u != "" && u > 0) ? sprintf("%.2f", o / u) : "n/a"
			printf "%-22s %14s %14s %8s\n", k, o == "" ? "-" : o, u == "" ? "-" : u, r
		}
	}' "$d0"
echo "raw numbers: $d0, serial logs: out/logs/bench-dom0-{ours,upstream}.serial"
