#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-priv: who may do what with the mgm family, for every command of the
spec (tools/spec/mgm.yaml) that the loaded module implements, so that a new
command is checked without a change here.

  mgm-priv.py noperm     run without CAP_NET_ADMIN: every admin-perm command
                         fails with EPERM, with or without valid attributes,
                         and changes nothing; the other commands do not
  mgm-priv.py handles    a handle works only on the socket that registered
                         it: another socket of the same process gets EPERM,
                         a stale handle ENOENT, for every command with one
  mgm-priv.py userns     (as root) a user namespace that owns a network
                         namespace manages that one only; a socket opened
                         inside a user namespace gives root no rights
  mgm-priv.py isolation  (as root) the monitor group and the dumps of one
                         network namespace show nothing of another

Prints result lines for tools/tests/60-privilege.sh; exit status 1 if a
check failed.  Runs inside UML only.
"""
import argparse
import errno
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402
from mgmnl import errname  # noqa: E402

spec = mgmnl.Spec()
tap = mgmnl.Tap("privilege: ")


def requests(conn, say_skips=False):
    """The commands userspace sends that the module implements."""
    out = []
    for op in spec.ops.values():
        if not op.is_request:
            continue
        if mgmnl.implemented(conn, op):
            out.append(op)
        elif say_skips:
            tap.skip(f"{op.name}: not implemented by the loaded module")
    return out


def send(conn, op, attrs):
    return conn.request(op, attrs, dump=not op.do)


def cmd_noperm(args):
    conn = mgmnl.Conn(spec)
    before = mgmnl.state_lines(mgmnl.snapshot(conn))
    for op in requests(conn, say_skips=True):
        for how, attrs in (("no attributes", {}),
                           ("valid attributes",
                            mgmnl.plausible(spec, op, args.handle))):
            rep = send(conn, op, attrs)
            if op.admin:
                tap.check(rep.error == errno.EPERM,
                          f"{op.name} ({how}) without CAP_NET_ADMIN: EPERM",
                          f"got {errname(rep.error)} {rep.msg or ''}")
            else:
                tap.check(rep.error != errno.EPERM,
                          f"{op.name} ({how}) needs no privilege",
                          f"got {errname(rep.error)} {rep.msg or ''}")
    after = mgmnl.state_lines(mgmnl.snapshot(conn))
    tap.check(after == before, "the refused commands changed nothing",
              "\n".join(["before:"] + before + ["after:"] + after))
    # the monitor copies the questions, whose cookies answer them
    got = join_result(conn)
    tap.check(got == "EPERM",
              "joining the monitor group without CAP_NET_ADMIN: EPERM", got)


def register(conn, protocol_id, component_id=1):
    rep = conn.do("register", {"protocol-id": protocol_id,
                               "component-id": component_id})
    if rep.error or not rep.entries:
        raise SystemExit(f"register {protocol_id}: {rep}")
    return rep.entries[0]["handle"]


def cmd_handles(args):
    a, b = mgmnl.Conn(spec), mgmnl.Conn(spec)
    ha = register(a, 700)
    rep = a.do("take-interface", {"handle": ha, "ifindex": args.ifindex})
    tap.check(rep.error == 0, "socket a takes an interface", rep)
    hs = register(b, 701)
    rep = b.do("deregister", {"handle": hs})
    tap.check(rep.error == 0, "socket b deregisters, its handle is stale",
              rep)
    before = mgmnl.state_lines(mgmnl.snapshot(a))

    for op in requests(a):
        if "handle" not in op.request_attrs():
            continue
        rep = b.do(op, mgmnl.plausible(spec, op, ha, ifindex=args.ifindex))
        tap.check(rep.error == errno.EPERM,
                  f"{op.name} with another socket's handle (same "
                  "process): EPERM",
                  f"got {errname(rep.error)} {rep.msg or ''}")
        rep = b.do(op, mgmnl.plausible(spec, op, hs))
        tap.check(rep.error == errno.ENOENT,
                  f"{op.name} with a stale handle: ENOENT",
                  f"got {errname(rep.error)} {rep.msg or ''}")
    after = mgmnl.state_lines(mgmnl.snapshot(a))
    tap.check(after == before, "the refused commands changed nothing",
              "\n".join(["before:"] + before + ["after:"] + after))
    rep = a.do("release-interface", {"handle": ha, "ifindex": args.ifindex})
    tap.check(rep.error == 0, "the owner still releases its interface",
              rep)


def join_result(conn):
    """What joining the monitor group on conn gives: "joined" or the
    errno's name."""
    try:
        conn.join()
    except OSError as e:
        return errname(e.errno)
    return "joined"


def fork_call(fn):
    """Runs fn() in a child process; returns its exit status (0: fine)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = fn()
        finally:
            os._exit(code or 0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def cmd_userns(args):
    # A socket opened by root in this network namespace, kept across
    # unshare(): the process loses CAP_NET_ADMIN over this namespace but
    # still holds a socket in it.
    old = mgmnl.Conn(spec)
    ops = [op for op in requests(old) if op.admin]
    before = mgmnl.state_lines(mgmnl.snapshot(old))

    def child():
        mgmnl.unshare(mgmnl.CLONE_NEWUSER | mgmnl.CLONE_NEWNET)
        new = mgmnl.Conn(spec)
        for op in ops:
            rep = old.do(op, mgmnl.plausible(spec, op, 1))
            tap.check(rep.error == errno.EPERM,
                      f"userns root: {op.name} in the parent's netns: EPERM",
                      f"got {errname(rep.error)} {rep.msg or ''}")
            rep = new.do(op, mgmnl.plausible(spec, op, 1))
            tap.check(rep.error != errno.EPERM,
                      f"userns root: {op.name} in its own netns passes "
                      "the permission check",
                      f"got {errname(rep.error)} {rep.msg or ''}")
        got = join_result(old)
        tap.check(got == "EPERM",
                  "userns root: the parent's netns's monitor group: EPERM",
                  got)
        got = join_result(new)
        tap.check(got == "joined",
                  "userns root joins its own netns's monitor group", got)
        h = register(new, 702)
        rep = new.do("take-interface", {"handle": h, "ifindex": 1})
        tap.check(rep.error == 0, "userns root takes its own lo", rep)
        mine = mgmnl.snapshot(new)
        tap.check(len(mine.get("get-interface", [])) == 1 and
                  len(mine.get("get-protocol", [])) == 1,
                  "userns root sees its own registration and interface",
                  mgmnl.state_lines(mine))
        new.close()
        return tap.failed
    status = fork_call(child)
    tap.check(status == 0, "userns child finished", f"exit {status}")
    after = mgmnl.state_lines(mgmnl.snapshot(old))
    tap.check(after == before,
              "the parent's netns is unchanged by the userns root",
              "\n".join(["before:"] + before + ["after:"] + after))

    # The other way round: a socket of this netns opened by a process
    # with no rights over it (inside a new user namespace) and handed to
    # root gives root nothing: the opener's credentials count too.
    r, w = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)

    def opener():
        mgmnl.unshare(mgmnl.CLONE_NEWUSER)
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                          mgmnl.NETLINK_GENERIC)
        socket.send_fds(w, [b"fd"], [s.fileno()])
        return 0
    fork_call(opener)
    _, fds, _, _ = socket.recv_fds(r, 16, 1)
    deputy = mgmnl.Conn(spec, sock=socket.socket(fileno=fds[0]))
    for op in ops:
        rep = deputy.do(op, mgmnl.plausible(spec, op, 1))
        tap.check(rep.error == errno.EPERM,
                  f"root on a socket opened inside a user namespace: "
                  f"{op.name}: EPERM",
                  f"got {errname(rep.error)} {rep.msg or ''}")


def activity(conn, protocol_id, ifindex):
    """A registration that takes ifindex (and joins a group there if the
    module has memberships), held by conn; returns the number of monitor
    events it makes."""
    h = register(conn, protocol_id)
    rep = conn.do("take-interface", {"handle": h, "ifindex": ifindex})
    if rep.error:
        raise SystemExit(f"take {ifindex}: {rep}")
    if "add-membership" in spec.ops and \
            mgmnl.implemented(conn, "add-membership"):
        op = spec.ops["add-membership"]
        rep = conn.do(op, mgmnl.plausible(spec, op, h, ifindex=ifindex))
        if rep.error:
            raise SystemExit(f"add-membership on {ifindex}: {rep}")
        return 3
    return 2


def cmd_isolation(args):
    la = mgmnl.Conn(spec)
    la.join()
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()

    def wait_for(fd, what):
        got = os.read(fd, 1)
        if got != what:
            raise SystemExit(f"peer: expected {what!r}, got {got!r}")

    def child():
        os.close(to_child_w)
        os.close(to_parent_r)
        mgmnl.unshare(mgmnl.CLONE_NEWNET)
        lb = mgmnl.Conn(spec)
        lb.join()
        os.write(to_parent_w, b"r")
        wait_for(to_child_r, b"a")      # A holds state, its events sent
        got = mgmnl.drain(lb)
        tap.check(not got, "netns B's monitor saw nothing of A's changes",
                  got)
        state = mgmnl.state_lines(mgmnl.snapshot(lb))
        tap.check(not state, "netns B's dumps show nothing of A's state",
                  state)
        c = mgmnl.Conn(spec)
        n = activity(c, 801, 1)
        got = mgmnl.drain(lb)
        tap.check(len(got) == n, "netns B's monitor saw B's own changes",
                  got)
        os.write(to_parent_w, b"b")
        wait_for(to_child_r, b"x")
        c.close()
        return tap.failed

    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.alarm(60)
            code = child()
        finally:
            os._exit(code or 0)
    os.close(to_child_r)
    os.close(to_parent_w)
    try:
        wait_for(to_parent_r, b"r")
        c = mgmnl.Conn(spec)
        n = activity(c, 800, args.ifindex)
        got = mgmnl.drain(la)
        tap.check(len(got) == n, "netns A's monitor saw A's own changes",
                  got)
        mine = mgmnl.state_lines(mgmnl.snapshot(c))
        os.write(to_child_w, b"a")
        wait_for(to_parent_r, b"b")     # B holds state, its events sent
        got = mgmnl.drain(la)
        tap.check(not got, "netns A's monitor saw nothing of B's changes",
                  got)
        state = mgmnl.state_lines(mgmnl.snapshot(c))
        tap.check(state == mine, "netns A's dumps show nothing of B's state",
                  "\n".join(["before:"] + mine + ["after:"] + state))
        os.write(to_child_w, b"x")
        c.close()
    finally:
        os.close(to_child_w)            # the child's reads end
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    tap.check(status == 0, "netns B's checks finished", f"exit {status}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what",
                    choices=["noperm", "handles", "userns", "isolation"])
    ap.add_argument("--handle", type=int, default=1,
                    help="noperm: a live handle to put in the requests")
    ap.add_argument("--ifindex", type=int, default=1,
                    help="a free interface to take")
    ap.add_argument("--label", help="said after \"privilege\" in results")
    args = ap.parse_args()
    if args.label:
        tap.prefix = f"privilege ({args.label}): "
    try:
        globals()["cmd_" + args.what](args)
    except (Exception, SystemExit) as e:
        import traceback
        tap.check(False, f"{args.what}: the checks ran to the end",
                  traceback.format_exc() if isinstance(e, Exception)
                  else e)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
