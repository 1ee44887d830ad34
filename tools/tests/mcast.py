#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Multicast traffic and ipmr probes for the integration tests (20-ipmr.sh).

  mcast.py send GROUP PORT IFADDR [INTERVAL [TTL]]
      one UDP datagram "SEQ" to GROUP:PORT every INTERVAL seconds (default
      0.05) out of the interface with address IFADDR, TTL (default 8), until
      SIGTERM; prints "ready" first and "sent N" (datagrams) at the end
  mcast.py recv GROUP PORT IFADDR [SOURCE]
      joins GROUP on the interface with address IFADDR (from SOURCE only,
      if given: IGMPv3 INCLUDE mode), prints "ready", then "SOURCE SEQ"
      for each datagram that arrives on GROUP:PORT, until killed
  mcast.py mrt-init [TABLE]
      a raw IGMP socket asks for ipmr's table (MRT_TABLE if TABLE is given,
      then MRT_INIT) and prints "ok", or "error ENAME" with the errno's name;
      then it closes the socket (and gives the table back)
  mcast.py mrt-hold SECS [TABLE]
      as mrt-init, and keeps the table for SECS seconds (or until killed)

Output is line buffered: the shell reads it while the process runs.
"""
import errno
import signal
import socket
import struct
import sys
import time

MRT_INIT = 200      # linux/mroute.h: MRT_BASE
IP_ADD_SOURCE_MEMBERSHIP = 39   # linux/in.h (python has no name for it)
MRT_TABLE = 209     # MRT_BASE + 9


def send(group, port, ifaddr, interval=0.05, ttl=8):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(ifaddr))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    s.bind((ifaddr, 0))
    print("ready", flush=True)
    seq = 0
    try:
        while True:
            try:
                s.sendto(b"%d" % (seq + 1), (group, port))
                seq += 1
            except OSError:
                pass    # e.g. ENOBUFS while the link goes away
            time.sleep(interval)
    finally:
        print("sent", seq, flush=True)


def sigterm(signum, frame):
    sys.exit(0)


def recv(group, port, ifaddr, source=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((group, port))
    if source:
        # struct ip_mreq_source: group, interface, source
        mreq = (socket.inet_aton(group) + socket.inet_aton(ifaddr) +
                socket.inet_aton(source))
        s.setsockopt(socket.IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, mreq)
    else:
        mreq = socket.inet_aton(group) + socket.inet_aton(ifaddr)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    print("ready", flush=True)
    while True:
        data, (src, _) = s.recvfrom(2048)
        print(src, data.decode(errors="replace"), flush=True)


def mrt_init(table=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    try:
        if table is not None:
            s.setsockopt(socket.IPPROTO_IP, MRT_TABLE,
                         struct.pack("I", table))
        s.setsockopt(socket.IPPROTO_IP, MRT_INIT, 1)
    except OSError as e:
        print("error", errno.errorcode.get(e.errno, str(e.errno)), flush=True)
        s.close()
        return None
    print("ok", flush=True)
    return s


def main(argv):
    signal.signal(signal.SIGTERM, sigterm)
    if len(argv) >= 5 and argv[1] == "send":
        extra = [float(argv[5])] if len(argv) > 5 else []
        if len(argv) > 6:
            extra.append(int(argv[6]))
        send(argv[2], int(argv[3]), argv[4], *extra)
    elif len(argv) in (5, 6) and argv[1] == "recv":
        recv(argv[2], int(argv[3]), argv[4], *argv[5:])
    elif len(argv) in (2, 3) and argv[1] == "mrt-init":
        s = mrt_init(int(argv[2]) if len(argv) == 3 else None)
        if s:
            s.close()
    elif len(argv) in (3, 4) and argv[1] == "mrt-hold":
        s = mrt_init(int(argv[3]) if len(argv) == 4 else None)
        if s:
            time.sleep(float(argv[2]))
            s.close()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(130)
