#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Name the buckets of an in-guest /proc/profile dump.

  profile-symbols.py System.map "shift=STEP BUCKET:TICKS ..."

The agent's profile-dump task (tests/rootfs/domu/agent.d/prof.sh) prints
the busiest buckets of a kernel booted with profile=N; the first word
/proc/profile returns, printed as shift=, is the bucket size in bytes.
Prints ticks per function, busiest first; ticks in our kernel's
hypercall page by hypercall number (29 sched_op: idle).
"""
import bisect
import collections
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    syms = []
    with open(sys.argv[1]) as f:
        for line in f:
            addr, kind, name = line.split()[:3]
            if kind in 'tTwW':
                syms.append((int(addr, 16), name))
    syms.sort()
    addrs = [a for a, _ in syms]
    stext = next(a for a, n in syms if n == '_stext')
    words = sys.argv[2].split()
    step = int(words[0].split('=')[1])
    ticks = collections.Counter()
    for word in words[1:]:
        bucket, count = map(int, word.split(':'))
        addr = stext + bucket * step
        i = bisect.bisect_right(addrs, addr) - 1
        name = syms[i][1]
        # Our kernel's hypercall page: 32 bytes per hypercall number.
        if name == 'hypercall_page' and addr - addrs[i] < 4096:
            name += '[%d]' % ((addr - addrs[i]) // 32)
        ticks[name] += count
    for name, count in ticks.most_common():
        print(f'{count:7d} {name}')


if __name__ == '__main__':
    main()
