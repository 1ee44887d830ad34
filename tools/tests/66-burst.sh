#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A burst of new flows: a host sends the first datagram of 500 new (S,G)
# (one source, 500 groups) at once through the router, whose downstream
# host has joined all of them.  The owner of both interfaces is a
# userspace protocol (mgm-client) that answers every question at once,
# first asked each time, then with standing answers (set-answers: nothing
# asked).  Every first datagram must reach the receiver, every MFE forward
# to it, and every answer be taken within its deadline; how long the setup
# took is printed, not judged.
#
#   src host 10.0.41.2 bs0 ---- bu0 10.0.41.1          U (200): bu0, bd0,
#   rcv host 10.0.42.2 br0 ---- bd0 10.0.42.1 router   (*,*) on bd0
#
# The receiver's socket has room for the whole burst (SO_RCVBUFFORCE):
# with the default 208 KiB, a burst of this size overflows it on UML's
# one CPU even through MFEs that exist already (UDP RcvbufErrors), which
# says nothing about mgm.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=burst
N=500
SRC=10.0.41.2
SRC_NS=mgm66-src
RCV_NS=mgm66-rcv
rcv_pid=

cleanup() {
	kill -KILL $rcv_pid 2>/dev/null
	netlink_cleanup
	ip netns del "$SRC_NS" 2>/dev/null
	ip netns del "$RCV_NS" 2>/dev/null
	ip link del bu0 2>/dev/null
	ip link del bd0 2>/dev/null
}
trap cleanup EXIT

# receiver PREFIX: joins PREFIX.0.0 .. (N groups) and counts what arrives
# until 3 s pass without a datagram: "got N" in $tmp/rcv.out.
receiver() {
	ip netns exec "$RCV_NS" python3 - "$1" "$N" >"$tmp/rcv.out" 2>&1 <<'EOF' &
import select, socket, sys, time
prefix, n = sys.argv[1], int(sys.argv[2])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)       # SO_RCVBUFFORCE
u.bind(("0.0.0.0", 5066))
for i in range(n):
    g = "%s.%d.%d" % (prefix, i >> 8, i & 255)
    u.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(g) + socket.inet_aton("10.0.42.2"))
print("ready", flush=True)
got = set()
last = None
while last is None or time.time() - last < 3:
    if select.select([u], [], [], 0.5)[0]:
        got.add(u.recv(64))         # each group's datagram says its number
        last = time.time()
print("got", len(got), flush=True)
EOF
	rcv_pid=$!
	wait_lines "$tmp/rcv.out" '^ready$' 1 30
}

# burst PREFIX: the first datagram to each of the N groups, at once
burst() {
	ip netns exec "$SRC_NS" python3 - "$1" "$N" <<'EOF'
import socket, sys
prefix, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.SOL_SOCKET, 32, 8 << 20)       # SO_SNDBUFFORCE
for i in range(n):
    g = "%s.%d.%d" % (prefix, i >> 8, i & 255)
    while True:
        try:
            s.sendto(b"%d" % i, (g, 5066))
            break
        except OSError:
            pass
EOF
}

# run WHAT PREFIX: a burst to PREFIX.*, checked
run() {
	local what=$1 prefix=$2 t0 t1 i c ok

	receiver "$prefix"
	t0=$(date +%s%N)
	burst "$prefix"
	for ((i = 0; i < 300; i++)); do
		c=$("$CLIENT" mfes stats | grep -c "^get-mfe source=$SRC .*group=${prefix//./\\.}\\.")
		[ "$c" -ge $N ] && break
		sleep 0.05
	done
	t1=$(date +%s%N)
	echo "  | $what: $c MFEs $(((t1 - t0) / 1000000)) ms after the burst began"
	wait $rcv_pid
	rcv_pid=
	show <"$tmp/rcv.out"
	if grep -q "^got $N\$" "$tmp/rcv.out"; then
		t_ok "$TEST: $what: all $N first datagrams reached the receiver"
	else
		t_fail "$TEST: $what: all $N first datagrams reached the receiver"
		ip netns exec "$RCV_NS" grep Udp: /proc/net/snmp | show
	fi
	ok=$("$CLIENT" mfes stats | grep -c "^get-mfe source=$SRC .*group=${prefix//./\\.}\\..* iif=$BU0 .* oif=$BD0/0\\.0\\.0\\.0 pkts=1 ")
	if [ "$ok" -eq $N ]; then
		t_ok "$TEST: $what: $N MFEs from bu0 to bd0, each forwarded its datagram"
	else
		t_fail "$TEST: $what: $N MFEs from bu0 to bd0, each forwarded its datagram ($ok)"
	fi
}

if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi
veth_host "$SRC_NS" bu0 bs0 10.0.41
veth_host "$RCV_NS" bd0 br0 10.0.42
# the receiver host joins 500 groups on one socket
ip netns exec "$RCV_NS" sysctl -qw net.ipv4.igmp_max_memberships=$((2 * N))
BU0=$(</sys/class/net/bu0/ifindex)
BD0=$(</sys/class/net/bd0/ifindex)

client U 'register 200 1' 'take $H bu0' 'take $H bd0' 'answer rpf' \
	'answer creation accept' 'add $H * * bd0'
if ! step "setup"; then
	t_fail "$TEST: a protocol owns both interfaces"
	exit 1
fi
run "asked" 239.71
# The client answers each question at once, several replies to a sendmsg:
# every one is taken, none arrives past its deadline (MGM queues nothing
# that makes it late).
n_rpf=$(grep -c '^ok rpf-reply$' "$tmp/U.out")
n_cre=$(grep -c '^ok creation-reply$' "$tmp/U.out")
if [ "$n_rpf" -eq $N ] && [ "$n_cre" -eq $N ] && ! grep -q '^error ' "$tmp/U.out"; then
	t_ok "$TEST: asked: $N rpf and $N creation answers taken, none late"
else
	t_fail "$TEST: asked: $N rpf and $N creation answers taken, none late ($n_rpf, $n_cre)"
	grep '^error ' "$tmp/U.out" | head -3 | show
fi
say U 'send set-answers handle=$H answers=7'
step "standing answers"
has_line U "set-answers is taken" "ok set-answers"
run "standing answers" 239.72
stop U
t_check "$TEST: rmmod mgm" rmmod mgm
