#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL client (tools/net/ynl/cli.py of the 6.12 source)
# drives the family from tools/spec/mgm.yaml alone: requests, replies with
# the next hop shown as an address, dumps, extack decoding, notifications.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
KSRC=${MGM_KSRC:-/var/cache/mgm/src/linux-source-6.12}
# Debian's python has python3-yaml and python3-jsonschema; the schema is
# found as tools/genetlink.yaml next to the spec's directory.
YNL=(/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py"
     --spec "$MGM_REPO/tools/spec/mgm.yaml" --output-json)
tmp=$(mktemp -d)
holder=

cleanup() {
	[ -n "$holder" ] && kill -KILL "$holder" 2>/dev/null
	wait 2>/dev/null
	ip link del y0 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

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
IFY=$(</sys/class/net/y0/ifindex)

t_check_out "ynl: --list-ops lists the family's operations" \
	'get-protocol' "${YNL[@]}" --list-ops

# a registration that lives as long as its client
"$CLIENT" run 'register 700 3' 'take $H y0 192.0.2.1' 'echo ready' \
	'hold 60' >"$tmp/holder.out" 2>&1 &
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

kill "$holder"
wait "$holder" 2>/dev/null
holder=
t_check "ynl: rmmod mgm" rmmod mgm
