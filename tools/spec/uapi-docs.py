#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""uapi-docs.py SPEC IN OUT: the uAPI header that ynl-gen-c.py made (IN),
with the spec's documentation added as comments (OUT): the family's doc at
the top, a comment over each constant, and kernel-doc over every enum of
attributes and of commands, which the 6.12 generator leaves bare.  Only
comments are added: the code is byte for byte the generator's (checked)."""
import re
import sys
import textwrap
import yaml

spec_path, in_path, out_path = sys.argv[1:4]
spec = yaml.safe_load(open(spec_path))
src = open(in_path).read()
name = spec['name']


def up(s):
    return s.upper().replace('-', '_')


def flat(doc):
    return ' '.join((doc or '').split())


def kdoc_line(text, first_indent=' * ', indent=' *\t'):
    """one kernel-doc item, wrapped at 80 columns (tabs count 8)"""
    out = textwrap.wrap(text, width=80 - 3, break_on_hyphens=False)
    lines = [first_indent + out[0]] if out else [first_indent.rstrip()]
    rest = ' '.join(out[1:])
    for one in textwrap.wrap(rest, width=80 - 9, break_on_hyphens=False):
        lines.append(indent + one)
    return lines


def para(doc, prefix=' * '):
    lines = []
    for p in (doc or '').strip().split('\n\n'):
        if lines:
            lines.append(' *')
        lines += [prefix + x for x in textwrap.wrap(flat(p), width=80 - len(prefix), break_on_hyphens=False)]
    return lines


consts = {d['name']: d for d in spec.get('definitions', [])}


def attr_type(a):
    t = a['type']
    if t == 'nest':
        other = next(s for s in spec['attribute-sets'] if s['name'] == a['nested-attributes'])
        t = 'nested, enum ' + other.get('enum-name', f"{name}_{a['nested-attributes']}")
    if a.get('byte-order') == 'big-endian':
        t += ' (network byte order)'
    if 'enum' in a:
        e = consts[a['enum']]
        t += ', enum ' + e.get('enum-name', f"{name}_{a['enum']}") + \
            (' flags' if a.get('enum-as-flags') or e['type'] == 'flags' else '')
    if a.get('multi-attr'):
        t += ', repeated'
    return t


blocks = {}     # 'enum NAME {' -> comment lines
for s in spec['attribute-sets']:
    ename = s.get('enum-name', f"{name}_{s['name']}_attrs")
    pfx = up(s.get('name-prefix', f"{name}-a-{s['name']}-"))
    lines = ['/**'] + kdoc_line(f"enum {ename} - " + flat(s.get('doc', f"attributes of the {name} family")))
    for a in s['attributes']:
        if a['type'] == 'unused':
            continue
        text = f"@{pfx}{up(a['name'])}: {attr_type(a)}"
        if a.get('doc'):
            text += '; ' + flat(a['doc'])
        lines += kdoc_line(text)
    blocks[f'enum {ename} {{'] = lines + [' */']

ops = spec['operations']
opfx = up(ops.get('name-prefix', f"{name}-cmd-"))
lines = ['/**'] + kdoc_line(f"enum {ops.get('enum-name', name + '_cmds')} - commands and notifications of the {name} family")
for op in ops['list']:
    if 'do' not in op and 'dump' not in op and 'event' not in op:
        continue
    kind = '/'.join(k for k in ('do', 'dump', 'event') if k in op)
    if op.get('flags'):
        kind += ' (' + ', '.join(op['flags']) + ')'
    lines += kdoc_line(f"@{opfx}{up(op['name'])}: {kind}: " + flat(op.get('doc')))
blocks[f"enum {ops.get('enum-name', name + '_cmds')} {{"] = lines + [' */']

out = []
for line in src.split('\n'):
    if line in blocks:
        out += blocks[line]
    m = re.match(r'#define (\w+)\t', line)
    if m:
        for d in spec.get('definitions', []):
            if d['type'] == 'const' and up(f"{name}-{d['name']}") == m.group(1) and d.get('doc'):
                w = textwrap.wrap(flat(d['doc']), 74, break_on_hyphens=False)
                if len(w) == 1 and len(w[0]) <= 74:
                    out.append('/* ' + w[0] + ' */')
                else:
                    out += ['/*'] + [' * ' + x for x in w] + [' */']
    out.append(line)
    if line.startswith('/* YNL-GEN uapi header */'):
        out += ['', '/*'] + para(spec['doc']) + [' */']
text = '\n'.join(out)
# only comments were added
strip = lambda t: re.sub(r'/\*.*?\*/', '', t, flags=re.S).split()
assert strip(text) == strip(src), "uapi-docs.py changed code"
open(out_path, 'w').write(text)
