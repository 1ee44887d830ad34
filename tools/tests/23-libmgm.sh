#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libmgm (tools/libmgm) through libmgm-example, a daemon linked against the
# shared library as any would be: register, take, memberships, the
# questions reaching their callbacks with real multicast and answered from
# them (a creation answer that disables an interface), a second daemon
# with no question callbacks (standing answers) whose membership reaches
# the first as a join alert, the enumerations, errors with their extended
# ack, a graceful-restart takeover, and the SIGTERM shutdown.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
EXAMPLE=$TOOLS/libmgm/libmgm-example
NS=mgm23-src
SRC=10.23.0.2
G=239.23.1.1
G2=239.23.2.2
bg_pids=()

t_netns "$NS"
t_links lv0 l1 l2 l3

show() { sed 's/^/  | /'; }

# wait_line FILE REGEX: waits (10 s at most) for a line matching REGEX.
wait_line() {
	wait_for 10 grep -Eq -- "$2" "$1"
}

# has NAME FILE REGEX: FILE has a line matching the whole REGEX.
has() {
	if wait_line "$2" "^$3\$"; then
		t_ok "libmgm: $1"
	else
		t_fail "libmgm: $1 (no line /$3/)"
		show <"$2"
	fi
}

# refused NAME REGEX ARG...: libmgm-example ARG... exits 1, its output
# matching REGEX (the failed request and the kernel's verdict).
refused() {
	local name=$1 re=$2 out rc

	shift 2
	out=$("$EXAMPLE" "$@" 2>&1)
	rc=$?
	echo "$out"
	if [ "$rc" -eq 1 ] && grep -Eq -- "$re" <<<"$out"; then
		t_ok "libmgm: $name"
	else
		t_fail "libmgm: $name (exit $rc, wanted /$re/)"
	fi
}

# j NAME PYTHON ARG...: `mgmctl -j ARG...` parsed as `d`; PYTHON asserts.
j() { t_json "libmgm: $1" "${@:2}"; }

# shown FILE: SIGUSR1 to the daemon writing FILE, up to its "end".
shown() {
	local before

	before=$(grep -c '^end$' "$1")
	kill -USR1 "$2"
	wait_for 10 test "$(grep -c '^end$' "$1")" -gt "$before"
}

# send_to GROUP: 20 datagrams a second from the source host, until the end.
send_to() {
	ip netns exec "$NS" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.bind((sys.argv[1], 0))
while True:
    s.sendto(b"x" * 100, (sys.argv[2], 5001))
    time.sleep(0.05)' "$SRC" "$1" &
	bg_pids+=($!)
}

for t in "$MGMCTL" "$EXAMPLE"; do
	if [ ! -x "$t" ]; then
		t_fail "libmgm: $t is built"
		exit 1
	fi
done
if ! insmod "$MGM_KO"; then
	t_fail "libmgm: insmod $MGM_KO"
	exit 1
fi

t_check_out "libmgm: the example links the shared library, its symbols versioned" \
	'libmgm\.so\.0 => ' ldd "$EXAMPLE"

veth_host "$NS" lv0 h0 10.23.0
for dev in l1 l2 l3; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done

# ---- A: every callback, l2 disabled in its creation answers ----
"$EXAMPLE" -p 400 -d l2 -j "$G@l1" -j "$G@l2" lv0 l1 l2 >"$tmp/a.out" 2>&1 &
a=$!
bg_pids+=("$a")
has "A registers, takes, joins" "$tmp/a.out" 'ready'
has "A got a handle" "$tmp/a.out" 'registered handle [0-9]+'
t_check_out "libmgm: mgmctl sees A's three interfaces" \
	'lv0 .*400' "$MGMCTL" interface show

refused "a second (400, 1): EEXIST with the kernel's message" \
	'^register failed: .+ \(EEXIST\)$' -p 400 lv0

send_to "$G"
has "rpf reaches its callback, with the packet" "$tmp/a.out" \
	"rpf \\($SRC,$G\\) iif lv0 packet [1-9][0-9]*"
has "creation alert: the candidates, one disabled in the answer" \
	"$tmp/a.out" "creation \\($SRC,$G\\) iif lv0 oifs (l1 l2|l2 l1) disabled 1"
sleep 0.5
shown "$tmp/a.out" "$a"
has "each-mfe: the answer applied, l2 left out, counting" "$tmp/a.out" \
	"mfe \\($SRC,$G\\) iif lv0 oifs l1 pkts [1-9][0-9]*"
has "each-group: the (*,G) key" "$tmp/a.out" "group \\(\\*,$G\\)"
has "each-membership: A's two" "$tmp/a.out" "membership \\(\\*,$G\\) on l2"

# ---- B: no question callbacks; its membership is A's join alert ----
"$EXAMPLE" -p 401 -n -j "$G@l3" l3 >"$tmp/b.out" 2>&1 &
b=$!
bg_pids+=("$b")
has "B registers without question callbacks" "$tmp/b.out" 'ready'
j "B's questions are standing answers (set-answers 7), A's asked" '
a = {e["protocol_id"]: e["answers"] for e in d}
assert a == {400: 0, 401: 7}, a' protocol show
has "B's membership: a join alert to A, the IIF owner" "$tmp/a.out" \
	"join-alert \\(\\*,$G\\) member"
wait_for 5 sh -c "'$MGMCTL' mfe show | grep -q 'l3'"
shown "$tmp/a.out" "$a"
has "the MFE gained l3 without a question to B" "$tmp/a.out" \
	"mfe \\($SRC,$G\\) iif lv0 oifs l1 l3 pkts [0-9]+"
if grep -Eq '^(rpf|creation)' "$tmp/b.out"; then
	t_fail "libmgm: B was asked nothing"
	show <"$tmp/b.out"
else
	t_ok "libmgm: B was asked nothing"
fi
kill -TERM "$b"
has "B: SIGTERM releases and deregisters" "$tmp/b.out" 'done'
has "B's membership went: A's prune alert, nothing to answer" \
	"$tmp/a.out" "prune \\(\\*,$G\\) on l3 membership"

# ---- errors: the attribute the kernel named ----
refused "take of an interface that another owns: EBUSY" \
	'^take failed: .+ \(EBUSY\)$' -p 402 l1
refused "a membership where nobody owns the interface: ENOENT, its message" \
	'^add-membership failed: .*ifindex: no protocol owns this interface \(ENOENT\)$' \
	-p 402 -j "$G@l3"
refused "a hold time past the maximum: ERANGE, the attribute named" \
	'^register failed: .+ \(ERANGE\) attr hold-time$' -p 402 -H 3601

# ---- graceful restart: a hold, then a takeover with the old handle ----
kill -TERM "$a"
has "A: SIGTERM releases and deregisters" "$tmp/a.out" 'done'
"$EXAMPLE" -p 403 -H 30 -j "$G@l1" l1 >"$tmp/c.out" 2>&1 &
c=$!
has "C registers with a hold time" "$tmp/c.out" 'ready'
h=$(sed -n 's/^registered handle \([0-9]*\)$/\1/p' "$tmp/c.out")
kill -KILL "$c"
wait "$c" 2>/dev/null
j "C's registration is held once it died" '
assert [(e["protocol_id"], e["state"]) for e in d] == [(403, "held")], d' \
	protocol show
"$EXAMPLE" -p 403 -H 30 >"$tmp/d.out" 2>&1 &
d=$!
bg_pids+=("$d")
has "D takes C's registration over: its handle, resync" "$tmp/d.out" \
	"registered handle $h resync"
shown "$tmp/d.out" "$d"
has "each-membership: what C held, stale" "$tmp/d.out" \
	"membership \\(\\*,$G\\) on l1 stale"
kill -USR2 "$d"
has "resync-end: D confirmed nothing" "$tmp/d.out" 'resync ended'
j "resync-end released C's interface" '
assert not any(e["ifname"] == "l1" for e in d), d' interface show
kill -TERM "$d"
has "D: SIGTERM deregisters" "$tmp/d.out" 'done'

# ---- an answer past its deadline: to answer_failed, with its cookie ----
"$EXAMPLE" -p 404 -s 2500 -j "$G2@l1" lv0 l1 >"$tmp/e.out" 2>&1 &
e=$!
bg_pids+=("$e")
has "E registers" "$tmp/e.out" 'ready'
send_to "$G2"
has "E is asked rpf, answers 2.5 s late" "$tmp/e.out" \
	"rpf \\($SRC,$G2\\) iif lv0 packet [1-9][0-9]*"
if wait_for 10 grep -Eq '^answer failed: cookie [1-9][0-9]*: .+ \(ENOENT\)$' \
	"$tmp/e.out"; then
	t_ok "libmgm: the late answer's ENOENT reached answer_failed, its cookie named"
else
	t_fail "libmgm: the late answer's ENOENT reached answer_failed, its cookie named"
	show <"$tmp/e.out"
fi
kill -TERM "$e"
has "E: SIGTERM deregisters" "$tmp/e.out" 'done'
j "nothing registered at the end" 'assert d == [], d' protocol show
