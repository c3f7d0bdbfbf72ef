#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mechanically remove the upstream Xen implementation from a Linux 6.1 tree.

Usage: strip-upstream-xen.py TREE MANIFEST

1. every path listed in MANIFEST is deleted;
2. CONFIG_*XEN* conditional blocks in the remaining C/asm sources are
   resolved as "not set" with unifdef(1);
3. Kconfig: 'source' lines of removed Kconfig files and the 'config' entries
   of the removed Xen drivers are dropped;
4. Makefile/Kbuild: the logical lines that build removed files are dropped.

Nothing is rewritten by hand: the result is fully determined by the pristine
tree and the manifest, so running it again on the same input gives the same
tree.  Generic call sites (xen_domain(), xen_pv_domain(), ...) stay; the
series supplies <xen/xen.h> and <asm/xen/hypervisor.h> for them.
"""
import os
import re
import shutil
import subprocess
import sys

# Directories the processing of steps 2-4 never touches: other architectures,
# userspace tools, documentation, and KVM (whose Xen emulation stays disabled
# by configuration instead).
SKIP_DIRS = ("arch/arm/", "arch/arm64/", "tools/", "Documentation/",
             "arch/x86/kvm/", "arch/x86/platform/pvh/", "scripts/")

# The two headers whose predicates generic code calls unconditionally
# (xen_domain(), xen_pv_domain(), ...): their includes stay, every other
# include of a Xen header goes with the code that used it.
KEPT_INCLUDES = ("xen/xen.h", "asm/xen/hypervisor.h")
XEN_INCLUDE = re.compile(r'#\s*include\s+[<"]([^>"]*\bxen[/-][^>"]*)[>"]')

# A symbol is "Xen" when its name contains XEN as a word part; NETXEN and
# XENON are unrelated hardware drivers.
XEN_SYM = re.compile(r"\bCONFIG_([A-Z0-9_]*XEN[A-Z0-9_]*)\b")
NOT_XEN = ("NETXEN", "XENON", "KVM_XEN")


def is_xen_symbol(name):
    return "XEN" in name and not any(n in name for n in NOT_XEN)


def read_manifest(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def walk(tree, pred):
    for root, dirs, files in os.walk(tree):
        rel = os.path.relpath(root, tree) + "/"
        if rel.startswith(SKIP_DIRS) or rel.startswith(".git"):
            dirs[:] = []
            continue
        for name in files:
            if pred(name):
                yield os.path.join(root, name)


def write_if_changed(path, text, old):
    if text != old:
        # Keep the mode; the mtime changes, which is what make wants.
        with open(path, "w") as f:
            f.write(text)
        return True
    return False


def remove_paths(tree, paths):
    for p in paths:
        full = os.path.join(tree, p)
        if os.path.isdir(full):
            shutil.rmtree(full)
        elif os.path.exists(full):
            os.unlink(full)


def strip_conditionals(tree):
    changed = 0
    for path in walk(tree, lambda n: n.endswith((".c", ".h", ".S"))):
        with open(path, errors="surrogateescape") as f:
            text = f.read()
        if "xen" in text.lower():
            drop_xen_includes(path)
        syms = sorted({m for m in XEN_SYM.findall(text) if is_xen_symbol(m)})
        if not syms:
            continue
        args = ["unifdef", "-m", "-t"] if path.endswith(".S") else ["unifdef", "-m"]
        args += ["-UCONFIG_" + s for s in syms] + [path]
        rc = subprocess.call(args)
        if rc not in (0, 1):
            sys.exit("unifdef failed on %s" % path)
        changed += rc
    return changed


def drop_xen_includes(path):
    with open(path, errors="surrogateescape") as f:
        old = f.read()
    out = []
    for line in old.splitlines(True):
        m = XEN_INCLUDE.match(line)
        if m and not m.group(1).endswith(KEPT_INCLUDES):
            continue
        out.append(line)
    text = "".join(out)
    if text != old:
        with open(path, "w", errors="surrogateescape") as f:
            f.write(text)


def kconfig_entries(lines):
    """Split Kconfig lines into (symbol or None, [lines]) groups."""
    groups, cur, sym = [], [], None
    for line in lines:
        m = re.match(r"(menu)?config\s+(\w+)", line)
        top = line and not line[0].isspace() and not line.startswith("#")
        if m or (top and sym is not None):
            groups.append((sym, cur))
            cur, sym = [], (m.group(2) if m else None)
        cur.append(line)
    groups.append((sym, cur))
    return groups


def strip_kconfig(tree, removed):
    src = re.compile(r'\s*source\s+"([^"]+)"')
    for path in walk(tree, lambda n: n.startswith("Kconfig")):
        with open(path) as f:
            old = f.read()
        out = []
        for sym, lines in kconfig_entries(old.splitlines(True)):
            if sym and is_xen_symbol(sym):
                continue
            for l in lines:
                m = src.match(l)
                if m and any(m.group(1).startswith(r + "/") for r in removed):
                    continue
                out.append(l)
        write_if_changed(path, "".join(out), old)


def logical_lines(lines):
    cur = []
    for line in lines:
        cur.append(line)
        if not line.rstrip("\n").endswith("\\"):
            yield cur
            cur = []
    if cur:
        yield cur


def strip_makefiles(tree, removed):
    # Object and directory names the removed paths contribute to Makefiles.
    names = set()
    for r in removed:
        base = os.path.basename(r)
        names.add(base + "/")
        if base.endswith((".c", ".S")):
            names.add(base[:-2] + ".o")
    names |= {"xen-hypercalls", "cmd_hypercalls", "quiet_cmd_hypercalls", "9pnet_xen", "CONFIG_XEN)",
              "CONFIG_PCI_XEN)", "CONFIG_DRM_XEN)"}
    word = re.compile(r"(?<![\w-])(%s)" % "|".join(re.escape(n) for n in names))
    for path in walk(tree, lambda n: n in ("Makefile", "Kbuild")):
        with open(path) as f:
            old = f.read()
        out, drop_recipe = [], False
        for group in logical_lines(old.splitlines(True)):
            text = "".join(group)
            if drop_recipe and text.startswith("\t"):
                continue
            drop_recipe = False
            if not word.search(text):
                out.append(text)
                continue
            is_list = re.match(r"\s*(obj|subdir)-[^:+]*\+?=", text)
            if is_list and path.endswith("sound/Makefile"):
                # A directory list shared with other drivers: drop the word.
                out.append(re.sub(r"(?<![\w-])xen/ ", "", text))
                continue
            drop_recipe = ":" in text and "=" not in text.split(":")[0]
        write_if_changed(path, "".join(out), old)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tree, manifest = sys.argv[1], sys.argv[2]
    removed = read_manifest(manifest)
    remove_paths(tree, removed)
    strip_conditionals(tree)
    strip_kconfig(tree, removed)
    strip_makefiles(tree, removed)


if __name__ == "__main__":
    main()
