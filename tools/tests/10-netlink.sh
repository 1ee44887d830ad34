#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "mgm" generic netlink family end to end, driven by tools/mgm-client:
# replies, errors and their extended acks, socket ownership of handles, the
# IGMP notifications, socket close and SIGKILL cleanup, the monitor group,
# network and user namespaces, and unloading with live registrations.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
#
# Client command lines are in single quotes on purpose: $H and friends are
# the client's variables (the handles of its own registrations).
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
bg_pids=()

# undone at exit (lib.sh)
t_links d0 d1 d2

# show: indented, so that the UML log tells output from results
show() {
	sed 's/^/  | /'
}

# runx NAME CMD...: CMD in the foreground, output in $out; passes when it
# exits 0 (for the client: every command gave the expected result).
runx() {
	local name=$1

	shift
	out=$("$@" 2>&1)
	rc=$?
	show <<<"$out"
	if [ "$rc" -eq 0 ]; then t_ok "$name"; else t_fail "$name (exit $rc)"; fi
}

# run NAME ARG...: the client with ARG..., as runx.
run() {
	local name=$1

	shift
	runx "$name" "$CLIENT" "$@"
}

# has NAME REGEX: passes when a whole line of $out matches REGEX.
has() {
	if grep -Eq -- "^$2\$" <<<"$out"; then
		t_ok "$1"
	else
		t_fail "$1 (no line /^$2\$/)"
	fi
}

# bg NAME ARG...: the client in the background, output in $tmp/NAME.out,
# pid in $pid.
bg() {
	local name=$1

	shift
	"$CLIENT" "$@" >"$tmp/$name.out" 2>&1 &
	pid=$!
	bg_pids+=("$pid")
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

# handles TEXT: the handles of the register replies in TEXT, in order.
handles() {
	sed -n 's/^register handle=\([0-9]*\)$/\1/p' <<<"$1"
}

if [ ! -x "$CLIENT" ]; then
	t_fail "netlink: $CLIENT is built"
	exit 1
fi
if ! insmod "$MGM_KO"; then
	t_fail "netlink: insmod $MGM_KO"
	exit 1
fi
t_ok "netlink: insmod mgm"

out=$(genl ctrl get name mgm 2>&1)
show <<<"$out"
if grep -q 'Name: mgm' <<<"$out" && grep -q 'name: monitor' <<<"$out"; then
	t_ok "netlink: genl ctrl lists family mgm and its monitor group"
else
	t_fail "netlink: genl ctrl lists family mgm and its monitor group"
fi

for dev in d0 d1 d2; do
	ip link add "$dev" type dummy
done
IF0=$(</sys/class/net/d0/ifindex)
IF1=$(</sys/class/net/d1/ifindex)
IF2=$(</sys/class/net/d2/ifindex)
NH0='nexthop=0\.0\.0\.0'

# ---- the normal life of a registration, every reply checked -------------
run "netlink: register, take, get, dump, release, deregister" run \
	'register 200 1' 'take $H d0' 'owner d0' 'protocols' 'interfaces' \
	'take $H d2 10.0.0.1' 'take $H d2 10.0.0.2' 'owner d2 10.0.0.2' \
	'expect-error ENOENT owner d2' 'interfaces' \
	'release $H d2 10.0.0.1' 'release $H d2 10.0.0.2' 'release $H d0' \
	'expect-error ENOENT owner d0' 'deregister $H' 'protocols' 'interfaces'
H=$(handles "$out")
has "netlink: register replies with the handle" "register handle=[1-9][0-9]*"
has "netlink: register acked" "ok register"
has "netlink: take-interface acked" "ok take-interface"
has "netlink: get-interface names the owner" \
	"get-interface ifindex=$IF0 $NH0 handle=$H protocol-id=200 component-id=1"
has "netlink: get-protocol dump: the registration and its port id" \
	"get-protocol handle=$H protocol-id=200 component-id=1 portid=[1-9][0-9]* answers=0 hold-time=0 protocol-state=0"
has "netlink: get-protocol dump: one entry" "ok get-protocol count=1"
has "netlink: get-interface dump: one entry" "ok get-interface count=1"
has "netlink: get-interface with a next hop" \
	"get-interface ifindex=$IF2 nexthop=10\.0\.0\.2 handle=$H protocol-id=200 component-id=1"
has "netlink: get-interface dump: three entries" "ok get-interface count=3"
has "netlink: release-interface acked" "ok release-interface"
has "netlink: get-interface of a free interface: ENOENT naming ifindex" \
	'error get-interface ENOENT attr=ifindex msg=".+"'
has "netlink: deregister acked" "ok deregister"
has "netlink: get-protocol dump: empty again" "ok get-protocol count=0"
has "netlink: get-interface dump: empty again" "ok get-interface count=0"

# ---- errors, on one socket ----------------------------------------------
run "netlink: error cases" run \
	'register 200 1' \
	'expect-error EEXIST register 200 1' \
	'register 10 1 G' \
	'expect-error EEXIST register 10 2' \
	'expect-error EEXIST register 0x4137000a 3' \
	'expect-error EINVAL register 10009 1' \
	'expect-error ENODEV take $H 99999' \
	'take $H d0' \
	'expect-error EEXIST take $H d0' \
	'register 201 1 B' \
	'expect-error EBUSY take $B d0' \
	'expect-error ENOENT release $B d0' \
	'expect-error ENOENT release $B d1' \
	'expect-error EBUSY deregister $H' \
	'release $H d0' \
	'deregister $H' \
	'expect-error ENOENT take $H d0' \
	'expect-error ENOENT release $H d0' \
	'expect-error ENOENT deregister $H' \
	'expect-error EINVAL send take-interface handle=$B' \
	'expect-error EINVAL send register protocol-id=300' \
	'expect-error EINVAL send deregister' \
	'expect-error EINVAL send get-interface' \
	'expect-error EINVAL send register protocol-id=300 component-id=1 ifindex=1' \
	'expect-error ERANGE send prune-reply handle=$B cookie=1 timeout=86401' \
	'expect-error ENOENT send prune-reply handle=$B cookie=1 timeout=86400' \
	'deregister $B' 'deregister $G' 'protocols'
has "netlink: duplicate registration: EEXIST with a message" \
	'error register EEXIST msg=".*component-id.*"'
has "netlink: second IGMP component: EEXIST with a message" \
	'error register EEXIST msg=".*IGMP.*"'
has "netlink: reserved protocol id: EINVAL" 'error register EINVAL msg=".+"'
has "netlink: take of a missing netdev: ENODEV naming ifindex" \
	'error take-interface ENODEV msg=".*ifindex.*"'
has "netlink: same owner again: EEXIST" 'error take-interface EEXIST msg=".+"'
has "netlink: interface of another protocol: EBUSY" \
	'error take-interface EBUSY msg=".+"'
has "netlink: release of an interface not owned: ENOENT" \
	'error release-interface ENOENT msg=".+"'
has "netlink: deregister while owning: EBUSY" 'error deregister EBUSY msg=".+"'
has "netlink: stale handle: ENOENT naming the handle" \
	'error take-interface ENOENT attr=handle msg="handle: .+"'
has "netlink: stale handle on deregister: ENOENT" \
	'error deregister ENOENT attr=handle msg="handle: .+"'
has "netlink: missing ifindex named in the extack" \
	"error take-interface EINVAL missing=ifindex"
has "netlink: missing component-id named in the extack" \
	"error register EINVAL missing=component-id"
has "netlink: missing handle named in the extack" \
	"error deregister EINVAL missing=handle"
has "netlink: get-interface without ifindex named in the extack" \
	"error get-interface EINVAL missing=ifindex"
has "netlink: attribute outside the command's policy refused" \
	'error register EINVAL attr=ifindex msg=".+"'
has "netlink: a prune reply's timeout past a day: ERANGE naming it" \
	'error prune-reply ERANGE attr=timeout msg=".+"'
has "netlink: a day is the longest timeout (then the unknown cookie: ENOENT)" \
	'error prune-reply ENOENT msg="mgm: cookie: .+"'
has "netlink: error cases left nothing registered" "ok get-protocol count=0"

# ---- a creation reply's size is bounded ----------------------------------
# Its sender chooses how many interfaces it names: at most 1024, which are
# parsed before the cookie is looked at (so any cookie shows the limit).
out=$(/usr/bin/python3 -B - "$MGM_REPO/tools/pynl" <<'EOF' 2>&1
import sys
sys.path.insert(0, sys.argv[1])
import mgmnl
conn = mgmnl.Conn(mgmnl.Spec())
rep = conn.do("register", {"protocol-id": 400, "component-id": 1})
handle = rep.entries[0]["handle"]
oif = {"ifindex": 1, "disabled": True}
for n in (1024, 1025):
    rep = conn.do("creation-reply",
                  {"handle": handle, "cookie": 1, "oif": [oif] * n})
    print(f"creation-reply {n} oifs:",
          mgmnl.errname(rep.error) if rep.error else "ok", rep.msg or "")
EOF
)
show <<<"$out"
has "netlink: a creation reply of 1024 interfaces is parsed (ENOENT: no such cookie)" \
	'creation-reply 1024 oifs: ENOENT mgm: cookie: .+'
has "netlink: a creation reply of 1025 interfaces: EINVAL naming the limit" \
	'creation-reply 1025 oifs: EINVAL oif: at most 1024 in a creation reply.*'

# ---- dumps larger than one message buffer --------------------------------
# 1500 next hops of one netdev share a hash bucket, 1500 registrations make
# several buffers of protocols: every entry must come exactly once.
{
	echo 'register 900 1'
	for ((i = 0; i < 1500; i++)); do
		echo "take \$H d0 10.9.$((i / 250)).$((i % 250 + 1))"
	done
	for ((i = 1; i <= 1500; i++)); do
		echo "register 901 $i V"
	done
	echo interfaces
	echo protocols
} >"$tmp/big.cmds"
out=$("$CLIENT" run <"$tmp/big.cmds" 2>&1)
rc=$?
grep -v '^ok \(take-interface\|register\)$\|^get-\|^register ' <<<"$out" | show
if [ "$rc" -eq 0 ]; then
	t_ok "netlink: 1500 interfaces and 1501 registrations on one socket"
else
	t_fail "netlink: 1500 interfaces and 1501 registrations on one socket (exit $rc)"
fi
has "netlink: a dump of 1500 interfaces counts 1500" "ok get-interface count=1500"
has "netlink: a dump of 1501 protocols counts 1501" "ok get-protocol count=1501"
dups=$(grep '^get-' <<<"$out" | sort | uniq -d | wc -l)
if [ "$dups" -eq 0 ] &&
   [ "$(grep -c '^get-interface ' <<<"$out")" -eq 1500 ] &&
   [ "$(grep -c '^get-protocol ' <<<"$out")" -eq 1501 ]; then
	t_ok "netlink: large dumps resume without loss or duplicates"
else
	t_fail "netlink: large dumps resume without loss or duplicates ($dups duplicated)"
fi
run "netlink: the big socket's close freed it all" run 'protocols' 'interfaces'
has "netlink: no protocol left after the big socket" "ok get-protocol count=0"
has "netlink: no interface left after the big socket" "ok get-interface count=0"

# ---- a handle belongs to its socket --------------------------------------
bg A run 'register 300 1' 'take $H d1' 'echo ready' 'hold 60'
pid_a=$pid
if wait_lines "$tmp/A.out" '^ready$' 1; then
	HA=$(handles "$(cat "$tmp/A.out")")
	run "netlink: another socket's handle: EPERM" run \
		"expect-error EPERM take $HA d0" \
		"expect-error EPERM release $HA d1" \
		"expect-error EPERM deregister $HA" \
		'register 301 1' "expect-error EPERM take $HA d2" \
		'deregister $H' 'owner d1'
	has "netlink: EPERM names the handle" \
		'error take-interface EPERM attr=handle msg="handle: .+"'
	has "netlink: the owner is unchanged after EPERM" \
		"get-interface ifindex=$IF1 $NH0 handle=$HA protocol-id=300 component-id=1"

	runx "netlink: another network namespace has its own state" \
		unshare -n "$CLIENT" run 'protocols' "expect-error ENOENT take $HA lo" \
		'register 300 1' 'take $H lo' 'owner lo' 'release $H lo' \
		'deregister $H'
	has "netlink: the other namespace sees no registration" \
		"ok get-protocol count=0"

	kill "$pid_a"
	wait "$pid_a"
	run "netlink: closing the socket released its interface" run \
		'expect-error ENOENT owner d1' 'protocols'
	has "netlink: closing the socket deregistered it" "ok get-protocol count=0"
else
	t_fail "netlink: a registering client in the background"
fi

runx "netlink: CAP_NET_ADMIN over the netns's user namespace suffices" \
	unshare -U -r -n "$CLIENT" run 'register 1 1' 'take $H lo' \
	'release $H lo' 'deregister $H'

# a copy nobody can run: the harness's build directory is private
cp "$CLIENT" "$tmp/mgm-client"
chmod 755 "$tmp" "$tmp/mgm-client"
runx "netlink: without CAP_NET_ADMIN: dumps yes, changes no" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$tmp/mgm-client" run 'protocols' 'interfaces' \
	'expect-error EPERM register 1 1'

# ---- the IGMP bracket ----------------------------------------------------
bg G run 'register 10 1' 'take $H d0' 'echo ready' 'hold 60'
pid_g=$pid
if wait_lines "$tmp/G.out" '^ready$' 1; then
	HG=$(handles "$(cat "$tmp/G.out")")
	run "netlink: a routing protocol takes and releases IGMP's interface" \
		run 'register 200 1' 'take $H d0' 'owner d0' 'release $H d0' \
		'owner d0' 'deregister $H'
	HR=$(handles "$out")
	has "netlink: get-interface shows the owner and IGMP" \
		"get-interface ifindex=$IF0 $NH0 handle=$HR protocol-id=200 component-id=1 igmp igmp-handle=$HG"
	has "netlink: get-interface shows IGMP alone after the release" \
		"get-interface ifindex=$IF0 $NH0 igmp igmp-handle=$HG"

	wait_lines "$tmp/G.out" '^notify' 4
	bracket=$(printf "notify %s-igmp handle=$HG ifindex=$IF0 nexthop=0.0.0.0\n" \
		disable enable disable enable)
	if [ "$(grep '^notify' "$tmp/G.out")" = "$bracket" ]; then
		t_ok "netlink: IGMP gets disable then enable, for the take and the release"
	else
		t_fail "netlink: IGMP gets disable then enable, for the take and the release"
		show <"$tmp/G.out"
	fi

	# a routing protocol killed on IGMP's interface: the same bracket
	bg K run 'register 400 1' 'take $H d0' 'take $H d1' \
		'take $H d2 10.0.0.9' 'echo ready' 'hold'
	pid_k=$pid
	if wait_lines "$tmp/K.out" '^ready$' 1; then
		run "netlink: the killed client's interfaces, before" run 'interfaces'
		has "netlink: three interfaces owned before SIGKILL" \
			"ok get-interface count=3"
		kill -KILL "$pid_k"
		wait "$pid_k" 2>/dev/null
		run "netlink: after SIGKILL" run 'protocols' 'interfaces' \
			'register 401 1' 'take $H d1' 'take $H d2 10.0.0.9' \
			'release $H d1' 'release $H d2 10.0.0.9' 'deregister $H'
		has "netlink: after SIGKILL only IGMP is registered" \
			"get-protocol handle=$HG protocol-id=10 component-id=1 portid=[0-9]+ answers=0 hold-time=0 protocol-state=0"
		has "netlink: after SIGKILL one protocol is left" \
			"ok get-protocol count=1"
		has "netlink: after SIGKILL only IGMP's interface is left" \
			"get-interface ifindex=$IF0 $NH0 igmp igmp-handle=$HG"
		has "netlink: after SIGKILL one interface is left" \
			"ok get-interface count=1"
		if wait_lines "$tmp/G.out" '^notify' 8 &&
		   [ "$(grep '^notify' "$tmp/G.out" | tail -n 4)" = "$bracket" ]; then
			t_ok "netlink: IGMP bracketed the killed client's take and release"
		else
			t_fail "netlink: IGMP bracketed the killed client's take and release"
			show <"$tmp/G.out"
		fi
	else
		t_fail "netlink: a client to kill in the background"
	fi

	kill "$pid_g"
	wait "$pid_g"
	run "netlink: the IGMP client's close freed everything" run \
		'expect-error ENOENT owner d0' 'protocols' 'interfaces'
	has "netlink: no protocol left" "ok get-protocol count=0"
	has "netlink: no interface left" "ok get-interface count=0"
else
	t_fail "netlink: an IGMP client in the background"
fi

# ---- the monitor group ---------------------------------------------------
bg M run 'monitor 60'
pid_m=$pid
if wait_lines "$tmp/M.out" '^ok monitor$' 1; then
	run "netlink: a sequence under the monitor" run \
		'register 10 1 G' 'take $G d1' 'register 500 1' 'take $H d1' \
		'release $H d1' 'deregister $H' 'release $G d1' 'deregister $G'
	read -r HG HR <<<"$(handles "$out" | xargs)"
	g="handle=$HG protocol-id=10 component-id=1"
	r="handle=$HR protocol-id=500 component-id=1"
	i="ifindex=$IF1 nexthop=0.0.0.0"
	events=$(printf '%s\n' \
		"event protocol-new $g" \
		"event interface-new $g $i" \
		"event protocol-new $r" \
		"event disable-igmp $g $i" \
		"event interface-new $r $i" \
		"event enable-igmp $g $i" \
		"event disable-igmp $g $i" \
		"event interface-del $r $i" \
		"event enable-igmp $g $i" \
		"event protocol-del $r" \
		"event interface-del $g $i" \
		"event protocol-del $g")
	wait_lines "$tmp/M.out" '^event' 12
	if [ "$(grep '^event' "$tmp/M.out")" = "$events" ]; then
		t_ok "netlink: the monitor group saw every change, in order"
	else
		t_fail "netlink: the monitor group saw every change, in order"
		echo "  expected:"
		show <<<"$events"
		echo "  got:"
		show <"$tmp/M.out"
	fi
	has "netlink: the IGMP component's own socket got its notifications" \
		"notify enable-igmp handle=$HG ifindex=$IF1 $NH0"
else
	t_fail "netlink: a monitor client in the background"
fi
kill "$pid_m"
wait "$pid_m"

# ---- unloading with a live registration ----------------------------------
bg L run 'register 600 1' 'take $H d0' 'echo ready' 'hold 5' 'echo held'
pid_l=$pid
if wait_lines "$tmp/L.out" '^ready$' 1; then
	t_check "netlink: rmmod mgm with a live registration" rmmod mgm
	if genl ctrl get name mgm >/dev/null 2>&1; then
		t_fail "netlink: the family is gone after rmmod"
	else
		t_ok "netlink: the family is gone after rmmod"
	fi
	wait "$pid_l"
	rc=$?
	show <"$tmp/L.out"
	if [ "$rc" -eq 0 ] && grep -q '^held$' "$tmp/L.out"; then
		t_ok "netlink: the client outlived the module and exited cleanly"
	else
		t_fail "netlink: the client outlived the module and exited cleanly (exit $rc)"
	fi
else
	t_fail "netlink: a client holding a registration during rmmod"
fi
