#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-failnth: every state-changing command of the mgm family, with its
n-th allocation failed, for n = 1, 2, ... until the command completes with
no failure injected (/proc/thread-self/fail-nth, Documentation/
fault-injection/fault-injection.rst "Systematic faults using fail-nth").

For each scenario (SCENARIOS: a setup, then the command under test) and
each n, on fresh sockets:
  - the command fails with ENOMEM (or sendmsg fails before the family sees
    it): the state dumped after is the state dumped before;
  - or it has the outcome it has without any failure (a lost notification
    is no failure of the command);
  - or only the ack was lost (recv reports ENOBUFS): either state is fine;
  - anything else is a bug; so is a state breaking the invariants
    (mgmnl.invariants), or anything left behind once the sockets are closed.
The kernel must have failslab and fail-nth (the uml-san kernel), with
/sys/kernel/debug/failslab/ignore-gfp-wait N (GFP_KERNEL allocations are
skipped otherwise) and verbose 0; tools/tests/64-failslab.sh sets both.

  mgm-failnth.py --if0 IFINDEX --if1 IFINDEX [--only NAME]

Every state-changing command (admin-perm and do, in the spec) that the
module implements needs at least one scenario here, or the run fails: add
one when a command is added.  Leaks and warnings are the harness's to find
(kmemleak scans after the test, the log check).  Runs inside UML only.
"""
import argparse
import errno
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402
from mgmnl import errname  # noqa: E402

MAX_N = 2000            # a command with more allocations than this is a bug

# A membership (*,G) on an interface, and an (S,G) one.
STAR_G = ("source=0.0.0.0 source-mask=0.0.0.0 group=239.64.1.1 "
          "group-mask=255.255.255.255")
S_G = ("source=10.64.1.1 source-mask=255.255.255.255 group=239.64.1.2 "
       "group-mask=255.255.255.255")


class Scenario:
    """setup: steps "SOCK: [VAR=]OP ATTR=VALUE..." (SOCK: me, the socket
    of the command; other, a second one of the same process); command:
    the request on "me" under test; expect: its outcome without faults
    (0 or an errno name); cleanup: requests that undo what outlives the
    sockets (the in-kernel IGMP), run after each try, their errors
    ignored."""

    def __init__(self, name, setup, command, expect="0", cleanup=()):
        # (setup steps may also be "gone: ...", on a socket that closes
        # once the setup is done)
        self.name = name
        self.setup = setup
        self.command = command
        self.expect = 0 if expect == "0" else getattr(errno, expect)
        self.cleanup = cleanup


REG = "me: H=register protocol-id=300 component-id=1"
# A registration held (graceful restart) with an interface and a
# membership; a plain register of the same pair, run as cleanup, takes it
# over on "me", whose close then shuts it down.
HELD = ["gone: O=register protocol-id=300 component-id=1 hold-time=3600",
        "gone: take-interface handle=$O ifindex=$IF0",
        f"gone: add-membership handle=$O ifindex=$IF0 {STAR_G} flags=3"]
TAKE_OVER = ["register protocol-id=300 component-id=1"]
IGMP_OTHER = ["other: G=register protocol-id=10 component-id=1",
              "other: take-interface handle=$G ifindex=$IF0"]
SCENARIOS = [
    Scenario("register", [],
             "register protocol-id=300 component-id=1"),
    Scenario("register the IGMP component", [],
             "register protocol-id=10 component-id=1"),
    Scenario("register a duplicate",
             ["other: register protocol-id=300 component-id=1"],
             "register protocol-id=300 component-id=1", "EEXIST"),
    Scenario("deregister", [REG], "deregister handle=$H"),
    Scenario("take-interface", [REG],
             "take-interface handle=$H ifindex=$IF0"),
    Scenario("take-interface with a next hop", [REG],
             "take-interface handle=$H ifindex=$IF0 nexthop=10.64.9.9"),
    Scenario("take-interface where IGMP runs", IGMP_OTHER + [REG],
             "take-interface handle=$H ifindex=$IF0"),
    Scenario("take-interface owned by another",
             ["other: O=register protocol-id=301 component-id=1",
              "other: take-interface handle=$O ifindex=$IF0", REG],
             "take-interface handle=$H ifindex=$IF0", "EBUSY"),
    Scenario("release-interface",
             [REG, "me: take-interface handle=$H ifindex=$IF0"],
             "release-interface handle=$H ifindex=$IF0"),
    Scenario("release-interface where IGMP runs",
             IGMP_OTHER + [REG, "me: take-interface handle=$H ifindex=$IF0"],
             "release-interface handle=$H ifindex=$IF0"),
    Scenario("release-interface with memberships",
             [REG, "me: take-interface handle=$H ifindex=$IF0",
              "me: take-interface handle=$H ifindex=$IF1",
              f"me: add-membership handle=$H ifindex=$IF0 {STAR_G} flags=3",
              f"me: add-membership handle=$H ifindex=$IF1 {S_G} flags=3"],
             "release-interface handle=$H ifindex=$IF0"),
    Scenario("add-membership (*,G)",
             [REG, "me: take-interface handle=$H ifindex=$IF0"],
             f"add-membership handle=$H ifindex=$IF0 {STAR_G} flags=3"),
    Scenario("add-membership (S,G) with another protocol's receivers",
             ["other: O=register protocol-id=301 component-id=1",
              "other: take-interface handle=$O ifindex=$IF1",
              f"other: add-membership handle=$O ifindex=$IF1 {S_G} flags=3",
              REG, "me: take-interface handle=$H ifindex=$IF0"],
             f"add-membership handle=$H ifindex=$IF0 {S_G} flags=3"),
    Scenario("add-membership by IGMP on a routing protocol's interface",
             ["other: O=register protocol-id=301 component-id=1",
              "other: take-interface handle=$O ifindex=$IF0",
              "me: G=register protocol-id=10 component-id=1",
              "me: take-interface handle=$G ifindex=$IF0"],
             f"add-membership handle=$G ifindex=$IF0 {STAR_G} flags=3"),
    Scenario("delete-membership",
             [REG, "me: take-interface handle=$H ifindex=$IF0",
              f"me: add-membership handle=$H ifindex=$IF0 {STAR_G} flags=3"],
             f"delete-membership handle=$H ifindex=$IF0 {STAR_G} flags=3"),
    Scenario("delete-membership by IGMP on a routing protocol's interface",
             ["other: O=register protocol-id=301 component-id=1",
              "other: take-interface handle=$O ifindex=$IF0",
              "me: G=register protocol-id=10 component-id=1",
              "me: take-interface handle=$G ifindex=$IF0",
              f"me: add-membership handle=$G ifindex=$IF0 {STAR_G} flags=3"],
             f"delete-membership handle=$G ifindex=$IF0 {STAR_G} flags=3"),
    # No MFE exists without traffic: these run the lookups' failure paths.
    Scenario("set-mfe of no MFE", [REG],
             "set-mfe handle=$H source=10.64.1.1 group=239.64.1.2 "
             "upstream=10.64.2.2", "ENOENT"),
    Scenario("rpf-reply to no question", [REG],
             "rpf-reply handle=$H cookie=12345 iif=$IF0 "
             "upstream=10.64.2.2", "ENOENT"),
    Scenario("creation-reply to no question", [REG],
             "creation-reply handle=$H cookie=12345", "ENOENT"),
    Scenario("prune-reply to no question", [REG],
             "prune-reply handle=$H cookie=12345 timeout=10", "ENOENT"),
    # the limits live in the netns's state: setting them allocates nothing
    Scenario("set-limits", [], "set-limits"),
    Scenario("set-answers", [REG], "set-answers handle=$H answers=7"),
    Scenario("register taking over a held registration", HELD,
             "register protocol-id=300 component-id=1", cleanup=TAKE_OVER),
    Scenario("resync-end releasing what was not confirmed", HELD + [REG],
             "resync-end handle=$H"),
    # the in-kernel IGMP: registers, takes the interface, sends queries
    Scenario("igmp-enable", [], "igmp-enable ifindex=$IF0",
             cleanup=["igmp-disable ifindex=$IF0"]),
    Scenario("igmp-enable where a routing protocol runs",
             ["other: O=register protocol-id=301 component-id=1",
              "other: take-interface handle=$O ifindex=$IF0"],
             "igmp-enable ifindex=$IF0",
             cleanup=["igmp-disable ifindex=$IF0"]),
    Scenario("igmp-disable", ["me: igmp-enable ifindex=$IF0"],
             "igmp-disable ifindex=$IF0",
             cleanup=["igmp-disable ifindex=$IF0"]),
]


class Fault:
    """/proc/thread-self/fail-nth of this (single-threaded) process."""

    def __init__(self):
        self.fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)

    def arm(self, n):
        os.pwrite(self.fd, str(n).encode(), 0)

    def disarm(self):
        """Returns whether the armed fault was injected, and disarms."""
        left = int(os.pread(self.fd, 32, 0))
        os.pwrite(self.fd, b"0", 0)
        return left == 0


class Run:
    def __init__(self, spec, ifs):
        self.spec = spec
        self.ifs = ifs
        self.tap = mgmnl.Tap("failslab: ")
        self.fault = Fault()

    def sockets(self):
        socks = {"me": mgmnl.Conn(self.spec), "other": mgmnl.Conn(self.spec),
                 "mon": mgmnl.Conn(self.spec), "gone": mgmnl.Conn(self.spec)}
        # a monitor listener makes every change also allocate its event
        socks["mon"].join()
        return socks

    def setup(self, sc, socks):
        variables = dict(self.ifs)
        for step in sc.setup:
            who, text = step.split(":", 1)
            # "gone" registered with a hold time and closes before the
            # other steps: its state is held
            if who != "gone" and "gone" in socks:
                socks.pop("gone").close()
            var, op, attrs = mgmnl.parse_request(self.spec, text, variables)
            rep = socks[who].do(op, attrs)
            if rep.error:
                raise RuntimeError(f"setup step {step!r}: {rep}")
            if var:
                variables[var] = rep.entries[0]["handle"]
        if "gone" in socks:
            socks.pop("gone").close()
        return variables

    def attempt(self, sc, n):
        """One try of sc with the n-th allocation failed (n = 0: none).
        Returns a dict: injected, outcome (0, an errno, "send:ERRNO" if
        sendmsg failed, "lost-ack"), before and after (state lines), norm
        (after, normalized), broken (invariants)."""
        socks = self.sockets()
        try:
            variables = self.setup(sc, socks)
            me = socks["me"]
            _, op, attrs = mgmnl.parse_request(self.spec, sc.command,
                                               variables)
            before = mgmnl.snapshot(me)
            for s in socks.values():
                mgmnl.drain(s, 0)
            msg = me.encode(op, attrs)
            seq = int.from_bytes(msg[8:12], sys.byteorder)
            sent = None
            if n:
                self.fault.arm(n)
            try:
                me.sock.send(msg)
            except OSError as e:
                sent = e.errno
            injected = self.fault.disarm() if n else False
            if sent is not None:
                outcome = f"send:{errname(sent)}"
            else:
                try:
                    outcome = me.collect(seq, op).error
                except OSError as e:
                    if e.errno != errno.ENOBUFS:
                        raise
                    outcome = "lost-ack"
            after = mgmnl.snapshot(me)
            roles = {c.portid: who for who, c in socks.items()}
            for text in sc.cleanup:
                _, cop, cattrs = mgmnl.parse_request(self.spec, text,
                                                     variables)
                me.do(cop, cattrs)
            return {"injected": injected, "outcome": outcome,
                    "before": mgmnl.state_lines(before),
                    "after": mgmnl.state_lines(after),
                    "norm": mgmnl.normalized_lines(after, roles),
                    # while the sockets are open: their port ids are live
                    "broken": mgmnl.invariants(after)}
        finally:
            for s in socks.values():
                s.close()

    def judge(self, sc, ref, a, stats):
        """What is wrong with attempt a (a list), given the attempt ref
        without faults."""
        bad = [f"invariant: {v}" for v in a["broken"]]
        outcome = a["outcome"]
        name = errname(outcome) if isinstance(outcome, int) else outcome
        unchanged = a["after"] == a["before"]
        as_ref = a["norm"] == ref["norm"]
        if outcome == sc.expect:
            stats["as without faults"] += 1
            if not as_ref:
                bad.append(f"{name} as without faults, but another state")
        elif not a["injected"]:
            bad.append(f"{name} with no failure injected, "
                       f"{errname(sc.expect)} expected")
        elif outcome in (errno.ENOMEM, "send:ENOMEM", "send:ENOBUFS"):
            stats["failed cleanly"] += 1
            if not unchanged:
                bad.append(f"failed with {name} but changed the state")
        elif outcome == "lost-ack":
            stats["ack lost"] += 1
            if not (unchanged or as_ref):
                bad.append("ack lost, and a state that is neither the one "
                           "before nor the one without faults")
        else:
            bad.append(f"{name}, expected ENOMEM or {errname(sc.expect)}")
        if bad:
            bad.append("before:\n  " + "\n  ".join(a["before"]))
            bad.append("after:\n  " + "\n  ".join(a["after"]))
            bad.append("without faults:\n  " + "\n  ".join(ref["norm"]))
        return bad

    def scenario(self, sc):
        stats = {"as without faults": 0, "failed cleanly": 0, "ack lost": 0}
        check = mgmnl.Conn(self.spec)
        try:
            # the outcome without faults first: the scenario must be right
            ref = self.attempt(sc, 0)
            if ref["outcome"] != sc.expect:
                self.tap.check(False, f"{sc.name}: without faults",
                               f"outcome {errname(ref['outcome'])}, expected "
                               f"{errname(sc.expect)}")
                return
            problems = []
            n = 0
            for n in range(1, MAX_N + 1):
                a = self.attempt(sc, n)
                injected = a["injected"]
                for b in self.judge(sc, ref, a, stats):
                    problems.append(f"n={n}: {b}")
                left = mgmnl.state_lines(mgmnl.snapshot(check))
                if left:
                    problems.append(f"n={n}: left behind after the sockets "
                                    "closed:\n  " + "\n  ".join(left))
                if not injected or len(problems) > 10:
                    break
            else:
                problems.append(f"still failing at n={MAX_N}")
            self.tap.check(not problems,
                           f"{sc.name}: each of its {n - 1} allocations "
                           "failed in turn",
                           "\n".join(problems))
            self.tap.note(f"{sc.name}: " + ", ".join(
                f"{v} {k}" for k, v in stats.items()))
        finally:
            check.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--if0", type=int, required=True)
    ap.add_argument("--if1", type=int, required=True)
    ap.add_argument("--only", help="the scenarios whose names contain this")
    args = ap.parse_args()

    spec = mgmnl.Spec()
    run = Run(spec, {"IF0": args.if0, "IF1": args.if1})
    probe = mgmnl.Conn(spec)
    have = {op.name for op in spec.ops.values()
            if op.is_request and mgmnl.implemented(probe, op)}
    probe.close()

    covered = set()
    for sc in SCENARIOS:
        if args.only and args.only not in sc.name:
            continue
        ops = {sc.command.split()[0]} | {
            step.split(":", 1)[1].split()[0].split("=")[-1]
            for step in sc.setup}
        covered.add(sc.command.split()[0])
        missing = ops - have
        if missing:
            run.tap.skip(f"{sc.name}: the module lacks {', '.join(missing)}")
            continue
        try:
            run.scenario(sc)
        except Exception:
            import traceback
            run.tap.check(False, f"{sc.name}: ran to the end",
                          traceback.format_exc())
    if not args.only:
        for op in spec.ops.values():
            if op.changes_state and op.name in have:
                run.tap.check(op.name in covered,
                              f"{op.name} has a scenario",
                              "add one to SCENARIOS in tools/pynl/"
                              "mgm-failnth.py")
    return 1 if run.tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
