#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tenants: the root of a user namespace, in its own network namespace,
# lowers its limits and then registers, takes next hops and adds
# memberships up to them and past them: ENOSPC naming the limit, counted
# in its netns only.  Then it churns memberships as fast as it can while
# the host (the initial netns) takes a burst of 500 new flows through a
# userspace owner asked every question (tools/bench/burst.sh): the host
# keeps forwarding every first datagram and answering within its
# deadlines, and its counters stay at 0.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST=tenants
show() { sed 's/^/  | /'; }
TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}
MGMCTL=$TOOLS/mgmctl/mgmctl
CLIENT=$TOOLS/mgm-client
MEMBERS=2000
churn_pid=

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
# (the client too: its churn does not end by itself)
t_defer '[ -n "$churn_pid" ] && kill -KILL "$churn_pid" $(cat "$tmp/tenant.client" 2>/dev/null)'

# counters: the counters that mgmctl shows in this netns, as NAME=VALUE.
counters() {
	"$MGMCTL" -j limits show |
		python3 -c 'import json, sys
for k, v in json.load(sys.stdin)["counters"].items():
    print("%s=%d" % (k, v))'
}

if ! insmod "$MGM_KO"; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi

# ---- the tenant's commands ---------------------------------------------------
# 8 registrations (one socket), the 9th refused; 4 next hops of d0, the
# 5th refused; $MEMBERS memberships, the next refused.
awk -v members=$MEMBERS 'BEGIN {
	for (i = 0; i < 8; i++)
		printf "register %d 1\n", 300 + i
	print "expect-error ENOSPC register 320 1"
	print "take $H d0"
	for (i = 1; i < 4; i++)
		printf "take $H d0 10.68.0.%d\n", i
	print "expect-error ENOSPC take $H d0 10.68.0.9"
	for (i = 0; i < members; i++)
		printf "add $H 10.68.1.%d 232.68.%d.%d d0\n", i % 16 + 1,
			i / 4096, i / 16 % 256
	print "expect-error ENOSPC add $H 10.68.2.1 232.69.0.1 d0"
	print "echo filled"
}' >"$tmp/fill.cmds"
# then churn: delete and add the same memberships, round and round, until
# the host's burst is over (a fixed number of rounds ended before it on a
# fast guest)
awk -v members=$MEMBERS 'BEGIN {
	print "echo churning"
	for (r = 0; r < 2; r++)
		for (i = 0; i < members; i++) {
			m = sprintf("$H 10.68.1.%d 232.68.%d.%d d0", i % 16 + 1,
				    i / 4096, i / 16 % 256)
			print "del " m
			print "add " m
		}
}' >"$tmp/churn.cmds"

cat >"$tmp/tenant.sh" <<EOF
set -e
ip link add d0 type dummy
ip link set d0 up
'$MGMCTL' limits set protocols 8 members $MEMBERS nexthops 4
{ cat '$tmp/fill.cmds'; while :; do cat '$tmp/churn.cmds'; done; } |
	'$CLIENT' run >'$tmp/tenant.out' 2>&1 &
client=\$!
echo \$client >'$tmp/tenant.client'
trap 'kill \$client' TERM
while ! grep -q '^churning' '$tmp/tenant.out'; do
	kill -0 \$client || exit 1
	sleep 0.1
done
'$MGMCTL' -j limits show >'$tmp/tenant-limits.json'
echo ready >'$tmp/tenant.ready'
wait \$client
EOF
unshare -Urn bash "$tmp/tenant.sh" >"$tmp/tenant.log" 2>&1 &
churn_pid=$!
for ((i = 0; i < 600; i++)); do
	[ -e "$tmp/tenant.ready" ] || ! kill -0 $churn_pid 2>/dev/null && break
	sleep 0.1
done
show <"$tmp/tenant.log"

# ---- what the tenant got -----------------------------------------------------
if grep -q '^filled$' "$tmp/tenant.out"; then
	t_ok "$TEST: tenant: 8 protocols, 4 next hops of d0, $MEMBERS memberships, each one more refused"
else
	t_fail "$TEST: tenant: 8 protocols, 4 next hops of d0, $MEMBERS memberships, each one more refused"
	grep -v '^notify\|^ok\|^register\|^echo' "$tmp/tenant.out" | tail -n 5 | show
fi
for what in "register protocol-id protocols" "take-interface nexthop nexthops" \
	"add-membership group members"; do
	read -r cmd attr limit <<<"$what"
	if grep -Eq "^error $cmd ENOSPC msg=\"mgm: $attr: .*\(limits $limit\)" "$tmp/tenant.out"; then
		t_ok "$TEST: tenant: $cmd past its limit: ENOSPC naming $attr and the limit"
	else
		t_fail "$TEST: tenant: $cmd past its limit: ENOSPC naming $attr and the limit"
		grep ENOSPC "$tmp/tenant.out" | show
	fi
done
if [ -e "$tmp/tenant-limits.json" ] &&
	python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["counters"]
sys.exit(not (c["protocol_refusals"] == 1 and c["member_refusals"] == 1 and
	      c["nexthop_refusals"] == 1))' "$tmp/tenant-limits.json"; then
	t_ok "$TEST: tenant: each refusal counted in its netns"
else
	t_fail "$TEST: tenant: each refusal counted in its netns"
	show <"$tmp/tenant-limits.json"
fi

# ---- the host, meanwhile -----------------------------------------------------
MGM_TOOLS=$TOOLS "$MGM_REPO/tools/bench/burst.sh" 500 asked 2>&1 |
	tee "$tmp/burst.out" | sed 's/^/  | /'
if kill -0 $churn_pid 2>/dev/null; then
	t_ok "$TEST: the tenant churned memberships throughout the host's burst"
else
	t_fail "$TEST: the tenant churned memberships throughout the host's burst"
	tail -n 3 "$tmp/tenant.out" | show
fi
if grep -Eq '^burst asked 500 got=500 .* mfes=500 answers=1000 late=0 ' "$tmp/burst.out"; then
	t_ok "$TEST: host: all 500 first datagrams forwarded, 1000 answers, none late"
else
	t_fail "$TEST: host: all 500 first datagrams forwarded, 1000 answers, none late"
fi
if ! counters | grep -qv '=0$'; then
	t_ok "$TEST: host: its counters stay at 0"
else
	t_fail "$TEST: host: its counters stay at 0"
	counters | show
fi

# TERM: the tenant's script ends its client (the churn would not end)
kill -TERM $churn_pid 2>/dev/null
wait $churn_pid 2>/dev/null
churn_pid=
# the tenant's netns goes with its last process: MGM cleans up there
for ((i = 0; i < 100; i++)); do
	rmmod mgm 2>/dev/null && break
	sleep 0.1
done
if [ ! -d /sys/module/mgm ]; then
	t_ok "$TEST: rmmod mgm once the tenant is gone"
else
	t_fail "$TEST: rmmod mgm once the tenant is gone"
fi
