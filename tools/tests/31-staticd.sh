#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mgm-staticd (tools/mgm-staticd) against the module, checked with mgmctl:
# the configuration applied (protocol, interfaces, memberships), MGM's
# questions answered with real multicast traffic (rpf kept, creation alert
# enabling only what a route names, prune lifetime), mfe show with its
# counters, a SIGHUP that moves only the changed memberships, a bad file at
# SIGHUP (old configuration kept) and at startup (exit 1, nothing applied),
# a second instance refused, and the SIGTERM shutdown.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
STATICD=$TOOLS/mgm-staticd/mgm-staticd
NS=mgm31-src
SRC=10.31.0.2
bg_pids=()

# undone at exit (lib.sh)
t_netns "$NS"
t_links sv0 s1 s2 s3

show() { sed 's/^/  | /'; }

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

# logged NAME REGEX: the daemon's log (since the last mark) has a line
# matching REGEX.
logged() {
	if log_since | grep -Eq -- "^mgm-staticd: $2\$"; then
		t_ok "$1"
	else
		t_fail "$1 (no log line /$2/)"
	fi
}
mark=0
log_mark() { mark=$(wc -l <"$tmp/d.log"); }
log_since() { tail -n +$((mark + 1)) "$tmp/d.log"; }

# j NAME PYTHON ARG...: `mgmctl -j ARG...` parsed as `d`; PYTHON asserts.
j() { t_json "$@"; }

# groups: `mgmctl group show` as "SOURCE GROUP" lines, sorted.
groups() {
	"$MGMCTL" group show | tail -n +2 | awk '{ print $1, $2 }' | sort
}

for t in "$MGMCTL" "$STATICD"; do
	if [ ! -x "$t" ]; then
		t_fail "staticd: $t is built"
		exit 1
	fi
done
if ! insmod "$MGM_KO"; then
	t_fail "staticd: insmod $MGM_KO"
	exit 1
fi

# A source host in a netns behind sv0; dummy outgoing interfaces s1-s3.
ip netns add "$NS"
ip link add sv0 type veth peer name h0 netns "$NS"
ip addr add 10.31.0.1/24 dev sv0
ip link set sv0 up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip addr add "$SRC/24" dev h0
ip netns exec "$NS" ip link set h0 up
ip netns exec "$NS" ip route add default via 10.31.0.1
for dev in s1 s2 s3; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done

cat >"$tmp/a.conf" <<'CONF'
# test configuration A
interface sv0
interface s1
interface s2
mroute from sv0 source 10.31.0.2 group 239.1.1.1 to s1 s2
mroute group 239.2.2.2 to s2
mroute from s1 group 239.4.4.4 to s2   # never from sv0: not forwarded
prune-lifetime 600
CONF

if man --warnings -l "$MGM_REPO/tools/mgm-staticd/mgm-staticd.8" 2>"$tmp/man.err" >/dev/null &&
	[ ! -s "$tmp/man.err" ]; then
	t_ok "staticd: man -l mgm-staticd.8 renders without warnings"
else
	t_fail "staticd: man -l mgm-staticd.8 renders without warnings"
	show <"$tmp/man.err"
fi
t_check_out "staticd: -h says the usage" '^Usage: mgm-staticd ' "$STATICD" -h
t_check_out "staticd: -t checks a file" ': 3 interfaces, 3 routes, 0 host joins: OK$' \
	"$STATICD" -t -f "$tmp/a.conf"

# ---- a bad file at startup: file and line, exit 1, nothing applied ----
printf 'interface s1\n\nmroute group 239.9.9.9 to s1 nosuchif\n' >"$tmp/bad.conf"
"$STATICD" -c 2 -f "$tmp/bad.conf" >"$tmp/bad.log" 2>&1
rc=$?
show <"$tmp/bad.log"
if [ "$rc" -eq 1 ] &&
	grep -q "^mgm-staticd: $tmp/bad.conf:3: interface nosuchif is not declared" "$tmp/bad.log"; then
	t_ok "staticd: bad line at startup: FILE:LINE: why, exit 1"
else
	t_fail "staticd: bad line at startup: FILE:LINE: why, exit 1 (exit $rc)"
fi
j "staticd: bad line at startup: nothing registered" 'assert d == [], d' protocol show
for bad in 'mroute group 10.1.1.1 to s1' 'interface s1 nexthop x' 'frobnicate' \
	'mroute source 10.0.0.1 to s1' 'mroute group 239.1.1.1' 'prune-lifetime -3'; do
	printf 'interface s1\n%s\n' "$bad" >"$tmp/bad.conf"
	if out=$("$STATICD" -t -f "$tmp/bad.conf" 2>&1); then
		t_fail "staticd: -t refuses \"$bad\""
	elif grep -q "^mgm-staticd: $tmp/bad.conf:2: " <<<"$out"; then
		t_ok "staticd: -t refuses \"$bad\" at line 2"
	else
		t_fail "staticd: -t refuses \"$bad\" at line 2"
		show <<<"$out"
	fi
done

# an interface that does not exist yet is pending, not an error
printf 'interface s1\ninterface ppp9\nmroute group 239.9.9.9 to s1 ppp9\n' \
	>"$tmp/pending.conf"
t_check_out "staticd: -t: an interface that does not exist yet is pending" \
	': 2 interfaces \(some pending: they do not exist yet\), 1 routes, 0 host joins: OK$' \
	"$STATICD" -t -f "$tmp/pending.conf"

# ---- startup ----
# (until the kernel has the membership commands, only what needs none)
memberships=1
if ! "$MGMCTL" group show >/dev/null 2>&1; then
	memberships=0
	t_skip "staticd: memberships and MFEs: the kernel has no GET_GROUP yet"
fi

"$MGMCTL" -j monitor >"$tmp/mon" 2>&1 &
bg_pids+=($!)
"$MGMCTL" monitor >"$tmp/mon.txt" 2>&1 &
bg_pids+=($!)
sleep 0.3
cp "$tmp/a.conf" "$tmp/d.conf"
"$STATICD" -p 300 -c 1 -f "$tmp/d.conf" 2>"$tmp/d.log" &
daemon=$!
bg_pids+=("$daemon")
if wait_lines "$tmp/d.log" 'configuration applied' 1; then
	t_ok "staticd: starts and applies its configuration"
else
	t_fail "staticd: starts and applies its configuration"
fi
show <"$tmp/d.log"
logged "staticd: logs its registration" 'registered protocol 300 component 1: handle [0-9]+'
logged "staticd: logs each interface it takes" "took interface s2 \\(ifindex [0-9]+\\)"
if [ "$memberships" = 1 ]; then
	logged "staticd: logs each membership" 'joined \(10\.31\.0\.2,239\.1\.1\.1\) on s2'
	logged "staticd: 3 interfaces, 4 memberships" \
		'configuration applied: 3 interfaces, 4 memberships, 0 pending'
fi

j "staticd: protocol show: 300/1, owned by its socket" '
assert [(e["protocol_id"], e["component_id"]) for e in d] == [(300, 1)], d
assert d[0]["portid"] != 0, d' protocol show
j "staticd: interface show: sv0, s1, s2 owned by 300" '
assert sorted((e["ifname"], e["protocol_id"]) for e in d) == \
	[("s1", 300), ("s2", 300), ("sv0", 300)], d' interface show

if [ "$memberships" = 1 ]; then
	groups >"$tmp/groups.a"
	show <"$tmp/groups.a"
	printf '%s\n' '* 239.2.2.2' '* 239.4.4.4' '10.31.0.2 239.1.1.1' | sort >"$tmp/want"
	t_check "staticd: group show: the configured (S,G) and (*,G)" \
		diff -u "$tmp/want" "$tmp/groups.a"
	j "staticd: -j group show any-source: each group once" '
assert [e["group"] for e in d] == ["239.1.1.1", "239.2.2.2", "239.4.4.4"], d
assert all(e["source"] == "0.0.0.0" for e in d), d' group show any-source

	# ---- traffic: questions answered, MFEs shown ----
	ip netns exec "$NS" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))
s.bind((sys.argv[1], 0))
while True:
    for g in ("239.1.1.1", "239.4.4.4"):
        s.sendto(b"x" * 100, (g, 5001))
    time.sleep(0.05)' "$SRC" &
	bg_pids+=($!)
	if wait_lines "$tmp/d.log" 'creation \(10\.31\.0\.2,239\.4\.4\.4\)' 1 &&
		wait_lines "$tmp/d.log" 'creation \(10\.31\.0\.2,239\.1\.1\.1\)' 1; then
		t_ok "staticd: creation alerts for both flows"
	else
		t_fail "staticd: creation alerts for both flows"
	fi
	show <"$tmp/d.log"
	logged "staticd: rpf: the lookup's incoming interface kept" \
		'rpf \(10\.31\.0\.2,239\.1\.1\.1\): incoming interface sv0 kept'
	logged "staticd: creation: the routed interfaces enabled" \
		'creation \(10\.31\.0\.2,239\.1\.1\.1\) from sv0: enabled:( s[12]){2} disabled: none'
	logged "staticd: creation: a route from elsewhere disabled" \
		'creation \(10\.31\.0\.2,239\.4\.4\.4\) from sv0: enabled: none disabled: s2'
	# the questions are copied to the monitor group, oifs shown by name
	out=$(grep -E ' (rpf|creation-alert) ' "$tmp/mon.txt")
	show <<<"$out"
	if grep -Eq " rpf handle=[0-9]+ cookie=[0-9]+ source=$SRC group=239\.1\.1\.1 iif=[0-9]+:sv0 " <<<"$out" &&
		grep -Eq " creation-alert handle=[0-9]+ cookie=[0-9]+ source=$SRC group=239\.4\.4\.4 iif=[0-9]+:sv0 .*oif=[0-9]+:s2" <<<"$out"; then
		t_ok "staticd: mgmctl monitor shows the questions, interfaces by name"
	else
		t_fail "staticd: mgmctl monitor shows the questions, interfaces by name"
	fi
	sleep 1
	"$MGMCTL" mfe show -s | show
	j "staticd: mfe show -s: (S,G) from sv0 to s1, s2, counting" '
m = {e["group"]: e for e in d}
e = m["239.1.1.1"]
assert e["source"] == "10.31.0.2" and e["iif_name"] == "sv0", e
assert sorted(o["ifname"] for o in e["oifs"]) == ["s1", "s2"], e
assert e["iif_protocol"] == 300, e
assert e["pkts"] > 0 and e["bytes"] >= 100 * e["pkts"], e
assert m["239.4.4.4"]["oifs"] == [], m["239.4.4.4"]' mfe show -s
	j "staticd: mfe show group G source S: the one entry" '
assert len(d) == 1 and d[0]["group"] == "239.1.1.1", d' \
		mfe show group 239.1.1.1 source "$SRC"
	j "staticd: mfe show group G: filtered" '
assert [e["group"] for e in d] == ["239.4.4.4"], d' mfe show group 239.4.4.4
fi

# ---- SIGHUP: only the difference moves ----
cat >"$tmp/d.conf" <<'CONF'
# test configuration B: s2 goes, s3 comes, 239.1.1.1 to s1 only
interface sv0
interface s1
interface s3
mroute from sv0 source 10.31.0.2 group 239.1.1.1 to s1
mroute group 239.3.3.3 to s3
prune-lifetime 600
CONF
log_mark
mon_mark=$(wc -l <"$tmp/mon")
kill -HUP "$daemon"
wait_lines "$tmp/d.log" 'configuration applied: 3 interfaces, [0-9]+ memberships' 2
log_since | show
if [ "$memberships" = 1 ]; then
	log_since | grep -E '^mgm-staticd: (joined|left|took|released) ' | sort >"$tmp/moves"
	printf 'mgm-staticd: %s\n' 'left (10.31.0.2,239.1.1.1) on s2' \
		'left (*,239.2.2.2) on s2' 'left (*,239.4.4.4) on s2' \
		'joined (*,239.3.3.3) on s3' | sort >"$tmp/want"
	grep -Ev 'interface' "$tmp/moves" >"$tmp/moves.m"
	t_check "staticd: SIGHUP: exactly the changed memberships move" \
		diff -u "$tmp/want" "$tmp/moves.m"
	groups >"$tmp/groups.b"
	printf '%s\n' '* 239.3.3.3' '10.31.0.2 239.1.1.1' | sort >"$tmp/want"
	t_check "staticd: SIGHUP: group show has the new keys" \
		diff -u "$tmp/want" "$tmp/groups.b"
fi
t_check "staticd: SIGHUP: s2 released, s3 taken, nothing else" \
	diff -u <(printf '%s\n' 'mgm-staticd: released interface s2' \
		'mgm-staticd: took interface s3') \
	<(log_since | grep -E '^mgm-staticd: (took|released) interface' |
		sed 's/ (ifindex [0-9]*)$//')
# the monitor saw interface events of s2 and s3 only (and memberships of
# the changed keys only, once the kernel reports them)
sleep 0.5
tail -n +$((mon_mark + 1)) "$tmp/mon" >"$tmp/mon.b"
show <"$tmp/mon.b"
if python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$tmp/mon.b')]
ifs = sorted((e['event'], e['ifname']) for e in ev if e['event'].startswith('interface-'))
assert ifs == [('interface-del', 's2'), ('interface-new', 's3')], ifs
mem = [e for e in ev if e['event'].startswith('membership-')]
assert all(e.get('ifname') in ('s2', 's3') for e in mem), mem
"; then
	t_ok "staticd: SIGHUP: monitor events for the changed interfaces only"
else
	t_fail "staticd: SIGHUP: monitor events for the changed interfaces only"
fi
if [ "$memberships" = 1 ]; then
	j "staticd: SIGHUP: the MFE goes out of s1 only now" '
e = [e for e in d if e["group"] == "239.1.1.1"][0]
assert [o["ifname"] for o in e["oifs"]] == ["s1"], e' mfe show
fi

# ---- a bad file at SIGHUP: the configuration in force stays ----
printf 'interface sv0\n# fine so far\nmroute group 239.7.7.7 to s9\n' >"$tmp/d.conf"
log_mark
kill -HUP "$daemon"
wait_lines "$tmp/d.log" 'keeping the configuration in force' 1
log_since | show
logged "staticd: bad file at SIGHUP: FILE:LINE: why, old configuration kept" \
	"$tmp/d.conf:3: interface s9 is not declared \\(interface s9\\); keeping the configuration in force"
t_check "staticd: bad file at SIGHUP: nothing moved" \
	[ -z "$(log_since | grep -E '^mgm-staticd: (joined|left|took|released) ')" ]
if [ "$memberships" = 1 ]; then
	t_check "staticd: bad file at SIGHUP: group show unchanged" \
		diff -u "$tmp/groups.b" <(groups)
fi

# ---- prune: the last outgoing interface goes, the MFE gets our lifetime ----
if [ "$memberships" = 1 ]; then
	printf 'interface sv0\ninterface s1\ninterface s3\nprune-lifetime 42\n' >"$tmp/d.conf"
	log_mark
	kill -HUP "$daemon"
	if wait_lines "$tmp/d.log" 'prune \(10\.31\.0\.2,239\.1\.1\.1\): lifetime 42s' 1; then
		t_ok "staticd: prune alert answered with the configured lifetime"
	else
		t_fail "staticd: prune alert answered with the configured lifetime"
	fi
	log_since | show
	j "staticd: prune: the MFE stays, no oifs, at most 42 s left" '
e = [e for e in d if e["group"] == "239.1.1.1"][0]
assert e["oifs"] == [] and 0 < e["expiry"] <= 42, e' mfe show
fi

# ---- a second instance with the same ids is refused ----
printf 'interface s3\n' >"$tmp/two.conf"
"$STATICD" -f "$tmp/two.conf" >"$tmp/two.log" 2>&1
rc=$?
show <"$tmp/two.log"
if [ "$rc" -eq 1 ] && grep -q '^mgm-staticd: register failed: .*(EEXIST)$' "$tmp/two.log"; then
	t_ok "staticd: a second 300/1 is refused: the kernel's message, exit 1"
else
	t_fail "staticd: a second 300/1 is refused: the kernel's message, exit 1 (exit $rc)"
fi

# ---- SIGTERM: every interface released, deregistered ----
log_mark
kill -TERM "$daemon"
wait "$daemon"
rc=$?
log_since | show
t_check "staticd: SIGTERM: exit 0" [ "$rc" -eq 0 ]
logged "staticd: SIGTERM: releases sv0" 'released interface sv0 \(ifindex [0-9]+\)'
logged "staticd: SIGTERM: deregisters" 'deregistered handle [0-9]+'
j "staticd: SIGTERM: the protocol is gone" 'assert d == [], d' protocol show
j "staticd: SIGTERM: the interfaces are free" 'assert d == [], d' interface show
if [ "$memberships" = 1 ]; then
	j "staticd: SIGTERM: no membership left" 'assert d == [], d' group show
	j "staticd: SIGTERM: the MFEs from sv0 are gone" 'assert d == [], d' mfe show
fi

kill "${bg_pids[@]}" 2>/dev/null
wait 2>/dev/null
bg_pids=()
ip netns del "$NS"
for dev in sv0 s1 s2 s3; do
	ip link del "$dev"
done
t_check "staticd: rmmod mgm" rmmod mgm
