#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-fold.py [SPEC]: may the generated split ops be folded into struct
genl_ops, one per command (mgm_nl_fold_ops() in mgm_netlink.c), without
losing anything the spec says?  A folded command has one policy, used by do
and dump alike: the fold takes the do's request policy (else the dump's).
That is sound when every dump request is a subset of its do request, and no
do has pre/post hooks (struct genl_ops has none).  Prints where a dump
accepts the do's extra attributes, fails on what the fold would break."""
import sys
import yaml

spec = yaml.safe_load(open(sys.argv[1] if len(sys.argv) > 1 else 'tools/spec/mgm.yaml'))
bad = 0
for op in spec['operations']['list']:
    do, dump = op.get('do'), op.get('dump')
    if not do or not dump or 'event' in op:
        continue
    dreq = set(do.get('request', {}).get('attributes', []))
    ureq = set(dump.get('request', {}).get('attributes', []))
    name = op['name']
    if 'request' in do and not ureq <= dreq:
        print(f"FAIL {name}: dump request {sorted(ureq - dreq)} not in the do's: the folded policy would reject them")
        bad += 1
    if dreq != ureq:
        extra = sorted(dreq - ureq)
        print(f"note {name}: the dump also accepts {extra} (the do's policy)")
for op in spec['operations']['list']:
    do = op.get('do') or {}
    if 'event' not in op and ('pre' in do or 'post' in do):
        # struct genl_ops has no pre_doit/post_doit (the family has)
        print(f"FAIL {op['name']}: do pre/post hooks cannot be folded")
        bad += 1
if bad:
    sys.exit(1)
print("ok: the split ops fold into struct genl_ops")
