# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2154 # tmp, TEST, SRC, PY, PYNL: set by lib.sh, lib-gates.sh and the test
# Helpers of the IGMP tests (16, 18, 19), sourced after lib.sh: a receiver
# whose mcast.py recv writes to $tmp/rcv.rx the datagrams of a source $SRC,
# and what `mgmctl -j` says of IGMP and of MGM's memberships.  $MGMCTL set.

# igmp_begin: the tools are built ($CLIENT too) and mgm.ko is loaded;
# otherwise a failure, and 1.
igmp_begin() {
	if [ ! -x "$CLIENT" ] || [ ! -x "$MGMCTL" ]; then
		t_fail "$TEST: $CLIENT and $MGMCTL are built"
		return 1
	fi
	if ! insmod "$MGM_KO"; then
		t_fail "$TEST: insmod $MGM_KO"
		return 1
	fi
}

# rx: datagrams the receiver got so far.
rx() {
	grep -c "^$SRC " "$tmp/rcv.rx" 2>/dev/null
}

# flowing: the receiver gets 5 more datagrams within 10 s.
flowing() {
	local n0 i

	n0=$(rx)
	for ((i = 0; i < 200; i++)); do
		[ "$(rx)" -ge $((n0 + 5)) ] && return 0
		sleep 0.05
	done
	echo "the receiver got $n0 datagrams, none more in 10 s"
	return 1
}

# igmp_field DEV KEY: a number of `mgmctl -j igmp show dev DEV` (0: none).
igmp_field() {
	local v

	v=$("$MGMCTL" -j igmp show dev "$1" 2>/dev/null |
		grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2)
	echo "${v:-0}"
}

# members: MGM's memberships as `mgmctl limits` counts them (per
# protocol: IGMP's, where no other protocol makes any); member_keys: the
# keys of memberships `mgmctl group show` lists.
members() {
	"$MGMCTL" -j limits show | grep -o '"usage":{[^}]*' |
		grep -o '"members":[0-9]*' | cut -d: -f2
}

member_keys() {
	"$MGMCTL" -j group show | grep -o '"group":' | wc -l
}

# igmp_flow SRC_NS RCV_NS RCV G PORT: a source in SRC_NS ($SRC) sends to
# G:PORT 50 times a second, a receiver in RCV_NS (address RCV) joins G
# with its kernel's IGMP; their pids in $sender and $receiver.
igmp_flow() {
	ip netns exec "$1" /usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py" \
		send "$4" "$5" "$SRC" 0.02 >/dev/null 2>&1 &
	sender=$!
	bg_pids+=("$!")
	ip netns exec "$2" /usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py" \
		recv "$4" "$5" "$3" >"$tmp/rcv.rx" 2>&1 &
	receiver=$!
	bg_pids+=("$!")
}

# igmp_end DEV: IGMP disabled on DEV leaves no group and no membership;
# the flow and the protocol U (lib-netlink.sh) stopped, nothing is left
# at all; rmmod.
igmp_end() {
	t_check "$TEST: mgmctl igmp disable dev $1" "$MGMCTL" igmp disable dev "$1"
	t_check "$TEST: disable: no IGMP interface, no group, no membership left" \
		test -z "$("$MGMCTL" igmp show | grep "^$1 ")" -a \
		"$(members)" = 0 -a "$(member_keys)" = 0
	# (they hold U's FIFO open too)
	kill -TERM "$sender" "$receiver"
	wait "$sender" "$receiver" 2>/dev/null
	stop U
	t_check "$TEST: nothing left once protocol 200 is gone" \
		"${PY[@]}" "$PYNL/mgm-state.py" check --empty
	t_check "$TEST: rmmod mgm" rmmod mgm
}
