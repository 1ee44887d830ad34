#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The in-kernel IGMP component with real hosts: a receiver in a network
# namespace joins a group with its kernel's own IGMP (v3, then v2), the
# router learns it (mgmctl igmp enable), and traffic from a source behind
# the upstream link reaches it; when it leaves, the router's
# group-specific queries time out and the membership goes.  The delays
# from join to first datagram, and from leave to the membership's end,
# are printed.  Then the errors of the commands, and disable: nothing
# left.
#
#   src host 10.16.1.2 ---- iu 10.16.1.1  ROUTER  id 10.16.2.1 ---- 10.16.2.2 rcv
#                      (protocol 200 owns iu)   (IGMP on id)

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"
# shellcheck source=tools/tests/lib-igmp.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-igmp.sh"

TEST=igmp
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
PKT=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/igmppkt.py")
MGMCTL=${MGM_TOOLS:-$MGM_REPO/tools}/mgmctl/mgmctl
NS=(mgm16-src mgm16-rcv)
SRC=10.16.1.2
RCV=10.16.2.2
G=239.16.0.1
G3=239.16.0.3
G_SSM=232.16.0.1
PORT=5016
sender=
receiver=

# undone at exit (lib.sh)
t_netns "${NS[@]}"
t_links iu id

# got_traffic: the receiver got a datagram.
got_traffic() {
	[ "$(rx)" -ge 1 ]
}

# joined: the router has IGMP's (*,G) membership on id; left: it has not.
joined() {
	"$MGMCTL" -j group show 2>/dev/null | grep -q "\"$G\""
}

left() {
	! joined
}

# left_sg: no membership of G at all any more
left_sg() {
	! "$MGMCTL" -j group show 2>/dev/null | grep -q "\"$G\""
}

# ssm_ignored: the router ignored an any-source request of an SSM group.
ssm_ignored() {
	[ "$(igmp_field id ssm_ignored)" -ge 1 ]
}

# queried: the router sent queries on id.
queried() {
	[ "$(igmp_field id queries_sent)" -ge 1 ]
}

igmp_begin || exit 1

setup_net() {
	local i l=(iu id) h=(s16 r16)

	for i in 0 1; do
		ip netns add "${NS[i]}" &&
		ip netns exec "${NS[i]}" ip link set lo up &&
		ip link add "${l[i]}" type veth peer name "${h[i]}" \
			netns "${NS[i]}" &&
		ip addr add "10.16.$((i + 1)).1/24" dev "${l[i]}" &&
		ip link set "${l[i]}" up &&
		ip netns exec "${NS[i]}" ip addr add "10.16.$((i + 1)).2/24" \
			dev "${h[i]}" &&
		ip netns exec "${NS[i]}" ip link set "${h[i]}" up &&
		ip netns exec "${NS[i]}" ip route add default \
			via "10.16.$((i + 1)).1" || return 1
	done
}
if setup_net; then
	t_ok "$TEST: a source and a receiver host behind the router"
else
	t_fail "$TEST: a source and a receiver host behind the router"
	exit 1
fi

# the upstream: a routing protocol that takes the source's link
client U 'register 200 1' 'take $H iu' 'answer rpf' 'answer prune 60'
if ! step "setup"; then
	t_fail "$TEST: protocol 200 takes the upstream link"
	exit 1
fi

t_check "$TEST: mgmctl igmp enable dev id (fast timers for the test)" \
	"$MGMCTL" igmp enable dev id query-interval 5 response-interval 1000 \
	last-member-interval 200
out=$("$MGMCTL" igmp show 2>&1)
show <<<"$out"
t_check "$TEST: igmp show: id, version 3, this router the querier" \
	grep -Eq '^id +3 +10\.16\.2\.1 \(this\)' <<<"$out"
t_check "$TEST: IGMP registered as protocol 10, co-owner of id" \
	grep -q '"igmp":true' <<<"$("$MGMCTL" -j interface show)"
t_check "$TEST: startup queries went out" \
	wait_for 5 queried

# ---- a receiver joins and leaves, IGMPv3 then IGMPv2 ----------------------
ip netns exec "${NS[0]}" "${MCAST[@]}" send "$G" "$PORT" "$SRC" 0.02 \
	>/dev/null 2>&1 &
sender=$!
bg_pids+=("$!")
sleep 0.5
# join_leave V: the receiver joins with IGMPv V, gets the traffic, leaves,
# and the router lets the membership go; the delays printed.
join_leave() {
	local v=$1 t0

	t0=$(now_ms)
	ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G" "$PORT" "$RCV" \
		>"$tmp/rcv.rx" 2>&1 &
	receiver=$!
	bg_pids+=("$!")
	if wait_for 10 got_traffic; then
		t_ok "$TEST: v$v join: the receiver gets the group's traffic"
		echo "# igmp: first datagram $(($(now_ms) - t0)) ms after the join (IGMPv$v)"
	else
		t_fail "$TEST: v$v join: the receiver gets the group's traffic"
		"$MGMCTL" igmp show | show
		"$MGMCTL" group show | show
	fi
	t_check "$TEST: v$v join: IGMP's (*,G) membership" joined
	out=$("$MGMCTL" igmp groups dev id)
	show <<<"$out"
	t_check "$TEST: v$v join: igmp groups: G in EXCLUDE mode, version $v" \
		grep -Eq "^id +$G +exclude +[0-9.]+s +$v +- *\$" <<<"$out"
	t_check "$TEST: v$v join: igmp show counts the group and the report" \
		test "$(igmp_field id groups)" = 1 -a \
		"$(igmp_field id "reports_v$v")" -ge 1

	kill -TERM "$receiver"
	wait "$receiver" 2>/dev/null
	t0=$(now_ms)
	if wait_for 5 left; then
		t_ok "$TEST: v$v leave: the membership goes after the last member queries"
		echo "# igmp: membership gone $(($(now_ms) - t0)) ms after the leave (IGMPv$v)"
	else
		t_fail "$TEST: v$v leave: the membership goes after the last member queries"
		"$MGMCTL" group show | show
	fi
	t_check "$TEST: v$v leave: no group left on id" \
		test "$(igmp_field id groups)" = 0
}

join_leave 3
# the host's kernel speaks IGMPv2 from now on
ip netns exec "${NS[1]}" sysctl -qw net.ipv4.conf.r16.force_igmp_version=2
join_leave 2

# ---- an IGMPv3 host that wants one source (INCLUDE mode) -------------------
ip netns exec "${NS[1]}" sysctl -qw net.ipv4.conf.r16.force_igmp_version=0
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G" "$PORT" "$RCV" "$SRC" \
	>"$tmp/rcv.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
if wait_for 10 got_traffic; then
	t_ok "$TEST: v3 source-specific join: the receiver gets the traffic"
else
	t_fail "$TEST: v3 source-specific join: the receiver gets the traffic"
fi
out=$("$MGMCTL" group show)
show <<<"$out"
t_check "$TEST: v3 source-specific join: an (S,G) membership, no (*,G)" \
	eval 'grep -Eq "^$SRC +$G( |\$)" <<<"$out" &&
		! grep -Eq "^\* +$G( |\$)" <<<"$out"'
out=$("$MGMCTL" -j igmp groups dev id)
show <<<"$out"
t_check "$TEST: v3 source-specific join: igmp groups: INCLUDE with the source" \
	grep -q "\"mode\":\"include\".*\"addr\":\"$SRC\"" <<<"$out"
kill -TERM "$receiver"
wait "$receiver" 2>/dev/null
t_check "$TEST: v3 source-specific leave: the membership goes" \
	wait_for 5 left_sg

# ---- a routing protocol takes the link and releases it ---------------------
# MGM brackets each change with DISABLE/ENABLE_IGMP and drops IGMP's
# memberships there; IGMP replays them from its state: no member is lost.
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G" "$PORT" "$RCV" \
	>"$tmp/rcv.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
t_check "$TEST: bracket: a receiver joined" wait_for 10 got_traffic
client R 'register 201 1' 'take $H id' 'answer creation accept'
step "R takes id"
t_check "$TEST: bracket: protocol 201 took id from under IGMP" \
	grep -q '"protocol_id":201' <<<"$("$MGMCTL" -j interface show)"
t_check "$TEST: bracket: IGMP's membership is back after the take" \
	wait_for 5 joined
t_check "$TEST: bracket: the receiver gets the traffic again" flowing
say R 'release $H id'
step "R releases id"
t_check "$TEST: bracket: IGMP's membership is back after the release" \
	wait_for 5 joined
t_check "$TEST: bracket: the receiver still gets the traffic" flowing
stop R
kill -TERM "$receiver"
wait "$receiver" 2>/dev/null
t_check "$TEST: bracket: the receiver left, the membership goes" \
	wait_for 5 left

# ---- RFC 4604: an SSM group takes source-specific joins only ------------------
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G_SSM" "$PORT" "$RCV" \
	>"$tmp/ssm.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
t_check "$TEST: ssm: an any-source join of $G_SSM is counted as ignored" \
	wait_for 5 ssm_ignored
t_check "$TEST: ssm: ... and makes no membership" \
	eval '! "$MGMCTL" -j group show | grep -q "\"$G_SSM\""'
kill -TERM "$receiver"
wait "$receiver" 2>/dev/null
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G_SSM" "$PORT" "$RCV" "$SRC" \
	>"$tmp/ssm.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
t_check "$TEST: ssm: a source-specific join of $G_SSM is an (S,G) membership" \
	wait_for 5 eval '"$MGMCTL" group show | grep -Eq "^$SRC +$G_SSM( |\$)"'
kill -TERM "$receiver"
wait "$receiver" 2>/dev/null
t_check "$TEST: ssm: the receiver left, no group left" \
	wait_for 5 eval '[ "$(igmp_field id groups)" = 0 ]'

# ---- MGM refuses a membership: IGMP asks again -------------------------------
# The limit of memberships per protocol lets IGMP have one; a second
# group's join is refused, counted, and asked for again once the limit
# is raised, though the host reports nothing new.
t_check "$TEST: refused: limits set members 1" "$MGMCTL" limits set members 1
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G" "$PORT" "$RCV" \
	>"$tmp/rcv.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
t_check "$TEST: refused: a receiver of $G joined" wait_for 10 joined
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G3" "$PORT" "$RCV" \
	>"$tmp/rcv3.rx" 2>&1 &
receiver3=$!
bg_pids+=("$!")
t_check "$TEST: refused: the join of $G3 is refused by MGM, counted" \
	wait_for 5 eval '[ "$(igmp_field id member_refusals)" -ge 1 ]'
t_check "$TEST: refused: ... IGMP keeps the group, MGM has no membership" \
	wait_for 5 eval '[ "$(igmp_field id groups)" = 2 ] &&
		! "$MGMCTL" -j group show | grep -q "\"$G3\""'
"$MGMCTL" igmp show | show
sleep 1.5
t_check "$TEST: refused: limits set members 262144" \
	"$MGMCTL" limits set members 262144
t0=$(now_ms)
if wait_for 10 eval '"$MGMCTL" -j group show | grep -q "\"$G3\""'; then
	t_ok "$TEST: refused: IGMP asks again: (*,$G3) is there"
	echo "# igmp: refused membership in place $(($(now_ms) - t0)) ms after the limit was raised"
else
	t_fail "$TEST: refused: IGMP asks again: (*,$G3) is there"
fi
kill -TERM "$receiver" "$receiver3"
wait "$receiver" "$receiver3" 2>/dev/null
t_check "$TEST: refused: both receivers left, nothing left" \
	wait_for 5 eval '[ "$(igmp_field id groups)" = 0 ]'

# ---- errors -------------------------------------------------------------------
out=$("$MGMCTL" igmp enable dev id 2>&1)
t_check "$TEST: enable twice: EEXIST, naming the interface" \
	grep -q 'ifindex: IGMP runs there already' <<<"$out"
out=$("$MGMCTL" igmp enable dev iu robustness 9 2>&1)
show <<<"$out"
t_check "$TEST: a robustness of 9: refused by the policy" \
	grep -qi 'error' <<<"$out"
t_check "$TEST: ... and iu was not taken as IGMP" \
	test -z "$("$MGMCTL" igmp show dev iu 2>/dev/null | grep '^iu')"
out=$("$MGMCTL" igmp show dev iu 2>&1)
t_check "$TEST: igmp show dev iu: IGMP does not run there" \
	grep -q 'IGMP does not run on this interface' <<<"$out"

# ---- the querier's group-specific queries (RFC 3376 §6.6.3.1) ---------------
# With robustness 3 a leave brings Q(G) and two retransmissions, LMQI
# apart.  A host still joined answers; a retransmission after its report
# carries the S flag.  A second leave while they wait starts them over
# rather than adding its own: two leaves 50 ms apart make 4 Q(G), not 6.
t_check "$TEST: queries: IGMP again on id with robustness 3" eval \
	'"$MGMCTL" igmp disable dev id && "$MGMCTL" igmp enable dev id \
		robustness 3 query-interval 5 response-interval 1000 \
		last-member-interval 200'
ip netns exec "${NS[1]}" "${MCAST[@]}" recv "$G" "$PORT" "$RCV" \
	>"$tmp/rcv.rx" 2>&1 &
receiver=$!
bg_pids+=("$!")
t_check "$TEST: queries: a host joined $G" wait_for 10 joined
# n_queries: the group-specific queries captured so far
n_queries() { grep -c "^query $G " "$tmp/q.out"; }
ip netns exec "${NS[1]}" "${PKT[@]}" queries 60 >"$tmp/q.out" 2>&1 &
capture=$!
bg_pids+=("$!")
wait_for 5 grep -q '^listening$' "$tmp/q.out"
ip netns exec "${NS[1]}" "${PKT[@]}" leave "$RCV" "$G" --times 2 --gap 0.05
# the capture runs until the queries came, however long an emulated
# guest takes to start the leave's python, and then long enough for a
# fifth and sixth (LMQI 200 ms apart) that must not come
wait_for 10 eval '[ "$(n_queries)" -ge 4 ]'
sleep 1.5
kill "$capture"
wait "$capture" 2>/dev/null
grep "^query $G " "$tmp/q.out" | show
t_check "$TEST: queries: two leaves 50 ms apart, 4 group-specific queries" \
	test "$(grep -c "^query $G " "$tmp/q.out")" = 4
t_check "$TEST: queries: the first without the S flag" \
	test "$(grep "^query $G " "$tmp/q.out" | head -n 1 | cut -d' ' -f3)" = s=0
t_check "$TEST: queries: the last, after the host's answer, with it" \
	test "$(grep "^query $G " "$tmp/q.out" | tail -n 1 | cut -d' ' -f3)" = s=1
t_check "$TEST: queries: the host answered: still joined" joined
kill -TERM "$receiver"
wait "$receiver" 2>/dev/null
t_check "$TEST: queries: the host left, the membership goes" wait_for 5 left

# ---- a netdev goes, another takes its ifindex -----------------------------------
# What IGMP kept for the one that went must not carry over to the new one,
# even when the new one comes before IGMP's work item ran.
t_links x16 z16
ip link add x16 index 4016 type veth peer name y16 &&
	ip link set x16 up
t_check "$TEST: reuse: IGMP on x16 (ifindex 4016)" \
	"$MGMCTL" igmp enable dev x16
printf '%s\n' 'link del x16' \
	'link add z16 index 4016 type veth peer name w16' | ip -force -batch -
t_check "$TEST: reuse: z16 took ifindex 4016" \
	test "$(cat /sys/class/net/z16/ifindex 2>/dev/null)" = 4016
t_check "$TEST: reuse: IGMP does not run on z16" \
	wait_for 5 eval '! "$MGMCTL" igmp show 2>/dev/null | grep -q "^z16 "'
t_check "$TEST: reuse: ... nor holds it in MGM" \
	eval '! "$MGMCTL" interface show | grep -q " z16 "'
t_check "$TEST: reuse: igmp enable dev z16" "$MGMCTL" igmp enable dev z16
t_check "$TEST: reuse: igmp disable dev z16" "$MGMCTL" igmp disable dev z16

# ---- disable ------------------------------------------------------------------
t_check "$TEST: mgmctl igmp disable dev id" "$MGMCTL" igmp disable dev id
t_check "$TEST: disable: IGMP deregistered, only protocol 200 left" \
	test "$("$MGMCTL" -j protocol show | grep -o '"protocol_id":' | wc -l)" = 1
out=$("$MGMCTL" igmp disable dev id 2>&1)
t_check "$TEST: disable again: ENOENT" \
	grep -q 'IGMP does not run there' <<<"$out"

# a userspace IGMP component holds protocol 10: the in-kernel one stays off
client I 'register 10 1'
step "a userspace IGMP component"
out=$("$MGMCTL" igmp enable dev id 2>&1)
show <<<"$out"
t_check "$TEST: enable beside a userspace IGMP component: EEXIST, said why" \
	grep -q 'an IGMP component is already registered' <<<"$out"
t_check "$TEST: ... and nothing of it stays" \
	test -z "$("$MGMCTL" igmp show 2>/dev/null | grep '^id')"
stop I

kill -TERM "$sender"
stop U
t_check "$TEST: rmmod mgm" rmmod mgm
