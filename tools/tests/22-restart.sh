#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Graceful restart over netlink (Documentation/mgm.rst, "Graceful
# restart"): a registration with a hold time whose socket closes is held
# (state kept, standing answers for every question, the monitor told);
# the same protocol and component registering again takes it over (same
# handle, resync flag), finds what it held stale in the dumps, confirms
# some of it, and resync-end releases the rest with the normal sequence.
# A hold that runs out runs the same shutdown, event for event, as a close
# without a hold.  Then the errors, a held registration in a netns that
# goes away, and the module unloading with one held.
# 33-graceful-restart.sh restarts mgm-staticd with traffic flowing.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=restart
devs=(g0 g1 g2)
NS=mgm22

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'for dev in "${devs[@]}"; do ip link del "$dev"; done'
t_netns "$NS"

G1=239.22.0.1
G2=239.22.0.2
G3=239.22.0.3
S=10.22.0.5

# the monitor's lines of the last step, handles written as H
events() {
	got M '^event ' | sed -E "s/handle=$1( |\$)/handle=H\\1/"
}

# proto_state H: $state becomes "STATE ANSWERS" of handle H in a protocol
# dump by client X (a step: not in a subshell)
proto_state() {
	say X protocols
	step "protocols"
	state=$(got X "^get-protocol handle=$1 " |
		sed -nE 's/.* answers=([0-9]+).* protocol-state=([0-9]+).*/\2 \1/p')
}

if [ ! -x "$CLIENT" ]; then
	t_fail "$TEST: $CLIENT is built"
	exit 1
fi
if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi
for dev in "${devs[@]}"; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done
I0=$(</sys/class/net/g0/ifindex)
I1=$(</sys/class/net/g1/ifindex)

client M 'monitor 0'
client X 'echo dumps'
step "monitor"

# ---- a registration with a hold time: closing keeps its state -----------
client A 'register-hold 300 1 30' 'take $H g0' 'take $H g1' \
	"add \$H * $G1 g0" "add \$H * $G2 g1" "add \$H $S $G3 g1" \
	'send set-answers handle=$H answers=1'
step "A registers with a hold time, takes g0 and g1, adds three"
HA=$(handle A)
t_check "$TEST: register-hold: a handle" [ -n "$HA" ]
proto_state "$HA"
t_check "$TEST: active, its own standing answers" \
	[ "$state" = "0 1" ]
say X protocols
step "protocol dump"
has_line X "the protocol dump shows the hold time" \
	"get-protocol handle=$HA protocol-id=300 component-id=1 portid=[0-9]+ answers=1 hold-time=30 protocol-state=0"

stop A
step "A's socket closes"
events "$HA" | show
t_check "$TEST: the close: the monitor sees the registration held" \
	[ "$(events "$HA")" = "event protocol-change handle=H protocol-id=300 component-id=1 protocol-state=1 time-left=30" ]
t_check "$TEST: held: no interface or membership event" \
	[ -z "$(events "$HA" | grep -E 'interface-|membership-')" ]
proto_state "$HA"
t_check "$TEST: held: every question takes its default (answers 7)" \
	[ "$state" = "1 7" ]
say X interfaces "memberships $HA" protocols
step "held: dumps"
has_line X "held: g0 still owned" \
	"get-interface ifindex=$I0 nexthop=0.0.0.0 handle=$HA protocol-id=300 component-id=1"
has_line X "held: g1 still owned" \
	"get-interface ifindex=$I1 nexthop=0.0.0.0 handle=$HA protocol-id=300 component-id=1"
t_check "$TEST: held: its three memberships" \
	[ "$(got X '^get-membership ' | wc -l)" -eq 3 ]
t_check "$TEST: held: no socket (portid 0)" \
	[ -n "$(got X "^get-protocol handle=$HA protocol-id=300 component-id=1 portid=0 ")" ]

# ---- the same pair registers again: a resync ----------------------------
client B 'register-hold 300 1 30'
step "B registers the same protocol and component"
has_line B "resync: the old handle, the resync flag" "register handle=$HA resync"
t_check "$TEST: resync: the monitor sees it" \
	[ "$(events "$HA")" = "event protocol-change handle=H protocol-id=300 component-id=1 protocol-state=2 time-left=30" ]
proto_state "$HA"
t_check "$TEST: resync: its standing answers back" \
	[ "$state" = "2 1" ]
say X interfaces "memberships $HA"
step "resync: dumps"
has_line X "resync: g0 stale" \
	"get-interface ifindex=$I0 nexthop=0.0.0.0 handle=$HA protocol-id=300 component-id=1 stale"
has_line X "resync: g1 stale" \
	"get-interface ifindex=$I1 nexthop=0.0.0.0 handle=$HA protocol-id=300 component-id=1 stale"
t_check "$TEST: resync: three memberships, all stale" \
	[ "$(got X '^get-membership handle=.* stale$' | wc -l)" -eq 3 ]
has_line X "resync: the membership dump names the key and interface" \
	"get-membership handle=$HA source=$S source-mask=255.255.255.255 group=$G3 group-mask=255.255.255.255 ifindex=$I1 nexthop=0.0.0.0 stale"

# confirm g0 and (*,G1) on it, and g1 without its memberships
say B 'take $H g0' "add \$H * $G1 g0" 'take $H g1' \
	'expect-error EEXIST take $H g1'
step "resync: B confirms g0, (*,G1) and g1"
t_check "$TEST: resync: confirming changes nothing (no event)" \
	[ -z "$(got M '^event ')" ]
say X interfaces "memberships $HA"
step "resync: dumps after confirming"
has_line X "resync: g0 confirmed" \
	"get-interface ifindex=$I0 nexthop=0.0.0.0 handle=$HA protocol-id=300 component-id=1"
has_line X "resync: (*,G1) confirmed" \
	"get-membership handle=$HA source=0.0.0.0 source-mask=0.0.0.0 group=$G1 group-mask=255.255.255.255 ifindex=$I0 nexthop=0.0.0.0"
t_check "$TEST: resync: the other two still stale" \
	[ "$(got X '^get-membership handle=.* stale$' | wc -l)" -eq 2 ]

say B 'resync-end $H'
step "resync-end"
events "$HA" | show
want="event membership-del handle=H protocol-id=300 component-id=1 source=0.0.0.0 source-mask=0.0.0.0 group=$G2 group-mask=255.255.255.255 ifindex=$I1 nexthop=0.0.0.0
event membership-del handle=H protocol-id=300 component-id=1 source=$S source-mask=255.255.255.255 group=$G3 group-mask=255.255.255.255 ifindex=$I1 nexthop=0.0.0.0
event protocol-change handle=H protocol-id=300 component-id=1 protocol-state=0"
t_check "$TEST: resync-end: the stale memberships deleted, then active" \
	[ "$(events "$HA" | grep -v '^event mfe-')" = "$want" ]
t_check "$TEST: resync-end: g0 and g1 stay (both confirmed)" \
	[ -z "$(events "$HA" | grep interface-del)" ]
say B 'expect-error EINVAL resync-end $H'
step "resync-end twice"
has_line B "resync-end when not resyncing: EINVAL naming the handle" \
	'error resync-end EINVAL attr=handle msg="mgm: handle: the registration is not resyncing"'

# ---- an interface not confirmed goes with the release sequence ----------
say B 'release $H g1' 'take $H g1' "add \$H * $G2 g1"
step "B: g1 again with (*,G2)"
stop B
step "B closes: held again"
# a register without a hold time takes over too
client C 'register 300 1'
step "C takes over, confirms nothing"
has_line C "a second restart, without a hold time: the same handle" \
	"register handle=$HA resync"
say C 'resync-end $H'
step "resync-end, nothing confirmed"
events "$HA" | show
want="event membership-del handle=H protocol-id=300 component-id=1 source=0.0.0.0 source-mask=0.0.0.0 group=$G1 group-mask=255.255.255.255 ifindex=$I0 nexthop=0.0.0.0
event interface-del handle=H protocol-id=300 component-id=1 ifindex=$I0 nexthop=0.0.0.0
event membership-del handle=H protocol-id=300 component-id=1 source=0.0.0.0 source-mask=0.0.0.0 group=$G2 group-mask=255.255.255.255 ifindex=$I1 nexthop=0.0.0.0
event interface-del handle=H protocol-id=300 component-id=1 ifindex=$I1 nexthop=0.0.0.0
event protocol-change handle=H protocol-id=300 component-id=1 protocol-state=0"
# the two interfaces in the order of MGM's table: compare as sets of lines
t_check "$TEST: resync-end: both interfaces released with their memberships" \
	[ "$(events "$HA" | grep -v '^event mfe-' | sort)" = "$(sort <<<"$want")" ]
t_check "$TEST: each interface's membership goes before the interface" \
	[ "$(events "$HA" | grep -v '^event mfe-' | grep -B1 'interface-del' | grep -c membership-del)" -eq 2 ]
stop C
step "C closes: no hold time, the normal shutdown"
t_check "$TEST: without a hold time, a close deregisters at once" \
	[ "$(events "$HA")" = "event protocol-del handle=H protocol-id=300 component-id=1" ]

# ---- a hold that runs out: the same shutdown as a close without hold ----

client D 'register 301 1' 'take $H g0' 'take $H g2' "add \$H * $G1 g0" \
	"add \$H $S $G3 g2"
step "D: no hold time"
HD=$(handle D)
stop D
step "D closes"
events "$HD" >"$tmp/plain"
show <"$tmp/plain"
client E 'register-hold 301 1 1' 'take $H g0' 'take $H g2' \
	"add \$H * $G1 g0" "add \$H $S $G3 g2"
step "E: the same with a hold of 1 s"
HE=$(handle E)
stop E
step "E closes"
t_check "$TEST: hold: only the state change at close" \
	[ "$(events "$HE")" = "event protocol-change handle=H protocol-id=301 component-id=1 protocol-state=1 time-left=1" ]
sleep 1.5
step "E's hold ran out"
events "$HE" >"$tmp/expired"
show <"$tmp/expired"
t_check "$TEST: a hold that runs out runs the shutdown of a close without hold" \
	diff -u "$tmp/plain" "$tmp/expired"
t_check "$TEST: ... which deleted the memberships and released the interfaces" \
	[ "$(grep -cE 'interface-del|membership-del|protocol-del' "$tmp/plain")" -eq 5 ]

# ---- membership dumps over many messages and many keys ------------------
adds=()
for ((i = 0; i < 400; i++)); do
	adds+=("add \$H * 239.23.$((i / 200)).$((i % 200 + 1)) g0")
done
client P 'register 305 1' 'take $H g0' 'batch on' "${adds[@]}" 'batch off'
client Q 'register 306 1' 'take $H g1' "add \$H * 239.23.9.9 g1"
step "P adds 400 memberships, Q one past them all"
HP=$(handle P) HQ=$(handle Q)
say X "memberships $HP" "memberships $HQ"
step "their dumps"
t_check "$TEST: a dump of 400 memberships over several messages: each once" \
	[ "$(got X "^get-membership handle=$HP " | sort -u | wc -l)" -eq 400 \
	-a "$(got X "^get-membership handle=$HP " | wc -l)" -eq 400 ]
has_line X "a dump that walks 400 keys of others finds Q's one" \
	"get-membership handle=$HQ source=0.0.0.0 source-mask=0.0.0.0 group=239.23.9.9 group-mask=255.255.255.255 ifindex=$I1 nexthop=0.0.0.0"
t_check "$TEST: ... and only it" [ "$(got X "^get-membership handle=$HQ " | wc -l)" -eq 1 ]
stop P
stop Q
step "P and Q close"

# ---- errors --------------------------------------------------------------
say X 'expect-error ERANGE register-hold 302 1 3601'
step "a hold time over the maximum"
has_line X "hold-time over 3600: ERANGE naming it" \
	'error register ERANGE attr=hold-time msg=".*"'
say X 'expect-error EINVAL send get-membership dump' \
	'expect-error ENOENT memberships 999999'
step "membership dump errors"
has_line X "get-membership without handle: EINVAL" \
	'error get-membership EINVAL( missing=handle)? msg="mgm: handle: required"'
has_line X "get-membership of no registration: ENOENT" \
	'error get-membership ENOENT msg="handle: no such registration"'

# ---- a held registration whose netns goes; the module with one held -----
ip netns add "$NS"
ip -n "$NS" link add n0 type dummy
ip -n "$NS" link set n0 up
ip netns exec "$NS" "$CLIENT" run 'register-hold 303 1 3600' 'take $H n0' \
	"add \$H * $G1 n0" >"$tmp/ns.out" 2>&1
t_check "$TEST: a registration held in a netns" grep -q '^ok add-membership' "$tmp/ns.out"
ip netns del "$NS"
# the netns's cleanup runs in a work item
sleep 1
"$CLIENT" run 'register-hold 304 1 3600' 'take $H g2' "add \$H * $G2 g2" \
	>"$tmp/held.out" 2>&1
t_check "$TEST: one held in the initial netns" grep -q '^ok add-membership' "$tmp/held.out"
netlink_close_clients
sleep 0.5
if rmmod mgm; then
	t_ok "$TEST: the module unloads with a registration held"
else
	t_fail "$TEST: the module unloads with a registration held"
fi
