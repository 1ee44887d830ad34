#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memberships over netlink: three routing protocols and the IGMP component,
# each a client socket, add and delete memberships, and each must receive
# exactly the join and prune alerts of tables J and P
# (Documentation/mgm.rst, "Alert tables"), the local join/leave of IGMP on
# its interface, and nothing else; the monitor
# group sees every membership and a copy of every alert.  Then the errors
# with their extended acks, the group dumps (any-source, all-sources), and
# a closing socket taking its memberships with it.  15-group-dumps.sh
# dumps many keys while they change.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=membership
devs=(m0 m1 m2 m3 m4 m9)

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'for dev in "${devs[@]}"; do ip link del "$dev"; done'

# sg S G: (S, G) as the attributes of a message, masks derived.
sg() {
	local sm=255.255.255.255 gm=255.255.255.255

	[ "$1" = 0.0.0.0 ] && sm=0.0.0.0
	[ "$2" = 0.0.0.0 ] && gm=0.0.0.0
	echo "source=$1 source-mask=$sm group=$2 group-mask=$gm"
}

# join H S G, prune H S G IF, local_join H S G IF ...: the notifications.
join() { echo "notify join-alert handle=$1 $(sg "$2" "$3") member-update"; }
prune() {
	echo "notify prune-alert handle=$1 $(sg "$2" "$3") ifindex=$4 nexthop=0.0.0.0 member-delete"
}
local_join() {
	echo "notify local-join handle=$1 $(sg "$2" "$3") ifindex=$4 nexthop=0.0.0.0"
}
local_leave() {
	echo "notify local-leave handle=$1 $(sg "$2" "$3") ifindex=$4 nexthop=0.0.0.0"
}
# member new|del H PROTO S G IF: the monitor event of a membership.
member() {
	echo "event membership-$1 handle=$2 protocol-id=$3 component-id=1 $(sg "$4" "$5") ifindex=$6 nexthop=0.0.0.0"
}
# ev LINE...: notifications as the monitor's copies.
ev() {
	local l

	for l; do echo "event ${l#notify }"; done
}
lines() {
	[ $# -gt 0 ] && printf '%s\n' "$@"
}

if [ ! -x "$CLIENT" ]; then
	t_fail "$TEST: $CLIENT is built"
	exit 1
fi
if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi
for dev in "${devs[@]}"; do
	ip link add "$dev" type dummy
	ip link set "$dev" up
done
# the route toward source 10.1.0.5 goes out of m1, B's interface
ip addr add 10.1.0.1/24 dev m1
I0=$(</sys/class/net/m0/ifindex)
I1=$(</sys/class/net/m1/ifindex)
I2=$(</sys/class/net/m2/ifindex)
I4=$(</sys/class/net/m4/ifindex)
S=10.1.0.5

# One registration after the other: "every other protocol" goes out in
# handle order, which the monitor's expectations follow.
client A 'register 200 1' 'take $H m0' 'take $H m3'
step "setup A"
client B 'register 201 1' 'take $H m1'
step "setup B"
client C 'register 202 1' 'take $H m2'
step "setup C"
client G 'register 10 1' 'take $H m0' 'take $H m4'
step "setup IGMP"
client M 'monitor 0'
if ! step "setup monitor" || ! grep -q '^ok monitor$' "$tmp/M.out"; then
	t_fail "$TEST: four protocols and a monitor"
	for c in A B C G M; do show <"$tmp/$c.out"; done
	exit 1
fi
HA=$(handle A) HB=$(handle B) HC=$(handle C) HG=$(handle G)
t_ok "$TEST: four protocols and a monitor"

# ---- table J and P for (*,G) ---------------------------------------------
G1=239.1.1.1
say A "add \$H * $G1 m0"
step "(*,G) first client"
expect A ""
expect B "$(join "$HB" 0.0.0.0 $G1)"
expect C "$(join "$HC" 0.0.0.0 $G1)"
expect G "$(join "$HG" 0.0.0.0 $G1)"
expect M "$(lines "$(member new "$HA" 200 0.0.0.0 $G1 "$I0")" \
	"$(ev "$(join "$HB" 0.0.0.0 $G1)" "$(join "$HC" 0.0.0.0 $G1)" \
	      "$(join "$HG" 0.0.0.0 $G1)")")"

say B "add \$H * $G1 m1"
step "(*,G) second client"
expect A "$(join "$HA" 0.0.0.0 $G1)"
expect B ""
expect C ""
expect G ""
expect M "$(lines "$(member new "$HB" 201 0.0.0.0 $G1 "$I1")" \
	"$(ev "$(join "$HA" 0.0.0.0 $G1)")")"

say C "add \$H * $G1 m2"
step "(*,G) third client"
for c in A B C G; do expect $c ""; done
expect M "$(member new "$HC" 202 0.0.0.0 $G1 "$I2")"

say A "add \$H * $G1 m3" "add \$H * $G1 m0"
step "(*,G) a client's second interface, a duplicate"
for c in A B C G; do expect $c ""; done
expect M "$(member new "$HA" 200 0.0.0.0 $G1 "$(</sys/class/net/m3/ifindex)")"
has_dup=$(got A '^ok add-membership$' | wc -l)
if [ "$has_dup" -eq 2 ]; then
	t_ok "$TEST: a duplicate add succeeds"
else
	t_fail "$TEST: a duplicate add succeeds ($has_dup acks of 2)"
fi

say C "del \$H * $G1 m2"
say A "del \$H * $G1 m3"
step "(*,G) 3 -> 2 clients, and a client that keeps an interface"
for c in A B C G; do expect $c ""; done

say A "del \$H * $G1 m0"
step "(*,G) 2 -> 1 clients"
expect A ""
expect B "$(prune "$HB" 0.0.0.0 $G1 "$I0")"
expect C ""
expect G ""
expect M "$(lines "$(member del "$HA" 200 0.0.0.0 $G1 "$I0")" \
	"$(ev "$(prune "$HB" 0.0.0.0 $G1 "$I0")")")"

say B "del \$H * $G1 m1" "expect-error ENOENT del \$H * $G1 m1"
step "(*,G) 1 -> 0 clients"
expect A "$(prune "$HA" 0.0.0.0 $G1 "$I1")"
expect B ""
expect C "$(prune "$HC" 0.0.0.0 $G1 "$I1")"
expect G "$(prune "$HG" 0.0.0.0 $G1 "$I1")"
expect B 'error delete-membership ENOENT msg="mgm: group: no such membership on this interface"' \
	'^error'

# ---- (*,*) mirrors (*,G) (mgm.rst, "Table J", "Table P") ----------------
say C 'add $H * * m2'
step "(*,*) first client"
expect A "$(join "$HA" 0.0.0.0 0.0.0.0)"
expect B "$(join "$HB" 0.0.0.0 0.0.0.0)"
expect C ""
expect G "$(join "$HG" 0.0.0.0 0.0.0.0)"

say A 'add $H * * m0'
step "(*,*) second client"
for c in A B G; do expect $c ""; done
expect C "$(join "$HC" 0.0.0.0 0.0.0.0)"

say C 'del $H * * m2'
step "(*,*) 2 -> 1 clients"
expect A "$(prune "$HA" 0.0.0.0 0.0.0.0 "$I2")"
for c in B C G; do expect $c ""; done

say A 'del $H * * m0'
step "(*,*) 1 -> 0 clients"
expect A ""
expect B "$(prune "$HB" 0.0.0.0 0.0.0.0 "$I0")"
expect C "$(prune "$HC" 0.0.0.0 0.0.0.0 "$I0")"
expect G "$(prune "$HG" 0.0.0.0 0.0.0.0 "$I0")"

# ---- (S,G): only the owner of the RPF interface toward S ----------------
G2=239.2.2.2
say A "add \$H $S $G2 m0"
step "(S,G) first client"
for c in A C G; do expect $c ""; done
expect B "$(join "$HB" $S $G2)"

say C "add \$H $S $G2 m2"
step "(S,G) second client"
for c in A B C G; do expect $c ""; done

say A "del \$H $S $G2 m0"
step "(S,G) a client of two leaves"
for c in A B C G; do expect $c ""; done

say C "del \$H $S $G2 m2"
step "(S,G) the last client leaves: the alert names the RPF interface"
for c in A C G; do expect $c ""; done
expect B "$(prune "$HB" $S $G2 "$I1")"

say B "add \$H $S $G2 m1" "del \$H $S $G2 m1"
step "(S,G) by the owner of the RPF interface itself"
for c in A B C G; do expect $c ""; done

# ---- IGMP: local join/leave on a protocol's interface, counted as it ----
G3=239.3.3.3
say G "add \$H * $G3 m0"
step "IGMP joins on A's interface"
expect A "$(local_join "$HA" 0.0.0.0 $G3 "$I0")"
expect B "$(join "$HB" 0.0.0.0 $G3)"
expect C "$(join "$HC" 0.0.0.0 $G3)"
expect G "$(join "$HG" 0.0.0.0 $G3)"
expect M "$(lines "$(ev "$(local_join "$HA" 0.0.0.0 $G3 "$I0")")" \
	"$(member new "$HG" 10 0.0.0.0 $G3 "$I0")" \
	"$(ev "$(join "$HB" 0.0.0.0 $G3)" "$(join "$HC" 0.0.0.0 $G3)" \
	      "$(join "$HG" 0.0.0.0 $G3)")")"

say G "del \$H * $G3 m0"
step "IGMP leaves on A's interface"
expect A "$(local_leave "$HA" 0.0.0.0 $G3 "$I0")"
expect B "$(prune "$HB" 0.0.0.0 $G3 "$I0")"
expect C "$(prune "$HC" 0.0.0.0 $G3 "$I0")"
expect G "$(prune "$HG" 0.0.0.0 $G3 "$I0")"

say G "add \$H * $G3 m4"
step "IGMP joins on its own interface"
expect A "$(join "$HA" 0.0.0.0 $G3)"
expect B "$(join "$HB" 0.0.0.0 $G3)"
expect C "$(join "$HC" 0.0.0.0 $G3)"
expect G ""

say G "del \$H * $G3 m4"
step "IGMP leaves its own interface"
expect A "$(prune "$HA" 0.0.0.0 $G3 "$I4")"
expect B "$(prune "$HB" 0.0.0.0 $G3 "$I4")"
expect C "$(prune "$HC" 0.0.0.0 $G3 "$I4")"
expect G ""

# ---- errors, each with the attribute named -------------------------------
say A 'expect-error EPERM add $H * 239.1.1.1 m1' \
	'expect-error ENOENT add $H * 239.1.1.1 m9' \
	'expect-error EINVAL send add-membership handle=$H source=10.1.0.5 source-mask=255.255.0.0 group=239.1.1.1 ifindex=m0 flags=join' \
	'expect-error EINVAL send add-membership handle=$H group=239.1.1.1 group-mask=255.255.255.0 ifindex=m0 flags=join' \
	'expect-error EINVAL add $H 10.1.0.5 * m0' \
	'expect-error EINVAL add $H * 10.0.0.1 m0' \
	'expect-error EINVAL add $H 239.0.0.1 239.1.1.1 m0' \
	'expect-error EINVAL add $H * 239.1.1.1 m0 0 4' \
	'expect-error EINVAL add $H * 239.1.1.1 m0 0 0' \
	'expect-error EINVAL send add-membership handle=$H ifindex=m0 flags=join' \
	'expect-error EINVAL send add-membership handle=$H group=239.1.1.1 ifindex=m0' \
	'expect-error EINVAL send delete-membership handle=$H group=239.1.1.1 flags=join' \
	'expect-error ERANGE send add-membership handle=$H group=239.1.1.1 ifindex=0 flags=join' \
	'expect-error ENOENT del $H * 239.9.9.9 m0' \
	'expect-error EPERM add '"$HB"' * 239.1.1.1 m1' \
	'expect-error ERANGE groups 2' \
	'expect-error ENOENT set-mfe $H 10.1.0.5 239.1.1.1 10.1.0.9' \
	'expect-error ENOENT mfe 10.1.0.5 239.1.1.1' \
	'expect-error EINVAL send get-mfe source=10.1.0.5' \
	'expect-error ENOENT send rpf-reply handle=$H cookie=12345 iif=m0 upstream=0' \
	'expect-error EINVAL send rpf-reply handle=$H cookie=12345 iif=m0' \
	'expect-error EPERM send prune-reply handle='"$HB"' cookie=1 timeout=5' \
	'expect-error EINVAL send prune-reply handle=$H cookie=1' \
	'expect-error EINVAL send creation-reply handle=$H cookie=1 oif=/disabled' \
	'expect-error ERANGE send creation-reply handle=$H cookie=1 oif=0' \
	'expect-error EINVAL send creation-reply handle=$H cookie=1 ifindex=m0' \
	'echo errors done'
step "errors"
if grep -q '^errors done$' "$tmp/A.out"; then
	t_ok "$TEST: every error case failed as it should"
else
	t_fail "$TEST: every error case failed as it should"
	show <"$tmp/A.out"
fi
out=$(got A '^error ')
show <<<"$out"
# has NAME REGEX: a whole line of $out matches REGEX.
has() {
	if grep -Eq -- "^$2\$" <<<"$out"; then
		t_ok "$TEST: $1"
	else
		t_fail "$TEST: $1 (no line /^$2\$/)"
	fi
}
has "another protocol's interface: EPERM naming ifindex" \
	'error add-membership EPERM msg="mgm: ifindex: .*another protocol"'
has "an interface nobody owns: ENOENT naming ifindex" \
	'error add-membership ENOENT msg="mgm: ifindex: no protocol owns this interface"'
has "a source mask neither 0 nor all-ones: EINVAL naming source-mask" \
	'error add-membership EINVAL msg="mgm: source-mask: .*"'
has "a group mask neither 0 nor all-ones: EINVAL naming group-mask" \
	'error add-membership EINVAL msg="mgm: group-mask: .*"'
has "(S,*): EINVAL naming group" \
	'error add-membership EINVAL msg="mgm: group: a specific source needs a specific group.*"'
has "a unicast group: EINVAL naming group" \
	'error add-membership EINVAL msg="mgm: group: not a multicast group.*"'
has "a multicast source: EINVAL naming source" \
	'error add-membership EINVAL msg="mgm: source: not a unicast address"'
has "an unknown flag: EINVAL from the policy, at flags" \
	'error add-membership EINVAL attr=flags msg=".+"'
has "no flag: EINVAL naming flags" \
	'error add-membership EINVAL msg="mgm: flags: .*"'
has "a missing group named in the extack" \
	'error add-membership EINVAL missing=group'
has "missing flags named in the extack" \
	'error add-membership EINVAL missing=flags'
has "a missing ifindex named in the extack" \
	'error delete-membership EINVAL missing=ifindex'
has "ifindex 0: ERANGE from the policy, at ifindex" \
	'error add-membership ERANGE attr=ifindex msg=".+"'
has "delete of a missing membership: ENOENT" \
	'error delete-membership ENOENT msg="mgm: group: no such membership on this interface"'
has "another socket's handle: EPERM at handle" \
	'error add-membership EPERM attr=handle msg="handle: registered by another netlink socket"'
has "an enum-type out of range: ERANGE from the policy" \
	'error get-group ERANGE attr=enum-type msg=".+"'
has "set-mfe of no MFE: ENOENT naming group" \
	'error set-mfe ENOENT msg="mgm: group: no MFE for this source and group"'
has "get-mfe of no MFE: ENOENT at group" \
	'error get-mfe ENOENT attr=group msg="group: no MFE for this source and group"'
has "get-mfe without group: named in the extack" \
	'error get-mfe EINVAL missing=group'
has "an answer to no question: ENOENT naming cookie" \
	'error rpf-reply ENOENT msg="mgm: cookie: no such question pending.*"'
has "an rpf answer without upstream: named in the extack" \
	'error rpf-reply EINVAL missing=upstream'
has "an answer with another socket's handle: EPERM at handle" \
	'error prune-reply EPERM attr=handle msg="handle: registered by another netlink socket"'
has "a prune answer without timeout: named in the extack" \
	'error prune-reply EINVAL missing=timeout'
has "an oif without ifindex in a creation answer: named in the extack" \
	'error creation-reply EINVAL missing=oif.ifindex'
has "ifindex 0 in an oif: ERANGE from the policy, at oif.ifindex" \
	'error creation-reply ERANGE attr=oif.ifindex msg=".+"'
has "an attribute outside the answer's policy: refused" \
	'error creation-reply EINVAL attr=ifindex msg=".+"'
for c in B C G; do expect $c ""; done

# ---- group dumps -----------------------------------------------------------
say A "add \$H * 239.1.1.1 m0" "add \$H $S 239.1.1.1 m0"
say C 'add $H * 239.0.0.5 m2' 'add $H * * m2'
say G 'add $H * 239.1.1.1 m4' "add \$H $S 239.1.1.1 m4"
step "memberships for the group dumps"
out=$("$CLIENT" run 'groups' 'groups any' 'groups all' 2>&1)
show <<<"$out"
any=$(lines "get-group $(sg 0.0.0.0 0.0.0.0)" \
	"get-group $(sg 0.0.0.0 239.0.0.5)" \
	"get-group $(sg 0.0.0.0 239.1.1.1)")
all=$(lines "get-group $(sg 0.0.0.0 0.0.0.0)" \
	"get-group $(sg 0.0.0.0 239.0.0.5)" \
	"get-group $(sg 0.0.0.0 239.1.1.1)" \
	"get-group $(sg $S 239.1.1.1)")
want=$(lines "$any" "ok get-group count=3" "$any" "ok get-group count=3" \
	"$all" "ok get-group count=4")
if [ "$out" = "$want" ]; then
	t_ok "$TEST: group dumps: one entry per group, or every key once, sorted"
else
	t_fail "$TEST: group dumps: one entry per group, or every key once, sorted"
	echo "  expected:"
	show <<<"$want"
fi

# ---- a closing socket takes its memberships with it ---------------------
say A "del \$H $S 239.1.1.1 m0"
step "before A closes"
if stop A; then
	t_ok "$TEST: client A ran every command as expected"
else
	t_fail "$TEST: client A ran every command as expected"
	show <"$tmp/A.out"
fi
step "A closed its socket"
expect M "$(member del "$HA" 200 0.0.0.0 239.1.1.1 "$I0")" '^event membership'
# A and G were the clients of (*,239.1.1.1): G is left, and told so
expect G "$(prune "$HG" 0.0.0.0 239.1.1.1 "$I0")" '^notify prune'
out=$("$CLIENT" run 'groups all' 2>&1)
show <<<"$out"
want=$(lines "get-group $(sg 0.0.0.0 0.0.0.0)" \
	"get-group $(sg 0.0.0.0 239.0.0.5)" \
	"get-group $(sg 0.0.0.0 239.1.1.1)" \
	"get-group $(sg $S 239.1.1.1)" "ok get-group count=4")
if [ "$out" = "$want" ]; then
	t_ok "$TEST: after A closed, the keys others hold are left"
else
	t_fail "$TEST: after A closed, the keys others hold are left"
fi

for c in B C G M; do
	if stop $c; then
		t_ok "$TEST: client $c ran every command as expected"
	else
		t_fail "$TEST: client $c ran every command as expected"
		show <"$tmp/$c.out"
	fi
done

out=$("$CLIENT" run 'groups all' 'protocols' 2>&1)
show <<<"$out"
if grep -q '^ok get-group count=0$' <<<"$out" &&
   grep -q '^ok get-protocol count=0$' <<<"$out"; then
	t_ok "$TEST: every membership went with its socket"
else
	t_fail "$TEST: every membership went with its socket"
fi
# ---- batched requests (mgm-client's batch on, tools/lib's mgm_batch) ----
# batched N: a protocol on m9 adds N (S,G) memberships and deletes them,
# batched, with a group dump after each; its socket's receive buffer holds
# about one ack, so an ack for every request would overflow it.
batched() {
	awk -v n="$1" 'BEGIN {
		print "register 203 1"
		print "take $H m9"
		print "rcvbuf 1"
		print "batch on"
		for (i = 0; i < n; i++)
			printf "add $H 10.9.%d.%d 239.9.0.%d m9\n",
				i / 250, i % 250 + 1, i % 7 + 1
		print "groups all"
		for (i = 0; i < n; i++)
			printf "del $H 10.9.%d.%d 239.9.0.%d m9\n",
				i / 250, i % 250 + 1, i % 7 + 1
		print "groups all"
	}' | "$CLIENT" run 2>&1
}
out=$(batched 2000)
rc=$?
if [ $rc = 0 ] &&
   [ "$(grep -c '^get-group' <<<"$out")" = 2000 ] &&
   [ "$(grep -vc '^get-group' <<<"$out")" = 5 ] &&
   grep -qx 'ok register' <<<"$out" && grep -qx 'ok take-interface' <<<"$out" &&
   grep -qx 'ok get-group count=2000' <<<"$out" &&
   grep -qx 'ok get-group count=0' <<<"$out"; then
	t_ok "$TEST: 2000 memberships added and deleted in batches, no ack but the last of each"
else
	t_fail "$TEST: 2000 memberships added and deleted in batches, no ack but the last of each"
	echo "  exit $rc"
	grep -v '^get-group' <<<"$out" | head -n 20 | show
fi

# A failed request in a batch: its error line, the requests around it
# handled (the monitor sees them), and the sequence ends there.
"$CLIENT" run 'monitor 30' >"$tmp/batch-mon.out" 2>&1 &
mon=$!
bg_pids+=("$mon")
wait_lines "$tmp/batch-mon.out" '^ok monitor$' 1
out=$("$CLIENT" run 'register 203 1' 'take $H m9' 'batch on' \
	'add $H 10.9.0.1 239.9.0.1 m9' 'add $H 10.9.0.2 239.9.0.1 m1' \
	'add $H 239.0.0.1 239.9.0.1 m9' 'add $H 10.9.0.3 239.9.0.1 m9' \
	'echo not reached' 2>&1)
rc=$?
show <<<"$out"
want='^register handle=[0-9]+$
^ok register$
^ok take-interface$
^error add-membership ENOENT msg="mgm: ifindex: .*"$
^error add-membership EINVAL msg="mgm: source: .*"$
^mgm-client: 2 batched requests failed$'
ok=true
[ $rc = 1 ] && [ "$(wc -l <<<"$out")" = 6 ] || ok=false
while read -r re <&3 && read -r line <&4; do
	grep -Eq -- "$re" <<<"$line" || ok=false
done 3<<<"$want" 4<<<"$out"
if $ok; then
	t_ok "$TEST: a batch's failed requests each print their error, and the run ends"
else
	t_fail "$TEST: a batch's failed requests each print their error, and the run ends"
fi
wait_lines "$tmp/batch-mon.out" '^event membership-del .*source=10\.9\.0\.3 ' 1
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
news=$(grep -o '^event membership-new .*source=[0-9.]* ' "$tmp/batch-mon.out" |
	grep -o 'source=[0-9.]*' | tr '\n' ' ')
if [ "$news" = "source=10.9.0.1 source=10.9.0.3 " ]; then
	t_ok "$TEST: the requests before and after the failed ones in a batch were handled"
else
	t_fail "$TEST: the requests before and after the failed ones in a batch were handled"
	show <"$tmp/batch-mon.out"
fi

# A failure in a full batch, sent while lines are still being queued,
# fails the run too, at the line that sent it.
out=$(awk 'BEGIN {
	print "register 203 1"
	print "take $H m9"
	print "batch on"
	print "add $H 239.0.0.1 239.9.0.1 m9"
	for (i = 0; i < 1000; i++)
		printf "add $H 10.9.%d.%d 239.9.0.2 m9\n", i / 250, i % 250 + 1
	print "echo not reached"
}' | "$CLIENT" run 2>&1)
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^error add-membership EINVAL' <<<"$out")" = 1 ] &&
   grep -qx 'mgm-client: 1 batched requests failed' <<<"$out" &&
   ! grep -q 'not reached' <<<"$out"; then
	t_ok "$TEST: a failure in a batch sent because it was full fails the run"
else
	t_fail "$TEST: a failure in a batch sent because it was full fails the run"
	echo "  exit $rc"
	show <<<"$out"
fi

# Notifications come several to a datagram: a batch of 200 (*,G) adds
# from one protocol is one request datagram, and the join alerts it
# causes to another go out together after it.
client J 'register 204 1' 'take $H m4'
step "J registered"
out=$(awk 'BEGIN {
	print "register 203 1"
	print "take $H m9"
	print "batch on"
	for (i = 0; i < 200; i++)
		printf "add $H * 239.10.%d.%d m9\n", i / 100, i % 100 + 1
	print "echo added"
}' | "$CLIENT" run 2>&1)
show <<<"$out"
wait_lines "$tmp/J.out" '^notify join-alert .*group=239\.10\.' 200
say J received
step "J counted"
read -r datagrams messages < <(sed -n 's/^received datagrams=\([0-9]*\) messages=\([0-9]*\)$/\1 \2/p' "$tmp/J.out")
echo "  J: ${datagrams:-?} datagrams, ${messages:-?} messages"
if [ "$(tail -n 1 <<<"$out")" = added ] &&
   [ "${datagrams:-0}" -gt 0 ] && [ $((datagrams * 4)) -le "${messages:-0}" ]; then
	t_ok "$TEST: 200 join alerts of one batch came several to a datagram"
else
	t_fail "$TEST: 200 join alerts of one batch came several to a datagram"
fi
if stop J; then
	t_ok "$TEST: client J ran every command as expected"
else
	t_fail "$TEST: client J ran every command as expected"
	show <"$tmp/J.out"
fi

t_check "$TEST: rmmod mgm" rmmod mgm
