#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-do: runs a sequence of requests of the mgm family on one socket (a
registration belongs to its socket), any command of the spec by name.

  mgm-do.py [--monitor] STEP...

  OP [ATTR=VALUE...]          a do request (OP, ATTR: names of the spec)
  VAR=OP [ATTR=VALUE...]      the same; the reply's handle goes to $VAR
  dump OP [ATTR=VALUE...]     a dump request; prints the entries
  try OP [ATTR=VALUE...]      a do request whose failure is fine
  skip-missing OP ...         a do request; fine if the module lacks OP
  echo WORD...                print the words (a marker for the caller)
  hold [SECS]                 keep the socket (forever by default), print
                              what arrives
  await OP [SECS]             print what arrives until a notification OP
                              (within SECS, 20 by default, or exit 1); its
                              attributes become variables ($cookie, ...)

VALUE: a number, a dotted IPv4 address, an interface name (for ifindex and
iif), or $VAR.  Prints one line per result ("OP ok", "OP error ERRNO
MSG"), entries and notifications as "OP ATTR=VALUE..."; exits 1 at the
first unexpected error.  Runs inside UML only (tools/tests/6*.sh).
"""
import errno
import os
import select
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402

def show(name, attrs):
    print(name, " ".join(f"{k}={v}" for k, v in attrs.items()), flush=True)


def main():
    args = sys.argv[1:]
    spec = mgmnl.Spec()
    conn = mgmnl.Conn(spec)
    if args and args[0] == "--monitor":
        conn.join()
        args = args[1:]
    variables = {"PORTID": str(conn.portid)}
    # notifications shown already, that came after the one an await took
    # in the same datagram (MGM sends several to a datagram)
    pending = []
    for step in args:
        words = step.split()
        if not words:
            continue
        if words[0] == "echo":
            print(" ".join(words[1:]), flush=True)
            continue
        if words[0] == "await":
            end = time.time() + (float(words[2]) if len(words) > 2 else 20)
            got = None
            while pending and got is None:
                name, attrs = pending.pop(0)
                if name == words[1]:
                    got = attrs
            while got is None and time.time() < end:
                if not select.select([conn.sock], [], [],
                                     max(0.0, end - time.time()))[0]:
                    continue
                for mtype, _, payload in conn.recv_msgs():
                    if mtype != conn.family:
                        continue
                    name, attrs = conn.decode(payload)
                    show(name, attrs)
                    if got is None and name == words[1]:
                        got = attrs
                    elif got is not None:
                        pending.append((name, attrs))
            if got is None:
                print(f"await {words[1]}: nothing came", flush=True)
                return 1
            variables.update((k, str(v)) for k, v in got.items()
                             if not isinstance(v, (list, dict)))
            continue
        if words[0] == "hold":
            end = time.time() + float(words[1]) if len(words) > 1 else None
            while end is None or time.time() < end:
                wait = 1.0 if end is None else max(0.0, end - time.time())
                if select.select([conn.sock], [], [], wait)[0]:
                    for mtype, _, payload in conn.recv_msgs():
                        if mtype == conn.family:
                            show(*conn.decode(payload))
            continue
        mode = "do"
        if words[0] in ("dump", "try", "skip-missing"):
            mode = words.pop(0)
        var, op, attrs = mgmnl.parse_request(spec, " ".join(words),
                                             variables)
        rep = conn.request(op, attrs, dump=(mode == "dump"))
        for entry in rep.entries:
            show(op.name, entry)
        if rep.error:
            print(f"{op.name} error {mgmnl.errname(rep.error)} {rep.msg or ''}",
                  flush=True)
            if mode == "try" or (mode == "skip-missing" and
                                 rep.error == errno.EOPNOTSUPP):
                continue
            return 1
        print(f"{op.name} ok", flush=True)
        if var:
            variables[var] = str(rep.entries[0]["handle"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
