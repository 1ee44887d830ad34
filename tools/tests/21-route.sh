#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A unicast route change toward a source moves its MFE
# (Documentation/mgm.rst, "Route changes"): the same source 10.0.20.2 sits
# behind two upstream links of the router (this namespace, mgm loaded), each
# in a network namespace of its own that sends the same multicast stream;
# the router's route toward it decides which link's packets are forwarded.
# `ip route replace` moves that route: the MFE's incoming interface follows
# at once (the owner of the new one is asked the RPF question, then told of
# the MFE), ipmr forwards from the new link, and the old one is dropped.
# The route removed: the MFE becomes a negative one without incoming
# interface; back: forwarding again.
#
#   up1 host 10.0.20.2 (10.0.21.2) ---- ru1 10.0.21.1          A (200)
#   up2 host 10.0.20.2 (10.0.22.2) ---- ru2 10.0.22.1  router  B (201)
#   rcv host 10.0.23.2             ---- rd  10.0.23.1          C (202)
#
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=route
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
NS=(mgm21-up1 mgm21-up2 mgm21-rcv)
SRC=10.0.20.2
G=239.21.0.1
PORT=5021
declare -A sender

# undone at exit (lib.sh)
t_netns "${NS[@]}"
t_links ru1 ru2 rd

# send N: the host behind link N sends to G until stop_send N.
send() {
	ip netns exec "${NS[$1 - 1]}" "${MCAST[@]}" send "$G" "$PORT" "$SRC" \
		>/dev/null 2>&1 &
	sender[$1]=$!
	bg_pids+=("$!")
}

stop_send() {
	kill -TERM "${sender[$1]}" 2>/dev/null
	wait "${sender[$1]}" 2>/dev/null
}

# rx: datagrams the receiver got so far.
rx() {
	grep -c "^$SRC " "$tmp/rcv.rx"
}

# flowing: the receiver gets 5 more datagrams within 10 s.
flowing() {
	local n0 i

	n0=$(rx)
	for ((i = 0; i < 100; i++)); do
		[ "$(rx)" -ge $((n0 + 5)) ] && return 0
		sleep 0.1
	done
	echo "the receiver got $n0 datagrams, none more in 10 s"
	return 1
}

# silent: the receiver gets nothing for 2 s (while a sender sends 40).
silent() {
	local n0 n1

	sleep 0.5
	n0=$(rx)
	sleep 2
	n1=$(rx)
	[ "$n0" -eq "$n1" ] && return 0
	echo "the receiver got $((n1 - n0)) datagrams in 2 s"
	return 1
}

# mfe_iif IFINDEX: waits (5 s at most) until MGM's MFE of (SRC, G) enters
# by IFINDEX, and sets $mfe to its get-mfe line.
mfe_iif() {
	local i out

	for ((i = 0; i < 50; i++)); do
		out=$("$CLIENT" mfe "$SRC" "$G" 2>&1)
		mfe=$(grep '^get-mfe ' <<<"$out")
		grep -q " iif=$1 " <<<"$mfe" && break
		sleep 0.1
	done
	show <<<"$mfe"
	grep -q " iif=$1 " <<<"$mfe"
}

# mroute_iif DEV: `ip mroute show` has the (S,G) from DEV to rd.
mroute_iif() {
	local out

	out=$(ip mroute show)
	show <<<"$out"
	sed 's/, /,/' <<<"$out" | grep -F "($SRC,$G)" |
		grep -Eq "Iif: $1 .*Oifs: rd"
}

if [ ! -x "$CLIENT" ]; then
	t_fail "$TEST: $CLIENT is built"
	exit 1
fi
if ! insmod "$MGM_KO" reply_timeout_ms=1000; then
	t_fail "$TEST: insmod $MGM_KO reply_timeout_ms=1000"
	exit 1
fi

# ---- the network ------------------------------------------------------------
# Each upstream host has the source address besides its link's; the
# receiver's host has a default route to the router.
setup_net() {
	local i n l=(ru1 ru2 rd) h=(s1 s2 h0)

	for i in 0 1 2; do
		n=${NS[i]}
		ip netns add "$n" &&
		ip netns exec "$n" ip link set lo up &&
		ip link add "${l[i]}" type veth peer name "${h[i]}" netns "$n" &&
		ip addr add "10.0.2$((i + 1)).1/24" dev "${l[i]}" &&
		ip link set "${l[i]}" up &&
		ip netns exec "$n" ip addr add "10.0.2$((i + 1)).2/24" dev "${h[i]}" &&
		ip netns exec "$n" ip link set "${h[i]}" up || return 1
	done
	for i in 0 1; do
		ip netns exec "${NS[i]}" ip addr add "$SRC/32" dev "${h[i]}" ||
			return 1
	done
	ip netns exec "${NS[2]}" ip route add default via 10.0.23.1
}
if setup_net; then
	t_ok "$TEST: two upstream hosts with the same source, a receiver"
else
	t_fail "$TEST: two upstream hosts with the same source, a receiver"
	exit 1
fi
t_check "$TEST: the route toward the source goes through ru1" \
	ip route add "$SRC/32" via 10.0.21.2 dev ru1
R1=$(</sys/class/net/ru1/ifindex)
R2=$(</sys/class/net/ru2/ifindex)

client A 'register 200 1' 'take $H ru1' 'answer rpf'
client B 'register 201 1' 'take $H ru2' 'answer rpf'
client C 'register 202 1' 'take $H rd' 'answer creation accept' \
	"add \$H * $G rd"
client M 'monitor 0'
if step "setup"; then
	t_ok "$TEST: three protocols and a monitor"
else
	t_fail "$TEST: three protocols and a monitor"
	exit 1
fi
HA=$(handle A) HB=$(handle B)

ip netns exec "${NS[2]}" "${MCAST[@]}" recv "$G" "$PORT" 10.0.23.2 \
	>"$tmp/rcv.rx" 2>&1 &
bg_pids+=("$!")
wait_lines "$tmp/rcv.rx" '^ready$' 1

# ---- through ru1 ------------------------------------------------------------
send 1
send 2
t_check "$TEST: forwarded from ru1" flowing
t_check "$TEST: the MFE enters by ru1" mfe_iif "$R1"
t_check "$TEST: ip mroute show: from ru1 to rd" mroute_iif ru1
stop_send 1
t_check "$TEST: what arrives on ru2 is not forwarded" silent
step "through ru1"

# ---- the route moves to ru2 -------------------------------------------------
t_check "$TEST: ip route replace: the route goes through ru2" \
	ip route replace "$SRC/32" via 10.0.22.2 dev ru2
t_check "$TEST: the MFE follows the route: it enters by ru2" mfe_iif "$R2"
if grep -Eq " upstream=10\.0\.22\.2 .* oif=[0-9]+/" <<<"$mfe"; then
	t_ok "$TEST: its upstream is ru2's neighbour; it still forwards to rd"
else
	t_fail "$TEST: its upstream is ru2's neighbour; it still forwards to rd"
fi
t_check "$TEST: forwarded from ru2" flowing
t_check "$TEST: ip mroute show: from ru2 to rd" mroute_iif ru2
step "the route moves to ru2"
has_line B "ru2's owner got the rpf question" \
	"notify rpf handle=$HB cookie=[0-9]+ source=$SRC group=$G iif=$R2 iif-nexthop=0\.0\.0\.0 upstream=10\.0\.22\.2 .*"
has_line B "then the join alert of the MFE (member-update absent)" \
	"notify join-alert handle=$HB source=$SRC source-mask=255\.255\.255\.255 group=$G group-mask=255\.255\.255\.255"
expect A ""
has_line M "the monitor saw mfe-change" \
	"event mfe-change source=$SRC group=$G upstream=10\.0\.22\.2 iif=$R2 .*"

# ---- the route goes, and comes back through ru1 -----------------------------
send 1
t_check "$TEST: ip route del: no route toward the source" \
	ip route del "$SRC/32"
t_check "$TEST: the MFE is negative, without incoming interface" mfe_iif 0
if ! grep -q " oif=" <<<"$mfe"; then
	t_ok "$TEST: it has no outgoing interface"
else
	t_fail "$TEST: it has no outgoing interface"
fi
t_check "$TEST: nothing is forwarded without a route" silent
t_check "$TEST: the route comes back through ru1" \
	ip route add "$SRC/32" via 10.0.21.2 dev ru1
t_check "$TEST: the MFE enters by ru1 again" mfe_iif "$R1"
t_check "$TEST: forwarded from ru1 again" flowing
step "the route goes and comes back"
has_line A "ru1's owner got the rpf question" \
	"notify rpf handle=$HA cookie=[0-9]+ source=$SRC group=$G iif=$R1 .*"
has_line M "the monitor saw the negative MFE go and a new one come" \
	"event mfe-new source=$SRC group=$G upstream=10\.0\.21\.2 iif=$R1 .*"
stop_send 1
stop_send 2

# ---- a wider route, and a narrower one inside it ----------------------------
# A change concerns the sources under its prefix, and those only: beside
# the MFE's route, SRC/32, a /24 through ru2 changes nothing; the /32
# deleted leaves the /24; a /30 added inside the /24 is the route again.
t_check "$TEST: 10.0.20.0/24 through ru2, beside the /32" \
	ip route add 10.0.20.0/24 via 10.0.22.2 dev ru2
sleep 0.5
t_check "$TEST: the MFE stays on ru1: the /32 is more specific" mfe_iif "$R1"
t_check "$TEST: the /32 deleted: the /24 is the route" ip route del "$SRC/32"
t_check "$TEST: the MFE enters by ru2 (the /24's)" mfe_iif "$R2"
t_check "$TEST: 10.0.20.0/30 through ru1 added inside the /24" \
	ip route add 10.0.20.0/30 via 10.0.21.2 dev ru1
t_check "$TEST: the MFE enters by ru1 (the /30's)" mfe_iif "$R1"
step "a wider route and a narrower one"

t_check "$TEST: rmmod mgm" rmmod mgm
