#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mgm-fuzz: a seeded netlink fuzzer of the mgm family.

Workers (processes) send a fixed number of messages in all: requests of
every command of the spec (tools/spec/mgm.yaml) with random attributes,
values that make sense and values that do not (other sockets' handles,
stale handles, wrong types and lengths, unknown attributes, deep nesting),
cut and malformed headers, several messages in one datagram, and dumps
read partly or not at all.  Some workers live in a network namespace of
their own; some die by SIGKILL midway, and a new worker takes over the rest
of their messages.  At the end the survivors hold their state while the
invariants are checked (mgmnl.invariants), then go; nothing may be left.

Reproducing: everything a worker sends follows from the seed.  Its values
come from what the module answered (handles), so one worker alone against
a freshly loaded module sends the same bytes every time:
  mgm-fuzz.py --seed S --count N --workers W --only W.G --trace
replays worker W's generation G of the run with seed S (the run prints
"worker W.G seed ... dies after ..." for each); in UML, make check passes
MGM_FUZZ_SEED, MGM_FUZZ_COUNT, MGM_FUZZ_WORKERS and MGM_FUZZ_ONLY to
tools/tests/62-fuzz.sh (README, "What is tested").

Runs inside UML only, as root.
"""
import argparse
import errno
import faulthandler
import hashlib
import os
import random
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgmnl  # noqa: E402
from mgmnl import (GENLHDR, NLA_F_NESTED, NLA_F_NET_BYTEORDER,  # noqa: E402
                   NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NLMSGHDR, nla)

spec = mgmnl.Spec()
REQUESTS = [op for op in spec.ops.values() if op.is_request]
MAX_ATTR = max(a.value for a in spec.attrs[spec.default_set].values())
# Mostly ids that register (a few, so that they collide too), some that
# are special or reserved.
PROTOCOL_IDS = [200, 201, 202, 203, 204, 205, 206, 207] * 3 + [
    10, 0x4137000A, 10009, 0x81372719, 0, 0xffffffff]
GROUPS = ["239.1.1.1", "239.1.1.2", "239.1.1.3", "224.0.0.1"] * 3 + [
    "0.0.0.0", "10.1.1.1", "255.255.255.255"]
SOURCES = ["0.0.0.0", "10.1.1.1", "10.1.1.2"] * 3 + ["255.255.255.255",
                                                     "224.1.1.1"]
MASKS = ["0.0.0.0", "255.255.255.255", "255.255.255.0"]


def sub_seed(seed, *parts):
    """A seed for a part of the run, the same on every machine (Python's
    hash() of strings is salted per process)."""
    h = hashlib.sha256(repr((seed,) + parts).encode()).digest()
    return int.from_bytes(h[:8], "little")


class Worker:
    def __init__(self, wid, seed, budget, ifindexes, trace):
        self.wid = wid
        self.rng = random.Random(seed)
        self.budget = budget
        self.ifindexes = ifindexes
        self.trace = trace
        self.conns = []
        self.own = {}           # connection -> handles registered there
        self.stale = []         # handles of its closed connections
        self.others = []        # handles seen in dumps, of anyone
        self.sent = 0
        self.kmsg = None
        self.pending = {}       # seq -> (command, values), sane requests
        self.owned = {}         # connection -> (handle, ifindex) it took
        self.last_values = {}
        self.outcomes = {}      # (command, errno name) -> count
        self.examples = {}      # (command, errno name) -> {extack: count}

    # ---- sockets -----------------------------------------------------------
    def conn(self):
        if not self.conns or self.rng.random() < 0.02:
            if len(self.conns) >= 4:
                self.close(self.conns[self.rng.randrange(len(self.conns))])
            c = mgmnl.Conn(spec, rcvbuf=self.rng.choice(
                [None, None, 1024, 65536]))
            # An overrun socket loses messages, the answer to a request
            # too, and says so (ENOBUFS) only once while it stays overrun
            # (netlink_overrun()): never wait for an answer for long.
            c.timeout = 5
            if self.rng.random() < 0.3:
                c.join()
            self.conns.append(c)
        # mostly one that has registrations: most commands need a handle
        busy = [c for c in self.conns if self.own.get(c)]
        if busy and self.rng.random() < 0.7:
            return self.rng.choice(busy)
        return self.rng.choice(self.conns)

    def close(self, c):
        """Closes c: its handles go stale, its interfaces free."""
        self.conns.remove(c)
        c.close()
        self.stale += self.own.pop(c, [])
        del self.stale[:-64]
        self.owned.pop(c, None)

    def drain(self, c, limit=64):
        """Reads what is queued, learning handles; never waits."""
        for _ in range(limit):
            try:
                data = c.sock.recv(65536, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:         # ENOBUFS: something was lost
                continue
            self.learn(c, data)

    def learn(self, c, data):
        off = 0
        while off + NLMSGHDR.size <= len(data):
            length, mtype, _, seq, _ = NLMSGHDR.unpack_from(data, off)
            if length < NLMSGHDR.size:
                return
            if mtype == mgmnl.NLMSG_ERROR and seq in self.pending:
                err = -struct.unpack_from("=i", data, off + NLMSGHDR.size)[0]
                cmd, values = self.pending.pop(seq)
                key = (cmd, mgmnl.errname(err))
                self.outcomes[key] = self.outcomes.get(key, 0) + 1
                if err:
                    rep = mgmnl.Reply()
                    c._error(rep, data[off + NLMSGHDR.size:off + length],
                             NLMSGHDR.unpack_from(data, off)[2])
                    msgs = self.examples.setdefault(key, {})
                    msgs[rep.msg] = msgs.get(rep.msg, 0) + 1
                self.track(c, cmd, values, err)
            if mtype == c.family:
                payload = data[off + NLMSGHDR.size:off + length]
                cmd, attrs = c.decode(payload)
                h = attrs.get("handle")
                if isinstance(h, int):
                    own = self.own.setdefault(c, [])
                    if cmd == "register" and h not in own:
                        own.append(h)
                    elif h not in self.others:
                        self.others.append(h)
                        del self.others[:-64]
            off += mgmnl.align(length)

    def track(self, c, cmd, values, err):
        """Remembers the interfaces c owns, from the acks of its takes and
        releases (a guess: the request may have lacked attributes)."""
        pair = (values.get("handle"), values.get("ifindex"))
        owned = self.owned.setdefault(c, [])
        if err or None in pair:
            return
        if cmd == "take-interface" and pair not in owned:
            owned.append(pair)
        elif cmd == "release-interface" and pair in owned:
            owned.remove(pair)

    # ---- values -------------------------------------------------------------
    def handle(self, c):
        r = self.rng.random()
        pools = [(0.75, self.own.get(c)), (0.85, self.others),
                 (0.93, self.stale)]
        for limit, pool in pools:
            if r < limit and pool:
                return self.rng.choice(pool)
        return self.rng.choice([0, 1, 2, 0xffffffff,
                                self.rng.getrandbits(32)])

    def ifindex(self):
        if self.rng.random() < 0.85:
            return self.rng.choice(self.ifindexes)
        return self.rng.choice([0, 9999, 0xffffffff])

    def value(self, c, attr):
        r = self.rng
        name = attr.name
        if name in ("handle", "igmp-handle"):
            return self.handle(c)
        if name in ("ifindex", "iif"):
            return self.ifindex()
        if name == "protocol-id":
            return r.choice(PROTOCOL_IDS)
        if name == "component-id":
            return r.choice([0, 1, 2, 3])
        if name in ("group",):
            return r.choice(GROUPS)
        if name in ("source", "upstream", "nexthop", "iif-nexthop",
                    "route-prefix"):
            return r.choice(SOURCES)
        if name.endswith("-mask"):
            return r.choice(MASKS)
        if name == "flags":
            return r.choice([1, 2, 3] * 4 + [0, 4, 0xffffffff])
        if name == "enum-type":
            return r.choice([0, 1, 2])
        if name == "cookie":
            return r.choice([0, 1, r.getrandbits(64)])
        if name == "timeout":
            return r.choice([0, 1, 900, 86400, 86401, 0xffffffff])
        if name == "hold-time":
            # held registrations of dead workers, gone within 2 s: the
            # state is empty soon after the last worker (62-fuzz.sh)
            return r.choice([0, 0, 1, 2, 3601, 0xffffffff])
        if attr.nested == "limit":
            # mostly roomy, so that the worker's netns keeps working
            return {n: r.choice([0, 1, 2, 1000, 65536, 262144, 0xffffffff])
                    for n in spec.attrs["limit"] if r.random() < 0.3}
        if attr.nested == "igmp-conf":
            # the IGMP router's settings, in range and past it
            return {n: r.choice([0, 1, 2, 3, 7, 8, 100, 1000, 25500, 65536,
                                 0xffffffff])
                    for n in spec.attrs["igmp-conf"] if r.random() < 0.4}
        if attr.type == "nest":
            # a few interfaces, or many with repeats (up to past the
            # 1024 a creation reply may name)
            n = r.randrange(0, 4) if r.random() < 0.9 else \
                r.choice([64, 1024, 1025, 1100])
            return [{"ifindex": self.ifindex(),
                     "disabled": True} if r.random() < 0.5 else
                    {"ifindex": self.ifindex()}
                    for _ in range(n)]
        if attr.type == "flag":
            return True
        if attr.type in mgmnl.INT_FORMATS:
            bits = 8 * struct.calcsize(mgmnl.INT_FORMATS[attr.type])
            if attr.ipv4:
                return r.choice(SOURCES)
            return r.getrandbits(bits) if attr.type[0] == "u" else 0
        return r.randbytes(r.randrange(0, 40))

    # ---- attributes ---------------------------------------------------------
    def good_attrs(self, c, op, dump, complete):
        """Attributes of the op's request, all of them if complete, else
        each one likely, with values that make sense together: mostly an
        interface the handle owns, masks that fit their addresses."""
        r = self.rng
        aset = op.aset or spec.default_set
        names = op.request_attrs(dump)
        values = {n: self.value(c, spec.attrs[aset][n]) for n in names}
        if "handle" in values and "ifindex" in values and \
                self.owned.get(c) and r.random() < 0.7:
            values["handle"], values["ifindex"] = r.choice(self.owned[c])
        for addr, mask in (("source", "source-mask"), ("group", "group-mask")):
            if addr in values and mask in values and r.random() < 0.8:
                values[mask] = "0.0.0.0" if values[addr] == "0.0.0.0" \
                    else "255.255.255.255"
        out = b""
        for name in names:
            if complete or r.random() < 0.8:
                try:
                    out += spec.encode_attrs(aset, {name: values[name]})
                except (struct.error, ValueError, OSError):
                    pass
        self.last_values = values
        return out

    def bad_attr(self, depth=0):
        """One attribute that should not be there, or not like this."""
        r = self.rng
        kind = r.randrange(8)
        atype = r.choice([r.randrange(0, MAX_ATTR + 4), r.getrandbits(14)])
        if kind == 0:       # a known attribute, a payload of the wrong size
            return nla(atype, r.randbytes(r.choice([0, 1, 2, 3, 5, 8, 16])))
        if kind == 1:       # flags bits on a plain attribute
            return nla(atype | r.choice([NLA_F_NESTED, NLA_F_NET_BYTEORDER]),
                       r.randbytes(4))
        if kind == 2 and depth < 80:    # nesting, deep or not
            inner = b"".join(self.bad_attr(depth + 1)
                             for _ in range(r.randrange(1, 3)))
            return nla(atype | NLA_F_NESTED, inner)
        if kind == 3:       # a length past the end of the message
            return struct.pack("=HH", r.randrange(8, 0xffff), atype) + \
                r.randbytes(4)
        if kind == 4:       # a length below the header
            return struct.pack("=HH", r.randrange(0, 4), atype)
        if kind == 5:       # the same attribute twice
            a = nla(atype, struct.pack("=I", r.getrandbits(32)))
            return a + a
        if kind == 6:       # a big one
            return nla(atype, r.randbytes(r.randrange(100, 2000)))
        return r.randbytes(r.randrange(1, 12))   # garbage, unaligned

    # ---- messages -----------------------------------------------------------
    def request(self, c):
        """One request message of a random command, mostly sane."""
        r = self.rng
        op = r.choice(REQUESTS)
        dump = bool(op.dump) and (not op.do or r.random() < 0.5)
        if r.random() < 0.05:
            dump = not dump
        # Half the requests are sane, so that state builds up and the
        # deeper paths run; the other half is broken in one way or more.
        sane = r.random() < 0.5
        if sane and not self.own.get(c) and r.random() < 0.5:
            op = spec.ops["register"]       # most commands need a handle
            dump = False
        body = self.good_attrs(c, op, dump, sane)
        cmd, version, reserved = op.value, 1, 0
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        if not sane:
            if r.random() < 0.4:
                body += self.bad_attr()
            if r.random() < 0.2:
                body = self.bad_attr() + body
            if r.random() < 0.1:
                cmd = r.randrange(256)
            if r.random() < 0.1:
                version = r.randrange(256)
            if r.random() < 0.05:
                reserved = r.getrandbits(16)
            if r.random() < 0.1:
                flags = r.getrandbits(16)
        msg = c.message(c.family, flags,
                        GENLHDR.pack(cmd, version, reserved) + body)
        return msg, dump

    def mangle(self, c, msg):
        """The message with a broken header, or cut, or with company."""
        r = self.rng
        kind = r.randrange(7)
        if kind == 0:       # cut anywhere, the header included
            return msg[:r.randrange(0, len(msg))]
        if kind == 1:       # nlmsg_len larger than what is sent
            return struct.pack("=I", len(msg) + r.randrange(1, 200)) + msg[4:]
        if kind == 2:       # nlmsg_len below the headers
            return struct.pack("=I", r.randrange(0, 20)) + msg[4:]
        if kind == 3:       # another type: a netlink control message
            return msg[:4] + struct.pack("=H", r.randrange(0, 16)) + msg[6:]
        if kind == 4:       # several in one datagram, one of them bad
            other, _ = self.request(c)
            return msg + other[:r.randrange(1, len(other) + 1)]
        if kind == 5:       # padding after the message
            return msg + r.randbytes(r.randrange(1, 8))
        return msg + self.request(c)[0]     # two good ones at once

    def one(self):
        r = self.rng
        c = self.conn()
        msg, dump = self.request(c)
        if r.random() < 0.15:
            msg = self.mangle(c, msg)
        elif len(msg) >= 20:
            cmd = spec.op_by_value.get(msg[16])
            if cmd:
                seq = struct.unpack_from("=I", msg, 8)[0]
                self.pending[seq] = (cmd.name, self.last_values)
                if len(self.pending) > 256:
                    self.pending.pop(next(iter(self.pending)))
        if self.trace:
            self.trace_out(f"w{self.wid} #{self.sent} port {c.portid}",
                           msg.hex())
        try:
            c.sock.send(msg)
        except OSError:
            pass
        self.sent += 1
        if dump and r.random() < 0.3:
            # a dump cut short: one datagram read, the rest left there or
            # dropped with the socket
            try:
                if select.select([c.sock], [], [], 0.01)[0]:
                    self.learn(c, c.sock.recv(65536, socket.MSG_DONTWAIT))
            except OSError:
                pass
            if r.random() < 0.3:
                self.close(c)
            return
        if r.random() < 0.9:
            self.drain(c)

    def trace_out(self, what, text):
        """A traced message, into the kernel log when that can be written
        (/dev/kmsg): it then precedes a splat it causes even if the kernel
        dies at once, which output through a pipe would not."""
        if self.kmsg is None:
            try:
                self.kmsg = os.open("/dev/kmsg", os.O_WRONLY)
            except OSError:
                self.kmsg = -1
        chunks = [text[i:i + 800] for i in range(0, len(text), 800)] or [""]
        for i, chunk in enumerate(chunks):
            line = f"mgm-fuzz: {what} [{i + 1}/{len(chunks)}] {chunk}"
            if self.kmsg >= 0:
                os.write(self.kmsg, line.encode())
            else:
                print(line, flush=True)

    def learn_others(self):
        """Everyone's handles, from a dump, for requests with them."""
        c = self.conn()
        rep = c.dump("get-protocol")
        own = self.own.get(c, [])
        for e in rep.entries:
            h = e.get("handle")
            if h is not None and h not in own and h not in self.others:
                self.others.append(h)
        del self.others[:-64]

    def run(self, die_at):
        while self.sent < self.budget:
            if self.sent == die_at:
                os.kill(os.getpid(), signal.SIGKILL)
            if self.sent % 50 == 0:
                try:
                    self.learn_others()
                except (OSError, mgmnl.NetlinkError):
                    pass
            self.one()

    def summary(self):
        """What the sane requests got, per command: "command: ok 3,
        EINVAL 5"; for judging how deep the fuzzing goes."""
        per = {}
        for (cmd, err), n in sorted(self.outcomes.items()):
            per.setdefault(cmd, []).append(f"{err} {n}")
        return "; ".join(f"{cmd}: {', '.join(v)}" for cmd, v in per.items())

    def messages(self):
        """The extack messages of each (command, error) seen, counted."""
        return "\n".join(f"  {cmd} {err}: {n} x {msg}"
                         for (cmd, err), msgs in sorted(self.examples.items())
                         for msg, n in sorted(msgs.items(), key=str))


def fork_worker(args, wid, gen, budget, ifindexes, ready_w):
    """Forks worker wid's generation gen; returns (pid, die_at)."""
    seed = sub_seed(args.seed, wid, gen)
    plan = random.Random(sub_seed(args.seed, "plan", wid, gen))
    # some generations die midway, somewhere in their messages; a replay
    # (--only) does not: it is to reach the message that did harm
    die_at = plan.randrange(budget) if plan.random() < args.kill else None
    if args.only:
        die_at = None
    own_netns = wid % 3 == 2
    pid = os.fork()
    if pid:
        # the pid ties a kernel report ("PID: 123 Comm: python3") to a
        # worker
        print(f"mgm-fuzz: worker {wid}.{gen} pid {pid} seed {seed} sends "
              f"{budget}"
              f"{f', dies after {die_at}' if die_at is not None else ''}"
              f"{', in a netns of its own' if own_netns else ''}",
              flush=True)
        return pid, die_at
    code = 1
    try:
        # a worker stuck past its time shows where, then ends
        faulthandler.dump_traceback_later(args.timeout, exit=True)
        if own_netns:
            mgmnl.unshare(mgmnl.CLONE_NEWNET)
            ifs = [1]
        else:
            ifs = ifindexes
        w = Worker(wid, seed, budget, ifs, args.trace)
        w.run(die_at)
        for c in w.conns:
            w.drain(c)
        print(f"mgm-fuzz: worker {wid}.{gen} got {w.summary()}", flush=True)
        if args.trace:
            print(w.messages(), flush=True)
        # Done.  Alone in its netns, it checks the state there itself;
        # then it holds its sockets until the parent has looked at the
        # state of the shared netns.
        bad = []
        if own_netns:
            c = mgmnl.Conn(spec)
            bad = mgmnl.invariants(mgmnl.snapshot(c))
        faulthandler.cancel_dump_traceback_later()
        os.write(ready_w, struct.pack("=ii", os.getpid(), len(bad)))
        for b in bad:
            print(f"worker {wid}.{gen}: {b}", flush=True)
        signal.pause()
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        os._exit(code)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000,
                    help="messages per worker slot, all generations")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--kill", type=float, default=0.4,
                    help="share of the worker generations that die midway")
    ap.add_argument("--ifindexes", default="1",
                    help="comma-separated netdevs the workers use")
    ap.add_argument("--only", help="W.G: replay one worker generation alone")
    ap.add_argument("--trace", action="store_true",
                    help="every message sent, in hex, to the kernel log "
                    "(/dev/kmsg, not rate limited: printk_devkmsg=on)")
    ap.add_argument("--timeout", type=int, default=90,
                    help="seconds a worker may take (less than the "
                    "test's limit, MGM_TEST_TIMEOUT)")
    args = ap.parse_args()
    ifindexes = [int(i) for i in args.ifindexes.split(",")]
    tap = mgmnl.Tap("fuzz: ")
    print(f"mgm-fuzz: seed {args.seed}, {args.workers} workers x "
          f"{args.count} messages", flush=True)

    ready_r, ready_w = os.pipe()
    start = time.time()
    live = {}                   # pid -> (wid, gen, die_at, budget)
    only = tuple(int(x) for x in args.only.split(".")) if args.only else None
    for wid in range(args.workers):
        if only and only[0] != wid:
            continue
        gen = only[1] if only else 0
        pid, die_at = fork_worker(args, wid, gen, args.count, ifindexes,
                                  ready_w)
        live[pid] = (wid, gen, die_at, args.count)

    held, deaths, failed, netns_bad = set(), 0, [], 0
    while len(held) < len(live):
        if select.select([ready_r], [], [], 0.2)[0]:
            pid, nbad = struct.unpack("=ii", os.read(ready_r, 8))
            held.add(pid)
            netns_bad += nbad
        pid, status = os.waitpid(-1, os.WNOHANG)
        if not pid:
            continue
        wid, gen, die_at, budget = live.pop(pid)
        held.discard(pid)
        if os.WIFSIGNALED(status) and \
                os.WTERMSIG(status) == signal.SIGKILL and die_at is not None:
            deaths += 1
            if not only:
                left = budget - die_at
                npid, ndie = fork_worker(args, wid, gen + 1, left,
                                         ifindexes, ready_w)
                live[npid] = (wid, gen + 1, ndie, left)
        else:
            failed.append(f"worker {wid}.{gen} ended with status "
                          f"{status:#x}")
    elapsed = time.time() - start
    tap.check(not failed, "every worker sent all its messages or died "
              "where its seed said", "\n".join(failed))
    tap.check(netns_bad == 0, "the state of each worker's own netns keeps "
              "the invariants", f"{netns_bad} violations (above)")

    # the survivors hold their sockets and state: it must be consistent,
    # and still once the dead workers' holds and the resyncs (2 s at most,
    # value() above) have ended, which two dumps then find the same
    c = mgmnl.Conn(spec)
    state = mgmnl.snapshot(c)
    for line in mgmnl.state_lines(state):
        print(f"  {line}")
    bad = mgmnl.invariants(state)
    tap.check(not bad, "the state the survivors hold keeps the invariants",
              "\n".join(bad))
    for _ in range(50):
        if all(p.get("protocol-state", 0) == 0
               for p in state.get("get-protocol", [])):
            break
        time.sleep(0.1)
        state = mgmnl.snapshot(c)
    bad = mgmnl.invariants(state)
    tap.check(not bad, "the survivors' state keeps them once no registration "
              "is held or resyncing", "\n".join(bad))
    again = mgmnl.state_lines(mgmnl.snapshot(c))
    tap.check(again == mgmnl.state_lines(state),
              "two dumps of the held state agree")
    for pid in live:
        os.kill(pid, signal.SIGKILL)
    for pid in live:
        os.waitpid(pid, 0)
    print(f"# fuzz: {args.workers} x {args.count} messages in "
          f"{elapsed:.1f} s, {deaths} workers killed midway, "
          f"{len(mgmnl.state_lines(state))} entries held at the end",
          flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
