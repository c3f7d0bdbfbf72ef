#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recover a System.map for a stripped Xen hypervisor image.

  xen-symbols.py [XEN_IMAGE] > xen.map      (default /boot/xen-4.17-amd64.gz)

Debian ships Xen without xen-syms, but Xen carries its own symbol table
for backtraces (xen/common/symbols.c, built by xen/tools/symbols.c): names
compressed with a 256-entry token table, 32-bit offsets from the image
base, and one marker per 256 names.  The tables are found by their shape,
not by any symbol:

  * symbols_token_index is 256 increasing u16 offsets, starting at 0, each
    pointing just past a NUL of symbols_token_table, which lies right in
    front of it;
  * symbols_markers (increasing u32, starting at 0) precedes the token
    table; symbols_names precedes the markers, and decoding 256 names
    from its start must land exactly on the second marker;
  * symbols_num_syms precedes the names and symbols_offsets (sorted u32)
    precedes that.

Output: "ADDRESS TYPE NAME" lines, as nm prints them.
"""
import gzip
import struct
import sys

# The image is linked at the start of Xen's text region; offsets count
# from there (XEN_VIRT_START on x86-64 since Xen 4.14).
IMAGE_BASE = 0xffff82d040000000


def load(path):
    raw = open(path, 'rb').read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    # Xen's multiboot image is an ELF32 wrapper with one loadable segment.
    phoff = struct.unpack_from('<I', raw, 28)[0]
    offset = struct.unpack_from('<I', raw, phoff + 4)[0]
    return raw[offset:]


def find_tokens(data):
    for off in range(0, len(data) - 512, 2):
        if data[off] or data[off + 1]:
            continue
        idx = struct.unpack_from('<256H', data, off)
        if idx[1] < 2 or idx[255] >= 4096:
            continue
        if any(idx[i] >= idx[i + 1] for i in range(255)):
            continue
        end = idx[255]
        for start in range(max(0, off - end - 64), off - end + 1):
            if data[start] and all(data[start + idx[i + 1] - 1] == 0
                                   for i in range(255)):
                tokens = [data[start + i:data.index(b'\0', start + i)]
                          .decode('latin1') for i in idx]
                return start, tokens
    sys.exit('no symbol token table found')


def find_markers(data, table):
    pos = table // 4 * 4 - 4
    words = []
    while pos > 0:
        value = struct.unpack_from('<I', data, pos)[0]
        words.append((pos, value))
        pos -= 4
        if value == 0 and len(words) > 3:
            break
    words.reverse()
    markers = [words[0][1]]
    for _, value in words[1:]:
        if value <= markers[-1]:
            break
        markers.append(value)
    return words[0][0], markers


def decode(data, tokens, pos, count):
    names = []
    for _ in range(count):
        length = data[pos]
        names.append(''.join(tokens[b] for b in data[pos + 1:pos + 1 + length]))
        pos += 1 + length
    return names, pos


def main():
    data = load(sys.argv[1] if len(sys.argv) > 1 else '/boot/xen-4.17-amd64.gz')
    table, tokens = find_tokens(data)
    mstart, markers = find_markers(data, table)
    if len(markers) < 3:
        sys.exit('symbol markers not found')
    names_at = None
    for start in range(mstart - 1, max(0, mstart - (1 << 21)), -1):
        try:
            if (decode(data, tokens, start, 256)[1] - start == markers[1] and
                    decode(data, tokens, start, 512)[1] - start == markers[2]):
                names_at = start
                break
        except IndexError:
            continue
    if names_at is None:
        sys.exit('symbol names not found')
    pos = names_at // 4 * 4
    for back in range(4, 64, 4):
        count = struct.unpack_from('<I', data, pos - back)[0]
        if (count + 255) // 256 == len(markers):
            count_at = pos - back
            break
    else:
        sys.exit('symbol count not found')
    names = decode(data, tokens, names_at, count)[0]
    for pad in range(0, 16, 4):
        offsets = struct.unpack_from(f'<{count}I', data, count_at - pad - 4 * count)
        if all(offsets[i] <= offsets[i + 1] for i in range(count - 1)):
            break
    else:
        sys.exit('symbol offsets not found')
    for offset, name in zip(offsets, names):
        # The first character of a name is its nm type letter.
        print(f'{IMAGE_BASE + offset:016x} {name[0]} {name[1:]}')


if __name__ == '__main__':
    main()
