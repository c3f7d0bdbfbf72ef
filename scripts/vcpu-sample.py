#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where do the emulated CPUs spend their time?  A sampling profiler from
outside the machine: it sees Xen, dom0 and the guests alike.

  vcpu-sample.py record SOCKET OUT SERIAL [INTERVAL]
      Poll QEMU's monitor (boot with QEMU_EXTRA="-monitor
      unix:SOCKET,server,nowait") every INTERVAL seconds (default 0.05):
      one line per vCPU per sample with its RIP, CR3, halted flag and the
      size of the serial log at that moment.  Ends when QEMU goes away.

  vcpu-sample.py report OUT SERIAL PHASE [NAME=System.map ...]
      The samples that fall in PHASE: from the serial-log line
      "XTEST-MARK: PHASE" to the next XTEST-MARK line (the sample scenario
      prints them).  Prints how the samples split between halted, Xen,
      kernel and user mode, the hottest Xen functions (named if a map is
      given as xen=MAP, see scripts/xen-symbols.py) and the hottest kernel
      functions as each other System.map given names them (dom0's and the
      guest's kernels share addresses: name both and compare).

Monitor polling stops the vCPUs at translation-block boundaries, so code
that ends blocks often (I/O, rdtsc under icount) is over-sampled; compare
runs, not absolute shares.
"""
import bisect
import collections
import os
import re
import socket
import sys
import time

XEN_TEXT = 'ffff82d0'


def record(sock_path, out, serial, interval):
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(sock_path)
            break
        except OSError:
            time.sleep(0.5)

    def command(text):
        sock.sendall((text + '\n').encode())
        buf = b''
        while not buf.endswith(b'(qemu) '):
            data = sock.recv(65536)
            if not data:
                raise EOFError
            buf += data
        return buf.decode(errors='replace')

    with open(out, 'w') as f:
        try:
            command('')
            while True:
                regs = command('info registers -a')
                try:
                    size = os.path.getsize(serial)
                except OSError:
                    size = 0
                for cpu in re.split(r'\nCPU#', regs)[1:]:
                    num = cpu.split('\n')[0].strip()
                    rip = re.search(r'RIP=([0-9a-f]+)', cpu)
                    cr3 = re.search(r'CR3=([0-9a-f]+)', cpu)
                    hlt = re.search(r'HLT=(\d)', cpu)
                    if rip and cr3 and hlt:
                        f.write(f'{num} {rip[1]} {cr3[1]} {hlt[1]} {size}\n')
                f.flush()
                time.sleep(interval)
        except (EOFError, OSError):
            pass


def load_map(path):
    syms = []
    with open(path) as f:
        for line in f:
            addr, kind, name = line.split()[:3]
            if kind in 'tTwW':
                syms.append((int(addr, 16), name))
    syms.sort()
    return syms, [a for a, _ in syms]


def symbol(kmap, addr):
    syms, addrs = kmap
    i = bisect.bisect_right(addrs, addr) - 1
    return syms[i][1] if i >= 0 else '?'


def report(out, serial, phase, maps):
    with open(serial, 'rb') as f:
        log = f.read()
    marks = [(m.end(), m[1].decode(errors='replace').strip())
             for m in re.finditer(rb'XTEST-MARK: ([^\r\n]*)', log)]
    start = next((end for end, text in marks if text == phase), None)
    if start is None:
        sys.exit(f'no "XTEST-MARK: {phase}" in {serial}')
    stop = min((end for end, _ in marks if end > start), default=1 << 62)

    modes = collections.Counter()
    xen = collections.Counter()
    kernel = collections.Counter()
    kmaps = {name: load_map(path) for name, path in maps}
    with open(out) as f:
        for line in f:
            _, rip, _, hlt, size = line.split()
            if not start <= int(size) < stop:
                continue
            if hlt == '1':
                modes['halted'] += 1
            elif rip.startswith(XEN_TEXT):
                modes['xen'] += 1
                xen[rip] += 1
            elif rip.startswith('ffffffff'):
                modes['kernel'] += 1
                kernel[int(rip, 16)] += 1
            else:
                modes['user'] += 1
    total = sum(modes.values())
    if not total:
        sys.exit(f'no samples in phase "{phase}"')
    print(f'{total} vCPU samples in "{phase}": ' +
          ', '.join(f'{k} {100 * v / total:.0f}%' for k, v in modes.most_common()))
    xmap = kmaps.pop('xen', None)
    funcs = collections.Counter()
    for rip, n in xen.items():
        funcs[symbol(xmap, int(rip, 16)) if xmap else rip] += n
    print('hottest Xen functions:' if xmap else 'hottest Xen addresses:')
    for func, n in funcs.most_common(12):
        print(f'  {n:6d} {func}')
    for name, kmap in kmaps.items():
        funcs = collections.Counter()
        for addr, n in kernel.items():
            funcs[symbol(kmap, addr)] += n
        print(f'hottest kernel functions, named by {name}\'s System.map:')
        for func, n in funcs.most_common(15):
            print(f'  {n:6d} {func}')


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == 'record':
        interval = float(sys.argv[5]) if len(sys.argv) > 5 else 0.05
        record(sys.argv[2], sys.argv[3], sys.argv[4], interval)
    elif len(sys.argv) >= 5 and sys.argv[1] == 'report':
        maps = [arg.split('=', 1) for arg in sys.argv[5:]]
        report(sys.argv[2], sys.argv[3], sys.argv[4], maps)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
