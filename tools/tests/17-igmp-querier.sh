#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two routers with mgm's IGMP on one link elect one querier, the lower
# address (RFC 3376 §6.6.2): this namespace (10.17.0.1) and another
# (10.17.0.2).  The other runs by the querier's robustness and query
# interval (§4.1.6, §4.1.7), not its own, while it defers.  When the
# querier stops, the other takes over once its Other Querier Present
# timer runs out (the delay printed), with its own timers again.
#
#   this router: a17 10.17.0.1 ---- b17 10.17.0.2 router B (a netns)

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST=igmp-querier
MGMCTL=${MGM_TOOLS:-$MGM_REPO/tools}/mgmctl/mgmctl
B=mgm17-b
# fast timers: this router's robustness 3, query interval 1 s; router
# B's 2 and 2 s.  B's OQPI with this router's: 3 * 1 s + 0.5 s / 2
TIMERS=(response-interval 500 last-member-interval 100)
A_TIMERS=(robustness 3 query-interval 1 "${TIMERS[@]}")
B_TIMERS=(robustness 2 query-interval 2 "${TIMERS[@]}")

t_netns "$B"
t_links a17

# querier [NETNS] DEV: "ADDR this" or "ADDR other": who queries the link,
# as mgmctl -j igmp show says in NETNS (default: here).
querier() {
	local run=() out addr

	[ $# = 2 ] && run=(ip netns exec "$1") && shift
	out=$("${run[@]}" "$MGMCTL" -j igmp show dev "$1" 2>/dev/null)
	addr=$(grep -o '"querier_addr":"[0-9.]*"' <<<"$out" | cut -d'"' -f4)
	if grep -q '"querier":true' <<<"$out"; then
		echo "$addr this"
	else
		echo "$addr other"
	fi
}

a_queries() {
	[ "$(querier a17)" = "10.17.0.1 this" ]
}

b_defers() {
	[ "$(querier "$B" b17)" = "10.17.0.1 other" ]
}

b_queries() {
	[ "$(querier "$B" b17)" = "10.17.0.2 this" ]
}

# b_timers: "ROBUSTNESS QUERY-INTERVAL" router B runs by
b_timers() {
	local out

	out=$(ip netns exec "$B" "$MGMCTL" -j igmp show dev b17 2>/dev/null)
	echo "$(grep -o '"robustness":[0-9]*' <<<"$out" | cut -d: -f2)" \
		"$(grep -o '"query_interval":[0-9]*' <<<"$out" | cut -d: -f2)"
}

if [ ! -x "$MGMCTL" ]; then
	t_fail "$TEST: $MGMCTL is built"
	exit 1
fi
if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi

setup_net() {
	ip netns add "$B" &&
	ip link add a17 type veth peer name b17 netns "$B" &&
	ip addr add 10.17.0.1/24 dev a17 &&
	ip link set a17 up &&
	ip netns exec "$B" ip addr add 10.17.0.2/24 dev b17 &&
	ip netns exec "$B" ip link set b17 up
}
if setup_net; then
	t_ok "$TEST: two routers on one link"
else
	t_fail "$TEST: two routers on one link"
	exit 1
fi

t_check "$TEST: IGMP on this router's a17" \
	"$MGMCTL" igmp enable dev a17 "${A_TIMERS[@]}"
t_check "$TEST: IGMP on router B's b17 (a netns of its own: its own mgm)" \
	ip netns exec "$B" "$MGMCTL" igmp enable dev b17 "${B_TIMERS[@]}"

t_check "$TEST: the lower address queries" wait_for 5 a_queries
t_check "$TEST: router B heard it and defers to 10.17.0.1" wait_for 5 b_defers
ip netns exec "$B" "$MGMCTL" igmp show | sed 's/^/  | /'
t_check "$TEST: router B runs by the querier's QRV 3 and QQIC 1 s ($(b_timers))" \
	[ "$(b_timers)" = "3 1" ]

t_check "$TEST: this router stops" "$MGMCTL" igmp disable dev a17
t0=$(now_ms)
wait_for 10 b_queries
dt=$(($(now_ms) - t0))
if b_queries; then
	t_ok "$TEST: router B takes over when the querier goes quiet"
	echo "# igmp-querier: router B queries $dt ms after the querier stopped (OQPI 3250 ms)"
else
	t_fail "$TEST: router B takes over when the querier goes quiet"
	ip netns exec "$B" "$MGMCTL" igmp show | sed 's/^/  | /'
fi
# the last query it heard came at most QI (1 s) before the stop
t_check "$TEST: ... not before its Other Querier Present timer ran out" \
	test "$dt" -ge 2000
t_check "$TEST: ... and with its own timers again ($(b_timers))" \
	[ "$(b_timers)" = "2 2" ]

t_check "$TEST: router B stops" \
	ip netns exec "$B" "$MGMCTL" igmp disable dev b17
t_check "$TEST: rmmod mgm" rmmod mgm
