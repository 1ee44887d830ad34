#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dumps over several buffers, resumed while the table changes: every entry
# present for the whole dump must come exactly once, in (group, source)
# order.  Groups: C's 1000 groups (odd last octets) stay while B adds and
# deletes others (even ones) in batches during the dumps.  MFEs: a host
# keeps 300 (S,G) alive with its traffic (odd groups) while it starts new
# ones (even groups) that expire a few seconds later, so MFEs come and go
# in between the stable ones during the dumps.  13-memberships.sh has the
# rest of the memberships over netlink.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=dumps
devs=(g1 g2)
NS=mgm15-src
SRC=10.0.15.2

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer '[ -n "${sender:-}" ] && kill -KILL "$sender"'
t_netns "$NS"
# shellcheck disable=SC2016 # expanded at exit
t_defer 'for dev in "${devs[@]}" gu0; do ip link del "$dev"; done'

if [ ! -x "$CLIENT" ]; then
	t_fail "$TEST: $CLIENT is built"
	exit 1
fi
# new MFEs come fast: their rpf questions are left to the deadline
if ! insmod "$MGM_KO" reply_timeout_ms=100; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi
for dev in "${devs[@]}"; do
	ip link add "$dev" type dummy
done
client B 'register 201 1' 'take $H g1'
client C 'register 202 1' 'take $H g2'
if step "setup"; then
	t_ok "$TEST: two protocols"
else
	t_fail "$TEST: two protocols"
	exit 1
fi

{
	for ((i = 0; i < 1000; i++)); do
		echo "add \$H * 239.10.$((i / 100)).$((i % 100 * 2 + 1)) g2"
	done
	echo "echo stable done"
} >"$tmp/stable.cmds"
say C "$(cat "$tmp/stable.cmds")"
if wait_lines "$tmp/C.out" '^stable done$' 1 60; then
	t_ok "$TEST: 1000 memberships more"
else
	t_fail "$TEST: 1000 memberships more"
fi
# churn N: N adds and deletes of B's own (even) groups, any result fine
churn() {
	local i

	for ((i = 0; i < $1; i++)); do
		echo "add \$H * 239.10.$((RANDOM % 10)).$((RANDOM % 100 * 2)) g1"
		echo "try del \$H * 239.10.$((RANDOM % 10)).$((RANDOM % 100 * 2)) g1"
	done
}
# dump_check CMD STABLE-PREFIX: "STABLE DISORDERED" of a dump of CMD
# (get-group, get-mfe) on stdin: how many entries of a group STABLE-PREFIX
# with an odd last octet it lists, and how many entries do not come
# strictly after the one before in (group, source) order (a duplicate is
# one of those).
dump_check() {
	awk -v cmd="$1" -v prefix="$2" '
	function key(a,    o) {
		split(a, o, ".")
		return sprintf("%03d%03d%03d%03d", o[1], o[2], o[3], o[4])
	}
	$1 == cmd {
		match($0, / group=[0-9.]+/)
		g = substr($0, RSTART + 7, RLENGTH - 7)
		match($0, / source=[0-9.]+/)
		k = key(g) key(substr($0, RSTART + 8, RLENGTH - 8))
		if (k <= prev)
			bad++
		prev = k
		split(g, o, ".")
		if (index(g, prefix) == 1 && o[4] % 2)
			stable++
	}
	END { print stable + 0, bad + 0 }'
}

# each dump while B works through a batch of changes (it still did when
# the dump was over: "overlapped"; if not, the next batch is bigger)
dumps=0 bad=0 overlapped=0 batch=150
for ((round = 1; round <= 5; round++)); do
	say B "$(churn $batch)" "echo churn $round"
	out=$("$CLIENT" groups all 2>&1)
	dumps=$((dumps + 1))
	if grep -q "^churn $round\$" "$tmp/B.out"; then
		batch=$((batch * 2))
	else
		overlapped=$((overlapped + 1))
	fi
	read -r stable disordered < <(dump_check get-group 239.10. <<<"$out")
	if [ "$stable" -ne 1000 ] || [ "$disordered" -ne 0 ]; then
		bad=$((bad + 1))
		echo "dump $dumps: $stable of C's entries, $disordered out of order"
		[ "$bad" -eq 1 ] && show <<<"$out"
	fi
	wait_lines "$tmp/B.out" "^churn $round\$" 1 60
done
echo "$dumps dumps, $overlapped while B was busy"
if [ "$bad" -eq 0 ] && [ "$dumps" -eq 5 ] && [ "$overlapped" -ge 1 ]; then
	t_ok "$TEST: group dumps during churn list every stable key once, sorted"
else
	t_fail "$TEST: $dumps group dumps during churn, $bad bad, $overlapped overlapped"
fi

# ---- group dumps beside a writer on another CPU ----------------------------
# Debian 6.1's maple tree oopsed in mas_next_entry() when a dump walked
# the membership keys without the lock while memberships came and went
# on another CPU; mgm_get_group() now takes the lock, and this is the
# race that hit it, made dense: under qemu (two CPUs) B adds and deletes
# 2000 groups a round, batched (tens of thousands of requests a second),
# while dumps run one after the other, at least one per round.  One CPU
# (UML) only interleaves them.
race_round() {
	awk -v r="$1" 'BEGIN {
		print "batch on"
		for (op = 0; op < 2; op++)
			for (i = 0; i < 2000; i++)
				printf "%s $H * 239.11.%d.%d g1\n",
					op ? "del" : "add", i / 200, i % 200
		print "batch off"
		print "echo race " r
	}'
}
rdumps=0 rbad=0
for ((round = 1; round <= 10; round++)); do
	say B "$(race_round "$round")"
	while :; do
		out=$("$CLIENT" groups all 2>&1) || { rbad=$((rbad + 1)); break; }
		rdumps=$((rdumps + 1))
		read -r stable disordered < <(dump_check get-group 239.10. <<<"$out")
		if [ "$stable" -ne 1000 ] || [ "$disordered" -ne 0 ]; then
			rbad=$((rbad + 1))
			echo "dump $rdumps: $stable of C's entries, $disordered out of order"
		fi
		grep -q "^race $round\$" "$tmp/B.out" && break
	done
done
wait_lines "$tmp/B.out" '^race 10$' 1 120
echo "$rdumps dumps beside 10 rounds of 4000 batched requests"
if [ "$rbad" -eq 0 ] && [ "$rdumps" -ge 10 ] &&
	! grep -q 'batched requests failed' "$tmp/B.out"; then
	t_ok "$TEST: group dumps beside batched churn list every stable key once, sorted"
else
	t_fail "$TEST: $rdumps group dumps beside batched churn, $rbad bad"
fi

# ---- MFE dumps while MFEs come and go --------------------------------------
# U owns the upstream gu0 and leaves its rpf questions to the deadline (the
# route's answer); every MFE is negative (nobody wants the groups), and U
# gives each a lifetime of 3 s, which the stable ones outlive by their
# traffic (an idle timeout), and the new ones (one packet) do not.
cat >"$tmp/send.py" <<'PY'
import socket
import sys
import time

src, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
s.bind((src, 0))
stable = ["239.30.%d.%d" % (i // 100, i % 100 * 2 + 1) for i in range(n)]
# ipmr holds 10 unresolved (S,G) at most: the first time, one at a time
for g in stable:
    s.sendto(b"x", (g, 5015))
    time.sleep(0.01)
print("ready", flush=True)
fresh = 0
while True:
    for g in stable:
        s.sendto(b"x", (g, 5015))
    for _ in range(10):
        fresh += 1
        g = "239.30.%d.%d" % (fresh // 100 % 100, fresh % 100 * 2)
        s.sendto(b"y", (g, 5015))
        time.sleep(0.02)
    time.sleep(0.2)
PY
ip netns add "$NS"
ip link add gu0 type veth peer name gs0 netns "$NS"
ip addr add 10.0.15.1/24 dev gu0
ip link set gu0 up
ip netns exec "$NS" ip addr add "$SRC/24" dev gs0
ip netns exec "$NS" ip link set gs0 up
ip netns exec "$NS" ip route add default via 10.0.15.1
client U 'register 200 1' 'take $H gu0' 'answer prune 3'
client M 'monitor 0'
step "U takes gu0"
ip netns exec "$NS" /usr/bin/python3 -B "$tmp/send.py" "$SRC" 300 \
	>"$tmp/send.out" 2>&1 &
sender=$!
wait_lines "$tmp/send.out" '^ready$' 1 60
stable=0
for ((i = 0; i < 60 && stable < 300; i++)); do
	kill -0 "$sender" || break
	read -r stable disordered < <("$CLIENT" mfes 2>&1 |
		dump_check get-mfe 239.30.)
	sleep 0.5
done
show <"$tmp/send.out"
if [ "$stable" -eq 300 ]; then
	t_ok "$TEST: 300 MFEs kept alive by their traffic"
else
	t_fail "$TEST: 300 MFEs kept alive by their traffic ($stable)"
fi
# from now on new ones expire as others come
if wait_lines "$tmp/M.out" \
	"^event mfe-del source=$SRC group=239\.30\.[0-9]+\.[0-9]*[02468] " 1 30 \
	>/dev/null; then
	t_ok "$TEST: the first new MFE came and went"
else
	t_fail "$TEST: the first new MFE came and went"
fi
bad=0 sigs=()
for ((round = 1; round <= 5; round++)); do
	out=$("$CLIENT" mfes 2>&1)
	read -r stable disordered < <(dump_check get-mfe 239.30. <<<"$out")
	# which others it listed: their count and the sum of their octets
	sigs+=("$(awk '/^get-mfe / && / group=239\.30\./ {
		match($0, / group=[0-9.]+/)
		split(substr($0, RSTART + 7, RLENGTH - 7), o, ".")
		if (o[4] % 2 == 0) { n++; sum += o[3] * 256 + o[4] }
	} END { print n + 0 "/" sum + 0 }' <<<"$out")")
	echo "MFE dump $round: $stable stable, ${sigs[-1]} others, $disordered out of order"
	if [ "$stable" -ne 300 ] || [ "$disordered" -ne 0 ]; then
		bad=$((bad + 1))
		[ "$bad" -eq 1 ] && show <<<"$out"
	fi
	sleep 0.5
done
kill "$sender"
wait "$sender" 2>/dev/null
sender=
# the new-source flows under way end (reply_timeout_ms) before U goes
sleep 1
changing=$(printf '%s\n' "${sigs[@]}" | sort -u | wc -l)
if [ "$bad" -eq 0 ] && [ "$changing" -ge 2 ]; then
	t_ok "$TEST: MFE dumps while MFEs come and go list every stable one once, sorted"
else
	t_fail "$TEST: MFE dumps: $bad bad, $changing different sets of the others"
fi
for c in U M; do
	if stop $c; then
		t_ok "$TEST: client $c ran every command as expected"
	else
		t_fail "$TEST: client $c ran every command as expected"
		tail -n 20 "$tmp/$c.out" | show
	fi
done
t_check_out "$TEST: the MFEs went with U's interface" '^ok get-mfe count=0$' \
	"$CLIENT" mfes

for c in B C; do
	if stop $c; then
		t_ok "$TEST: client $c ran every command as expected"
	else
		t_fail "$TEST: client $c ran every command as expected"
		tail -n 20 "$tmp/$c.out" | show
	fi
done
t_check_out "$TEST: every membership went with its socket" \
	'^ok get-group count=0$' "$CLIENT" groups all
t_check "$TEST: rmmod mgm" rmmod mgm
