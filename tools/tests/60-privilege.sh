#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Who may change what, for every command of the spec the module implements
# (tools/pynl/mgm-priv.py): without CAP_NET_ADMIN (root without it, and
# nobody) every admin-perm command fails with EPERM and changes nothing; a
# handle is refused on any other socket (EPERM) and once stale (ENOENT); a
# user namespace that owns a netns manages that netns only, and a socket
# opened inside one gives root no rights; the monitor group and the dumps
# of one netns show nothing of another.  10-netlink.sh covers the same for
# its commands one by one; this covers each command of the spec.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
set -euo pipefail

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"

holder=

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer '[ -n "$holder" ] && kill "$holder"'
t_links p0 p1

if ! insmod "$MGM_KO"; then
	t_fail "privilege: insmod $MGM_KO"
	exit 1
fi
ip link add p0 type dummy
ip link add p1 type dummy
free_if=$(</sys/class/net/p1/ifindex)

# Another process's live registration on lo: its handle goes into the
# refused requests, which must not touch it.  ($H is the client's own
# variable, hence the single quotes.)
# shellcheck disable=SC2016
"$CLIENT" run 'register 900 1' 'take $H p0' 'echo ready' 'hold 100' \
	>"$tmp/holder.out" 2>&1 &
holder=$!
if ! wait_file "$tmp/holder.out" '^ready$'; then
	t_fail "privilege: a registration held in the background"
	exit 1
fi
H=$(sed -n 's/^register handle=\([0-9]*\)$/\1/p' "$tmp/holder.out")

# relay records the failures; the script goes on to the next check.
relay "" setpriv --bounding-set -net_admin --inh-caps -net_admin -- \
	"${PY[@]}" "$PYNL/mgm-priv.py" noperm --handle "$H" \
	--label "root without CAP_NET_ADMIN" || true
relay "" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	"${PY[@]}" "$PYNL/mgm-priv.py" noperm --handle "$H" --label nobody || true
for what in handles userns isolation; do
	relay "" "${PY[@]}" "$PYNL/mgm-priv.py" "$what" --ifindex "$free_if" || true
done

state_check "privilege: the state keeps its invariants"
out=$("$CLIENT" owner p0 2>&1 || true)
if grep -q "handle=$H protocol-id=900 component-id=1" <<<"$out"; then
	t_ok "privilege: the held registration is intact"
else
	t_fail "privilege: the held registration is intact"
fi
kill "$holder"
wait "$holder" 2>/dev/null || true
holder=
state_check "privilege: nothing left once the holder is gone" --empty
t_check "privilege: rmmod mgm" rmmod mgm
