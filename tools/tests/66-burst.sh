#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A burst of new flows (tools/bench/burst.sh): a host sends the first
# datagram of 500 new (S,G) at once through the router, downstream of
# which every group is wanted.  The same burst with each owner of the
# table, in this boot: today's way (a plain mroute daemon), MGM with a
# userspace protocol asked each question, the same with standing answers,
# and MGM with an in-kernel protocol.  With each, every first datagram must
# reach the downstream link and every flow be in ipmr from the upstream
# interface to the downstream one; the userspace protocol's answers must
# all be taken, none late.  Then a userspace owner that reads nothing from
# a socket with no room: its questions are lost on the way, and MGM takes
# the defaults at once (half the first packets within 1 s, where waiting
# for the deadline would take 4 s), counting them.  Speed is printed (and
# the ratio to the daemon), never judged: make bench measures it.
#
#   src host 10.0.41.2 bs0 ---- bu0 10.0.41.1
#   rcv host 10.0.42.2 br0 ---- bd0 10.0.42.1 router
#
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST=burst
N=500
out=$(mktemp)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'rm -f "$out"'

# field OWNER NAME: a figure of OWNER's line.
field() {
	sed -n "s/^burst $1 .* $2=\\([0-9.]*\\).*/\\1/p" "$out"
}

# The in-kernel protocol, mgm_owner.ko, uses what mgm.ko exports for its
# KUnit tests only: a kernel without KUnit (Debian's) runs the others.
owners=(anchor asked standing kernel deaf)
if [[ ${MGM_KERNEL:-} == qemu-* ]]; then
	t_skip "$TEST: kernel: no mgm_owner.ko for Debian's $MGM_KERNEL (it needs KUnit)"
	owners=(anchor asked standing deaf)
fi

# each line in the log as it comes
MGM_TOOLS=${MGM_TOOLS:-$MGM_REPO/tools} \
	"$MGM_REPO/tools/bench/burst.sh" $N "${owners[@]}" 2>&1 |
	tee "$out" | sed 's/^/  | /'
if [ "${PIPESTATUS[0]}" != 0 ]; then
	t_fail "$TEST: tools/bench/burst.sh $N ${owners[*]}"
	exit 1
fi
anchor_rate=$(field anchor flows_per_s)
for owner in "${owners[@]}"; do
	got=$(field $owner got)
	if [ "$got" = $N ]; then
		t_ok "$TEST: $owner: all $N first datagrams reached the receiver's link"
	else
		t_fail "$TEST: $owner: all $N first datagrams reached the receiver's link ($got)"
	fi
	mfes=$(field $owner mfes)
	if [ "$mfes" = $N ]; then
		t_ok "$TEST: $owner: $N flows in ipmr from bu0 to bd0, each forwarded its datagram"
	else
		t_fail "$TEST: $owner: $N flows in ipmr from bu0 to bd0, each forwarded its datagram ($mfes)"
	fi
	rate=$(field $owner flows_per_s)
	echo "  | $owner: $rate flows/s, $(awk -v a="$rate" -v b="$anchor_rate" \
		'BEGIN { printf "%.2f", b ? a / b : 0 }')x the mroute daemon's"
done
answers=$(field asked answers)
late=$(field asked late)
if [ "$answers" = $((2 * N)) ] && [ "$late" = 0 ]; then
	t_ok "$TEST: asked: $N rpf and $N creation answers taken, none late"
else
	t_fail "$TEST: asked: $N rpf and $N creation answers taken, none late ($answers, $late late)"
fi
p50=$(field deaf p50_ms)
if [ "$(field deaf overruns)" -gt 0 ] && [ "${p50%.*}" -lt 1000 ]; then
	t_ok "$TEST: deaf: questions lost on the way, the defaults taken at once"
else
	t_fail "$TEST: deaf: questions lost on the way, the defaults taken at once ($(field deaf overruns) lost, p50 $p50 ms)"
fi
if [ "$(field asked overruns)" = 0 ]; then
	t_ok "$TEST: asked: no question lost on the way"
else
	t_fail "$TEST: asked: no question lost on the way ($(field asked overruns))"
fi
if [ "$(field standing answers)" = 0 ]; then
	t_ok "$TEST: standing: nothing asked"
else
	t_fail "$TEST: standing: nothing asked ($(field standing answers) answers)"
fi
if [ ! -d /sys/module/mgm ] && [ ! -d /sys/module/mgm_owner ]; then
	t_ok "$TEST: mgm and mgm_owner unloaded after"
else
	t_fail "$TEST: mgm and mgm_owner unloaded after"
fi
