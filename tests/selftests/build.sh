#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the kernel's own selftests that make sense in a small PV guest,
# statically, from the Linux tree given: tools/testing/selftests/x86 in
# both widths, a set of tools/testing/selftests/vm programs, and our own
# regression tests beside this script (tests/selftests/*.c, both widths).
#
#   build.sh LINUX_TREE OUTDIR
#
# OUTDIR/x86, OUTDIR/vm and OUTDIR/xen get one binary per test;
# OUTDIR/list names them, "x86/NAME", "vm/NAME" or "xen/NAME", one per
# line, in run order.
set -euo pipefail
tree=$1 out=$2
st=$tree/tools/testing/selftests

# The vm tests a 512 MiB guest without huge pages, KSM, userfaultfd or
# GUP test support can run; each runs in seconds.
VM_TESTS="madv_populate map_fixed_noreplace map_populate mlock2-tests
	mremap_dontunmap mremap_test on-fault-limit
	mrelease_test"

rm -rf "$out"
mkdir -p "$out/x86" "$out/vm" "$out/xen"
# The Makefile builds every test of both widths with its own flags (the
# per-test ones included); CC carries -static so the guest
# needs no 32-bit libc.
make -s -C "$st/x86" OUTPUT="$out/x86" CC="gcc -static" all \
	>"$out/x86.log" 2>&1 || { cat "$out/x86.log" >&2; exit 1; }
for t in $VM_TESTS; do
	src=$st/vm/$t.c
	extra=
	grep -q vm_util "$src" && extra="$st/vm/vm_util.c"
	gcc -static -O2 -Wall -no-pie -I "$st" -I "$tree/tools/include" \
		-o "$out/vm/$t" "$src" $extra -lrt -lpthread -lm \
		>>"$out/vm.log" 2>&1 || { cat "$out/vm.log" >&2; exit 1; }
done
# Our own regression tests for what the kernel's selftests found, both
# widths where it applies: tests/selftests/*.c.
for src in "$(dirname "$0")"/*.c; do
	t=$(basename "$src" .c)
	for w in 32 64; do
		gcc -m$w -static -O2 -Wall -o "$out/xen/${t}_$w" "$src" \
			>>"$out/xen.log" 2>&1 || { cat "$out/xen.log" >&2; exit 1; }
	done
done
# The helper that runs a test unprivileged (not itself a test).
gcc -static -O2 -Wall -o "$out/nobody" "$(dirname "$0")/helper/nobody.c" \
	>>"$out/xen.log" 2>&1 || { cat "$out/xen.log" >&2; exit 1; }
strip "$out"/x86/* "$out"/vm/* "$out"/xen/* "$out/nobody"
{
	(cd "$out" && ls x86/* | sort)
	(cd "$out" && ls vm/* | sort)
	(cd "$out" && ls xen/* | sort)
} >"$out/list"
echo "selftests: $(wc -l <"$out/list") programs in $out"
