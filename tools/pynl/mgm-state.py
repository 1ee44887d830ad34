#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-state: the state of the mgm family in this network namespace, as its
dumps show it, and the rules it must keep.

  mgm-state.py dump             every dump, one sorted line per entry
  mgm-state.py check [--empty]  the invariants (mgmnl.invariants), and that
                                two dumps in a row agree; with --empty also
                                that nothing at all is left
Exit status 0 when everything holds, 1 with one line per violation.
Runs inside UML (tools/tests/6*.sh).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402


def igmp_off(conn):
    """The in-kernel IGMP off on every interface: it is configuration, not
    the state of a socket, so it outlives the sockets that turned it on."""
    if "igmp-get" not in conn.spec.ops:
        return
    rep = conn.dump("igmp-get")
    for entry in rep.entries:
        conn.do("igmp-disable", {"ifindex": entry["ifindex"]})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["dump", "check"])
    ap.add_argument("--empty", action="store_true",
                    help="check: nothing may be registered or owned (the "
                    "in-kernel IGMP is turned off first)")
    args = ap.parse_args()

    conn = mgmnl.Conn(mgmnl.Spec())
    if args.empty:
        igmp_off(conn)
    state = mgmnl.snapshot(conn)
    lines = mgmnl.state_lines(state)
    if args.what == "dump":
        print("\n".join(lines))
        return 0

    bad = mgmnl.invariants(state)
    again = mgmnl.state_lines(mgmnl.snapshot(conn))
    if again != lines:
        bad.append("two dumps in a row disagree (nothing else ran)")
    if args.empty and lines:
        bad.append(f"{len(lines)} entries left, none expected")
    for line in lines:
        print(f"  {line}")
    for b in bad:
        print(f"violation: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
