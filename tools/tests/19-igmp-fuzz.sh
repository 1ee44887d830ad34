#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The seeded IGMP packet fuzzer (tools/tests/igmp-fuzz.py) on a link where
# IGMP runs: a host sends valid IGMPv1/v2/v3 reports and queries (odd
# codes, QRV, QQIC included) mixed with malformed ones: truncated
# headers, bad checksums, unknown types, bad queries, source and record
# counts past the packet's end, bad groups, unknown record types, and
# valid messages from addresses not on the link; with and without Router
# Alert.  Each counter of `mgmctl -j igmp show` moves by exactly what the
# packets sent call for, and each malformed class moved its own; the
# router stays the querier, the groups and their sources stay within
# their caps, a receiver on the link keeps its flow, and once IGMP is
# disabled nothing is left.  Splats and leaks: the harness's log check
# and kmemleak scan.
#
# A finding is reproduced from the seed the run printed:
#   make check MGM_TESTS=19 MGM_FUZZ_SEED=S [MGM_FUZZ_IGMP_COUNT=N]
#
#   src host 10.19.1.2 ---- f19u 10.19.1.1  ROUTER  f19d 10.19.2.1 ---- 10.19.2.2 host
#                      (protocol 200 owns f19u)  (IGMP)      receiver and fuzzer
#
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"
# shellcheck source=tools/tests/lib-igmp.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-igmp.sh"

TEST=igmp-fuzz
MGMCTL=${MGM_TOOLS:-$MGM_REPO/tools}/mgmctl/mgmctl
FUZZ=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/igmp-fuzz.py")
SRC_NS=mgm19-src
HOST_NS=mgm19-host
SRC=10.19.1.2
HOST=10.19.2.2
ROUTER=10.19.2.1
G=239.19.0.1
PORT=5019
MAX_GROUPS=64
MAX_SOURCES=8
# 10000 packets: 4.5 s on uml, 8 s on uml-san (the test: 13 s and 26 s)
seed=${MGM_FUZZ_SEED:-1}
count=${MGM_FUZZ_IGMP_COUNT:-10000}
# No general query during the fuzz: the receiver's kernel then sends no
# report in it, and the counters see only the fuzzer's packets.
TIMERS=(query-interval 600 response-interval 1000 last-member-interval 100)
# the counters of each packet the router takes or drops
COUNTERS=(queries_v1 queries_v2 queries_v3 reports_v1 reports_v2 reports_v3
	leaves short_packets bad_checksum bad_type bad_query bad_record
	bad_group truncated bad_source)
# each malformed class of the fuzzer, and the counter it must move
declare -A CLASS_COUNTER=(
	[short]=short_packets [bad_checksum]=bad_checksum [bad_type]=bad_type
	[bad_query]=bad_query [truncated]=truncated [bad_group]=bad_group
	[bad_record]=bad_record [record_bad_group]=bad_group
	[foreign_source]=bad_source
)

# undone at exit (lib.sh)
t_netns "$SRC_NS" "$HOST_NS"
t_links f19u f19d

# counters: "KEY VALUE" lines of the counters of IGMP on f19d.
counters() {
	"$MGMCTL" -j igmp show dev f19d | grep -o '"counters":{[^}]*}' |
		grep -o '"[a-z0-9_]*":[0-9]*' | tr -d '"' | tr : ' '
}

# field FILE KEY: the value of KEY in FILE of "KEY VALUE" lines (0: none).
field() {
	awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$1"
}

igmp_json() {
	"$MGMCTL" -j igmp show dev f19d
}

joined() {
	igmp_json | grep -q '"groups":1,'
}

igmp_begin || exit 1

veth_host "$SRC_NS" f19u s19 10.19.1
veth_host "$HOST_NS" f19d h19 10.19.2
# The router's own kernel answers the fuzzer's queries with reports of
# 224.0.0.22 and 224.0.0.2, which its interface joined; they loop back to
# mgm's socket, and IGMP must neither count nor take them: the counters
# stay exact with igmp_link_local_mcast_reports on (the default).
t_check "$TEST: the router's host side reports link-local groups" \
	test "$(sysctl -n net.ipv4.igmp_link_local_mcast_reports)" = 1
# sources not on the link must reach IGMP, which drops them itself
sysctl -qw net.ipv4.conf.f19d.rp_filter=0
client U 'register 200 1' 'take $H f19u' 'answer rpf' 'answer prune 60'
if ! step "setup"; then
	t_fail "$TEST: protocol 200 takes the upstream link"
	exit 1
fi
t_check "$TEST: mgmctl igmp enable dev f19d max-groups $MAX_GROUPS max-sources $MAX_SOURCES" \
	"$MGMCTL" igmp enable dev f19d "${TIMERS[@]}" \
	max-groups $MAX_GROUPS max-sources $MAX_SOURCES

igmp_flow "$SRC_NS" "$HOST_NS" $HOST $G $PORT
t_check "$TEST: a receiver on the link joined" wait_for 10 joined
t_check "$TEST: ... and gets the flow" flowing
# its unsolicited reports and its answer to the startup query are over
sleep 2

# ---- the fuzz ------------------------------------------------------------------
echo "# $TEST: seed $seed, $count packets (MGM_FUZZ_SEED, MGM_FUZZ_IGMP_COUNT)"
counters >"$tmp/before"
t0=$(now_ms)
ip netns exec "$HOST_NS" "${FUZZ[@]}" --seed "$seed" --count "$count" \
	--src $HOST --router $ROUTER --raw "/proc/$$/net/raw" >"$tmp/fuzz.out" 2>&1
rc=$?
dt=$(($(now_ms) - t0))
sleep 0.2	# the packet the router's worker took last
counters >"$tmp/after"
show <"$tmp/fuzz.out"
t_check "$TEST: the fuzzer ran" test $rc = 0
echo "# $TEST: $count packets in $dt ms, $(field "$tmp/fuzz.out" router-alert) with Router Alert"
t_check "$TEST: the router's socket lost none of them" \
	test "$(field "$tmp/fuzz.out" drops)" = 0
t_check "$TEST: the fuzzer sent them all" \
	test "$(awk '$1 == "class" { n += $3 } END { print n + 0 }' "$tmp/fuzz.out")" = "$count"

for c in "${COUNTERS[@]}"; do
	want=$(awk -v k="$c" '$1 == "expect" && $2 == k { print $3 }' "$tmp/fuzz.out")
	got=$(($(field "$tmp/after" "$c") - $(field "$tmp/before" "$c")))
	t_check "$TEST: $c moved by what the packets call for (${want:-0}, $got)" \
		test "$got" = "${want:-0}"
done
for cls in "${!CLASS_COUNTER[@]}"; do
	c=${CLASS_COUNTER[$cls]}
	n=$(awk -v k="$cls" '$1 == "class" && $2 == k { print $3 }' "$tmp/fuzz.out")
	got=$(($(field "$tmp/after" "$c") - $(field "$tmp/before" "$c")))
	t_check "$TEST: class $cls: ${n:-0} sent, $c moved ($got)" \
		test "${n:-0}" -gt 0 -a "$got" -gt 0
done

# ---- what the router holds after it ---------------------------------------------
out=$(igmp_json)
t_check "$TEST: still the querier of the link (no foreign query took it)" \
	grep -q "\"querier\":true,\"querier_addr\":\"$ROUTER\"" <<<"$out"
groups=$(grep -o '"groups":[0-9]*' <<<"$out" | cut -d: -f2)
echo "# $TEST: $groups groups, $(members) memberships; counters after the fuzz:"
show <"$tmp/after"
"$MGMCTL" -j igmp groups dev f19d >"$tmp/groups.json"
t_check "$TEST: the groups within max-groups ($groups)" \
	test "$groups" -le $MAX_GROUPS
# IGMP asks MGM for (*,G) in EXCLUDE mode, (S,G) for each source in
# INCLUDE mode: exactly that many memberships
t_check "$TEST: the sources of each group within max-sources, a membership for each (*,G) and (S,G)" \
	"${PY[@]}" -c 'import json, sys
gs = json.load(open(sys.argv[1]))
most = max([len(g["sources"]) for g in gs] + [0])
want = sum(1 if g["mode"] == "exclude" else len(g["sources"]) for g in gs)
print("  | %d groups, %d sources at most in one, %d memberships (%s)" %
      (len(gs), most, want, sys.argv[4]))
sys.exit(len(gs) != int(sys.argv[3]) or most > int(sys.argv[2]) or
         want != int(sys.argv[4]))' \
	"$tmp/groups.json" $MAX_SOURCES "$groups" "$(members)"
t_check "$TEST: the receiver's group is still there" \
	grep -q "\"group\":\"$G\"" "$tmp/groups.json"
t_check "$TEST: the receiver still gets its flow" flowing

# ---- nothing left ------------------------------------------------------------------
igmp_end f19d
