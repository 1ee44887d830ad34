#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL client (tools/net/ynl/cli.py of the 6.12 source)
# drives the family from tools/spec/mgm.yaml alone: requests, replies with
# the next hop shown as an address, dumps, extack decoding, notifications;
# and its library (what cli.py is made of) a protocol's life on one
# socket: register, take, memberships, group and MFE dumps.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
KSRC=${MGM_KSRC:-/var/cache/mgm/src/linux-source-6.12}
# Debian's python has python3-yaml and python3-jsonschema; the schema is
# found as tools/genetlink-legacy.yaml next to the spec's directory.
# The first call checks the spec against the schema; the others skip it,
# which halves each call's time under emulation.
YNL=(/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py"
     --spec "$MGM_REPO/tools/spec/mgm.yaml" --output-json --no-schema)
holder=

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer '[ -n "$holder" ] && kill -KILL "$holder"'
t_links y0 y1

# ynl_fails NAME REGEX ARG...: cli.py must fail and print REGEX.
ynl_fails() {
	local name=$1 re=$2 out rc

	shift 2
	out=$("${YNL[@]}" "$@" 2>&1)
	rc=$?
	echo "$out"
	if [ "$rc" -ne 0 ] && grep -Eq -- "$re" <<<"$out"; then
		t_ok "$name"
	else
		t_fail "$name (exit $rc, wanted failure and /$re/)"
	fi
}

if [ ! -f "$KSRC/tools/net/ynl/cli.py" ]; then
	t_fail "ynl: no $KSRC/tools/net/ynl/cli.py"
	exit 1
fi
if ! insmod "$MGM_KO"; then
	t_fail "ynl: insmod $MGM_KO"
	exit 1
fi
ip link add y0 type dummy
ip link add y1 type dummy
IFY=$(</sys/class/net/y0/ifindex)

t_check_out "ynl: the spec passes the schema; --list-ops lists the family's operations" \
	'get-protocol' "${YNL[@]/--no-schema/--schema=$MGM_REPO/tools/genetlink-legacy.yaml}" --list-ops

# a registration that lives as long as its client
"$CLIENT" run 'register 700 3' 'take $H y0 192.0.2.1' 'echo ready' \
	'hold 600' >"$tmp/holder.out" 2>&1 &
holder=$!
for ((i = 0; i < 100; i++)); do
	grep -q '^ready$' "$tmp/holder.out" && break
	sleep 0.1
done
H=$(sed -n 's/^register handle=//p' "$tmp/holder.out")

t_check_out "ynl: dump get-protocol" \
	"\"handle\": $H, \"protocol-id\": 700, \"component-id\": 3, \"portid\": [1-9]" \
	"${YNL[@]}" --dump get-protocol
t_check_out "ynl: do get-interface shows the next hop as an address" \
	"\"ifindex\": $IFY, \"nexthop\": \"192.0.2.1\", \"handle\": $H" \
	"${YNL[@]}" --do get-interface \
	--json "{\"ifindex\": $IFY, \"nexthop\": 3221225985}"
t_check_out "ynl: dump get-interface" "\"nexthop\": \"192.0.2.1\"" \
	"${YNL[@]}" --dump get-interface
t_check_out "ynl: do register replies with a handle" '"handle": [1-9]' \
	"${YNL[@]}" --do register --json '{"protocol-id": 701, "component-id": 1}'
t_check_out "ynl: cli.py's registration went with its socket" \
	'^ok get-protocol count=1$' "$CLIENT" protocols
ynl_fails "ynl: the missing attribute is decoded by name" \
	"'miss-type': 'component-id'" --do register --json '{"protocol-id": 702}'
ynl_fails "ynl: another socket's handle is refused" \
	"Operation not permitted" --do deregister --json "{\"handle\": $H}"

# Notifications: cli.py subscribes at a moment we cannot see, so keep
# changing state until it has slept and printed what it queued.
"${YNL[@]}" --subscribe monitor --sleep 5 >"$tmp/ynl-monitor.out" 2>&1 &
ynl_pid=$!
while kill -0 "$ynl_pid" 2>/dev/null; do
	"$CLIENT" run 'register 703 1' 'deregister $H' >/dev/null
	sleep 0.3
done
wait "$ynl_pid"
cat "$tmp/ynl-monitor.out"
if grep -q '"name": "protocol-new", "msg": {"handle": [0-9]*, "protocol-id": 703' \
	"$tmp/ynl-monitor.out"; then
	t_ok "ynl: --subscribe monitor decodes the events"
else
	t_fail "ynl: --subscribe monitor decodes the events"
fi

# A handle belongs to its socket: one YnlFamily, one socket, the whole
# life of a protocol.  Addresses go in as big-endian integers and come back
# as dotted strings (display-hint ipv4); flags by name.
cat >"$tmp/proto.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/tools/net/ynl")
from lib import YnlFamily, NlError

ynl = YnlFamily(sys.argv[2])
ifindex = int(sys.argv[3])
group = 0xEF010203             # 239.1.2.3
h = ynl.do("register", {"protocol-id": 705, "component-id": 1})["handle"]
ynl.do("take-interface", {"handle": h, "ifindex": ifindex})
m = {"handle": h, "group": group, "ifindex": ifindex, "flags": ["join-state"]}
ynl.do("add-membership", m)
ynl.do("add-membership", dict(m, source=0x0A000105))
print("groups", ynl.dump("get-group", {"enum-type": "all-sources"}))
print("any", ynl.dump("get-group", {}))
try:
    ynl.do("add-membership", dict(m, group=0x0A000001))
except NlError as e:
    print("error", e.error, e.nl_msg.extack)
try:
    ynl.do("add-membership", dict(m, flags=4))
except NlError as e:
    print("error", e.error, e.nl_msg.extack)
ynl.do("delete-membership", m)
print("left", ynl.dump("get-group", {"enum-type": "all-sources"}))
print("mfes", ynl.dump("get-mfe", {"stats": True}))
ynl.do("release-interface", {"handle": h, "ifindex": ifindex})
ynl.do("deregister", {"handle": h})
print("done")
PY
out=$(/usr/bin/python3 "$tmp/proto.py" "$KSRC" "$MGM_REPO/tools/spec/mgm.yaml" \
	"$(</sys/class/net/y1/ifindex)" 2>&1)
rc=$?
echo "$out"
if [ "$rc" -eq 0 ] && grep -q '^done$' <<<"$out"; then
	t_ok "ynl: the library: a protocol with memberships on one socket"
else
	t_fail "ynl: the library: a protocol with memberships on one socket (exit $rc)"
fi
# has NAME REGEX: a line of $out matches REGEX.
has() {
	if grep -Eq -- "$2" <<<"$out"; then
		t_ok "ynl: $1"
	else
		t_fail "ynl: $1 (no line /$2/)"
	fi
}
has "add-membership, get-group dump: (*,G) and (S,G), sorted, addresses decoded" \
	"^groups \[\{'source': '0\.0\.0\.0', 'source-mask': '0\.0\.0\.0', 'group': '239\.1\.2\.3', 'group-mask': '255\.255\.255\.255'\}, \{'source': '10\.0\.1\.5', 'source-mask': '255\.255\.255\.255', 'group': '239\.1\.2\.3', 'group-mask': '255\.255\.255\.255'\}\]$"
has "get-group without enum-type lists each group once" \
	"^any \[\{'source': '0\.0\.0\.0', 'source-mask': '0\.0\.0\.0', 'group': '239\.1\.2\.3', 'group-mask': '255\.255\.255\.255'\}\]$"
has "a unicast group: EINVAL with the core's message" \
	"^error 22 .*'msg': 'mgm: group: not a multicast group"
has "an unknown flag: EINVAL at flags (bad-attr decoded)" \
	"^error 22 .*'bad-attr': '\.flags'"
has "delete-membership leaves the (S,G)" \
	"^left \[\{'source': '10\.0\.1\.5', .*\}\]$"
has "get-mfe dump with stats (no MFE here)" "^mfes \[\]$"

kill "$holder"
wait "$holder" 2>/dev/null
holder=
t_check "ynl: rmmod mgm" rmmod mgm
