#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The seeded IGMP packet fuzzer of 19-igmp-fuzz.sh: valid IGMPv1/v2/v3
reports and queries mixed with malformed ones, each of one class, from a
host on the router's link, with and without Router Alert.

  igmp-fuzz.py --seed S --count N --src ADDR --router ADDR --raw PATH

ADDR: this host's address (the interface the packets leave by); the
router's; PATH: /proc/PID/net/raw of a process in the router's netns: every
32 packets the fuzzer waits until the router's IGMP socket took what it
was sent, so that none is lost and the counters can be compared exactly.

Each class feeds the router's counters (mgmctl -j igmp show) in a way
known when the packet is built; the fuzzer prints "class NAME N" for what
it sent of each, "expect COUNTER N" for what the counters must have moved
by, and "drops N" for what the router's socket dropped.
"""
import argparse
import collections
import random
import socket
import struct
import sys

import igmppkt as p

GROUPS = ["239.19.1.%d" % i for i in range(256)]
SOURCES = ["10.19.5.%d" % i for i in range(1, 40)]
# records' sources no host sends from: skipped, counted in bad_sources
ODD_SOURCES = ["0.0.0.0", "224.1.1.1", "255.255.255.255"]
BAD_GROUPS = ["0.0.0.0", "224.0.0.1", "224.0.0.22", "224.0.0.251",
              "10.1.2.3", "240.0.0.1", "255.255.255.255"]
# not on the link, some below the router's address (a querier would yield)
FOREIGN = ["10.99.0.5", "10.0.19.3", "192.168.7.7", "172.31.19.1"]
VALID_TYPES = {p.QUERY, p.V1_REPORT, p.V2_REPORT, p.V2_LEAVE, p.V3_REPORT}


class Fuzz:
    def __init__(self, rnd, src, router):
        self.r = rnd
        self.src = src
        self.router = router

    def group(self):
        return self.r.choice(GROUPS)

    def sources(self, most=12):
        n = self.r.choice((0, 0, 1, 2, 3, self.r.randrange(most + 1)))
        srcs = [self.r.choice(SOURCES) for _ in range(n)]
        if srcs and self.r.random() < 0.1:
            srcs[0] = self.r.choice(ODD_SOURCES)
        return srcs

    def records(self):
        return [p.record(self.r.randrange(1, 7), self.group(), self.sources(),
                         self.r.choice((0, 0, 0, 1, 2)))
                for _ in range(self.r.randrange(1, 6))]

    # ---- valid messages: (IGMP message, destination, counters) ----------
    def v1_report(self):
        g = self.group()
        return p.v1v2(p.V1_REPORT, g), g, {"reports_v1": 1}

    def v2_report(self):
        g = self.group()
        return p.v1v2(p.V2_REPORT, g), g, {"reports_v2": 1}

    def v2_leave(self):
        return (p.v1v2(p.V2_LEAVE, self.group()), p.ALL_ROUTERS,
                {"leaves": 1})

    def v3_report(self):
        return (p.v3_report(self.records()),
                self.r.choice((p.V3_ROUTERS, p.V3_ROUTERS, self.router)),
                {"reports_v3": 1})

    def v1_query(self):
        return p.v1v2(p.QUERY, "0.0.0.0"), p.ALL_HOSTS, {"queries_v1": 1}

    def v2_query(self):
        g = self.r.choice(("0.0.0.0", self.group()))
        return (p.v1v2(p.QUERY, g, self.r.randrange(1, 256)),
                p.ALL_HOSTS if g == "0.0.0.0" else g, {"queries_v2": 1})

    def v3_query(self):
        """odd codes, QRV, QQIC and S flags included: a query all the same"""
        g = self.r.choice(("0.0.0.0", self.group()))
        srcs = [] if g == "0.0.0.0" else self.sources(40)
        return (p.v3_query(g, srcs, resp=self.r.randrange(256),
                           s=self.r.random() < 0.3, qrv=self.r.randrange(8),
                           qqic=self.r.randrange(256)),
                p.ALL_HOSTS if g == "0.0.0.0" else g, {"queries_v3": 1})

    def valid(self):
        return self.r.choice((self.v1_report, self.v2_report, self.v2_leave,
                              self.v3_report, self.v3_report, self.v1_query,
                              self.v2_query, self.v3_query))()

    def garbage_dst(self):
        return self.r.choice((p.V3_ROUTERS, p.ALL_HOSTS, p.ALL_ROUTERS,
                              self.router))

    # ---- the malformed classes --------------------------------------------
    def short(self):
        msg = bytes(self.r.randrange(256) for _ in range(self.r.randrange(8)))
        return msg, self.garbage_dst(), {"short_packets": 1}

    def bad_checksum(self):
        msg, dst, _ = self.valid()
        msg = msg[:2] + bytes((msg[2] ^ 1, msg[3] ^ 1)) + msg[4:]
        return msg, dst, {"bad_checksum": 1}

    def bad_type(self):
        t = self.r.choice([x for x in range(256)
                           if x not in VALID_TYPES and x != 0x14])
        body = bytes(self.r.randrange(256)
                     for _ in range(self.r.randrange(4, 60)))
        msg = p.with_checksum(bytes((t, 0, 0, 0)) + body)
        return msg, self.garbage_dst(), {"bad_type": 1}

    def bad_query(self):
        kind = self.r.randrange(3)
        if kind == 0:
            # a group no query names: unicast, class E
            g = self.r.choice(("10.1.2.3", "240.0.0.1", "192.168.0.1"))
            msg = (p.v1v2(p.QUERY, g, 100) if self.r.random() < 0.5 else
                   p.v3_query(g, self.sources()))
        elif kind == 1:
            # longer than 8, shorter than 12 (RFC 3376 §7.1)
            msg = p.with_checksum(p.v1v2(p.QUERY, "0.0.0.0", 100)[:4] +
                                  bytes(4 + self.r.randrange(1, 4)))
        else:
            # sources without a group
            msg = p.v3_query("0.0.0.0", self.r.sample(SOURCES, 3))
        return msg, p.ALL_HOSTS, {"bad_query": 1}

    def truncated(self):
        kind = self.r.randrange(4)
        if kind == 0:
            # a query's sources past the end
            srcs = self.sources()
            msg = p.v3_query(self.group(), srcs,
                             count=len(srcs) + self.r.randrange(1, 300))
            return msg, p.ALL_HOSTS, {"truncated": 1}
        recs = self.records()
        if kind == 1:
            # more records than there are
            msg = p.v3_report(recs, count=len(recs) + self.r.randrange(1, 9))
        else:
            # the last record's sources (1) or aux data (2) past the end
            last = bytearray(recs[-1])
            if kind == 2:
                n = struct.unpack("!H", last[2:4])[0] + self.r.randrange(1, 99)
                last[2:4] = struct.pack("!H", n)
            else:
                last[1] += self.r.randrange(1, 99)
            msg = p.v3_report(recs[:-1] + [bytes(last)])
        return msg, p.V3_ROUTERS, {"truncated": 1}

    def bad_group(self):
        t = self.r.choice((p.V1_REPORT, p.V2_REPORT, p.V2_LEAVE))
        return (p.v1v2(t, self.r.choice(BAD_GROUPS)), p.V3_ROUTERS,
                {"bad_group": 1})

    def bad_record(self):
        """unknown record types: those records skipped, the rest taken"""
        recs = self.records()
        bad = 0
        for i in range(len(recs)):
            if i == 0 or self.r.random() < 0.3:
                rec = bytearray(recs[i])
                rec[0] = self.r.choice([0] + list(range(7, 256)))
                recs[i] = bytes(rec)
                bad += 1
        self.r.shuffle(recs)
        return (p.v3_report(recs), p.V3_ROUTERS,
                {"reports_v3": 1, "bad_record": bad})

    def record_bad_group(self):
        """records of groups no router tracks: skipped, counted"""
        recs = self.records()
        bad = 0
        for i in range(len(recs)):
            if i == 0 or self.r.random() < 0.3:
                recs[i] = p.record(self.r.randrange(1, 7),
                                   self.r.choice(BAD_GROUPS), self.sources())
                bad += 1
        self.r.shuffle(recs)
        return (p.v3_report(recs), p.V3_ROUTERS,
                {"reports_v3": 1, "bad_group": bad})

    CLASSES = ("valid", "short", "bad_checksum", "bad_type", "bad_query",
               "truncated", "bad_group", "bad_record", "record_bad_group",
               "foreign_source")

    def packet(self, cls):
        """(IP packet, destination, counters it moves) of class CLS"""
        src = self.src
        if cls == "foreign_source":
            src = self.r.choice(FOREIGN)
            msg, dst, expect = self.valid()
            expect = dict(expect, bad_source=1)
        else:
            msg, dst, expect = getattr(self, cls)()
        ra = self.r.random() < 0.7
        return p.ip(src, dst, msg, ra=ra), dst, expect


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--router", required=True)
    ap.add_argument("--raw", required=True)
    args = ap.parse_args(argv[1:])

    rnd = random.Random(args.seed)
    fz = Fuzz(rnd, args.src, args.router)
    tx = p.Sender(args.src)
    sent = collections.Counter()
    expect = collections.Counter()
    ra = 0
    drops0 = p.router_queue(args.raw)[1]
    for i in range(args.count):
        # a third valid, the rest spread over the malformed classes
        cls = ("valid" if rnd.random() < 0.33 else
               rnd.choice(Fuzz.CLASSES[1:]))
        pkt, dst, moves = fz.packet(cls)
        while not tx.send(pkt, dst):
            p.wait_router(args.raw)
        sent[cls] += 1
        ra += pkt[0] & 0xf == 6
        expect.update(moves)
        if i % 32 == 31 and not p.wait_router(args.raw):
            print("the router's socket did not drain in 10 s")
    p.wait_router(args.raw)
    for cls in Fuzz.CLASSES:
        print("class", cls, sent[cls])
    print("router-alert", ra)
    for k in sorted(expect):
        print("expect", k, expect[k])
    print("drops", p.router_queue(args.raw)[1] - drops0, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
