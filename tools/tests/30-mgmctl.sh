#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mgmctl (tools/mgmctl): every command, its table and its JSON (parsed with
# python3), the monitor in both forms, errors (the kernel's extack message,
# its errno name, exit 1; bad usage, exit 2), -n NETNS, help and the man
# page.  Registrations are made with tools/mgm-client; the memberships and
# MFEs of mfe/group show come from mgm-staticd in 31-staticd.sh.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016 # $H and $PORTID are mgm-client's variables

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
CLIENT=$TOOLS/mgm-client
bg_pids=()

# undone at exit (lib.sh)
t_netns t30
t_links m0 m1 m2

show() { sed 's/^/  | /'; }

# ctl NAME ARG...: mgmctl ARG..., stdout in $out, stderr in $err, exit
# status in $rc; NAME passes when it exits 0.
ctl() {
	local name=$1

	shift
	"$MGMCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
	echo "  \$ mgmctl $*"
	show <<<"$out"
	[ -z "$err" ] || show <<<"$err"
	if [ "$rc" -eq 0 ]; then t_ok "$name"; else t_fail "$name (exit $rc)"; fi
}

# fails NAME STATUS REGEX ARG...: mgmctl ARG... exits STATUS, stderr
# matches REGEX, stdout is empty.
fails() {
	local name=$1 want=$2 re=$3

	shift 3
	"$MGMCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	echo "  \$ mgmctl $* (exit $rc)"
	show <"$tmp/err"
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" "$tmp/err" &&
		[ ! -s "$tmp/out" ]; then
		t_ok "$name"
	else
		t_fail "$name (exit $rc, wanted $want and /$re/ on stderr)"
	fi
}

# py NAME SCRIPT: python3 SCRIPT reads $out on stdin; passes when it exits
# 0 (it asserts what it checks).
py() {
	if python3 -c "$2" <<<"$out"; then t_ok "$1"; else t_fail "$1"; fi
}

# row NAME REGEX: a line of the table in $out matches REGEX (columns are
# separated by runs of blanks, written as " +").
row() {
	if grep -Eq -- "^$2\$" <<<"$out"; then
		t_ok "$1"
	else
		t_fail "$1 (no line /^$2\$/)"
	fi
}

# wait_lines FILE REGEX N: waits (10 s at most) for N lines matching REGEX.
wait_lines() {
	local i

	for ((i = 0; i < 100; i++)); do
		[ "$(grep -Ec -- "$2" "$1")" -ge "$3" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $3 lines /$2/ in $1:"
	show <"$1"
	return 1
}

if [ ! -x "$MGMCTL" ]; then
	t_fail "mgmctl: $MGMCTL is built"
	exit 1
fi

# Before the module: the family is missing, and help needs no module.
fails "mgmctl: without mgm.ko: a clear error, exit 1" 1 \
	'no generic netlink family "mgm" \(is mgm.ko loaded\?\)' protocol show
for obj in protocol interface mfe group monitor; do
	ctl "mgmctl: $obj help" "$obj" help
	grep -q "^Usage: mgmctl .*$obj" <<<"$out" ||
		t_fail "mgmctl: $obj help says its usage"
done
ctl "mgmctl: --help" --help
ctl "mgmctl: mfe show --help" mfe show --help
grep -q '^Usage: mgmctl .*mfe show \[ -s \]' <<<"$out" ||
	t_fail "mgmctl: mfe show --help says its usage"

# The man page renders without a warning.
if man --warnings -l "$MGM_REPO/tools/mgmctl/mgmctl.8" 2>"$tmp/man.err" >"$tmp/man.out" &&
	[ ! -s "$tmp/man.err" ] && grep -q 'mgmctl' "$tmp/man.out"; then
	t_ok "mgmctl: man -l mgmctl.8 renders without warnings"
else
	t_fail "mgmctl: man -l mgmctl.8 renders without warnings"
	show <"$tmp/man.err"
fi

if ! insmod "$MGM_KO"; then
	t_fail "mgmctl: insmod $MGM_KO"
	exit 1
fi
for dev in m0 m1 m2; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done
IF0=$(</sys/class/net/m0/ifindex)
IF1=$(</sys/class/net/m1/ifindex)
IF2=$(</sys/class/net/m2/ifindex)

# Nothing registered: headers only, and empty JSON arrays.
ctl "mgmctl: protocol show, nothing registered" protocol show
row "mgmctl: protocol show: the header alone" 'HANDLE +PROTOCOL +COMPONENT +PORTID +HOLD +STATE'
t_check "mgmctl: protocol show: one line" [ "$(wc -l <<<"$out")" -eq 1 ]
ctl "mgmctl: -j protocol show, nothing registered" -j protocol show
py "mgmctl: -j protocol show: []" 'import json,sys; assert json.load(sys.stdin) == []'
ctl "mgmctl: -j interface show, nothing owned" -j interface show
py "mgmctl: -j interface show: []" 'import json,sys; assert json.load(sys.stdin) == []'

# Monitors, text and JSON, from before the first event.
"$MGMCTL" monitor >"$tmp/mon.txt" 2>&1 &
bg_pids+=($!)
"$MGMCTL" -j monitor >"$tmp/mon.json" 2>&1 &
bg_pids+=($!)
sleep 0.5

# A routing protocol on m0 and m1, the IGMP component co-owning m1 and
# alone on m2.
"$CLIENT" run 'register 300 7' 'register 10 1 I' 'take $H m0' 'take $H m1' \
	'take $I m1' 'take $I m2' 'echo ready $H $I $PORTID' 'hold' >"$tmp/client" 2>&1 &
client=$!
bg_pids+=("$client")
if wait_lines "$tmp/client" '^ready' 1; then
	t_ok "mgmctl: a client registers and takes m0, m1"
else
	t_fail "mgmctl: a client registers and takes m0, m1"
fi
read -r _ H I PORTID < <(grep '^ready' "$tmp/client")

ctl "mgmctl: protocol show" protocol show
row "mgmctl: protocol show: the routing protocol" "$H +300 +7 +$PORTID +- +active"
row "mgmctl: protocol show: the IGMP component" "$I +10 +1 +$PORTID +- +active"
ctl "mgmctl: pro sh (abbreviated)" pro sh
row "mgmctl: pro sh: the same table" "$H +300 +7 +$PORTID +- +active"

ctl "mgmctl: -j protocol show" -j protocol show
py "mgmctl: -j protocol show: both protocols, every field" "
import json, sys
p = sorted(json.load(sys.stdin), key=lambda e: e['handle'])
want = sorted([dict(handle=$H, protocol_id=300, component_id=7, portid=$PORTID,
                    hold_time=0, state='active', answers=0),
               dict(handle=$I, protocol_id=10, component_id=1, portid=$PORTID,
                    hold_time=0, state='active', answers=0)],
              key=lambda e: e['handle'])
assert p == want, p"

ctl "mgmctl: interface show" interface show
row "mgmctl: interface show: header" 'IFINDEX +IFNAME +NEXTHOP +HANDLE +PROTOCOL +COMPONENT +IGMP'
row "mgmctl: interface show: m0, routing protocol only" "$IF0 +m0 +- +$H +300 +7 +-"
row "mgmctl: interface show: m1, IGMP co-owns" "$IF1 +m1 +- +$H +300 +7 +$I"
row "mgmctl: interface show: m2, IGMP alone" "$IF2 +m2 +- +- +- +- +$I"

ctl "mgmctl: -j interface show" -j interface show
py "mgmctl: -j interface show: m0, m1, m2, owners and IGMP" "
import json, sys
i = {e['ifname']: e for e in json.load(sys.stdin)}
assert set(i) == {'m0', 'm1', 'm2'}, i
assert 'handle' not in i['m2'] and i['m2']['igmp_handle'] == $I, i['m2']
assert i['m0'] == dict(ifindex=$IF0, ifname='m0', nexthop='0.0.0.0',
    handle=$H, protocol_id=300, component_id=7, igmp=False,
    igmp_disabled=False), i['m0']
assert i['m1']['igmp'] is True and i['m1']['igmp_handle'] == $I, i['m1']
assert i['m1']['handle'] == $H, i['m1']"

# -n NETNS: another namespace has its own (empty) MGM.
ip netns add t30
ctl "mgmctl: -n t30 protocol show" -n t30 protocol show
t_check "mgmctl: -n t30: nothing of the main netns" [ "$(wc -l <<<"$out")" -eq 1 ]
ip netns exec t30 "$CLIENT" run 'register 301 1' 'echo ready' 'hold' \
	>"$tmp/client30" 2>&1 &
bg_pids+=($!)
wait_lines "$tmp/client30" '^ready' 1
ctl "mgmctl: -j -n t30 protocol show" -j -n t30 protocol show
py "mgmctl: -n t30: its own protocol only" "
import json, sys
p = json.load(sys.stdin)
assert [e['protocol_id'] for e in p] == [301], p"
ctl "mgmctl: main netns unchanged" -j protocol show
py "mgmctl: main netns: no protocol 301" "
import json, sys
assert 301 not in [e['protocol_id'] for e in json.load(sys.stdin)]"

# The end of the client: its interfaces and protocols go.
kill "$client"
wait "$client" 2>/dev/null
for i in $(seq 50); do
	[ "$("$MGMCTL" protocol show | wc -l)" -eq 1 ] && break
	sleep 0.1
done
ctl "mgmctl: protocol show after the client closed" protocol show
t_check "mgmctl: the client's protocols are gone" [ "$(wc -l <<<"$out")" -eq 1 ]

# The monitors saw it all, one line per event with a timestamp.
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z'
wait_lines "$tmp/mon.txt" ' protocol-del ' 2
show <"$tmp/mon.txt"
out=$(<"$tmp/mon.txt")
row "mgmctl: monitor: protocol-new" "$ts protocol-new handle=$H protocol-id=300 component-id=7"
row "mgmctl: monitor: interface-new, ifindex with its name" \
	"$ts interface-new handle=$H protocol-id=300 component-id=7 ifindex=$IF0:m0( nexthop=0\.0\.0\.0)?"
row "mgmctl: monitor: disable-igmp on m1" \
	"$ts disable-igmp handle=$I protocol-id=10 component-id=1 ifindex=$IF1:m1( nexthop=0\.0\.0\.0)?"
row "mgmctl: monitor: interface-del" \
	"$ts interface-del handle=$H protocol-id=300 component-id=7 ifindex=$IF0:m0( nexthop=0\.0\.0\.0)?"
row "mgmctl: monitor: protocol-del" "$ts protocol-del handle=$H protocol-id=300 component-id=7"
if grep -Evq "^$ts [a-z-]+( [a-z-]+(=[^ ]+)?)*\$" <<<"$out"; then
	t_fail "mgmctl: monitor: every line is TIME EVENT ATTR=VALUE..."
else
	t_ok "mgmctl: monitor: every line is TIME EVENT ATTR=VALUE..."
fi

wait_lines "$tmp/mon.json" '"protocol-del"' 2
show <"$tmp/mon.json"
out=$(<"$tmp/mon.json")
py "mgmctl: -j monitor: JSON lines, the same events" "
import json, sys, re
ev = [json.loads(l) for l in sys.stdin.read().splitlines()]
for e in ev:
    assert re.fullmatch(r'$ts', e['time']), e
names = [e['event'] for e in ev]
for n in ['protocol-new', 'interface-new', 'disable-igmp', 'enable-igmp',
          'interface-del', 'protocol-del']:
    assert n in names, (n, names)
new = [e for e in ev if e['event'] == 'interface-new' and e['ifindex'] == $IF0]
assert new and new[0]['ifname'] == 'm0' and new[0]['handle'] == $H, new
assert new[0]['protocol_id'] == 300 and new[0]['component_id'] == 7, new"
t_check "mgmctl: monitor and -j monitor: as many lines" \
	[ "$(wc -l <"$tmp/mon.txt")" -eq "$(wc -l <"$tmp/mon.json")" ]

# Errors: the kernel's message and errno name, exit 1; usage, exit 2.
fails "mgmctl: mfe show of a missing MFE: the kernel's error, exit 1" 1 \
	'^mgmctl: mfe show: Error: .+ \(E[A-Z]+\)$' \
	mfe show group 239.9.9.9 source 10.9.9.9
fails "mgmctl: -j too: the error on stderr, nothing on stdout" 1 \
	'^mgmctl: mfe show: Error: .+ \(E[A-Z]+\)$' \
	-j mfe show group 239.9.9.9 source 10.9.9.9
fails "mgmctl: unknown object, exit 2" 2 'unknown object "frob"' frob show
fails "mgmctl: unknown command, exit 2" 2 'unknown command "add"' protocol add
fails "mgmctl: extra argument, exit 2" 2 'unexpected argument "x"' interface show x
fails "mgmctl: bad address, exit 2" 2 'bad group address "300.1.1.1"' \
	mfe show group 300.1.1.1
fails "mgmctl: bad group show type, exit 2" 2 'unexpected argument "both"' \
	group show both
fails "mgmctl: unknown option, exit 2" 2 'unknown option "-x"' -x protocol show
fails "mgmctl: -n without NETNS, exit 2" 2 'missing NETNS after "-n"' -n
fails "mgmctl: -n of a missing netns, exit 1" 1 \
	'cannot enter network namespace "nope": No such file or directory' \
	-n nope protocol show

# mfe and group show with nothing in the tables (their contents: 31-staticd.sh),
# once the kernel has the commands
if "$MGMCTL" group show 2>&1 | grep -q EOPNOTSUPP; then
	echo "# skip mgmctl: mfe and group show: the kernel has no GET_GROUP yet" >>"$MGM_RESULTS"
	echo "mgm-test: # skip mgmctl: mfe and group show: no GET_GROUP yet"
else
	ctl "mgmctl: mfe show, no MFE" mfe show
	row "mgmctl: mfe show: the header alone" \
		'SOURCE +GROUP +IIF +UPSTREAM +PROTOCOL +UPTIME +EXPIRY +OIFS'
	ctl "mgmctl: mfe show -s, no MFE" mfe show -s
	row "mgmctl: mfe show -s: the counters' columns" \
		'SOURCE +GROUP +IIF +UPSTREAM +PROTOCOL +UPTIME +EXPIRY +PACKETS +BYTES +WRONG-IF +OIFS'
	ctl "mgmctl: -j mfe show -s group 239.1.1.1, no MFE" -j mfe show -s group 239.1.1.1
	py "mgmctl: -j mfe show: []" 'import json,sys; assert json.load(sys.stdin) == []'
	for type in "" all-sources any-source; do
		ctl "mgmctl: group show $type, no membership" group show $type
		row "mgmctl: group show $type: the header alone" 'SOURCE +GROUP'
		ctl "mgmctl: -j group show $type, no membership" -j group show $type
		py "mgmctl: -j group show $type: []" 'import json,sys; assert json.load(sys.stdin) == []'
	done
fi

kill "${bg_pids[@]}" 2>/dev/null
wait 2>/dev/null
bg_pids=()
ip netns del t30
for dev in m0 m1 m2; do
	ip link del "$dev"
done
t_check "mgmctl: rmmod mgm" rmmod mgm
