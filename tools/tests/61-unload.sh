#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unloading, and network namespaces going away, while MGM has live state:
# protocols registered over netlink, interfaces owned (with IGMP on them and
# a next hop), memberships (when the module has them), forwarding entries
# made by real multicast traffic that keeps flowing.
#
#   src netns  10.61.1.2 s61 ---- u61 10.61.1.1   router: this netns
#   rcv netns  10.61.2.2 h61 ---- d61 10.61.2.1   (owners: A on u61 and n61,
#                                 n61 (dummy)      IGMP on d61)
#
# 1. rmmod with all of that live: it works, the family and the forwarding
#    entries go, the clients live on, a new instance starts empty.
# 2. a netns with the same kind of state inside is deleted while its
#    clients are killed: it is dismantled (its veth peer here goes away).
# 3. the same, with rmmod racing the netns's dismantling.
# 4. the in-kernel IGMP router taking a flood of reports: rmmod, and a
#    netns with it deleted, rmmod racing.
# The harness's log check (KASAN, lockdep, ODEBUG, refcount warnings) and
# its kmemleak scans after this test make "clean" mean clean.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
set -euo pipefail

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"

DO=("${PY[@]}" "$PYNL/mgm-do.py")
PKT=("${PY[@]}" "$MGM_REPO/tools/tests/igmppkt.py")
MGMCTL=${MGM_TOOLS:-$MGM_REPO/tools}/mgmctl/mgmctl
GROUP=239.61.1.1
bg_pids=()

# undone at exit (lib.sh)
t_netns mgm61-src mgm61-rcv mgm61-x mgm61-y mgm61-z
t_links u61 d61 n61 vx61 vy61 vz61

# bg NAME CMD...: CMD in the background, output in $tmp/NAME.out.
bg() {
	local name=$1

	shift
	"$@" >"$tmp/$name.out" 2>&1 &
	bg_pids+=($!)
	pid=$!
}

# sender NETNS SRC: sends UDP datagrams to $GROUP from SRC every 20 ms.
sender() {
	bg "send-$1" ip netns exec "$1" "${PY[@]}" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton(sys.argv[1]))
while True:
    s.sendto(b"mgm61", (sys.argv[2], 5061))
    time.sleep(0.02)' "$2" "$GROUP"
}

# link NETNS HERE THERE HERE-ADDR THERE-ADDR: a veth pair, THERE in NETNS.
link() {
	ip link add "$2" type veth peer name "$3" netns "$1"
	ip addr add "$4/24" dev "$2"
	ip link set "$2" up
	ip -n "$1" addr add "$5/24" dev "$3"
	ip -n "$1" link set "$3" up
	ip -n "$1" link set lo up
}

# wait_mroute NAME [IP-ARGS]: waits (20 s at most) for the forwarder of
# the netns to hold an entry for $GROUP, as `ip mroute` shows it.
wait_mroute() {
	local i

	for ((i = 0; i < 200; i++)); do
		if grep -q "$GROUP" <<<"$(ip "${@:2}" mroute show 2>&1)"; then
			t_ok "$1"
			return 0
		fi
		sleep 0.1
	done
	t_fail "$1"
	ip "${@:2}" mroute show 2>&1 | sed 's/^/  | /' || true
	return 1
}

# wait_gone NAME DEV: waits (30 s at most) for DEV to vanish from here.
wait_gone() {
	local i

	for ((i = 0; i < 300; i++)); do
		if [ ! -e "/sys/class/net/$2" ]; then
			t_ok "$1"
			return 0
		fi
		sleep 0.1
	done
	t_fail "$1"
	return 1
}

# routing/igmp clients: a protocol on the upstream link and a next hop, and
# IGMP with receivers of $GROUP on the downstream link.
routing_steps() {
	echo "H=register protocol-id=200 component-id=1"
	echo "take-interface handle=\$H ifindex=$1"
	echo "take-interface handle=\$H ifindex=$2 nexthop=10.61.9.9"
	echo "echo ready"
	echo "hold"
}
igmp_steps() {
	echo "G=register protocol-id=10 component-id=1"
	echo "take-interface handle=\$G ifindex=$1"
	echo "skip-missing add-membership handle=\$G ifindex=$1 source=0.0.0.0" \
		"source-mask=0.0.0.0 group=$GROUP group-mask=255.255.255.255 flags=3"
	echo "echo ready"
	echo "hold"
}

# clients NAME NETNS UP NH DOWN: both clients, in NETNS ("" for here).
clients() {
	local nsexec=()
	local -a steps

	[ -n "$2" ] && nsexec=(ip netns exec "$2")
	mapfile -t steps < <(routing_steps "$3" "$4")
	bg "$1-routing" "${nsexec[@]}" "${DO[@]}" "${steps[@]}"
	routing_pid=$pid
	mapfile -t steps < <(igmp_steps "$5")
	bg "$1-igmp" "${nsexec[@]}" "${DO[@]}" "${steps[@]}"
	igmp_pid=$pid
	wait_file "$tmp/$1-routing.out" '^ready$' &&
		wait_file "$tmp/$1-igmp.out" '^ready$'
}

if ! insmod "$MGM_KO"; then
	t_fail "unload: insmod $MGM_KO"
	exit 1
fi

# ---- 1. rmmod with everything live ----------------------------------------
ip netns add mgm61-src
ip netns add mgm61-rcv
link mgm61-src u61 s61 10.61.1.1 10.61.1.2
link mgm61-rcv d61 h61 10.61.2.1 10.61.2.2
ip link add n61 type dummy
ip link set n61 up

if ! clients live "" u61 n61 d61; then
	t_fail "unload: clients holding state"
	exit 1
fi
bg monitor "${DO[@]}" --monitor "echo ready" hold
wait_file "$tmp/monitor.out" '^ready$'
sender mgm61-src 10.61.1.2
wait_mroute "unload: the traffic made a forwarding entry" || true
"${PY[@]}" "$PYNL/mgm-state.py" dump | sed 's/^/  | /'
state_check "unload: the live state keeps its invariants"

t_check "unload: rmmod mgm with live state and traffic" rmmod mgm
if genl ctrl get name mgm >/dev/null 2>&1; then
	t_fail "unload: the family is gone"
else
	t_ok "unload: the family is gone"
fi
if grep -q "$GROUP" <<<"$(ip mroute show 2>&1)"; then
	t_fail "unload: the forwarding entries went with the module"
	ip mroute show | sed 's/^/  | /'
else
	t_ok "unload: the forwarding entries went with the module"
fi
if kill -0 "$routing_pid" "$igmp_pid" 2>/dev/null; then
	t_ok "unload: the clients outlived the module"
else
	t_fail "unload: the clients outlived the module"
fi
t_check "unload: insmod again" insmod "$MGM_KO"
state_check "unload: the new instance starts empty" --empty
kill -KILL "$routing_pid" "$igmp_pid"
wait "$routing_pid" "$igmp_pid" 2>/dev/null || true
state_check "unload: the old clients' exit touched nothing" --empty

# ---- 2. and 3. a netns with live state goes ---------------------------------
# In netns NS, a router like the one above: clients on a veth link to here
# (vNS61 here) and a dummy, traffic sent from here into it.  The netns is
# deleted as its clients are killed; with RMMOD, rmmod follows at once.
netns_goes() {
	local ns=mgm61-$1 here=v${1}61 name="unload: netns $1"

	ip netns add "$ns"
	link "$ns" "$here" r61 10.61.3.2 10.61.3.1
	ip -n "$ns" link add x61 type dummy
	ip -n "$ns" link set x61 up
	ip -n "$ns" link add e61 type dummy
	ip -n "$ns" link set e61 up
	if ! clients "$1" "$ns" r61 x61 e61; then
		t_fail "$name: clients holding state"
		return
	fi
	bg "send-$1" "${PY[@]}" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton(sys.argv[1]))
while True:
    s.sendto(b"mgm61", (sys.argv[2], 5061))
    time.sleep(0.02)' 10.61.3.2 "$GROUP"
	wait_mroute "$name: the traffic made a forwarding entry there" \
		-n "$ns" || true
	ip netns del "$ns"
	kill -KILL "$routing_pid" "$igmp_pid"
	if [ "${2:-}" = rmmod ]; then
		t_check "$name: rmmod mgm while the netns goes" rmmod mgm
	fi
	wait "$routing_pid" "$igmp_pid" 2>/dev/null || true
	wait_gone "$name: dismantled (its veth peer went)" "$here" || true
}

netns_goes x
state_check "unload: this netns's state is untouched by netns x" --empty
netns_goes y rmmod
t_check "unload: insmod after all that" insmod "$MGM_KO"
state_check "unload: and it starts empty" --empty

# ---- 4. the IGMP router in the kernel, hosts flooding it with reports -------
# rmmod while IGMP runs on d61 and its host reports as fast as it can
# (packets in flight through the ipmr hook); then a netns with IGMP on its
# link deleted under such a flood, rmmod racing its dismantling.
# igmp_groups [NETNS] DEV: the groups IGMP keeps on DEV
igmp_groups() {
	local run=()

	[ $# = 2 ] && run=(ip netns exec "$1") && shift
	"${run[@]}" "$MGMCTL" -j igmp show dev "$1" 2>/dev/null |
		grep -o '"groups":[0-9]*' | head -n 1 | cut -d: -f2
}
t_check "unload: igmp enable dev d61" "$MGMCTL" igmp enable dev d61
bg flood ip netns exec mgm61-rcv "${PKT[@]}" flood 10.61.2.2 1000000
flood_pid=$pid
t_check "unload: the host's reports make groups" \
	wait_for 20 eval '[ "$(igmp_groups d61)" -gt 100 ]'
t_check "unload: rmmod mgm with the IGMP router taking a flood" rmmod mgm
kill -KILL "$flood_pid"
wait "$flood_pid" 2>/dev/null || true

t_check "unload: insmod for a netns with the IGMP router" insmod "$MGM_KO"
ip netns add mgm61-z
link mgm61-z vz61 r61 10.61.4.2 10.61.4.1
t_check "unload: netns z: igmp enable dev r61 there" \
	ip netns exec mgm61-z "$MGMCTL" igmp enable dev r61
bg flood-z "${PKT[@]}" flood 10.61.4.2 1000000
flood_pid=$pid
t_check "unload: netns z: the host's reports make groups there" \
	wait_for 20 eval '[ "$(igmp_groups mgm61-z r61)" -gt 100 ]'
ip netns del mgm61-z
t_check "unload: netns z: rmmod mgm while it goes under the flood" rmmod mgm
kill -KILL "$flood_pid"
wait "$flood_pid" 2>/dev/null || true
wait_gone "unload: netns z: dismantled (its veth peer went)" vz61 || true
t_check "unload: insmod at the end" insmod "$MGM_KO"
state_check "unload: and it starts empty" --empty
t_check "unload: rmmod mgm" rmmod mgm
