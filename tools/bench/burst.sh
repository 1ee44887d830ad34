#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tools/bench/burst.sh N OWNER...
#
# A burst of new flows with real packets, through the router (this netns):
# a host sends the first datagram of N new (S,G) (one source, N groups; or
# with MGM_BURST_KIND=sources N sources, one group) at once, and a host
# downstream counts what arrives.  The same burst for each
# OWNER in turn, in the same boot, so that the figures compare like with
# like:
#   anchor    today's way: tools/bench/mroute-anchor owns ipmr's table and
#             answers each report with MRT_ADD_MFC
#   asked     MGM, a userspace protocol (mgm-client) that owns both
#             interfaces, joins (*,*) downstream and answers each rpf and
#             creation question at once (several replies to a sendmsg,
#             acked only when they fail)
#   standing  the same protocol with standing answers (set-answers):
#             MGM asks nothing
#   kernel    MGM, an in-kernel protocol (bench/mgm_owner.c) answering
#             from its callbacks
#   deaf      MGM, a userspace protocol whose socket has room for almost
#             nothing and that reads nothing: its questions are lost on the
#             way, and MGM must take the defaults at once, not after
#             reply_timeout_ms
# One line per OWNER:
#   burst OWNER N got=R setup_ms=T flows_per_s=F p50_ms=X p99_ms=Y
#         sock_drops=S mfes=M answers=A late=L backlog_drops=D vif_out=O
#         link_drops=K overruns=Q
# R: first datagrams that reached the downstream link (an AF_PACKET socket
# there, so that no host socket's buffer is measured); T: from the first
# datagram sent to the last one forwarded; X, Y: each datagram's delay
# from its sending to its arrival downstream (kernel timestamps); S: what
# that AF_PACKET socket itself dropped; M: ipmr
# entries of the burst in on the upstream VIF, out on the downstream one,
# with their datagram counted; A, L: the answers the userspace protocol
# sent, and those refused as late (0 for the others); D: packets the
# system dropped meanwhile for a full input backlog (softnet_stat, all
# CPUs and namespaces: the hosts' and the router's alike); O: what ipmr
# sent out of bd0; K: drops of the veth pair downstream; Q: questions MGM
# could not deliver (question_overruns).
#
# Environment: MGM_KO (mgm.ko; mgm_owner.ko lies next to it; loaded here
# when not loaded yet, and then unloaded), MGM_TOOLS (the built tools:
# mgm-client, mgmctl, bench/mroute-anchor, bench/burst-send).  At most
# 65536 flows.  MGM_BURST_KIND: groups (default) or sources.
# MGM_BURST_DELAYS=PATH: each owner's first-packet delays (ms, sorted, one
# a line) in PATH-OWNER.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016
set -euo pipefail

n=${1:?usage: $0 N OWNER...}
shift
kind=${MGM_BURST_KIND:-groups}
repo=$(cd "$(dirname "$0")/../.." && pwd)
# veth_host
# shellcheck source=tools/tests/lib.sh
. "$repo/tools/tests/lib.sh"
ko=${MGM_KO:-$repo/mgm.ko}
owner_ko=$(dirname "$ko")/mgm_owner.ko
tools=${MGM_TOOLS:-$repo/tools}
SRC=10.0.41.2
SRC_NS=mgmburst-src
RCV_NS=mgmburst-rcv
owner_ctl=/sys/kernel/debug/mgm_owner/ctl
tmp=$(mktemp -d)
loaded=()
pids=()

die() { echo "mgm-burst: FAILED: $*" >&2; exit 1; }

cleanup() {
	local m

	kill -KILL "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	ip netns del "$SRC_NS" 2>/dev/null || true
	ip netns del "$RCV_NS" 2>/dev/null || true
	ip link del bu0 2>/dev/null || true
	ip link del bd0 2>/dev/null || true
	for m in "${loaded[@]}"; do
		rmmod "$m" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$n" -lt 1 ] || [ "$n" -gt 65536 ]; then
	die "N is 1 to 65536"
fi

# wait_for FILE REGEX: until a line of FILE matches (30 s at most).
wait_for() {
	local i

	for ((i = 0; i < 300; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	die "no '$2' in $1: $(tail -n 3 "$1" 2>/dev/null)"
}

# receiver: counts the burst's datagrams on the downstream link until all
# N came, or 3 s passed without one (60 s without any); prints the figures.
receiver() {
	ip netns exec "$RCV_NS" python3 - "$n" "$tmp/delays" >"$tmp/rcv.out" 2>&1 <<'EOF' &
import select, socket, struct, sys, time
n = int(sys.argv[1])
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.bind(("br0", 0))
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)       # SO_RCVBUFFORCE
SO_TIMESTAMPNS = 35
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
print("ready", flush=True)
delay, sent, arrived = {}, [], []
start = last = time.time()
while len(delay) < n:
    if not select.select([s], [], [], 0.2)[0]:
        if time.time() - last > (3 if delay else 60):
            break
        continue
    last = time.time()
    data, anc, _, _ = s.recvmsg(256, 256)
    ihl = (data[0] & 15) * 4
    if len(data) < ihl + 8 or data[9] != 17 or \
       struct.unpack("!H", data[ihl + 2:ihl + 4])[0] != 5066:
        continue
    i, t = (int(x) for x in data[ihl + 8:].split(b" "))
    ts = [struct.unpack("qq", d[:16]) for l, k, d in anc
          if l == socket.SOL_SOCKET and k == SO_TIMESTAMPNS]
    if i in delay or not ts:
        continue
    at = ts[0][0] * 1000000000 + ts[0][1]
    delay[i] = at - t
    sent.append(t)
    arrived.append(at)
d = sorted(delay.values())
pct = lambda p: d[min(len(d) - 1, len(d) * p // 100)] / 1e6 if d else 0
with open(sys.argv[2], "w") as f:                   # for the plot
    f.writelines("%.3f\n" % (x / 1e6) for x in d)
setup = (max(arrived) - min(sent)) / 1e6 if d else 0
_, sock_drops = struct.unpack("II", s.getsockopt(263, 6, 8))  # PACKET_STATISTICS
print("got=%d setup_ms=%d flows_per_s=%d p50_ms=%.1f p99_ms=%.1f sock_drops=%d" %
      (len(d), setup, len(d) * 1000 / setup if setup else 0, pct(50), pct(99),
       sock_drops))
EOF
	pids+=($!)
	wait_for "$tmp/rcv.out" '^ready$'
}

# burst PREFIX: the first datagram to each of the N groups PREFIX.x.y, at
# once (tools/bench/burst-send), each saying its number and when it was
# sent; for sources, from each of the N sources 10.B.x.y (PREFIX A.B) to
# PREFIX.0.1, whose route (toward the sender) the router learns first.
burst() {
	if [ "$kind" = sources ]; then
		ip route replace "$(src_net "$1")" via "$SRC" dev bu0
		ip netns exec "$SRC_NS" "$tools/bench/burst-send" "$1" "$n" 5066 \
			"$(src_net "$1" | cut -d. -f1,2)"
	else
		ip netns exec "$SRC_NS" "$tools/bench/burst-send" "$1" "$n" 5066
	fi
}

# src_net PREFIX: the sources of a burst of distinct sources, 10.B.0.0/16
# for PREFIX A.B.
src_net() {
	echo "10.${1#*.}.0.0/16"
}

# mfes PREFIX: ipmr's entries of the burst (groups PREFIX.* from SRC, or
# sources 10.B.* to PREFIX.0.1), in on bu0's VIF, out on bd0's, that
# forwarded their datagram (whoever owns the table).
mfes() {
	python3 - "$1" "$SRC" "$kind" <<'EOF'
import socket, struct, sys
prefix, src, kind = sys.argv[1] + ".", sys.argv[2], sys.argv[3]
srcs = "10." + sys.argv[1].split(".")[1] + "."
vif = {}
for line in open("/proc/net/ip_mr_vif").readlines()[1:]:
    f = line.split()
    vif[f[1]] = f[0]
ok = 0
for line in open("/proc/net/ip_mr_cache").readlines()[1:]:
    f = line.split()
    addr = lambda h: socket.inet_ntoa(struct.pack("=I", int(h, 16)))
    oifs = [o.split(":")[0] for o in f[6:]]
    if kind == "sources":
        ours = addr(f[0]) == prefix + "0.1" and addr(f[1]).startswith(srcs)
    else:
        ours = addr(f[0]).startswith(prefix) and addr(f[1]) == src
    if ours and f[2] == vif.get("bu0") and int(f[3]) >= 1 and \
       vif.get("bd0") in oifs:
        ok += 1
print(ok)
EOF
}

# backlog_drops: packets dropped so far for a full backlog, all CPUs.
backlog_drops() {
	local _processed dropped rest sum=0

	while read -r _processed dropped rest; do
		sum=$((sum + 16#$dropped))
	done </proc/net/softnet_stat
	echo $sum
}

# overruns: MGM's question_overruns so far (0 while mgm is not loaded).
overruns() {
	{ "$tools/mgmctl/mgmctl" -j limits show 2>/dev/null || true; } |
		python3 -c 'import json, sys
try:
    print(json.load(sys.stdin)["counters"]["question_overruns"])
except ValueError:
    print(0)'
}

# released: until the table has no VIF of bu0 or bd0 any more, so that the
# next owner can take them (MGM cleans up after a closed socket in its
# own time).
released() {
	local i

	for ((i = 0; i < 300; i++)); do
		grep -Eq ' b[ud]0 ' /proc/net/ip_mr_vif || return 0
		sleep 0.1
	done
	die "the VIFs of bu0 and bd0 stayed"
}

# client_start [set-answers|deaf]: the userspace protocol, ready to answer
# (or, deaf, to read nothing).
client_start() {
	mkfifo "$tmp/client.in"
	"$tools/mgm-client" run <"$tmp/client.in" >"$tmp/client.out" 2>&1 &
	pids+=($!)
	client_pid=$!
	exec {client_fd}>"$tmp/client.in"
	# as much room for questions as MGM's socket has for ipmr's reports
	if [ "${1:-}" = deaf ]; then
		printf '%s\n' 'rcvbuf 1' 'register 200 1' 'take $H bu0' \
			'take $H bd0' 'add $H * * bd0' 'echo ready' 'sleep 3600' \
			>&"$client_fd"
	else
		printf '%s\n' 'rcvbuf 8388608' 'register 200 1' 'take $H bu0' \
			'take $H bd0' 'answer rpf' 'answer creation accept' \
			'answer acks off' 'add $H * * bd0' >&"$client_fd"
		[ "${1:-}" ] && echo 'send set-answers handle=$H answers=7' >&"$client_fd"
		echo 'echo ready' >&"$client_fd"
	fi
	wait_for "$tmp/client.out" '^ready$'
	grep -q '^error' "$tmp/client.out" && die "mgm-client: $(grep '^error' "$tmp/client.out")"
	return 0
}

# client_stop [deaf]: how many answers it sent, in $answers; then its
# socket closes, MGM cleans up after it.
client_stop() {
	if [ "${1:-}" = deaf ]; then
		kill -TERM "$client_pid"
		wait "$client_pid" || true
		exec {client_fd}>&-
		rm -f "$tmp/client.in"
		return 0
	fi
	echo answered >&"$client_fd"
	wait_for "$tmp/client.out" '^answered count='
	answers=$(sed -n 's/^answered count=//p' "$tmp/client.out")
	exec {client_fd}>&-
	wait "$client_pid" || die "mgm-client: $(tail -n 2 "$tmp/client.out")"
	rm -f "$tmp/client.in"
}

veth_host "$SRC_NS" bu0 bs0 10.0.41
veth_host "$RCV_NS" bd0 br0 10.0.42
if [ ! -d /sys/module/mgm ]; then
	insmod "$ko"
	loaded=(mgm "${loaded[@]}")
fi

prefix=80
for owner in "$@"; do
	prefix=$((prefix + 1))
	answers=0
	late=0
	case $owner in
	anchor)
		mkfifo "$tmp/anchor.in"
		"$tools/bench/mroute-anchor" bu0 bd0 <"$tmp/anchor.in" \
			>"$tmp/anchor.out" 2>&1 &
		pids+=($!)
		anchor_pid=$!
		exec {anchor_fd}>"$tmp/anchor.in"
		wait_for "$tmp/anchor.out" '^ready$'
		;;
	asked) client_start ;;
	standing) client_start set-answers ;;
	deaf) client_start deaf ;;
	kernel)
		if [ ! -d /sys/module/mgm_owner ]; then
			insmod "$owner_ko"
			loaded=(mgm_owner "${loaded[@]}")
		fi
		echo "start bu0 bd0" >"$owner_ctl"
		;;
	*) die "unknown owner $owner" ;;
	esac

	receiver
	drops0=$(backlog_drops)
	overruns0=$(overruns)
	link0=$(($(cat /sys/class/net/bd0/statistics/tx_dropped) +
		$(ip netns exec "$RCV_NS" cat /sys/class/net/br0/statistics/rx_dropped)))
	burst "239.$prefix"
	wait "${pids[-1]}" || true
	figures=$(tail -n 1 "$tmp/rcv.out")
	vif_out=$(awk '$2 == "bd0" { print $6 }' /proc/net/ip_mr_vif)
	link_drops=$(($(cat /sys/class/net/bd0/statistics/tx_dropped) +
		$(ip netns exec "$RCV_NS" cat /sys/class/net/br0/statistics/rx_dropped) - link0))
	drops=$(($(backlog_drops) - drops0))
	lost_questions=$(($(overruns) - overruns0))
	m=$(mfes "239.$prefix")

	case $owner in
	anchor)
		exec {anchor_fd}>&-
		wait "$anchor_pid"
		rm -f "$tmp/anchor.in"
		;;
	asked | standing)
		client_stop
		late=$(grep -c '^error [a-z]*-reply ' "$tmp/client.out" || true)
		;;
	deaf) client_stop deaf ;;
	kernel) echo stop >"$owner_ctl" ;;
	esac
	if [ "$kind" = sources ]; then
		ip route del "$(src_net "239.$prefix")"
	fi
	released
	echo "burst $owner $n $figures mfes=$m answers=$answers late=$late backlog_drops=$drops vif_out=$vif_out link_drops=$link_drops overruns=$lost_questions"
	if [ -n "${MGM_BURST_DELAYS:-}" ]; then
		cp "$tmp/delays" "$MGM_BURST_DELAYS-$owner"
	fi
done
