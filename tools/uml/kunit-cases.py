#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lists the test cases of a `kunit.py parse --json` result, one
"STATUS suite.case" line each (STATUS is PASS, FAIL, SKIP or ERROR)."""
import json
import sys


def walk(group, prefix):
    for case in group["test_cases"]:
        print(case["status"], prefix + (case["name"] or "(no result line)"))
    for sub in group["sub_groups"]:
        walk(sub, prefix + sub["name"] + ".")


with open(sys.argv[1]) as f:
    walk(json.load(f), "")
