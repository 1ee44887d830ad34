#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lists the test cases of a `kunit.py parse --json` result, one
"STATUS suite.case" line each (STATUS is PASS, FAIL, SKIP or ERROR).

  kunit-cases.py RESULT.json [SOURCE.c ...]

With the sources of the suites, every KUNIT_CASE() declared there and
absent from the result is listed as "MISSING case": a suite that crashed
or stopped midway reports only the cases it reached, and its result lines
alone would not show that the others never ran."""
import json
import re
import sys


def walk(group, prefix, seen):
    for case in group["test_cases"]:
        name = case["name"] or "(no result line)"
        seen.add(name)
        print(case["status"], prefix + name)
    for sub in group["sub_groups"]:
        walk(sub, prefix + sub["name"] + ".", seen)


seen = set()
with open(sys.argv[1]) as f:
    walk(json.load(f), "", seen)
for path in sys.argv[2:]:
    with open(path) as f:
        for name in re.findall(r"\bKUNIT_CASE\w*\(\s*(\w+)", f.read()):
            if name not in seen:
                print("MISSING", name)
