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
# skips them; BENCH_STEPS (agent tasks, commas) runs only those steps.
bench_domu() {
	QEMU_ICOUNT=$icount BOOT_TIMEOUT=4800 "$top/scripts/boot.sh" xen "$top/out/upstream/bzImage" \
		"$top/out/img/dom0-initrd.gz" "$log" "xtest.domu=upstream xtest.run=bench xtest.timeout=4500 xtest.bench_rounds=${BENCH_ROUNDS:-3} xtest.bench_io=${BENCH_IO:-1}${BENCH_STEPS:+ xtest.bench_steps=$BENCH_STEPS}"
	tr -d '\r' <"$log" | sed -n 's/^BENCH: //p' >"$top/out/logs/bench.txt"
	awk '
		$2 == "unavailable" { note[$1] = $0; next }
		{ v[$1 "," $2] = $3; if ($1 != "paired") m[$2] = 1 }
		END {
			printf "%-32s %14s %14s %8s %8s\n", "metric", "ours", "upstream", "ratio", "paired"
			for (k in m) {
				o = v["ours," k]; u = v["upstream," k]; p = v["paired," k]
				r = (o != "" && u != "" && u > 0) ? sprintf("%.2f", o / u) : "n/a"
				printf "%-32s %14s %14s %8s %8s\n", k, o == "" ? "-" : o, u == "" ? "-" : u, r,
					p == "" ? "n/a" : sprintf("%.2f", p)
			}
			for (n in note) print "note: " note[n]
		}' "$top/out/logs/bench.txt"
	echo "raw numbers: out/logs/bench.txt, serial log: $log"
}
[ "${BENCH_DOMU:-1}" = 0 ] || bench_domu

# compare_dom0s SCENARIO PREFIX TITLE [ARGS]: a boot with our kernel as
# dom0 and one with upstream's, each running tests/bench/SCENARIO.sh with
# upstream's guests (and dom0 command-line ARGS), then a table of its
# "PREFIX: METRIC VALUE" lines with ratios ours/upstream.  Our kernel's
# built-in KUnit suites stay out of the timings (kunit.enable=0, which
# upstream's kernel ignores), as for the guests.
compare_dom0s() {
	local scen=$1 prefix=$2 title=$3 extra=${4:-} raw=$top/out/logs/$1.txt k
	: >"$raw"
	for k in ours upstream; do
		QEMU_ICOUNT=$icount BOOT_TIMEOUT=3600 "$top/scripts/boot.sh" xen "$top/out/$k/bzImage" \
			"$top/out/img/dom0-initrd.gz" "$top/out/logs/$scen-$k.serial" \
			"kunit.enable=0 xtest.domu=upstream xtest.run=$scen xtest.timeout=3300${extra:+ $extra}"
		tr -d '\r' <"$top/out/logs/$scen-$k.serial" |
			sed -n "s/^$prefix: /$k /p" >>"$raw"
	done
	echo
	awk -v title="$title" '
		{ v[$1 "," $2] = $3; m[$2] = 1 }
		END {
			printf "%-22s %14s %14s %8s\n", title, "ours", "upstream", "ratio"
			for (k in m) {
				o = v["ours," k]; u = v["upstream," k]
				r = (o != "" && u != "" && u > 0) ? sprintf("%.2f", o / u) : "n/a"
				printf "%-22s %14s %14s %8s\n", k, o == "" ? "-" : o, u == "" ? "-" : u, r
			}
		}' "$raw"
	echo "raw numbers: $raw, serial logs: out/logs/$scen-{ours,upstream}.serial"
}

# The backends (tests/bench/bench-backends.sh): upstream's guest served by
# our dom0's blkback and netback, then by upstream's (dom0 CPU per MB:
# lower is better).  BENCH_BACKENDS=0 skips it.
[ "${BENCH_BACKENDS:-1}" = 0 ] ||
	compare_dom0s bench-backends BENCH-BE "backend metric"

# The dom0 kernel (tests/bench/bench-dom0.sh): times (lower is better) and
# rates (higher).  BENCH_DOM0=0 skips it; BENCH_DOM0_CYCLES sets the
# create/destroy cycles (20).
[ "${BENCH_DOM0:-1}" = 0 ] ||
	compare_dom0s bench-dom0 BENCH-DOM0 "dom0 metric" "xtest.dom0_cycles=${BENCH_DOM0_CYCLES:-20}"
