#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The scenario of `make demo` (tools/demo/demo.sh boots UML to run it; the
# integration test tools/tests/40-demo.sh runs it in the test kernel too
# and checks its key lines).  Runs inside UML as root, never on a real
# machine: it loads mgm.ko.
#
# The router is UML's init namespace; hosts are network namespaces joined
# to it by veth.  Two static routing protocols (two mgm-staticd, protocol
# 300 components 1 and 2) and mgm's own IGMP router (protocol 10, turned
# on with mgmctl igmp enable) share it; the receivers join with their
# hosts' kernel IGMP, as any application does:
#
#   src1 10.1.1.2 ---- up1  owner: staticd 300/1
#   src2 10.1.2.2 ---- up2  owner: staticd 300/2
#   rcv1 10.1.3.2 ---- dn1  owner: IGMP alone            rcv1 wants 239.1.1.1
#   rcv2 10.1.4.2 ---- dn2  owners: staticd 300/2 + IGMP  rcv2 wants 239.2.2.2
#
# src1 sends to 239.1.1.1, src2 to 239.2.2.2: rcv1 gets its flow because
# its host joined (IGMP), rcv2 because a static route says so as well.
# Then staticd 300/2 gets a SIGTERM: IGMP is told disable/enable on dn2
# and replays rcv2's membership by itself, the MFE from up2 goes, the
# handle is dead, and 300/1 keeps bringing 239.1.1.1 to rcv1.  Last, rcv1
# leaves, and the router stops sending there after its queries.
#
# Environment: MGM_KO (mgm.ko), MGM_TOOLS (built tools: mgmctl/mgmctl,
# mgm-staticd/mgm-staticd, mgm-client), MGM_REPO.  Exit status 0 when
# every step went as described (the narrative says where not).

MGM_REPO=${MGM_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
STATICD=$TOOLS/mgm-staticd/mgm-staticd
CLIENT=$TOOLS/mgm-client
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
NS=(demo-src1 demo-src2 demo-rcv1 demo-rcv2)
RIF=(up1 up2 dn1 dn2)
HIF=(s1 s2 r1 r2)
G1=239.1.1.1
G2=239.2.2.2
PORT=5001
tmp=$(mktemp -d)
bg_pids=()
problems=0
trap '' PIPE

cleanup() {
	local p n

	for p in "${bg_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for n in "${NS[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	for n in "${RIF[@]}"; do
		ip link del "$n" 2>/dev/null
	done
	[ -d /sys/module/mgm ] && rmmod mgm
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- how the demo talks ------------------------------------------------------
step_no=0
# say TEXT: a new step, its narrative line
say() {
	step_no=$((step_no + 1))
	printf '\n[%d] %s\n' "$step_no" "$*"
}
# note TEXT: a remark within a step
note() { printf '    %s\n' "$*"; }
# run CMD...: shows the command, then its output, indented
run() {
	local rc

	printf '  # %s\n' "$*" | sed "s|$TOOLS/[a-z-]*/||g; s|$TOOLS/||g; s|$tmp/||g"
	"$@" 2>&1 | sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	return "$rc"
}
# problem TEXT: the demo did not go as it says; the exit status will tell
problem() {
	problems=$((problems + 1))
	printf '    DEMO PROBLEM: %s\n' "$*"
}
# give_up: the demo cannot go on
give_up() {
	echo "=== mgm demo: done, stopped early (DEMO PROBLEM above)"
	exit 1
}
bg() {
	"$@" &
	bg_pids+=($!)
}

# wait_for FILE REGEX [TENTHS]: until a line of FILE matches REGEX
wait_for() {
	local i

	for ((i = 0; i < ${3:-100}; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# wait_for_cmd [!] CMD... -- REGEX: until a line of CMD's output matches
# REGEX (with !: until none does), 10 s at most
wait_for_cmd() {
	local i want=0 cmd=()

	if [ "$1" = '!' ]; then
		want=1
		shift
	fi
	while [ "$1" != -- ]; do
		cmd+=("$1")
		shift
	done
	for ((i = 0; i < 100; i++)); do
		"${cmd[@]}" 2>/dev/null | grep -Eq -- "$2"
		[ $? -eq "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# rx N: datagrams receiver N (1 or 2) got so far
rx() { grep -c '^10\.' "$tmp/rcv$1.rx"; }

# counts: a line with what each receiver got
counts() {
	printf '    received so far: rcv1 (%s) %d datagrams, rcv2 (%s) %d datagrams\n' \
		"$G1" "$(rx 1)" "$G2" "$(rx 2)"
}

# rising N: receiver N gets more within 3 s
rising() {
	local n0 i

	n0=$(rx "$1")
	for ((i = 0; i < 30; i++)); do
		sleep 0.1
		[ "$(rx "$1")" -gt "$n0" ] && return 0
	done
	return 1
}

echo "=== mgm demo: a virtual router in User-Mode Linux $(uname -r)"
if [ ! -x "$MGMCTL" ] || [ ! -x "$STATICD" ] || [ ! -x "$CLIENT" ]; then
	problem "tools not built in $TOOLS"
	give_up
fi

# ---- 1: the module --------------------------------------------------------
say "Load mgm into this (UML) kernel.  Questions nobody answers (IGMP's) get MGM's default after 300 ms."
if ! run insmod "$MGM_KO" reply_timeout_ms=300; then
	problem "insmod failed"
	give_up
fi
if ! out=$("$MGMCTL" igmp show 2>&1); then
	echo "    $out"
	problem "this mgm.ko has no IGMP router yet: nothing to show"
	give_up
fi

# ---- 2: the network ---------------------------------------------------------
say "Build the network: the router is this namespace, four hosts in network namespaces, joined by veth."
setup_net() {
	local i

	for i in 0 1 2 3; do
		ip netns add "${NS[i]}" &&
		ip -n "${NS[i]}" link set lo up &&
		ip link add "${RIF[i]}" type veth peer name "${HIF[i]}" netns "${NS[i]}" &&
		ip addr add "10.1.$((i + 1)).1/24" dev "${RIF[i]}" &&
		ip link set "${RIF[i]}" up &&
		ip -n "${NS[i]}" addr add "10.1.$((i + 1)).2/24" dev "${HIF[i]}" &&
		ip -n "${NS[i]}" link set "${HIF[i]}" up &&
		ip -n "${NS[i]}" route add default via "10.1.$((i + 1)).1" || return 1
	done
}
if ! setup_net; then
	problem "the network could not be built"
	give_up
fi
cat <<'EOF'
      src1 10.1.1.2 ---- up1 \                 / dn1 ---- rcv1 10.1.3.2 (wants 239.1.1.1)
                              router (mgm)
      src2 10.1.2.2 ---- up2 /                 \ dn2 ---- rcv2 10.1.4.2 (wants 239.2.2.2)
EOF
run ip -br -4 addr show

# ---- 3: protocols -------------------------------------------------------
say "Watch every MGM event in the background:"
printf '  # mgmctl monitor > monitor.log &\n'
bg "$MGMCTL" monitor >"$tmp/monitor.log" 2>&1
sleep 0.2

cat >"$tmp/static1.conf" <<EOF
# staticd 300/1: the upstream of 239.1.1.1; its receivers are IGMP's
interface up1
EOF
cat >"$tmp/static2.conf" <<EOF
# staticd 300/2: the 239.2.2.2 domain
interface up2
interface dn2
mroute from up2 group $G2 to dn2
EOF
say "Start two static multicast routing protocols: mgm-staticd -c 1 owns up1, where 239.1.1.1 comes in; mgm-staticd -c 2 routes up2 -> dn2 as smcroute would."
run cat "$tmp/static1.conf"
run cat "$tmp/static2.conf"
bg "$STATICD" -c 1 -f "$tmp/static1.conf" 2>"$tmp/static1.log"
pid1=$!
bg "$STATICD" -c 2 -f "$tmp/static2.conf" 2>"$tmp/static2.log"
pid2=$!
for n in 1 2; do
	wait_for "$tmp/static$n.log" 'configuration applied' ||
		problem "mgm-staticd -c $n did not apply its configuration"
	run cat "$tmp/static$n.log"
done

say "Turn on mgm's IGMP router on dn1 and dn2 (RFC 3376, defaults: IGMPv3, queries every 125 s): it registers as protocol 10, takes dn1 and dn2 (beside staticd 300/2 there) and becomes the links' querier."
run "$MGMCTL" igmp enable dev dn1 || problem "igmp enable dev dn1 failed"
run "$MGMCTL" igmp enable dev dn2 || problem "igmp enable dev dn2 failed"
run "$MGMCTL" igmp show

say "The protocols registered with MGM (10 is IGMP, in the kernel; each userspace registration belongs to its netlink socket):"
run "$MGMCTL" protocol show
handle2=$("$MGMCTL" -j protocol show | python3 -c '
import json, sys
print([p["handle"] for p in json.load(sys.stdin) if p["component_id"] == 2][0])')

say "Who owns which interface: staticd 300/1 up1, staticd 300/2 up2 and dn2, IGMP dn1 alone and dn2 beside 300/2:"
run "$MGMCTL" interface show

# ---- 4: receivers and traffic -------------------------------------------------
say "The receivers join on their hosts (IP_ADD_MEMBERSHIP: the hosts' own kernel IGMP reports it); the router hears the reports and IGMP tells MGM:"
printf '  # (rcv1) join %s    (rcv2) join %s\n' "$G1" "$G2"
bg ip netns exec "${NS[2]}" "${MCAST[@]}" recv "$G1" "$PORT" 10.1.3.2 >"$tmp/rcv1.rx"
rcv1_pid=$!
bg ip netns exec "${NS[3]}" "${MCAST[@]}" recv "$G2" "$PORT" 10.1.4.2 >"$tmp/rcv2.rx"
{ wait_for "$tmp/rcv1.rx" "^ready$" && wait_for "$tmp/rcv2.rx" "^ready$"; } ||
	problem "the receivers did not start"
for i in 1 2; do
	g=G$i
	{ wait_for_cmd "$MGMCTL" -j igmp groups dev "dn$i" -- "\"${!g}\"" &&
		wait_for_cmd "$MGMCTL" -j group show -- "\"${!g}\""; } ||
		problem "the router did not learn rcv$i's join of ${!g}"
done
run "$MGMCTL" igmp groups
say "The memberships MGM keeps for the whole router (IGMP's, from the hosts' reports):"
run "$MGMCTL" group show

say "Send real multicast: src1 sends to $G1, src2 to $G2 (20 datagrams/s each)."
bg ip netns exec "${NS[0]}" "${MCAST[@]}" send "$G1" "$PORT" 10.1.1.2 >"$tmp/src1.out"
bg ip netns exec "${NS[1]}" "${MCAST[@]}" send "$G2" "$PORT" 10.1.2.2 >"$tmp/src2.out"
note "(the first packet of each flow is a new (S,G): MGM asks the owners rpf and creation-alert questions, then installs the MFE in ipmr)"
sleep 2
for n in 1 2; do
	rising "$n" || problem "rcv$n gets nothing"
done
counts

say "The MFEs MGM built, with the forwarder's counters (mgmctl mfe show -s):"
run "$MGMCTL" mfe show -s
say "The same entries as the kernel's ipmr has them:"
run ip mroute show
note "... one second later:"
sleep 1
counts

# ---- 5: one routing protocol shuts down ---------------------------------------
say "Shut down staticd 300/2 (handle $handle2) with SIGTERM: it releases up2 and dn2 and deregisters."
mon_mark=$(wc -l <"$tmp/monitor.log")
run kill -TERM "$pid2"
wait "$pid2"
rc=$?
[ "$rc" -eq 0 ] || problem "mgm-staticd -c 2 exited $rc"
run cat "$tmp/static2.log"
sleep 0.5

say "What mgmctl monitor (in the background) saw meanwhile: IGMP is told disable-igmp on dn2 before the release, enable-igmp after it."
tail -n +$((mon_mark + 1)) "$tmp/monitor.log" | sed 's/^/    /'
grep -q 'disable-igmp .*dn2' "$tmp/monitor.log" || problem "no disable-igmp on dn2 in the monitor"
grep -q 'enable-igmp .*dn2' "$tmp/monitor.log" || problem "no enable-igmp on dn2 in the monitor"

say "The handle is dead: 300/2 is gone from the protocols, and its handle is refused."
run "$MGMCTL" protocol show
if "$MGMCTL" -j protocol show | grep -q '"component_id": *2'; then
	problem "300/2 is still registered"
fi
run "$CLIENT" take "$handle2" dn2

say "dn2 is IGMP's alone now, up2 nobody's.  MGM dropped IGMP's membership on dn2 with the release; after enable-igmp, IGMP replays what it still hears there by itself, from a work item (rcv2 is still joined):"
wait_for_cmd "$MGMCTL" -j group show -- "\"$G2\"" ||
	problem "IGMP did not replay (*,$G2) on dn2"
run "$MGMCTL" interface show
run "$MGMCTL" group show
note "(no routing protocol brings $G2 in from up2 any more: rcv2's membership has nothing to receive)"

say "The MFE from up2 (the released interface) is gone; staticd 300/1's entry stays and counts on:"
run "$MGMCTL" mfe show -s
if [ "$("$MGMCTL" -j mfe show group "$G2" 2>&1)" != "[]" ]; then
	problem "an MFE of $G2 is still there"
fi

say "The other protocol still forwards: rcv1's count keeps rising, rcv2's stopped."
counts
r2=$(rx 2)
sleep 2
counts
if rising 1; then
	note "rcv1: still receiving"
else
	problem "rcv1 stopped receiving"
fi
if [ "$(rx 2)" -eq "$r2" ]; then
	note "rcv2: nothing since 300/2 went"
else
	problem "rcv2 still receives"
fi

# ---- 6: end ------------------------------------------------------------------
say "rcv1 leaves 239.1.1.1 (its host sends a leave): the router asks the link with group-specific queries, nobody answers, and after the last member query time (2 s by default) IGMP drops (*,$G1) on dn1."
t0=$(date +%s%N)
run kill -TERM "$rcv1_pid"
if wait_for_cmd ! "$MGMCTL" -j group show -- "\"$G1\""; then
	note "(*,$G1) gone from dn1 $((($(date +%s%N) - t0) / 1000000)) ms after the leave"
else
	problem "(*,$G1) stayed after rcv1 left"
fi
run "$MGMCTL" igmp show
run "$MGMCTL" mfe show
if "$MGMCTL" -j mfe show group "$G1" | grep -q '"ifname": *"dn1"'; then
	problem "the MFE of $G1 still sends to dn1"
fi

say "Stop staticd 300/1 and IGMP, unload mgm."
kill -TERM "$pid1"
wait "$pid1"
run "$MGMCTL" igmp disable dev dn1
run "$MGMCTL" igmp disable dev dn2
run rmmod mgm
if [ "$problems" -eq 0 ]; then
	echo "=== mgm demo: done, every step as described"
else
	echo "=== mgm demo: done, with $problems problem(s) (DEMO PROBLEM above)"
fi
[ "$problems" -eq 0 ]
