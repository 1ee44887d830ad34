#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""names.py SPEC OUT: the names of the family's commands and attributes for
the C tools (tools/lib/mgm_names.c), from the spec, as the YNL client and
the uAPI header have them: the one table the tools share.  How a tool reads
an attribute (enum mgm_kind of tools/lib/mgm_nl.h) follows from its type,
byte order and nesting; interface indexes are named here."""
import sys

import yaml

IFINDEX = {"ifindex", "iif"}    # u32 attributes that name an interface

spec_path, out_path = sys.argv[1:3]
spec = yaml.safe_load(open(spec_path))


def up(s):
    return s.upper().replace("-", "_")


def kind(a):
    t = a["type"]
    if a["name"] in IFINDEX:
        return "MGM_K_IFINDEX"
    if t == "u32" and a.get("byte-order") == "big-endian":
        return "MGM_K_IPV4"
    if t == "nest":
        return "MGM_K_OIF" if a.get("nested-attributes") == "oif" \
            else "MGM_K_NEST"
    if t == "binary" and a["name"] == "pad":
        return "MGM_K_NONE"
    return {"u8": "MGM_K_U8", "u32": "MGM_K_U32", "u64": "MGM_K_U64",
            "flag": "MGM_K_FLAG", "binary": "MGM_K_BINARY"}[t]


sets = {s["name"]: s for s in spec["attribute-sets"]}
prefix = {"mgm": "MGM_A_", "limit": "MGM_LIMIT_A_",
          "counter": "MGM_COUNTER_A_", "oif": "MGM_OIF_A_",
          "igmp-conf": "MGM_IGMP_A_", "igmp-state": "MGM_IGMP_STATE_A_"}
for name, s in sets.items():
    if s.get("name-prefix"):
        prefix[name] = up(s["name-prefix"])


def attrs(set_name):
    return [a for a in sets[set_name]["attributes"] if a["type"] != "unused"]


out = []
w = out.append
w("// SPDX-License-Identifier: LGPL-2.1-or-later")
w("/*")
w(" * Do not edit: generated from tools/spec/mgm.yaml by tools/spec/names.py")
w(" * (make regen).")
w(" */")
w("")
w('#include "mgm_nl.h"')
w("")
for set_name, var, maxv in (("mgm", "mgm_attr_info", "MGM_A_MAX"),
                            ("oif", "mgm_oif_attr_info", "MGM_OIF_A_MAX")):
    w(f"const struct mgm_attr_info {var}[{maxv} + 1] = {{")
    for a in attrs(set_name):
        w(f'\t[{prefix[set_name]}{up(a["name"])}] = {{ "{a["name"]}", '
          f'{kind(a)} }},')
    w("};")
    w("")
for set_name, var, maxv in (("limit", "mgm_limit_names", "MGM_LIMIT_A_MAX"),
                            ("counter", "mgm_counter_names",
                             "MGM_COUNTER_A_MAX"),
                            ("igmp-conf", "mgm_igmp_names", "MGM_IGMP_A_MAX"),
                            ("igmp-state", "mgm_igmp_state_names",
                             "MGM_IGMP_STATE_A_MAX")):
    w(f"const char * const {var}[{maxv} + 1] = {{")
    for a in attrs(set_name):
        if a["name"] == "pad":
            continue
        w(f'\t[{prefix[set_name]}{up(a["name"])}] = "{a["name"]}",')
    w("};")
    w("")
w("const char * const mgm_cmd_names[MGM_CMD_MAX + 1] = {")
for op in spec["operations"]["list"]:
    if op.get("value") == 0:
        continue
    w(f'\t[MGM_CMD_{up(op["name"])}] = "{op["name"]}",')
w("};")
open(out_path, "w").write("\n".join(out) + "\n")
