#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink family under concurrency: clients taking and releasing the
# same interfaces, killed at random, while others dump and the IGMP
# component follows every change; then unloading while requests still come
# in.  The harness's log check catches lockdep, RCU and sleep-in-atomic
# splats.  Runs inside UML as root (tools/uml/inside.sh).
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
devs=(s0 s1 s2 s3)
pids=()

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'kill -KILL "${pids[@]}"'
# shellcheck disable=SC2016 # expanded at exit
t_defer 'for dev in "${devs[@]}"; do ip link del "$dev"; done'

# churn_cmds ID: a protocol taking and releasing interfaces at random, also
# the ones others hold; any result is fine.
churn_cmds() {
	local i

	echo "register 3000 $1"
	for ((i = 0; i < 150; i++)); do
		echo "try take \$H ${devs[RANDOM % 4]}"
		echo "try release \$H ${devs[RANDOM % 4]}"
		((i % 50 == 49)) && echo "try owner ${devs[RANDOM % 4]}"
	done
	echo 'hold 30'
}

churner() {
	churn_cmds "$1" >"$tmp/churn$1.cmds"
	"$CLIENT" run <"$tmp/churn$1.cmds" >"$tmp/churn$1.out" 2>&1 &
	churn_pid[$1]=$!
	pids+=("$!")
}

# dumper FILE: dumps until $tmp/stop exists; one line per failed or
# inconsistent dump (a duplicated entry) in FILE.
dumper() {
	local out

	while [ ! -e "$tmp/stop" ]; do
		if ! out=$("$CLIENT" run interfaces protocols 2>&1); then
			echo "dump failed: $out" >>"$1"
		elif [ -n "$(grep '^get-' <<<"$out" | sort | uniq -d)" ]; then
			echo "duplicates: $out" >>"$1"
		fi
	done
}

if ! insmod "$MGM_KO"; then
	t_fail "stress: insmod $MGM_KO"
	exit 1
fi
for dev in "${devs[@]}"; do
	ip link add "$dev" type dummy
done

# IGMP runs everywhere and must see a clean bracket for every change; its
# buffer holds them all even if it falls behind.
"$CLIENT" run 'rcvbuf 8388608' 'register 10 1' 'take $H s0' 'take $H s1' 'take $H s2' \
	'take $H s3' 'echo ready' 'hold 100' >"$tmp/igmp.out" 2>&1 &
igmp_pid=$!
pids+=("$igmp_pid")
for ((i = 0; i < 100; i++)); do
	grep -q '^ready$' "$tmp/igmp.out" && break
	sleep 0.1
done
HG=$(sed -n 's/^register handle=//p' "$tmp/igmp.out")

: >"$tmp/dump.errors"
dumper "$tmp/dump.errors" &
dumper_pid=$!
pids+=("$dumper_pid")

declare -a churn_pid
for c in 0 1 2 3 4 5; do
	churner "$c"
done
# kill and restart churners while they work
for _ in 1 2 3 4 5 6; do
	sleep 0.5
	c=$((RANDOM % 6))
	kill -KILL "${churn_pid[c]}" 2>/dev/null
	wait "${churn_pid[c]}" 2>/dev/null
	churner "$c"
done
sleep 1
for c in 0 1 2 3 4 5; do
	if ((c % 2)); then
		kill -KILL "${churn_pid[c]}" 2>/dev/null
	else
		kill -TERM "${churn_pid[c]}" 2>/dev/null
	fi
	wait "${churn_pid[c]}" 2>/dev/null
done
touch "$tmp/stop"
wait "$dumper_pid"

if [ -s "$tmp/dump.errors" ]; then
	t_fail "stress: dumps during the churn succeed without duplicates"
	head -n 20 "$tmp/dump.errors"
else
	t_ok "stress: dumps during the churn succeed without duplicates"
fi
t_check_out "stress: after the churn only IGMP is registered" \
	'^ok get-protocol count=1$' "$CLIENT" protocols
out=$("$CLIENT" interfaces 2>&1)
echo "$out"
if [ "$(grep -c "^get-interface ifindex=[0-9]* nexthop=0.0.0.0 igmp igmp-handle=$HG$" <<<"$out")" -eq 4 ]; then
	t_ok "stress: after the churn IGMP alone runs on its 4 interfaces"
else
	t_fail "stress: after the churn IGMP alone runs on its 4 interfaces"
fi

# Per interface, IGMP's notifications must alternate disable, enable.
if grep -q 'No buffer space' "$tmp/igmp.out"; then
	t_fail "stress: the IGMP client's socket overflowed; bracket not checked"
elif awk '
	/^notify disable-igmp/ { split($4, a, "="); if (off[a[2]]++) bad = 1; n++ }
	/^notify enable-igmp/ { split($4, a, "="); if (!off[a[2]]--) bad = 1 }
	END {
		for (i in off) if (off[i]) bad = 1
		printf "%d brackets\n", n
		exit bad || !n
	}' "$tmp/igmp.out"; then
	t_ok "stress: every change on IGMP's interfaces was bracketed, in order"
else
	t_fail "stress: every change on IGMP's interfaces was bracketed, in order"
	grep '^notify' "$tmp/igmp.out" | head -n 40
fi
kill "$igmp_pid"
wait "$igmp_pid" 2>/dev/null

# Unload while clients keep sending requests and holding registrations.
for c in 0 1 2 3; do
	churner "$c"
done
sleep 0.5
rc=1
for ((i = 0; i < 50; i++)); do
	# a dump in progress holds the module: try again
	if rmmod mgm 2>/dev/null; then
		rc=0
		break
	fi
	sleep 0.1
done
if [ "$rc" -eq 0 ]; then
	t_ok "stress: rmmod mgm while clients are busy"
else
	t_fail "stress: rmmod mgm while clients are busy"
fi
for c in 0 1 2 3; do
	kill -KILL "${churn_pid[c]}" 2>/dev/null
	wait "${churn_pid[c]}" 2>/dev/null
done

# A fresh load starts empty.
if insmod "$MGM_KO"; then
	t_check_out "stress: a reload starts with no registration" \
		'^ok get-protocol count=0$' "$CLIENT" protocols
	t_check "stress: rmmod mgm after the reload" rmmod mgm
else
	t_fail "stress: insmod mgm again"
fi
