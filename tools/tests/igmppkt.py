#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""IGMP packets as a host (or an attacker) on a router's link sends them,
for the integration tests 18-igmp-flood.sh and 19-igmp-fuzz.sh.

A module: messages of IGMPv1 (RFC 1112), IGMPv2 (RFC 2236) and IGMPv3
(RFC 3376 §4) built byte by byte, checksums set; the IP header around them
(TTL 1, Router Alert or not, any source); a raw socket that sends them as
they are (IP_HDRINCL); and what the router's ipmr socket holds still
(/proc/PID/net/raw of a process in the router's netns), so that a sender
can wait for the router instead of overflowing its socket.

As a program:

  igmppkt.py flood SRC GROUPS [--v2-share F] [--size N] [--seed S]
      reports for GROUPS distinct new groups (239.200.0.0 on) from SRC:
      IGMPv3 reports of N bytes (default 1400) full of group records,
      and a share F (default 0.05) of the groups in IGMPv2 reports; as
      fast as the socket takes them.  Prints "records-per-v3 K" first,
      then "sent v3 P v2 Q groups G" and "secs T" at the end.

  igmppkt.py leave SRC GROUP [--times N] [--gap S]
      N IGMPv2 leaves of GROUP from SRC (to 224.0.0.2), S seconds apart.

  igmppkt.py queries SECS
      every IGMP query this host receives for SECS seconds, one line
      each: "query GROUP s=S ms=T" (S the S flag, T ms since the start);
      "listening" first.
"""
import argparse
import random
import socket
import struct
import sys
import time

QUERY = 0x11
V1_REPORT = 0x12
V2_REPORT = 0x16
V2_LEAVE = 0x17
V3_REPORT = 0x22

# group record types, RFC 3376 §4.2.12
IS_IN, IS_EX, TO_IN, TO_EX, ALLOW, BLOCK = range(1, 7)

ALL_HOSTS = "224.0.0.1"
ALL_ROUTERS = "224.0.0.2"
V3_ROUTERS = "224.0.0.22"

# RFC 2113: Router Alert, value 0
ROUTER_ALERT = b"\x94\x04\x00\x00"
IP_LEN = 20


def checksum(data):
    """The Internet checksum (RFC 1071) of DATA."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def with_checksum(msg):
    """MSG (an IGMP message) with its checksum set."""
    if len(msg) < 4:
        return msg
    msg = msg[:2] + b"\0\0" + msg[4:]
    return msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]


def code(value):
    """RFC 3376 §4.1.1, §4.1.7: VALUE as an 8-bit code (float past 127)."""
    if value < 128:
        return value
    for exp in range(8):
        if value >> (exp + 3) < 32:
            return 0x80 | exp << 4 | ((value >> (exp + 3)) & 0xf)
    return 0xff


def aton(addr):
    return socket.inet_aton(addr)


def v1v2(mtype, group, resp=0):
    """An 8-byte message: IGMPv1/v2 report, IGMPv2 leave, v1/v2 query."""
    return with_checksum(struct.pack("!BBH4s", mtype, resp, 0, aton(group)))


def record(rtype, group, sources=(), aux_words=0):
    """One group record of an IGMPv3 report."""
    return (struct.pack("!BBH4s", rtype, aux_words, len(sources),
                        aton(group)) +
            b"".join(aton(s) for s in sources) + b"\0" * (4 * aux_words))


def v3_report(records, count=None):
    """An IGMPv3 report of RECORDS (bytes each); COUNT: what it claims."""
    n = len(records) if count is None else count
    return with_checksum(struct.pack("!BBHHH", V3_REPORT, 0, 0, 0, n) +
                         b"".join(records))


def v3_query(group="0.0.0.0", sources=(), resp=100, s=False, qrv=2, qqic=125,
             count=None):
    """An IGMPv3 query (RESP, QQIC: the codes as sent); COUNT: what it
    claims of its sources."""
    n = len(sources) if count is None else count
    return with_checksum(struct.pack("!BBH4sBBH", QUERY, resp, 0, aton(group),
                                     (0x08 if s else 0) | (qrv & 7), qqic, n) +
                         b"".join(aton(a) for a in sources))


def ip(src, dst, payload, ra=True, ttl=1, proto=2):
    """PAYLOAD in an IPv4 header from SRC to DST; the kernel fills in the
    total length, the id and the header checksum (IP_HDRINCL)."""
    opts = ROUTER_ALERT if ra else b""
    ihl = (IP_LEN + len(opts)) // 4
    return struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xc0, 0, 0, 0, ttl, proto,
                       0, aton(src), aton(dst)) + opts + payload


class Sender:
    """A raw socket that sends IP packets as they are, out of the
    interface with address IFADDR, not looped back to this host."""

    def __init__(self, ifaddr):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                               socket.IPPROTO_RAW)
        self.s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                          aton(ifaddr))
        self.s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)

    def send(self, pkt, dst):
        """1 when it left, 0 when the socket refused it (ENOBUFS...)."""
        try:
            self.s.sendto(pkt, (dst, 0))
            return 1
        except OSError:
            return 0


def router_queue(path):
    """(bytes queued, packets dropped) of the raw IGMP sockets in PATH
    (/proc/PID/net/raw of a process in the router's netns)."""
    queued = drops = 0
    with open(path) as f:
        next(f)
        for line in f:
            col = line.split()
            # local_address "00000000:0002": protocol 2, IGMP
            if col[1].endswith(":0002"):
                queued += int(col[4].split(":")[1], 16)
                drops += int(col[-1])
    return queued, drops


def wait_router(path, secs=10.0):
    """Until the router's IGMP sockets hold nothing (or SECS): 1 if so."""
    end = time.monotonic() + secs
    while router_queue(path)[0]:
        if time.monotonic() > end:
            return 0
        time.sleep(0.002)
    return 1


def flood_group(i):
    return "239.%d.%d.%d" % (200 + (i >> 16), (i >> 8) & 255, i & 255)


# The records of every IGMPv3 report of the flood: SSRC of them INCLUDE
# mode with one source (an (S,G) membership), the rest EXCLUDE {} ((*,G)),
# the same number in each report, which the test's arithmetic needs.
SSRC = 16


def flood(args):
    rnd = random.Random(args.seed)
    tx = Sender(args.src)
    hdr = IP_LEN + len(ROUTER_ALERT) + 8
    per = SSRC + (args.size - hdr - SSRC * 12) // 8
    print("records-per-v3", per, flush=True)
    order = list(range(args.groups))
    rnd.shuffle(order)
    recs, v2, v3, groups = [], 0, 0, 0
    t0 = time.monotonic()

    def send_v3():
        nonlocal v3, groups, recs
        pkt = ip(args.src, V3_ROUTERS, v3_report(recs))
        while not tx.send(pkt, V3_ROUTERS):
            time.sleep(0.001)
        v3 += 1
        groups += len(recs)
        recs = []

    for i in order:
        g = flood_group(i)
        if rnd.random() < args.v2_share:
            pkt = ip(args.src, g, v1v2(V2_REPORT, g))
            while not tx.send(pkt, g):
                time.sleep(0.001)
            v2 += 1
            groups += 1
            continue
        if len(recs) < SSRC:
            recs.append(record(IS_IN, g, [args.src]))
        else:
            recs.append(record(rnd.choice((IS_EX, TO_EX)), g))
        if len(recs) == per:
            send_v3()
    # the rest of the groups as IGMPv2: every IGMPv3 report has PER records
    for r in recs:
        g = socket.inet_ntoa(r[4:8])
        pkt = ip(args.src, g, v1v2(V2_REPORT, g))
        while not tx.send(pkt, g):
            time.sleep(0.001)
        v2 += 1
        groups += 1
    print("sent v3 %d v2 %d groups %d" % (v3, v2, groups))
    print("secs %.3f" % (time.monotonic() - t0), flush=True)
    return 0


def leave(args):
    tx = Sender(args.src)
    for i in range(args.times):
        if i:
            time.sleep(args.gap)
        while not tx.send(ip(args.src, ALL_ROUTERS,
                             v1v2(V2_LEAVE, args.group)), ALL_ROUTERS):
            time.sleep(0.001)
    return 0


def queries(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s.settimeout(0.05)
    print("listening", flush=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < args.secs:
        try:
            pkt = s.recv(2048)
        except socket.timeout:
            continue
        hl = (pkt[0] & 15) * 4
        msg = pkt[hl:]
        if len(msg) < 8 or msg[0] != QUERY:
            continue
        sflag = (msg[8] >> 3) & 1 if len(msg) >= 12 else 0
        print("query %s s=%d ms=%d" % (socket.inet_ntoa(msg[4:8]), sflag,
                                       (time.monotonic() - t0) * 1000),
              flush=True)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("flood")
    f.add_argument("src")
    f.add_argument("groups", type=int)
    f.add_argument("--v2-share", type=float, default=0.05)
    f.add_argument("--size", type=int, default=1400)
    f.add_argument("--seed", type=int, default=18)
    lv = sub.add_parser("leave")
    lv.add_argument("src")
    lv.add_argument("group")
    lv.add_argument("--times", type=int, default=1)
    lv.add_argument("--gap", type=float, default=0.05)
    q = sub.add_parser("queries")
    q.add_argument("secs", type=float)
    args = ap.parse_args(argv[1:])
    return {"flood": flood, "leave": leave, "queries": queries}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
