#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mgm-staticd reads smcroute's configuration file as it is (mgm-staticd(8),
# "smcroute.conf"): phyint, mgroup, mroute with source and group prefixes,
# include.  An IPv6 line and a route through a disabled interface are left
# out, each reported with its line, and the rest applies.  A host behind
# sv0 sends to a group of each kind; each MFE's outgoing interfaces
# (mgmctl mfe show) must be what the file's lines say, written down below
# line by line, and mgroup's groups must be joined on sv0 (ip maddr).
# s4, named by a route, does not exist at the start: it is pending, taken
# with its route's membership when it comes, pending again when it goes.
# mgmctl static shows, changes and reloads the configuration in force over
# mgm-staticd's control socket.
# Then smcroute's own daemon runs the same file on the same traffic, and
# ipmr must forward the same.  mgm-staticd's Type=notify messages are
# checked on the way (READY, RELOADING at SIGHUP, STOPPING).
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
STATICD=$TOOLS/mgm-staticd/mgm-staticd
NS=mgm32-src
SRC=10.32.0.2
TEST=smcroute-conf
bg_pids=()

# undone at exit (lib.sh)
t_netns "$NS"
t_links sv0 s1 s2 s3 s4

show() { sed 's/^/  | /'; }

for t in "$MGMCTL" "$STATICD"; do
	if [ ! -x "$t" ]; then
		t_fail "$TEST: $t is built"
		exit 1
	fi
done
if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi

ip netns add "$NS"
ip link add sv0 type veth peer name h0 netns "$NS"
ip addr add 10.32.0.1/24 dev sv0
ip link set sv0 up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip addr add "$SRC/24" dev h0
ip netns exec "$NS" ip link set h0 up
ip netns exec "$NS" ip route add default via 10.32.0.1
# dummies, with the MULTICAST flag that smcroute wants of a VIF
for dev in s1 s2 s3; do
	ip link add "$dev" type dummy
	ip link set "$dev" multicast on up
done

mkdir -p "$tmp/smcroute.d"
# The file, and after each route what it forwards of SRC's traffic.
cat >"$tmp/smcroute.conf" <<'CONF'
# an smcroute.conf, unchanged
phyint sv0 enable
phyint s1 enable ttl-threshold 2
phyint s2 enable ttl-threshold 1
phyint s3 disable
mgroup from sv0 group 239.32.0.9
mgroup from sv0 source 10.32.0.2 group 239.32.0.16/31
mroute from sv0 group 239.32.1.1 to s1 s2
mroute from sv0 source 10.32.0.2 group 239.32.2.1 to s1
mroute from sv0 source 10.32.9.9 group 239.32.2.2 to s1
mroute from sv0 source 10.32.0.0/24 group 239.32.3.1 to s2
mroute from sv0 group 239.32.4.0/30 to s1
mroute from sv0 group 239.33.0.0/16 to s2
mroute from sv0 group 239.32.6.1 to s3
mroute from sv0 group ff0e::6 to s1
CONF
# (the include's path absolute, as smcroute.conf's examples write it)
cat >>"$tmp/smcroute.conf" <<CONF
include $tmp/smcroute.d/*.conf
mroute from sv0 group 239.32.7.1 to s4
CONF
echo 'mroute from sv0 group 239.32.5.1 to s2' >"$tmp/smcroute.d/more.conf"
# GROUP OIFS: what SRC's traffic to GROUP must be forwarded to
want=(
	"239.32.1.1 s1,s2"	# (*,G) to two
	"239.32.2.1 s1"		# (S,G)
	"239.32.2.2 -"		# another source's
	"239.32.3.1 s2"		# a source prefix with SRC in it
	"239.32.4.2 s1"		# inside the /30
	"239.32.4.5 -"		# outside it
	"239.33.7.7 s2"		# inside the /16: (*,*) on s2, narrowed
	"239.32.5.1 s2"		# from the included file
	"239.32.6.1 -"		# through the disabled s3: left out
	"239.34.0.1 -"		# no route
)

t_check_out "$TEST: -t takes the file: 4 interfaces (s4 pending), 8 routes, 3 host joins" \
	': 4 interfaces \(some pending: they do not exist yet\), 8 routes, 3 host joins: OK$' \
	"$STATICD" -t -f "$tmp/smcroute.conf"
# systemd's side of Type=notify: a datagram socket at NOTIFY_SOCKET
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)' \
	"$tmp/notify.sock" >"$tmp/notify.out" 2>&1 &
bg_pids+=("$!")
for ((i = 0; i < 50; i++)); do
	grep -q '^ready$' "$tmp/notify.out" && break
	sleep 0.1
done
NOTIFY_SOCKET=$tmp/notify.sock "$STATICD" -p 301 -f "$tmp/smcroute.conf" \
	-u "$tmp/ctl.sock" 2>"$tmp/d.log" &
daemon=$!
bg_pids+=("$daemon")
ok=0
for ((i = 0; i < 100; i++)); do
	grep -q 'configuration applied' "$tmp/d.log" && ok=1 && break
	sleep 0.1
done
show <"$tmp/d.log"
if [ "$ok" = 1 ]; then
	t_ok "$TEST: mgm-staticd -f smcroute.conf starts"
else
	t_fail "$TEST: mgm-staticd -f smcroute.conf starts"
	exit 1
fi
# notified: NOTIFY_SOCKET's lines so far, after the listener's own
notified() { tail -n +2 "$tmp/notify.out"; }
for ((i = 0; i < 50; i++)); do
	[ -n "$(notified)" ] && break
	sleep 0.1
done
if [ "$(notified)" = "READY=1 STATUS=3 interfaces, 11 memberships, 1 pending" ]; then
	t_ok "$TEST: Type=notify: READY=1 once applied, with a STATUS"
else
	t_fail "$TEST: Type=notify: READY=1 once applied, with a STATUS"
	show <"$tmp/notify.out"
fi
kill -HUP "$daemon"
for ((i = 0; i < 50; i++)); do
	[ "$(notified | wc -l)" -ge 3 ] && break
	sleep 0.1
done
if [ "$(notified | tail -n 2 | cut -d' ' -f1 | xargs)" = "RELOADING=1 READY=1" ]; then
	t_ok "$TEST: Type=notify: RELOADING=1, then READY=1 at SIGHUP"
else
	t_fail "$TEST: Type=notify: RELOADING=1, then READY=1 at SIGHUP"
	show <"$tmp/notify.out"
fi
for w in ":3: ttl-threshold .*" \
	":14: s3 is disabled \\(phyint s3 disable\\): route left out" \
	":15: IPv6 is not supported yet: line left out"; do
	if grep -Eq "^mgm-staticd: $tmp/smcroute.conf$w\$" "$tmp/d.log"; then
		t_ok "$TEST: reported: ${w#:}"
	else
		t_fail "$TEST: reported: ${w#:}"
	fi
done
grep -q ':4: ttl-threshold' "$tmp/d.log" &&
	t_fail "$TEST: ttl-threshold 1 (the default) is not reported"

# the interfaces the file names, s3 not among them
out=$("$MGMCTL" -j interface show |
	python3 -c 'import json, sys; print(*sorted(e["ifname"] for e in json.load(sys.stdin)))')
if [ "$out" = "s1 s2 sv0" ]; then
	t_ok "$TEST: takes sv0, s1, s2 (phyint enable, routes), not s3"
else
	t_fail "$TEST: takes sv0, s1, s2, not s3 (took: $out)"
fi
# mgroup: joined on sv0 as a host
maddr=$(ip maddr show dev sv0)
show <<<"$maddr"
for g in 239.32.0.9 239.32.0.16 239.32.0.17; do
	if grep -Eq "inet +${g//./\\.}( |\$)" <<<"$maddr"; then
		t_ok "$TEST: mgroup: $g joined on sv0"
	else
		t_fail "$TEST: mgroup: $g joined on sv0"
	fi
done

# ---- traffic to each group ----
groups=(239.32.7.1 239.32.8.1)
for w in "${want[@]}"; do
	groups+=("${w%% *}")
done
ip netns exec "$NS" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))
s.bind((sys.argv[1], 0))
while True:
    for g in sys.argv[2:]:
        s.sendto(b"x", (g, 5032))
        time.sleep(0.01)
    time.sleep(0.2)' "$SRC" "${groups[@]}" &
bg_pids+=("$!")

# oifs GROUP: SRC's MFE of GROUP as "a,b" ("-": none), "?" without one
# (mgmctl's table and awk: no python per look, which a sanitizer kernel
# makes slow)
oifs() {
	"$MGMCTL" mfe show group "$1" source "$SRC" 2>/dev/null |
		awk 'NR == 2 { print $NF; found = 1 } END { if (!found) print "?" }' |
		tr , '\n' | sort | paste -sd,
}
for w in "${want[@]}"; do
	g=${w%% *} o=${w#* }
	got="?"
	for ((i = 0; i < 50; i++)); do
		got=$(oifs "$g")
		[ "$got" != "?" ] && break
		sleep 0.1
	done
	if [ "$got" = "$o" ]; then
		t_ok "$TEST: ($SRC,$g) is forwarded to $o"
	else
		t_fail "$TEST: ($SRC,$g) is forwarded to $o (got: $got)"
	fi
done
"$MGMCTL" mfe show | show

# ---- s4 does not exist yet: pending, taken when it comes, pending again ----
# wait_oifs GROUP OIFS: SRC's MFE of GROUP goes out of OIFS within 5 s
wait_oifs() {
	local i got

	for ((i = 0; i < 50; i++)); do
		got=$(oifs "$1")
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	echo "($SRC,$1) goes out of $got"
	return 1
}
# took IFNAME: whether mgm-staticd owns it now
took() {
	"$MGMCTL" interface show |
		awk -v n="$1" '$2 == n && $5 == 301 { f = 1 } END { exit !f }'
}
if grep -q '^mgm-staticd: interface s4 pending: it does not exist yet$' "$tmp/d.log" &&
	! took s4; then
	t_ok "$TEST: s4 is pending: logged, not taken"
else
	t_fail "$TEST: s4 is pending: logged, not taken"
fi
t_check "$TEST: ($SRC,239.32.7.1) goes nowhere while s4 is pending" \
	wait_oifs 239.32.7.1 -
ip link add s4 type dummy
ip link set s4 multicast on up
for ((i = 0; i < 50; i++)); do
	grep -q '^mgm-staticd: interface s4 appeared' "$tmp/d.log" && break
	sleep 0.1
done
# wait_took IFNAME: it is mgm-staticd's within 5 s
wait_took() {
	local i

	for ((i = 0; i < 50; i++)); do
		took "$1" && return 0
		sleep 0.1
	done
	return 1
}
t_check "$TEST: s4 comes: mgm-staticd takes it" wait_took s4
t_check "$TEST: ($SRC,239.32.7.1) now goes out of s4" wait_oifs 239.32.7.1 s4
# last_notified TEXT: the last message to NOTIFY_SOCKET is TEXT, within 5 s
last_notified() {
	local i

	for ((i = 0; i < 50; i++)); do
		[ "$(notified | tail -n 1)" = "$1" ] && return 0
		sleep 0.1
	done
	notified | tail -n 3
	return 1
}
t_check "$TEST: Type=notify: the STATUS counts s4 in" \
	last_notified "READY=1 STATUS=4 interfaces, 12 memberships, 0 pending"
ip link del s4
for ((i = 0; i < 50; i++)); do
	grep -q '^mgm-staticd: interface s4 went away: pending$' "$tmp/d.log" && break
	sleep 0.1
done
if grep -q '^mgm-staticd: interface s4 went away: pending$' "$tmp/d.log" &&
	! took s4; then
	t_ok "$TEST: s4 goes: pending again"
else
	t_fail "$TEST: s4 goes: pending again"
	show <"$tmp/d.log"
fi
t_check "$TEST: ($SRC,239.32.7.1) goes nowhere again" wait_oifs 239.32.7.1 -
t_check "$TEST: Type=notify: the STATUS follows s4 out" \
	last_notified "READY=1 STATUS=3 interfaces, 11 memberships, 1 pending"

# ---- runtime control: mgmctl static, over the control socket ----
ctl=("$MGMCTL" static socket "$tmp/ctl.sock")
"${ctl[@]}" show >"$tmp/show.conf" 2>&1
show <"$tmp/show.conf"
if grep -qx 'mroute from sv0 source 10.32.0.0/24 group 239.32.3.1 to s2' "$tmp/show.conf" &&
	grep -qx 'mgroup from sv0 source 10.32.0.2 group 239.32.0.17' "$tmp/show.conf" &&
	grep -q '^interface s4	# pending' "$tmp/show.conf"; then
	t_ok "$TEST: mgmctl static show: the configuration in force, s4 pending"
else
	t_fail "$TEST: mgmctl static show: the configuration in force, s4 pending"
fi
t_check_out "$TEST: what static show prints reads back as a file" \
	': 4 interfaces \(some pending: they do not exist yet\), 8 routes, 3 host joins: OK$' \
	"$STATICD" -t -f "$tmp/show.conf"
if "$MGMCTL" -j static socket "$tmp/ctl.sock" show | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["routes"]) == 8, d
assert [i["ifname"] for i in d["interfaces"] if i["pending"]] == ["s4"], d
assert {"from": "sv0", "source": "0.0.0.0/0", "group": "239.33.0.0/16",
        "to": ["s2"]} in d["routes"], d'; then
	t_ok "$TEST: mgmctl -j static show"
else
	t_fail "$TEST: mgmctl -j static show"
fi
t_check "$TEST: ($SRC,239.32.8.1) goes nowhere yet" wait_oifs 239.32.8.1 -
t_check "$TEST: mgmctl static add mroute ... to s1" \
	"${ctl[@]}" add mroute from sv0 group 239.32.8.1 to s1
t_check "$TEST: ($SRC,239.32.8.1) then goes out of s1" wait_oifs 239.32.8.1 s1
t_check "$TEST: mgmctl static del the same" \
	"${ctl[@]}" del mroute from sv0 group 239.32.8.1 to s1
t_check "$TEST: ($SRC,239.32.8.1) goes nowhere again" wait_oifs 239.32.8.1 -
# refused as iproute2 refuses: Error: WHY, exit 1, nothing changed
refused() {
	local why=$1 out rc

	shift
	out=$("${ctl[@]}" "$@" 2>&1)
	rc=$?
	show <<<"$out"
	[ "$rc" -eq 1 ] && [ "$out" = "Error: $why" ]
}
t_check "$TEST: static del of a statement not in force: Error, exit 1" \
	refused "no such statement in force" del mroute from sv0 group 239.32.8.1 to s1
t_check "$TEST: static add of an IPv6 route: Error, exit 1" \
	refused "IPv6 is not supported yet: line left out" add mroute from sv0 group ff0e::8 to s1
t_check "$TEST: static add of a bad statement: the file's reason" \
	refused "bad group prefix length in \"239.32.8.0/40\"" add mroute from sv0 group 239.32.8.0/40 to s1
t_check "$TEST: static add of another kind of statement: Error" \
	refused "only mroute and mgroup statements can be added" add phyint s1 disable
t_check "$TEST: static add, for the reload to undo" \
	"${ctl[@]}" add mroute from sv0 group 239.32.8.1 to s1
t_check "$TEST: ($SRC,239.32.8.1) goes out of s1 again" wait_oifs 239.32.8.1 s1
t_check "$TEST: static reload rereads the file" "${ctl[@]}" reload
t_check "$TEST: after the reload, the file's routes only" \
	test "$("${ctl[@]}" show | grep -c '^mroute ')" = 8
t_check "$TEST: ($SRC,239.32.8.1) goes nowhere after the reload" \
	wait_oifs 239.32.8.1 -

kill -TERM "$daemon"
wait "$daemon"
t_check "$TEST: the control socket goes with the daemon" test ! -e "$tmp/ctl.sock"
t_check "$TEST: mgm-staticd deregistered at SIGTERM" \
	test "$("$MGMCTL" -j protocol show)" = "[]"
t_check "$TEST: Type=notify: STOPPING=1 at SIGTERM" \
	test "$(notified | tail -n 1)" = "STOPPING=1"
t_check "$TEST: rmmod mgm" rmmod mgm

# ---- the same file through smcroute, on the same traffic ------------------
# smcrouted (fetched by tools/uml/deps.sh, never installed) owns ipmr now
# that mgm is gone; what ipmr forwards must be what the lines say, as
# above, and the same groups must be joined on sv0.
smcrouted=${MGM_CACHE:-/var/cache/mgm}/smcroute/usr/sbin/smcrouted
if [ ! -x "$smcrouted" ]; then
	t_skip "$TEST: smcroute: no $smcrouted (tools/uml/deps.sh fetches it)"
	exit 0
fi
# Debian's smcrouted 2.5.6 crashed (SIGSEGV) under the UML sanitizer
# kernel: the comparison runs on Debian's own kernels (qemu), where a
# router runs it
if [[ ${MGM_KERNEL:-} != qemu-* ]]; then
	t_skip "$TEST: smcroute: compared on Debian's kernels (qemu) only"
	exit 0
fi
"$smcrouted" -n -f "$tmp/smcroute.conf" -u "$tmp/smc.sock" \
	-P "$tmp/smc.pid" -l debug >"$tmp/smc.log" 2>&1 &
smc=$!
bg_pids+=("$smc")

# mroute_oifs GROUP: ipmr's entry of (SRC, GROUP) as "a,b"; "-" without
# one or without outgoing VIFs
mroute_oifs() {
	# (a VIF's TTL threshold shows as "s1(ttl 2)")
	ip mroute show | sed 's/(ttl [0-9]*)//g' | awk -v sg="($SRC,$1)" '
	$1 == sg {
		o = ""
		for (i = 1; i <= NF; i++)
			if ($i == "Oifs:")
				for (j = i + 1; j <= NF && $j != "State:"; j++)
					o = o (o == "" ? "" : ",") $j
	}
	END { print o == "" ? "-" : o }' | tr , '\n' | sort | paste -sd,
}
# the entries that must come, then the others have had their chance
for w in "${want[@]}"; do
	g=${w%% *} o=${w#* }
	[ "$o" = - ] && continue
	for ((i = 0; i < 50; i++)); do
		[ "$(mroute_oifs "$g")" = "$o" ] && break
		sleep 0.1
	done
done
sleep 1
ip mroute show | show
if ! kill -0 "$smc" 2>/dev/null; then
	t_fail "$TEST: smcrouted runs"
	tail -n 20 "$tmp/smc.log" | show
	exit 1
fi
for w in "${want[@]}"; do
	g=${w%% *} o=${w#* }
	got=$(mroute_oifs "$g")
	if [ "$got" = "$o" ]; then
		t_ok "$TEST: smcroute forwards ($SRC,$g) to $o too"
	else
		t_fail "$TEST: smcroute forwards ($SRC,$g) to $o too (got: $got)"
	fi
done
maddr=$(ip maddr show dev sv0)
for g in 239.32.0.9 239.32.0.16 239.32.0.17; do
	if grep -Eq "inet +${g//./\\.}( |\$)" <<<"$maddr"; then
		t_ok "$TEST: smcroute's mgroup: $g joined on sv0 too"
	else
		t_fail "$TEST: smcroute's mgroup: $g joined on sv0 too"
		show <"$tmp/smc.log"
	fi
done
