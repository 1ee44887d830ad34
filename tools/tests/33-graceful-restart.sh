#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mgm-staticd's graceful restart (-H) with traffic flowing: killed with
# SIGKILL, its routes keep forwarding while MGM holds its state; a new
# mgm-staticd within the hold time takes the state over and confirms it,
# and not one datagram is lost at the receiver.  What the new
# configuration no longer names goes at the resync's end.  Killed again
# with a short hold, the hold runs out and the normal shutdown runs
# (forwarding stops); SIGTERM still shuts down at once.
# 22-restart.sh checks the netlink side event by event.
# Runs inside UML or a qemu guest as root; never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
STATICD=$TOOLS/mgm-staticd/mgm-staticd
MCAST=$MGM_REPO/tools/tests/mcast.py
SRC=10.33.0.2
G=239.33.0.1
bg_pids=()

# undone at exit (lib.sh)
t_netns mgm33-src mgm33-rcv
t_links gsrc grcv gs1

show() { sed 's/^/  | /'; }

# logged N REGEX: the daemons' log has N lines matching REGEX.
logged() { [ "$(grep -Ec -- "$2" "$tmp/d.log")" -ge "$1" ]; }
# wait_log N REGEX: the same within 10 s.
wait_log() { wait_for 10 logged "$@"; }

# protocols: "HANDLE STATE" of each registration, from mgmctl -j.
protocols() {
	"$MGMCTL" -j protocol show | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["handle"], p["state"])'
}

# received: the sequence numbers the receiver printed, one a line.
received() {
	awk -v s="$SRC" '$1 == s { print $2 }' "$tmp/rcv"
}
# received_ge N: at least N datagrams arrived.
received_ge() { [ "$(received | wc -l)" -ge "$1" ]; }
# no_protocol: nothing is registered.
no_protocol() { [ -z "$(protocols)" ]; }
# nothing_left: no interface and no MFE either.
nothing_left() {
	[ "$("$MGMCTL" -j interface show)" = "[]" ] &&
		[ "$("$MGMCTL" -j mfe show)" = "[]" ]
}
# none_missing: every datagram from the first received to the last sent
# arrived.
none_missing() { [ -n "$sent" ] && [ "$missing" = 0 ]; }

start_daemon() {
	"$STATICD" -p 300 -c 1 -u "$tmp/ctl.sock" -f "$1" "${@:2}" \
		>>"$tmp/d.log" 2>&1 &
	daemon=$!
	bg_pids+=("$daemon")
}

for t in "$MGMCTL" "$STATICD"; do
	if [ ! -x "$t" ]; then
		t_fail "restart: $t is built"
		exit 1
	fi
done
if ! insmod "$MGM_KO"; then
	t_fail "restart: insmod $MGM_KO"
	exit 1
fi

# a source behind gsrc, a receiver behind grcv, a dummy gs1
veth_host mgm33-src gsrc h0 10.33.0
veth_host mgm33-rcv grcv h1 10.33.1
ip link add gs1 type dummy
ip link set gs1 up
: >"$tmp/d.log"

cat >"$tmp/a.conf" <<CONF
interface gsrc
interface grcv
interface gs1
mroute from gsrc source $SRC group $G to grcv
mroute group 239.33.0.6 to gs1
CONF
# the next one drops gs1 and its route
grep -v gs1 "$tmp/a.conf" >"$tmp/b.conf"

"$MGMCTL" monitor >"$tmp/mon" 2>&1 &
bg_pids+=($!)
sleep 0.3
start_daemon "$tmp/a.conf" -H 10
if wait_log 1 'configuration applied: 3 interfaces'; then
	t_ok "restart: mgm-staticd -H 10 applies its configuration"
else
	t_fail "restart: mgm-staticd -H 10 applies its configuration"
	show <"$tmp/d.log"
	exit 1
fi
read -r handle state < <(protocols)
t_check "restart: registered, active" [ "$state" = active ]

ip netns exec mgm33-rcv python3 "$MCAST" recv "$G" 5001 10.33.1.2 "$SRC" \
	>"$tmp/rcv" 2>&1 &
bg_pids+=($!)
wait_for 5 grep -q '^ready' "$tmp/rcv"
# 100 datagrams a second
ip netns exec mgm33-src python3 "$MCAST" send "$G" 5001 "$SRC" 0.01 \
	>"$tmp/snd" 2>&1 &
sender=$!
bg_pids+=("$sender")
if wait_for 10 received_ge 50; then
	t_ok "restart: the route forwards"
else
	t_fail "restart: the route forwards"
	show <"$tmp/rcv"
fi

# ---- SIGKILL: held; a new one within the hold time takes over ----------
kill -KILL "$daemon"
wait "$daemon" 2>/dev/null
before=$(received | wc -l)
"$MGMCTL" protocol show | show
t_check "restart: after SIGKILL the registration is held" \
	[ "$(protocols)" = "$handle held" ]
t_check "restart: held: the interfaces stay" \
	[ "$("$MGMCTL" -j interface show | grep -o '"ifname"' | wc -l)" -eq 3 ]
sleep 1
t_check "restart: held: datagrams still arrive" \
	[ "$(received | wc -l)" -gt $((before + 50)) ]

start_daemon "$tmp/b.conf" -H 10
if wait_log 1 'resync ended'; then
	t_ok "restart: the new mgm-staticd resyncs and ends the resync"
else
	t_fail "restart: the new mgm-staticd resyncs and ends the resync"
fi
show <"$tmp/d.log"
t_check "restart: it took over the state (log)" \
	grep -Eq "registered protocol 300 component 1: handle $handle, taking over" "$tmp/d.log"
t_check "restart: the same handle, active again" \
	[ "$(protocols)" = "$handle active" ]
"$MGMCTL" interface show | show
t_check "restart: gs1, which the new file does not name, released" \
	[ -z "$("$MGMCTL" interface show | grep -w gs1)" ]
t_check "restart: its route's group gone with it" \
	[ -z "$("$MGMCTL" group show | grep -F 239.33.0.6)" ]
grep protocol-change "$tmp/mon" | show
# changed: the states of the monitor's protocol-change events, in order
changed() {
	grep -o ' protocol-change handle=[0-9]* .*' "$tmp/mon" |
		sed -nE 's/.* protocol-state=([a-z]+).*/\1/p' | paste -sd' '
}
t_check "restart: mgmctl monitor: held, resync, active, by name" \
	[ "$(changed)" = "held resync active" ]
sleep 1
kill -TERM "$sender"
wait "$sender" 2>/dev/null
sleep 0.5
sent=$(sed -n 's/^sent //p' "$tmp/snd")
first=$(received | head -n 1)
missing=$(received | sort -n | awk -v a="$first" -v b="$sent" '
	{ got[$1] = 1 }
	END { n = 0; for (i = a; i <= b; i++) if (!(i in got)) n++; print n }')
echo "  | sent $sent, first received $first, missing $missing"
t_check "restart: SIGKILL and restart within the hold: no datagram lost" \
	none_missing

# ---- a hold that runs out: the normal shutdown, forwarding stops -------
kill -KILL "$daemon"
wait "$daemon" 2>/dev/null
"$STATICD" -p 300 -c 1 -u "$tmp/ctl.sock" -f "$tmp/b.conf" -H 1 \
	>>"$tmp/d.log" 2>&1 &
pid=$!
bg_pids+=("$pid")
wait_log 2 'resync ended'
kill -KILL "$pid"
wait "$pid" 2>/dev/null
t_check "restart: killed again (hold 1 s): held" \
	[ "$(protocols)" = "$handle held" ]
if wait_for 5 no_protocol; then
	t_ok "restart: past the hold time the registration goes"
else
	t_fail "restart: past the hold time the registration goes"
fi
t_check "restart: ... with its interfaces and MFEs" nothing_left

# ---- SIGTERM is a stop, not a restart ------------------------------------
start_daemon "$tmp/b.conf" -H 10
wait_log 4 'configuration applied'
kill -TERM "$daemon"
wait "$daemon"
t_check "restart: SIGTERM with -H: deregistered at once" no_protocol
