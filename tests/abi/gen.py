#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build the list of ABI checks from our headers.

Preprocesses every header under include/xen/interface (through ours.h and
the userspace shims), then lists one check per thing the headers define:

  size T            sizeof and alignment of every structure and union
  offset T m        offset and size of every member, nested ones included
  flexoffset T m    the same for a flexible array (size of one element)
  type T            size and signedness of every scalar typedef
  const N           value, size and signedness of every numeric macro and
                    enumerator
  str N             every string macro
  defined N         every function-like macro exists in Xen's headers too
  expr E / strexpr E  extras: ring sizes, the xsd_errors table

A name Xen's headers (as run.sh compiles them) do not define may only be
an alias of one they do (#define linux_name xen_name); such checks read
"KIND ours = xen" and compare our alias with Xen's original.  Any other
name of ours unknown to Xen is an error: our names must be Xen's.

  gen.py            print the list
  gen.py --check F  fail if F differs from the list (a new definition
                    without its check, or a stale entry)
  gen.py --emit F ours|xen   C statements for the checks of F (run.sh)
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
IFACE = os.path.join(TOP, 'include', 'xen', 'interface')
# The user ABI of our devices, against the headers Xen's tools use.
UAPI = os.path.join(TOP, 'include', 'uapi', 'xen')

# Our own helpers, not part of Xen's ABI: the guest-handle scheme.
OURS_ONLY = {'__DEFINE_GUEST_HANDLE', 'DEFINE_GUEST_HANDLE_STRUCT',
             'DEFINE_GUEST_HANDLE', 'GUEST_HANDLE'}
GUARD = re.compile(r'^(__XEN_INTERFACE_\w+_H__|_UAPI_XEN_\w+_H)$')

OURS_CMD = ['gcc', '-m64', '-std=gnu11', '-E', '-dD',
            '-I', os.path.join(HERE, 'shim'), '-I', os.path.join(TOP, 'include'),
            os.path.join(HERE, 'ours.h')]
XEN_CMD = ['gcc', '-m64', '-std=gnu11', '-E', '-dD', '-D__XEN_TOOLS__',
           '-D__XEN_INTERFACE_VERSION__=0x00040e00',
           os.path.join(HERE, 'xen.h')]

TOKEN = re.compile(r'''\s*(?:([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+\w*|\d+\w*)|
                       ("(?:\\.|[^"\\])*")|('(?:\\.|[^'\\])*')|
                       (->|<<|>>|<=|>=|==|!=|&&|\|\||\.\.\.|\#\#|[^\s]))''',
                   re.X)


def cpp(cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def split_by_file(out, keep):
    """Return (defines, code) from -dD output, only for files keep() wants."""
    defines, code, cur = [], [], ''
    lines = out.split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = re.match(r'^# \d+ "([^"]*)"', line)
        if m:
            cur = m.group(1)
            continue
        if not keep(cur):
            continue
        if line.startswith('#define '):
            defines.append(line[len('#define '):])
        elif line.startswith('#'):
            continue
        else:
            code.append(line)
    return defines, '\n'.join(code)


def tokenize(text):
    toks, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise SystemExit('gen.py: cannot tokenize at: %r' % text[pos:pos + 40])
        toks.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return toks


class Parser:
    """Just enough C to read our headers' declarations."""

    def __init__(self, toks):
        self.t, self.i = toks, 0
        self.aggregates = {}     # 'struct x' -> [(path, is_flex)]
        self.order = []
        self.typedefs = {}       # name -> 'scalar' | 'array' | 'aggregate'
        self.enumerators = []
        self.arrays = []         # (name, nr of initialised elements)

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def take(self, want=None):
        tok = self.t[self.i]
        if want is not None and tok != want:
            raise SystemExit('gen.py: expected %s, got %s near %s' %
                             (want, tok, ' '.join(self.t[self.i - 5:self.i + 5])))
        self.i += 1
        return tok

    def skip_balanced(self, open_, close):
        depth = 0
        while True:
            tok = self.take()
            if tok == open_:
                depth += 1
            elif tok == close:
                depth -= 1
                if depth == 0:
                    return

    def skip_attributes(self):
        while self.peek() == '__attribute__':
            self.take()
            self.skip_balanced('(', ')')

    def parse(self):
        while self.peek() is not None:
            if self.peek() == ';':
                self.take()
                continue
            self.declaration()

    def declaration(self):
        is_typedef = is_static = False
        while self.peek() in ('typedef', 'static', 'const', 'extern'):
            tok = self.take()
            is_typedef |= tok == 'typedef'
            is_static |= tok == 'static'
        kind, tag, members = self.type_spec()
        self.skip_attributes()
        if kind in ('struct', 'union') and members is not None and tag:
            self.add_aggregate('%s %s' % (kind, tag), members)
        decls = self.declarators()
        if is_typedef:
            for name, dims, ptr in decls:
                if name.startswith('__guest_handle_'):
                    continue    # our handle scheme; checked where used
                if dims:
                    self.typedefs[name] = 'array'
                elif kind in ('struct', 'union') and not ptr:
                    self.typedefs[name] = 'aggregate'
                    if members is not None and not tag:
                        self.add_aggregate(name, members)
                else:
                    self.typedefs[name] = 'scalar'
        elif decls and is_static:
            for name, dims, ptr in decls:
                self.arrays.append((name, self.init_count))
        self.take(';')

    def type_spec(self):
        """Return (kind, tag, members) of the type at the cursor."""
        tok = self.peek()
        if tok in ('struct', 'union', 'enum'):
            self.take()
            self.skip_attributes()
            tag = None
            if re.match(r'[A-Za-z_]', self.peek()) and self.peek() != '{':
                tag = self.take()
            members = None
            if self.peek() == '{':
                if tok == 'enum':
                    self.enum_body()
                else:
                    members = self.aggregate_body()
            self.skip_attributes()
            return tok, tag, members
        words = []
        while re.match(r'[A-Za-z_]', self.peek() or '') and \
                (not words or self.peek() in ('int', 'long', 'char', 'short',
                                              'unsigned', 'signed')):
            words.append(self.take())
        if words and words[0] in ('unsigned', 'signed', 'long', 'short'):
            while self.peek() in ('int', 'long', 'char', 'short'):
                words.append(self.take())
        if not words:
            raise SystemExit('gen.py: no type at %s' %
                             ' '.join(self.t[self.i:self.i + 8]))
        return 'scalar', ' '.join(words), None

    def enum_body(self):
        self.take('{')
        while self.peek() != '}':
            self.enumerators.append(self.take())
            if self.peek() == '=':
                while self.peek() not in (',', '}'):
                    self.take()
            if self.peek() == ',':
                self.take()
        self.take('}')

    def aggregate_body(self):
        """Members as [(name or None, dims, nested members or None)]."""
        self.take('{')
        members = []
        while self.peek() != '}':
            while self.peek() == 'const':
                self.take()
            kind, tag, nested = self.type_spec()
            if kind in ('struct', 'union') and nested is not None and tag:
                self.add_aggregate('%s %s' % (kind, tag), nested)
            decls = self.declarators()
            if not decls:
                members.append((None, [], nested))
            for name, dims, ptr in decls:
                members.append((name, dims, nested if not ptr else None))
            self.take(';')
        self.take('}')
        return members

    def declarators(self):
        decls = []
        self.init_count = 0
        while self.peek() not in (';', None):
            ptr = False
            while self.peek() in ('*', 'const'):
                ptr |= self.take() == '*'
            if not re.match(r'[A-Za-z_]', self.peek()):
                break
            name = self.take()
            dims = []
            while self.peek() == '[':
                start = self.i
                self.skip_balanced('[', ']')
                dims.append(' '.join(self.t[start + 1:self.i - 1]))
            self.skip_attributes()
            if self.peek() == '=':
                self.take()
                self.init_count = self.count_initialisers()
            decls.append((name, dims, ptr))
            if self.peek() == ',':
                self.take()
        return decls

    def count_initialisers(self):
        self.take('{')
        n, depth = 0, 1
        while depth:
            tok = self.take()
            if tok == '{':
                depth += 1
                if depth == 2:
                    n += 1
            elif tok == '}':
                depth -= 1
        return n

    def add_aggregate(self, name, members):
        if name in self.aggregates:
            return
        paths = []
        self.flatten(members, '', paths)
        self.aggregates[name] = paths
        self.order.append(name)

    def flatten(self, members, prefix, paths):
        for name, dims, nested in members:
            if name is None:
                self.flatten(nested, prefix, paths)
                continue
            path = prefix + name
            paths.append((path, dims == ['']))
            if nested is not None and not dims:
                self.flatten(nested, path + '.', paths)


def xen_names():
    defines, code = split_by_file(cpp(XEN_CMD), lambda f: True)
    names = {d.split('(')[0].split()[0] for d in defines}
    names |= set(re.findall(r'[A-Za-z_]\w*', code))
    return names


def generate():
    defines, code = split_by_file(
        cpp(OURS_CMD),
        lambda f: os.path.abspath(f).startswith((IFACE + os.sep, UAPI + os.sep)))
    p = Parser(tokenize(code))
    p.parse()
    known = xen_names()
    checks, errors = [], []

    macros = {}
    for d in defines:
        m = re.match(r'([A-Za-z_]\w*)(\([^)]*\))?\s*(.*)$', d)
        macros[m.group(1)] = (m.group(2) is not None, m.group(3).strip())

    def ours_only(name):
        return name not in known

    for agg in p.order:
        if ours_only(agg.split()[-1]):
            errors.append('%s is not in Xen\'s headers' % agg)
            continue
        paths = p.aggregates[agg]
        # A shared ring ends in ring[], where Xen has ring[1]; the offset
        # and element size of ring describe its layout.
        if not agg.endswith('_sring'):
            checks.append('size %s' % agg)
        for path, flex in paths:
            checks.append('%s %s %s' % ('flexoffset' if flex else 'offset',
                                         agg, path))
    for name, what in p.typedefs.items():
        if ours_only(name):
            errors.append('typedef %s is not in Xen\'s headers' % name)
        elif what == 'scalar':
            checks.append('type %s' % name)
        else:
            checks.append('size %s' % name)
    for name in p.enumerators:
        if ours_only(name):
            errors.append('enumerator %s is not in Xen\'s headers' % name)
        checks.append('const %s' % name)

    tags = {a.split()[-1]: a for a in p.aggregates if ' ' in a}
    for name, (func, body) in macros.items():
        if GUARD.match(name) or name in OURS_ONLY:
            continue
        if ours_only(name):
            if func or not re.match(r'^[A-Za-z_]\w*$', body):
                errors.append('macro %s is not in Xen\'s headers' % name)
            elif body in tags and body.endswith('_sring'):
                checks.append('flexoffset %s %s ring = %s ring' %
                              (tags[body].split()[0], name, tags[body]))
            elif body in tags:
                checks.append('size %s %s = %s' % (tags[body].split()[0], name,
                                                   tags[body]))
            else:
                checks.append('const %s = %s' % (name, body))
        elif func:
            checks.append('defined %s' % name)
        elif body.startswith('"'):
            checks.append('str %s' % name)
        elif body in p.typedefs or body in ('uint16_t', 'uint64_t'):
            checks.append('type %s' % name)
        elif body in tags:
            checks.append('size %s %s' % (tags[body].split()[0], name))
        else:
            checks.append('const %s' % name)

    # Extras: ring sizes on a page, and the xsd_errors table.
    for agg in p.order:
        m = re.match(r'union (\w+)_sring_entry$', agg)
        if m:
            checks.append('expr __CONST_RING_SIZE(%s, 4096)' % m.group(1))
    for name, n in p.arrays:
        checks.append('expr sizeof(%s) / sizeof(%s[0])' % (name, name))
        for i in range(n):
            checks.append('expr %s[%d].errnum' % (name, i))
            checks.append('strexpr %s[%d].errstring' % (name, i))

    if errors:
        sys.exit('gen.py: ' + '\ngen.py: '.join(errors))
    return checks


C_KINDS = {
    'size': 'SIZE(%(l)s, %(a)s)',
    'offset': 'OFFSET(%(l)s, %(a)s, %(b)s)',
    'flexoffset': 'FLEXOFFSET(%(l)s, %(a)s, %(b)s)',
    'type': 'TYPE(%(l)s, %(a)s)',
    'const': 'CONST(%(l)s, %(a)s)',
    'expr': 'CONST(%(l)s, %(a)s)',
    'str': 'STR(%(l)s, %(a)s)',
    'strexpr': 'STR(%(l)s, %(a)s)',
}


def emit(listfile, side):
    """C statements printing every check of listfile, for side ours|xen."""
    out = []
    with open(listfile) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            kind, rest = line.split(' ', 1)
            if ' = ' in rest:
                rest = rest.split(' = ')[0 if side == 'ours' else 1]
            label = '"%s"' % line.replace('"', '\\"')
            if kind == 'defined':
                out.append('#ifdef %s\n\tDEFINED(%s);\n#else\n'
                           '\tMISSING(%s);\n#endif' % (rest, label, label))
                continue
            a, b = rest, ''
            if kind in ('offset', 'flexoffset'):
                words = rest.split()
                n = 2 if words[0] in ('struct', 'union') else 1
                a, b = ' '.join(words[:n]), ' '.join(words[n:])
            out.append('\t' + C_KINDS[kind] % {'l': label, 'a': a, 'b': b} + ';')
    print('\n'.join(out))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == '--emit':
        emit(sys.argv[2], sys.argv[3])
        return
    checks = generate()
    text = '# Generated by tests/abi/gen.py from include/xen/interface; ' \
           'do not edit.\n' + ''.join(c + '\n' for c in checks)
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        with open(sys.argv[2]) as f:
            old = f.read()
        if old != text:
            have = set(old.splitlines())
            want = set(text.splitlines())
            for c in sorted(want - have):
                print('not in %s: %s' % (os.path.basename(sys.argv[2]), c))
            for c in sorted(have - want):
                print('stale in %s: %s' % (os.path.basename(sys.argv[2]), c))
            print('regenerate: tests/abi/gen.py > tests/abi/checks.list')
            sys.exit(1)
        return
    sys.stdout.write(text)


if __name__ == '__main__':
    main()
