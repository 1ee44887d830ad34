#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-stress: the mgm family under concurrency, for a bounded time.

Workers (processes, some in another network namespace) register, take and
release interfaces, add and delete memberships, answer the questions MGM
asks them, and dump, all at random, while netdevs are created and deleted
under them, network namespaces with workers inside come and go, workers are
killed by SIGKILL and replaced, and multicast traffic makes forwarding
entries.  A worker's socket has a daemon's buffer, or now and then one too
small for the alerts it gets: that one overruns (ENOBUFS), loses questions
to their deadline, and the worker starts over on a new socket.  During the
run every dump must list each key once and every request get its answer
(one lost without ENOBUFS is a failure).  At the end the survivors hold
their state and the rules must hold, in each namespace (mgmnl.invariants:
one routing owner per interface, no forwarding entry on an interface
nobody owns, no handle of a dead socket, every interface a netdev); once
they are gone nothing may be left.  lockdep and the other checkers: the
harness's log check.

  mgm-stress.py run --duration SECS [--workers N] [--seed S]
  (mgm-stress.py worker ...: one worker, started by run)

The seed chooses what is done; when, and so the interleaving, is the
machine's.  Runs inside UML only, as root (tools/tests/63-stress.sh).
"""
import argparse
import errno
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402

HERE = os.path.abspath(__file__)
COUNTS = struct.Struct("=QQQ")  # a worker's requests, overruns, timeouts
PY = [sys.executable, "-B"]
PREFIX = "s63"                  # names of what this makes
# the veth link to the sender's netns first: traffic arrives there
STATIC_DEVS = [f"{PREFIX}u"] + [f"{PREFIX}d{i}" for i in range(3)]
CHURN_DEVS = [f"{PREFIX}c{i}" for i in range(4)]
GROUPS = ["239.63.0.1", "239.63.0.2", "239.63.0.3"]
SOURCES = ["0.0.0.0", "10.63.1.2", "10.63.1.3"]
DUMP_KEYS = {
    "get-protocol": ("handle",),
    "get-interface": ("ifindex", "nexthop"),
    "get-mfe": ("source", "group"),
    "get-group": ("source", "source-mask", "group", "group-mask"),
}


# What a daemon asks for its socket (FRR: 8 MiB); SO_RCVBUF stops at
# net.core.rmem_max, root may ask past it.
RCVBUF = 8 << 20
SO_RCVBUFFORCE = 33


def conn(spec, rcvbuf=RCVBUF):
    c = mgmnl.Conn(spec)
    c.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    # An overrun socket may lose the answer to a request, and says so
    # with ENOBUFS (select() sees it); an answer lost otherwise is a
    # failure, no reason to wait for it forever.
    c.timeout = 10
    return c


def ip(*args, check=False):
    return subprocess.run(["ip", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=check)


# ---- a worker -------------------------------------------------------------

class Worker:
    def __init__(self, wid, seed, devs, counts=None):
        self.wid = wid
        # what it did so far, for the figures even once killed
        self.counts = os.open(counts, os.O_WRONLY | os.O_CREAT, 0o600) \
            if counts else None
        self.rng = random.Random(seed)
        self.spec = mgmnl.Spec()
        self.devs = devs
        self.conn = None
        self.handles = []       # registered on self.conn
        self.owned = []         # (handle, ifindex) taken on self.conn
        self.members = []       # (handle, ifindex, attrs) added
        self.violations = []
        self.stop = False
        self.ops = 0
        self.overruns = 0       # ENOBUFS said by a socket
        self.timeouts = 0       # answers that never came
        self.bulk_conn = None
        self.dumper = None
        self.have = None

    def reconnect(self):
        if self.conn:
            self.conn.close()   # MGM cleans up after the socket
        # now and then a socket too small for the alerts it gets: it
        # overruns, loses questions (their deadline answers them) and
        # starts over
        self.conn = conn(self.spec, self.rng.choice([RCVBUF] * 3 + [16384]))
        self.handles, self.owned, self.members = [], [], []
        if self.have is None:
            self.have = {op.name for op in self.spec.ops.values()
                         if op.is_request and
                         mgmnl.implemented(self.conn, op)}

    def ifindex(self):
        name = self.rng.choice(self.devs)
        try:
            return socket.if_nametoindex(name)
        except OSError:
            return None

    def do(self, op, attrs):
        if op not in self.have:
            return None
        events = []
        rep = self.conn.do(op, attrs, events=events)
        self.ops += 1
        self.answer(events)
        return rep

    def answer(self, events):
        """Answers most questions MGM asks (with their cookies), as a
        protocol would; the rest run into the deadline."""
        for cmd, attrs in events:
            if "cookie" not in attrs or self.rng.random() < 0.3:
                continue
            h = attrs.get("handle")
            if cmd == "rpf" and "rpf-reply" in self.have:
                reply = ("rpf-reply", {"handle": h, "cookie": attrs["cookie"],
                                       "iif": attrs.get("iif", 0),
                                       "upstream": attrs.get("upstream",
                                                             "0.0.0.0")})
            elif cmd == "creation-alert" and "creation-reply" in self.have:
                oifs = [{"ifindex": o["ifindex"], "disabled": True}
                        for o in attrs.get("oif", [])
                        if "ifindex" in o and self.rng.random() < 0.3]
                reply = ("creation-reply", {"handle": h,
                                            "cookie": attrs["cookie"],
                                            "oif": oifs})
            elif cmd == "prune-alert" and "prune-reply" in self.have:
                reply = ("prune-reply", {"handle": h,
                                         "cookie": attrs["cookie"],
                                         "timeout": self.rng.choice(
                                             [0, 1, 2, 900])})
            else:
                continue
            if h is None:
                continue
            self.conn.do(*reply)

    def check_dump(self, name, attrs=None):
        if name not in self.have:
            return
        if not self.dumper:
            # small reads: netlink then fills each dump message with a
            # page at most, and a dump of the bulk worker's hundreds of
            # entries resumes many times while the others change things
            self.dumper = mgmnl.Conn(self.spec)
            self.dumper.recv_size = 4096
            self.dumper.timeout = 10
        # This socket gets nothing but its dumps (no registration, no
        # group), and a dump waits for room: it never overruns, and a
        # dump that does not end or fails is wrong.
        try:
            rep = self.dumper.dump(name, attrs or {})
        except OSError as e:
            self.violations.append(f"dump {name}: {e}")
            self.dumper.close()
            self.dumper = None
            return
        self.ops += 1
        if rep.error:
            self.violations.append(f"dump {name}: "
                                   f"{mgmnl.errname(rep.error)} {rep.msg}")
            return
        keys = [tuple(e.get(k) for k in DUMP_KEYS[name])
                for e in rep.entries]
        dups = {k for k in keys if keys.count(k) > 1}
        if dups:
            self.violations.append(f"dump {name}: listed twice: {dups}")

    def membership(self):
        s = self.rng.choice(SOURCES)
        g = self.rng.choice(GROUPS + ["0.0.0.0"] if s == "0.0.0.0"
                            else GROUPS)
        return {"source": s, "source-mask":
                "0.0.0.0" if s == "0.0.0.0" else "255.255.255.255",
                "group": g, "group-mask":
                "0.0.0.0" if g == "0.0.0.0" else "255.255.255.255",
                "flags": self.rng.choice([1, 2, 3, 3])}

    def step(self):
        if self.bulk_conn:
            self.drain_bulk()
        r = self.rng
        x = r.random()
        if not self.conn or x < 0.02:
            self.reconnect()
        elif x < 0.12 or not self.handles:
            pid = r.choice([10, 200 + self.wid, 200 + self.wid, 300, 301])
            rep = self.do("register", {"protocol-id": pid,
                                       "component-id": r.randrange(1, 3)})
            if rep and not rep.error:
                self.handles.append(rep.entries[0]["handle"])
        elif x < 0.17:
            h = r.choice(self.handles)
            rep = self.do("deregister", {"handle": h})
            if rep and not rep.error:
                self.handles.remove(h)
        elif x < 0.37:
            h, i = r.choice(self.handles), self.ifindex()
            if i is not None:
                rep = self.do("take-interface", {"handle": h, "ifindex": i})
                if rep and not rep.error:
                    self.owned.append((h, i))
        elif x < 0.50 and self.owned:
            h, i = r.choice(self.owned)
            rep = self.do("release-interface", {"handle": h, "ifindex": i})
            if rep and rep.error in (0, errno.ENOENT):
                self.owned.remove((h, i))
        elif x < 0.68 and self.owned:
            h, i = r.choice(self.owned)
            m = self.membership()
            rep = self.do("add-membership", dict(m, handle=h, ifindex=i))
            if rep and not rep.error:
                self.members.append((h, i, m))
        elif x < 0.78 and self.members:
            h, i, m = r.choice(self.members)
            rep = self.do("delete-membership", dict(m, handle=h, ifindex=i))
            if rep and rep.error in (0, errno.ENOENT):
                self.members.remove((h, i, m))
        elif x < 0.81:
            # the in-kernel IGMP router on and off: protocol 10 while it
            # runs, unless a worker registered 10 first (EEXIST)
            i = self.ifindex()
            if i is not None:
                self.do(r.choice(["igmp-enable", "igmp-disable"]),
                        {"ifindex": i})
        else:
            name, attrs = r.choice(mgmnl.STATE_DUMPS)
            self.check_dump(name, attrs)

    def bulk(self, n):
        """Enough protocols and interfaces (next hops on one netdev) that
        each dump takes several messages, so that the dumps during the
        churn resume many times: on a socket of its own, kept.  Every one
        of these protocols gets the join and prune alerts of everyone's
        membership changes (RFC 2715): the socket gets a daemon's buffer,
        is drained at every step, and when it overruns all the same, what
        it holds is read back from the dumps, as a daemon would."""
        c = conn(self.spec)
        self.bulk_conn = c
        dev = socket.if_nametoindex(self.devs[-1])
        nexthops = [f"10.63.{100 + i // 250}.{1 + i % 250}"
                    for i in range(2 * n)]
        for _ in range(5):
            try:
                have = {p["protocol-id"]: p["handle"] for p in
                        c.dump("get-protocol").entries
                        if p.get("portid") == c.portid}
                taken = {i.get("nexthop") for i in
                         c.dump("get-interface").entries
                         if i.get("ifindex") == dev}
                for pid in range(1000, 1000 + n):
                    if pid not in have:
                        rep = c.do("register", {"protocol-id": pid,
                                                "component-id": 1})
                        if rep.error:
                            raise mgmnl.NetlinkError(f"bulk register: {rep}")
                        have[pid] = rep.entries[0]["handle"]
                for nh in nexthops:
                    if nh not in taken:
                        rep = c.do("take-interface", {
                            "handle": have[1000], "ifindex": dev,
                            "nexthop": nh})
                        if rep.error:
                            raise mgmnl.NetlinkError(f"bulk take: {rep}")
                return
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                self.overruns += 1
        raise mgmnl.NetlinkError("bulk: overrun five times")

    def drain_bulk(self):
        """Reads the alerts the bulk registrations get; an overrun only
        loses some of them, and this worker wants none."""
        try:
            mgmnl.drain(self.bulk_conn, 0)
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            self.overruns += 1

    def run(self, bulk=0):
        signal.signal(signal.SIGUSR1, lambda *_: setattr(self, "stop", True))
        if bulk:
            self.bulk(bulk)
        print("started", flush=True)
        while not self.stop:
            if self.counts is not None:
                os.pwrite(self.counts, COUNTS.pack(
                    self.ops, self.overruns, self.timeouts), 0)
            try:
                self.step()
            except TimeoutError as e:
                # an overrun says ENOBUFS first: a lost answer is wrong
                self.timeouts += 1
                self.violations.append(f"{e} in {self.conn.timeout} s")
                self.reconnect()
            except OSError as e:
                # Notifications overran the socket (ENOBUFS), an answer
                # may be lost: start over, the module cleans up after the
                # socket.
                if e.errno != errno.ENOBUFS:
                    raise
                self.overruns += 1
                self.reconnect()
        # hold the state for the parent's check; say what went wrong
        for v in self.violations:
            print(f"violation: worker {self.wid}: {v}", flush=True)
        if self.counts is not None:
            os.pwrite(self.counts, COUNTS.pack(
                self.ops, self.overruns, self.timeouts), 0)
        print("held", flush=True)
        signal.pause()


# ---- the run --------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.tap = mgmnl.Tap("stress: ")
        self.workers = {}       # wid -> (Popen, netns or None, devs)
        self.generation = {}
        self.stop = threading.Event()
        self.kills = 0
        self.netns_cycles = 0
        self.netdev_cycles = 0
        self.lock = threading.Lock()
        self.tmp = tempfile.mkdtemp(prefix="mgm-stress.")

    def spawn(self, wid, netns=None, devs=None, wait=True, extra=()):
        """Starts worker wid (in netns); with wait, returns once it runs.
        Python starts slowly next to busy workers on UML's one CPU: start
        many without wait, then wait_started()."""
        gen = self.generation.get(wid, -1) + 1
        self.generation[wid] = gen
        devs = devs or STATIC_DEVS + CHURN_DEVS
        cmd = PY + [HERE, "worker", "--id", str(wid),
                    "--seed", str(self.args.seed * 1000 + wid * 100 + gen),
                    "--devs", ",".join(devs),
                    "--counts", os.path.join(self.tmp, f"{wid}.{gen}"),
                    *extra]
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        if wait:
            p.stdout.readline()     # "started"
        with self.lock:
            self.workers[wid] = (p, netns, devs)
        return p

    def kill(self, wid):
        with self.lock:
            p = self.workers.pop(wid)[0]
        p.kill()
        p.wait()
        self.kills += 1

    # the churners, each a thread: what changes under the workers
    def netdev_churn(self):
        while not self.stop.is_set():
            name = self.rng.choice(CHURN_DEVS)
            if os.path.exists(f"/sys/class/net/{name}"):
                ip("link", "del", name)
            else:
                ip("link", "add", name, "type", "dummy")
                ip("link", "set", name, "up")
            self.netdev_cycles += 1
            time.sleep(self.rng.uniform(0.05, 0.3))

    def netns_churn(self):
        """A netns with a worker inside: created, used, then deleted as its
        worker is killed, in either order."""
        n = 0
        while not self.stop.is_set():
            ns = f"{PREFIX}t{n % 2}"
            ip("netns", "add", ns)
            for d in ("x0", "x1"):
                ip("-n", ns, "link", "add", d, "type", "dummy")
                ip("-n", ns, "link", "set", d, "up")
            wid = 100 + n % 2
            self.spawn(wid, ns, ["x0", "x1", "lo"])
            time.sleep(self.rng.uniform(0.5, 2.0))
            if self.rng.random() < 0.5:
                ip("netns", "del", ns)
                self.kill(wid)
            else:
                self.kill(wid)
                ip("netns", "del", ns)
            n += 1
            self.netns_cycles += 1

    def killer(self):
        while not self.stop.is_set():
            time.sleep(self.rng.uniform(0.3, 1.0))
            with self.lock:
                wids = [w for w in self.workers if w < 60]
            if wids:
                wid = self.rng.choice(wids)
                _, netns, devs = self.workers[wid]
                self.kill(wid)
                self.spawn(wid, netns, devs)

    def setup(self):
        for d in STATIC_DEVS[1:] + [f"{PREFIX}b"]:
            ip("link", "add", d, "type", "dummy", check=True)
            ip("link", "set", d, "up", check=True)
        # the sender's netns; its veth peer here is a static device too
        ip("netns", "add", f"{PREFIX}src", check=True)
        ip("link", "add", f"{PREFIX}u", "type", "veth", "peer", "name",
           "src", "netns", f"{PREFIX}src", check=True)
        ip("addr", "add", "10.63.1.1/24", "dev", f"{PREFIX}u", check=True)
        ip("link", "set", f"{PREFIX}u", "up", check=True)
        ip("-n", f"{PREFIX}src", "addr", "add", "10.63.1.2/24", "dev", "src",
           check=True)
        ip("-n", f"{PREFIX}src", "link", "set", "src", "up", check=True)
        ip("-n", f"{PREFIX}src", "route", "add", "224.0.0.0/4", "dev", "src",
           check=True)
        # a netns that lives through the run, with workers of its own
        ip("netns", "add", f"{PREFIX}n", check=True)
        for d in ("y0", "y1"):
            ip("-n", f"{PREFIX}n", "link", "add", d, "type", "dummy",
               check=True)
            ip("-n", f"{PREFIX}n", "link", "set", d, "up", check=True)

    def kill_all(self):
        with self.lock:
            wids = list(self.workers)
        for wid in wids:
            self.kill(wid)

    def teardown(self):
        self.kill_all()
        for ns in ("src", "n", "t0", "t1"):
            ip("netns", "del", f"{PREFIX}{ns}")
        for d in STATIC_DEVS + CHURN_DEVS + [f"{PREFIX}b"]:
            ip("link", "del", d)

    def hold(self):
        """Stops every worker's loop; returns the violations they saw."""
        with self.lock:
            procs = list(self.workers.items())
        for _, (p, _, _) in procs:
            p.send_signal(signal.SIGUSR1)
        violations = []
        for wid, (p, _, _) in procs:
            held = False
            for line in p.stdout:
                if line.startswith("violation: "):
                    violations.append(line[len("violation: "):].rstrip())
                elif line.startswith("held"):
                    held = True
                    break
            if not held:
                violations.append(f"worker {wid} ended early, exit "
                                  f"{p.wait()}")
        return violations

    def figures(self):
        """Requests, overruns and timeouts of every worker there was."""
        total = [0, 0, 0]
        for name in os.listdir(self.tmp):
            with open(os.path.join(self.tmp, name), "rb") as f:
                data = f.read()
            if len(data) == COUNTS.size:
                total = [a + b for a, b in zip(total, COUNTS.unpack(data))]
        return total, len(os.listdir(self.tmp))

    def state_of(self, netns, *args):
        """mgm-state.py check ARGS in netns: its exit status and output."""
        cmd = PY + [os.path.join(os.path.dirname(HERE), "mgm-state.py"),
                    "check", *args]
        if netns:
            cmd = ["ip", "netns", "exec", netns] + cmd
        res = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        return res.returncode, res.stdout

    def phase(self, what):
        """Where the time goes: a line in the log per phase."""
        now = time.time()
        print(f"mgm-stress: {what} at {now - self.t0:.1f} s", flush=True)

    def run(self):
        self.t0 = time.time()
        self.setup()
        self.phase("set up")
        sender = subprocess.Popen(
            ["ip", "netns", "exec", f"{PREFIX}src"] + PY + [HERE, "send"])
        try:
            self.spawn(60, devs=[f"{PREFIX}b"],
                       extra=["--bulk", str(self.args.bulk)])
            for wid in range(self.args.workers):
                self.spawn(wid, wait=False)
            for wid in (50, 51):
                self.spawn(wid, f"{PREFIX}n", ["y0", "y1", "lo"], wait=False)
            for wid, (p, _, _) in list(self.workers.items()):
                if wid != 60:           # it said so already
                    p.stdout.readline()     # "started"
            threads = [threading.Thread(target=t, daemon=True) for t in
                       (self.netdev_churn, self.netns_churn, self.killer)]
            for t in threads:
                t.start()
            self.phase("workers started")
            time.sleep(self.args.duration)
            self.stop.set()
            for t in threads:
                t.join()
            self.phase("churn stopped")
            sender.kill()
            violations = self.hold()
            self.phase("workers hold")
            # Questions still open reach their deadline (reply_timeout_ms,
            # 2 s), and MFEs a prune reply gave 2 s at most expire: the
            # state changes by itself until then, and is looked at after.
            time.sleep(2.5)
            self.tap.check(not violations,
                           "every dump during the churn listed each key "
                           "once, and worked", "\n".join(violations))
            for ns, name in ((None, "this netns"),
                             (f"{PREFIX}n", "the other netns")):
                rc, out = self.state_of(ns)
                self.tap.check(rc == 0, f"the state held in {name} keeps "
                               "the invariants", out)
                if rc == 0:
                    self.tap.note(f"{name}: {out.count('  ')} entries")
            (ops, overruns, timeouts), workers = self.figures()
            print(f"# stress: seed {self.args.seed}, "
                  f"{self.args.duration:g} s, {workers} workers "
                  f"({self.kills} killed), {ops} requests, {overruns} "
                  f"overruns, {timeouts} answers lost; "
                  f"{self.netdev_cycles} netdev and {self.netns_cycles} "
                  f"netns changes", flush=True)
            # Before the netdevs go: forwarding entries whose route goes
            # with them stay (incoming interface 0) until they time out.
            self.kill_all()
            for ns, name in ((None, "this netns"),
                             (f"{PREFIX}n", "the other netns")):
                rc, out = self.state_of(ns, "--empty")
                self.tap.check(rc == 0, f"nothing left in {name} once the "
                               "workers are gone", out)
            self.phase("checked")
        finally:
            sender.kill()
            sender.wait()
            self.teardown()
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.phase("torn down")
        return 1 if self.tap.failed else 0


def send():
    """The multicast sender, in its netns: a datagram per group every
    50 ms."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
    while True:
        for g in GROUPS:
            s.sendto(b"mgm63", (g, 5063))
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["run", "worker", "send"])
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--workers", type=int, default=4,
                    help="workers in this netns (2 more in another)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bulk", type=int, default=150,
                    help="run: protocols (and twice as many next hops) one "
                    "worker holds, for dumps of several messages; worker: "
                    "make them")
    ap.add_argument("--id", type=int)
    ap.add_argument("--devs")
    ap.add_argument("--counts", help="worker: a file for its figures")
    args = ap.parse_args()
    if args.what == "worker":
        Worker(args.id, args.seed, args.devs.split(","), args.counts).run(
            args.bulk if "--bulk" in sys.argv else 0)
        return 0
    if args.what == "send":
        send()
        return 0
    return Run(args).run()


if __name__ == "__main__":
    sys.exit(main())
