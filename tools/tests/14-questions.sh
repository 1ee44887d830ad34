#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The questions of MGM to userspace protocols, end to end with real
# packets: a host in a network namespace sends multicast UDP to the router
# (this namespace, mgm loaded, its ipmr table MGM's); each new (S,G) is a
# NOCACHE upcall, an RPF question to the owner of the upstream interface
# and a creation alert to the owner of the downstream ones.  Answered on
# time (the answer shows in the MFE), answered differently (another IIF,
# an interface vetoed, a lifetime), answered late (ENOENT, the default
# kept), never answered (the default after reply_timeout_ms), answered from
# the wrong socket or with the wrong kind (EPERM, EINVAL; the question
# stays open).  The MFE-level join and prune alerts, the wrong-interface
# notification, set-mfe, the counters, and the monitor's MFE events too.
#
#   src host 10.0.11.2 qs0 ---- qu0 10.0.11.1            U (200): qu0, qu1
#                                qu1 10.0.12.1   router
#                                qd1, qd2 (dummies)      D (201): qd1, qd2
#
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=questions
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
NS=mgm14-src
SRC=10.0.11.2
PORT=5014
TIMEOUT_MS=1000
PARAM=/sys/module/mgm/parameters/reply_timeout_ms
senders=()

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'kill -KILL "${senders[@]}"'
t_netns "$NS"
t_links qu0 qu1 qd1 qd2

# send G: a host sends datagrams to G until stop_send.
send() {
	ip netns exec "$NS" "${MCAST[@]}" send "$1" "$PORT" "$SRC" 0.05 \
		>/dev/null 2>&1 &
	senders+=("$!")
}

stop_send() {
	local p

	for p in "${senders[@]}"; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	senders=()
}

# mfe_of G [SECS]: waits (SECS, default 10) for the MFE of (SRC, G) and
# sets $mfe to its get-mfe line.
mfe_of() {
	local i out

	mfe=
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		out=$("$CLIENT" mfe "$SRC" "$1" 2>&1)
		if mfe=$(grep '^get-mfe ' <<<"$out"); then
			echo "$mfe" | show
			return 0
		fi
		sleep 0.1
	done
	echo "no MFE of ($SRC, $1) after ${2:-10} s"
	return 1
}

# mfe_is NAME REGEX: $mfe matches REGEX.
mfe_is() {
	if grep -Eq -- "$2" <<<"$mfe"; then
		t_ok "$TEST: $1"
	else
		t_fail "$TEST: $1 (the MFE is not /$2/)"
	fi
}

# cookie NAME CMD: the cookie of the last question CMD client NAME got.
cookie() {
	sed -n "s/^notify $2 .*cookie=\([0-9]*\).*/\1/p" "$tmp/$1.out" | tail -n 1
}

if [ ! -x "$CLIENT" ]; then
	t_fail "$TEST: $CLIENT is built"
	exit 1
fi
if ! insmod "$MGM_KO" reply_timeout_ms=$TIMEOUT_MS; then
	t_fail "$TEST: insmod $MGM_KO reply_timeout_ms=$TIMEOUT_MS"
	exit 1
fi

# The route toward the source goes out of qu0, where the source is.
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip link add qu0 type veth peer name qs0 netns "$NS"
ip addr add 10.0.11.1/24 dev qu0
ip link set qu0 up
ip netns exec "$NS" ip addr add "$SRC/24" dev qs0
ip netns exec "$NS" ip link set qs0 up
ip netns exec "$NS" ip route add default via 10.0.11.1
for dev in qu1 qd1 qd2; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done
ip addr add 10.0.12.1/24 dev qu1
U0=$(</sys/class/net/qu0/ifindex)
U1=$(</sys/class/net/qu1/ifindex)
D1=$(</sys/class/net/qd1/ifindex)
D2=$(</sys/class/net/qd2/ifindex)
SG="source=$SRC group"
ALL=255.255.255.255
# the route toward SRC: connected (RTPROT_KERNEL) 10.0.11.0/24 out of qu0
ROUTE="route-prefix=10.0.11.0 route-prefix-len=24 route-protocol=2"
# sg G: (SRC, G) with its masks, as alerts carry it
sg() {
	echo "source=$SRC source-mask=$ALL group=$1 group-mask=$ALL"
}

client U 'register 200 1' 'take $H qu0' 'take $H qu1'
step "setup U"
client D 'register 201 1' 'take $H qd1' 'take $H qd2'
step "setup D"
client X 'register 202 1'
client M 'monitor 0'
if ! step "setup X and the monitor"; then
	t_fail "$TEST: three protocols and a monitor"
	exit 1
fi
HU=$(handle U) HD=$(handle D)
t_ok "$TEST: three protocols and a monitor"

# ---- answered on time: the answers make the MFE --------------------------
G=239.5.0.1
say U 'answer rpf upstream=10.0.11.99' 'answer prune 2'
say D 'answer creation accept' "add \$H * $G qd1" "add \$H * $G qd2"
step "on time: memberships"
send $G
if mfe_of $G; then
	t_ok "$TEST: on time: a packet of a new source made an MFE"
else
	t_fail "$TEST: on time: a packet of a new source made an MFE"
fi
mfe_is "on time: the MFE: the upstream U answered, the route, both OIFs" \
	"^get-mfe $SG=$G upstream=10\.0\.11\.99 iif=$U0 iif-nexthop=0\.0\.0\.0 iif-protocol=200 $ROUTE uptime=[0-9]+ expiry=[0-9]+ timeout=900 oif=$D1/0\.0\.0\.0 oif=$D2/0\.0\.0\.0$"
step "on time: the questions"
has_line U "on time: U, owner of the RPF interface, got the rpf question" \
	"notify rpf handle=$HU cookie=[0-9]+ $SG=$G iif=$U0 iif-nexthop=0\.0\.0\.0 upstream=$SRC $ROUTE packet=45[0-9a-f]+"
has_line U "on time: U's answer was taken" "ok rpf-reply"
has_line U "on time: U got the join alert of the MFE (member-update absent)" \
	"notify join-alert handle=$HU $(sg $G)"
has_line D "on time: D, owner of the OIFs, got the creation alert for both" \
	"notify creation-alert handle=$HD cookie=[0-9]+ $SG=$G iif=$U0 iif-nexthop=0\.0\.0\.0 oif=$D1/0\.0\.0\.0 oif=$D2/0\.0\.0\.0"
has_line D "on time: D's answer was taken" "ok creation-reply"
has_line M "on time: the monitor got the rpf question too" \
	"event rpf handle=$HU cookie=[0-9]+ $SG=$G .*"
has_line M "on time: the monitor got the creation alert too" \
	"event creation-alert handle=$HD cookie=[0-9]+ $SG=$G .*"
has_line M "on time: the monitor got mfe-new with the whole MFE" \
	"event mfe-new $SG=$G upstream=10\.0\.11\.99 iif=$U0 iif-nexthop=0\.0\.0\.0 iif-protocol=200 $ROUTE uptime=0 expiry=(899|900) timeout=900 oif=$D1/0\.0\.0\.0 oif=$D2/0\.0\.0\.0"
expect X ""
t_check_out "$TEST: ip mroute show: ($SRC,$G) from qu0 to qd1 and qd2" \
	"Iif: qu0 .*Oifs: qd1 qd2" ip mroute show

# counters, set-mfe
sleep 1
out=$("$CLIENT" run "mfe $SRC $G stats" 'mfes stats' 'mfes' 2>&1)
show <<<"$out"
if grep -Eq "^get-mfe $SG=$G .* pkts=[1-9][0-9]* bytes=[1-9][0-9]* wrong-if=0$" <<<"$out" &&
   [ "$(grep -c "^get-mfe $SG=$G .* pkts=" <<<"$out")" -eq 2 ] &&
   [ "$(grep -c "^get-mfe $SG=$G " <<<"$out")" -eq 3 ]; then
	t_ok "$TEST: get-mfe with stats counts the packets, do and dump"
else
	t_fail "$TEST: get-mfe with stats counts the packets, do and dump"
fi
say U "set-mfe \$H $SRC $G 10.0.11.42" "expect-error ENOENT set-mfe \$H $SRC 239.5.9.9 1.2.3.4"
say X "expect-error EPERM set-mfe $HU $SRC $G 10.0.11.43"
step "set-mfe"
mfe_of $G
mfe_is "set-mfe changed the upstream" " upstream=10\.0\.11\.42 "

# the OIF list empties: the IIF owner's prune alert asks for a lifetime
say D "del \$H * $G qd1"
step "one OIF less"
has_line M "one OIF less: mfe-change" \
	"event mfe-change $SG=$G .* oif=$D2/0\.0\.0\.0"
expect U ""
say D "del \$H * $G qd2"
step "no OIF left"
has_line U "no OIF left: U got the prune alert with a cookie and the default lifetime" \
	"notify prune-alert handle=$HU $(sg $G) ifindex=$U0 nexthop=0\.0\.0\.0 cookie=[0-9]+ timeout=900"
has_line U "no OIF left: U answered it" "ok prune-reply"
has_line U "no OIF left: D's last membership gone, U got the member-delete prune alert too" \
	"notify prune-alert handle=$HU source=0\.0\.0\.0 source-mask=0\.0\.0\.0 group=$G group-mask=$ALL ifindex=$D2 nexthop=0\.0\.0\.0 member-delete"
mfe_of $G
mfe_is "no OIF left: the MFE lives as long as U said" " timeout=2( |$)"
# idle for its lifetime once the source stops: it goes
stop_send
for ((i = 0; i < 100; i++)); do
	"$CLIENT" mfe $SRC $G >/dev/null 2>&1 || break
	sleep 0.1
done
step "the source stopped"
if ! "$CLIENT" mfe $SRC $G >/dev/null 2>&1; then
	t_ok "$TEST: the negative MFE went after its lifetime (${i}00 ms after the source stopped)"
else
	t_fail "$TEST: the negative MFE went after its lifetime"
fi
has_line M "the monitor got mfe-del" "event mfe-del $SG=$G .* timeout=2"
if ip mroute show | grep -qF "$G"; then
	t_fail "$TEST: ip mroute show: no ($SRC,$G) left"
else
	t_ok "$TEST: ip mroute show: no ($SRC,$G) left"
fi

# ---- answered differently: a veto, another incoming interface ------------
G=239.5.0.2
say D 'answer creation disable qd2' "add \$H * $G qd1" "add \$H * $G qd2"
step "veto: memberships"
send $G
mfe_of $G
mfe_is "veto: the MFE forwards to qd1 only" " oif=$D1/0\.0\.0\.0$"
step "veto: the questions"
has_line D "veto: D's answer disabled qd2" "ok creation-reply"
# the veto holds against later membership changes
# (Documentation/mgm.rst, "The outgoing list")
say D "del \$H * $G qd2" "add \$H * $G qd2"
step "veto: membership churn on qd2"
mfe_of $G
mfe_is "veto: still qd1 only after qd2's membership went and came" \
	" oif=$D1/0\.0\.0\.0$"
# but the owner's own FORWARD_STATE add lifts it
say D "add \$H * $G qd2 0 forward"
step "veto: forward-state"
mfe_of $G
mfe_is "veto: D's forward-state add lifts it" \
	" oif=$D1/0\.0\.0\.0 oif=$D2/0\.0\.0\.0$"
stop_send

G=239.5.0.3
say U 'answer rpf iif=qu1'
say D 'answer creation accept' "add \$H * $G qd1"
step "iif: memberships"
send $G
mfe_of $G
mfe_is "iif: U's answer moved the incoming interface to qu1" \
	"^get-mfe $SG=$G upstream=$SRC iif=$U1 .* oif=$D1/0\.0\.0\.0$"
# the packets still come in on qu0: wrong interface, to its owner U
for ((i = 0; i < 50; i++)); do
	grep -q '^notify wrong-if ' "$tmp/U.out" && break
	sleep 0.1
done
step "iif: wrong interface"
has_line U "iif: packets on qu0 are reported to U as wrong-if, with the packet" \
	"notify wrong-if handle=$HU $SG=$G ifindex=$U0 nexthop=0\.0\.0\.0 packet=45[0-9a-f]+"
has_line M "iif: the monitor got the wrong-if too" \
	"event wrong-if handle=$HU $SG=$G ifindex=$U0 .*"
stop_send
out=$("$CLIENT" mfe $SRC $G stats 2>&1)
show <<<"$out"
if grep -Eq " wrong-if=[1-9][0-9]*$" <<<"$out"; then
	t_ok "$TEST: iif: ipmr counted the packets on qu0 as wrong-if"
else
	t_fail "$TEST: iif: ipmr counted the packets on qu0 as wrong-if"
fi

# ---- never answered: the defaults after reply_timeout_ms -----------------
G=239.5.0.4
say U 'answer rpf silent'
say D 'answer creation silent' "add \$H * $G qd1" "add \$H * $G qd2"
step "silent: memberships"
start=$(date +%s%N)
send $G
mfe_of $G
ms=$((($(date +%s%N) - start) / 1000000))
mfe_is "silent: the defaults: the route's interface and upstream, every OIF" \
	"^get-mfe $SG=$G upstream=$SRC iif=$U0 .* oif=$D1/0\.0\.0\.0 oif=$D2/0\.0\.0\.0$"
if [ "$ms" -ge "$TIMEOUT_MS" ]; then
	t_ok "$TEST: silent: the MFE came after the deadline (${ms} ms >= $TIMEOUT_MS)"
else
	t_fail "$TEST: silent: the MFE came after the deadline (${ms} ms < $TIMEOUT_MS)"
fi
step "silent: the questions"
has_line U "silent: U got the rpf question" "notify rpf handle=$HU .*$SG=$G .*"
has_line D "silent: D got the creation alert" \
	"notify creation-alert handle=$HD .*$SG=$G .*"
expect U "" '^(ok|error) '
expect D "" '^(ok|error) '
stop_send

# ---- answered late: ENOENT, and the default stands -----------------------
G=239.5.0.5
say U 'answer rpf upstream=10.0.11.77' 'answer delay 2'
say D 'answer creation disable' 'answer delay 2' "add \$H * $G qd1"
step "late: memberships"
send $G
mfe_of $G
mfe_is "late: the defaults: upstream the source, qd1 enabled" \
	"^get-mfe $SG=$G upstream=$SRC iif=$U0 .* oif=$D1/0\.0\.0\.0$"
wait_lines "$tmp/U.out" '^error rpf-reply' 1
wait_lines "$tmp/D.out" '^error creation-reply' 1
step "late: the answers"
has_line U "late: U's answer came after the deadline: ENOENT naming the cookie" \
	'error rpf-reply ENOENT msg="mgm: cookie: no such question pending.*"'
has_line D "late: D's answer too" \
	'error creation-reply ENOENT msg="mgm: cookie: no such question pending.*"'
mfe_of $G
mfe_is "late: the late answers changed nothing" \
	"^get-mfe $SG=$G upstream=$SRC iif=$U0 .* oif=$D1/0\.0\.0\.0$"
say U 'answer delay 0'
say D 'answer delay 0' 'answer creation accept'
stop_send

# ---- answered from the wrong socket, or with the wrong kind --------------
# A long deadline, for the test to read the cookie and answer by hand.
echo 10000 >"$PARAM"
G=239.5.0.6
say U 'answer rpf silent'
say D "add \$H * $G qd1"
step "wrong socket: memberships"
send $G
wait_lines "$tmp/U.out" "^notify rpf .*group=$G " 1
C=$(cookie U rpf)
say X "expect-error EPERM send rpf-reply handle=$HU cookie=$C iif=qu0 upstream=0" \
	"expect-error EPERM send rpf-reply handle=\$H cookie=$C iif=qu0 upstream=0"
say U "expect-error EINVAL send prune-reply handle=\$H cookie=$C timeout=5" \
	"expect-error EINVAL send creation-reply handle=\$H cookie=$C"
step "wrong socket: the wrong answers"
has_line X "wrong socket: another socket's handle: EPERM at handle" \
	'error rpf-reply EPERM attr=handle msg="handle: registered by another netlink socket"'
has_line X "wrong socket: its own handle, another's question: EPERM naming the cookie" \
	'error rpf-reply EPERM msg="mgm: cookie: the question went to another protocol"'
has_line U "wrong kind: EINVAL naming the cookie" \
	'error prune-reply EINVAL msg="mgm: cookie: the question was of another kind"'
if "$CLIENT" mfe $SRC $G >/dev/null 2>&1; then
	t_fail "$TEST: wrong socket: the question is still open (no MFE yet)"
else
	t_ok "$TEST: wrong socket: the question is still open (no MFE yet)"
fi
say U "send rpf-reply handle=\$H cookie=$C iif=qu0 upstream=10.0.11.55" \
	"expect-error ENOENT send rpf-reply handle=\$H cookie=$C iif=qu0 upstream=10.0.11.56"
mfe_of $G
mfe_is "wrong socket: the right answer afterwards is taken" \
	"^get-mfe $SG=$G upstream=10\.0\.11\.55 iif=$U0 .* oif=$D1/0\.0\.0\.0$"
step "wrong socket: the right answer"
has_line U "wrong socket: the right answer succeeds, once" "ok rpf-reply"
has_line U "wrong socket: a second answer: ENOENT" 'error rpf-reply ENOENT .*'
echo $TIMEOUT_MS >"$PARAM"
stop_send

# ---- the YNL client decodes an MFE dump with counters (and its pad) ------
KSRC=${MGM_KSRC:-/var/cache/mgm/src/linux-source-6.12}
if [ -f "$KSRC/tools/net/ynl/cli.py" ]; then
	t_check_out "$TEST: cli.py dumps the MFEs with their counters" \
		"\"group\": \"239\.5\.0\.6\".*\"pkts\": [1-9]" \
		/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" \
		--spec "$MGM_REPO/tools/spec/mgm.yaml" --output-json \
		--dump get-mfe --json '{"stats": true}'
fi

# ---- the end: clients exit cleanly, their MFEs go with them --------------
for c in U D X M; do
	if stop $c; then
		t_ok "$TEST: client $c ran every command as expected"
	else
		t_fail "$TEST: client $c ran every command as expected"
		tail -n 30 "$tmp/$c.out" | show
	fi
done
t_check_out "$TEST: no MFE left once the protocols are gone" \
	"^ok get-mfe count=0$" "$CLIENT" mfes
t_check "$TEST: rmmod mgm" rmmod mgm
