#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MGM programs the kernel's multicast forwarder (ipmr) and real traffic
# flows: hosts in network namespaces joined by veth to the router (this,
# the init namespace, with mgm loaded), a UDP sender to 239.1.1.1 behind
# the upstream link, a receiver behind each of two downstream links.
#
#   src host  10.0.1.2 s0 ---- up0 10.0.1.1                  owner: A (200)
#   rcv1 host 10.0.2.2 h1 ---- dn1 10.0.2.1   router (mgm)   owner: IGMP (10)
#   rcv2 host 10.0.3.2 h2 ---- dn2 10.0.3.1                  owners: IGMP, B (201)
#
# IGMP reports receivers of (*,239.1.1.1) on dn1 alone at first; then B,
# a routing protocol on dn2, comes and goes: explicitly (the IGMP bracket,
# its membership on dn2 dropped), and by SIGKILL (only its own forwarding
# goes, A's and IGMP's stays).  Each step is checked in the datagrams that
# arrive, in `ip mroute show`, and in MGM's own MFE dump.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
#
# The protocols are mgm-client processes fed line by line through FIFOs;
# command lines are in single quotes on purpose: $H is the client's own
# variable (the handle of its registration).
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
GROUP=239.1.1.1
PORT=5001
SRC=10.0.1.2
NS=(mgm20-src mgm20-rcv1 mgm20-rcv2)
bg_pids=()
declare -A fd pid_of

# A client that died must not take the script with it: writes to its FIFO
# fail (EPIPE) instead of killing us.
trap '' PIPE

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'for n in "${!fd[@]}"; do f=${fd[$n]}; exec {f}>&-; done'
t_netns "${NS[@]}"
t_links up0 dn1 dn2

# show: indented, so that the UML log tells output from results
show() {
	sed 's/^/  | /'
}

# wait_lines FILE REGEX N [TENTHS]: waits (10 s, or TENTHS tenths of a
# second, at most) for N lines matching REGEX in FILE.
wait_lines() {
	local i

	for ((i = 0; i < ${4:-100}; i++)); do
		[ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $3 lines /$2/ in $1:"
	show <"$1"
	return 1
}

# ---- the protocols: mgm-client processes that read commands from a FIFO ----

# spawn IN OUT CMD...: CMD in the background, its input from IN, its output
# in OUT and its pid in $spawned, without the clients' FIFOs: a client sees
# the end of its input only when nobody else holds its FIFO open.
spawn() {
	local in=$1 out=$2 n f

	shift 2
	(
		for n in "${!fd[@]}"; do
			f=${fd[$n]}
			exec {f}>&-
		done
		exec "$@" <"$in" >"$out" 2>&1
	) &
	spawned=$!
	bg_pids+=("$spawned")
}

# proto NAME: starts a client that runs what comes through its FIFO; its
# output goes to $tmp/NAME.out.
proto() {
	local f

	mkfifo "$tmp/$1.in"
	spawn "$tmp/$1.in" "$tmp/$1.out" "$CLIENT" run
	pid_of[$1]=$spawned
	exec {f}>"$tmp/$1.in"
	fd[$1]=$f
}

nsync=0
# to NAME LINE...: the client runs LINE..., then echoes a mark; returns
# when the mark is out (all LINEs done), 1 when the client stopped early
# (an unexpected result, see its output) or took 10 s.
to() {
	local n=$1 mark

	shift
	if ! kill -0 "${pid_of[$n]}" 2>/dev/null; then
		echo "client $n is gone, cannot run: $*"
		return 1
	fi
	mark="sync-$((++nsync))"
	printf '%s\n' "$@" "echo $mark" 2>/dev/null 1>&"${fd[$n]}"
	if ! wait_lines "$tmp/$n.out" "^$mark\$" 1 >/dev/null; then
		echo "client $n did not get through: $*"
		show <"$tmp/$n.out"
		return 1
	fi
}

# step NAME CLIENT LINE...: to CLIENT LINE..., as a result NAME.
step() {
	local name=$1

	shift
	if to "$@"; then t_ok "$name"; else t_fail "$name"; fi
}

# since NAME MARK: the lines of NAME's output after the line MARK.
since() {
	sed -n "/^$2\$/,\$p" "$tmp/$1.out" | tail -n +2
}

# ---- hosts and traffic ------------------------------------------------------

# in_ns NS CMD...
in_ns() {
	ip netns exec "$@"
}

# rx NAME: datagrams received so far by receiver NAME.
rx() {
	grep -c "^$SRC " "$tmp/$1.rx"
}

# flowing NAME: passes when NAME's receiver gets 5 more datagrams within
# 10 s.
flowing() {
	local n0 i

	n0=$(rx "$1")
	for ((i = 0; i < 100; i++)); do
		[ "$(rx "$1")" -ge $((n0 + 5)) ] && return 0
		sleep 0.1
	done
	echo "receiver $1: $n0 datagrams, none more in 10 s"
	return 1
}

# silent NAME: passes when NAME's receiver gets nothing for 2 s (while
# the sender sends 40).
silent() {
	local n0 n1

	n0=$(rx "$1")
	sleep 2
	n1=$(rx "$1")
	[ "$n0" -eq "$n1" ] && return 0
	echo "receiver $1: $((n1 - n0)) datagrams in 2 s"
	return 1
}

# settle: what was in flight when the forwarder changed has arrived.
settle() {
	sleep 0.5
}

# mroute: the (S,G) line of `ip mroute show`, which is shown in the log
# (iproute2 6.1 writes "(S,G)", some versions "(S, G)").
mroute() {
	ip mroute show >"$tmp/mroute"
	show <"$tmp/mroute" >&2
	sed 's/, /,/' "$tmp/mroute" | grep -F "($SRC,$GROUP)"
}

# oifs_are DEV...: `ip mroute show` has the (S,G) from up0 out of exactly
# DEV... ("Oifs: dn1 dn2  State: resolved"; iproute2 adds "(ttl N)" after a
# device whose threshold is not 1, and leaves "Oifs:" out for none).
oifs_are() {
	local line got want

	line=$(mroute)
	if ! grep -q "Iif: up0 " <<<"$line"; then
		echo "no ($SRC, $GROUP) with Iif up0 in ip mroute show"
		return 1
	fi
	got=$(sed -n 's/.*Oifs: *\(.*\) State:.*/\1/p' <<<"$line" |
		sed 's/(ttl [0-9]*)//g' | xargs -n 1 | sort | xargs)
	want=$(printf '%s\n' "$@" | sort | xargs)
	[ "$got" = "$want" ] && return 0
	echo "Oifs: '$got', wanted '$want'"
	return 1
}

# join_line IF: the client line that reports receivers of (*,G) on IF for
# the client's registration $H, as IGMP does (MGM_FLAG_JOIN_STATE).
join_line() {
	echo "add \$H * $GROUP $1 0.0.0.0 join"
}

# mfe_is DEV...: MGM's MFE dump has the (S,G), from up0 to exactly DEV...
mfe_is() {
	local out line got want d

	out=$("$CLIENT" run mfes 2>&1)
	show <<<"$out" >&2
	line=$(grep -E "^get-mfe source=$SRC group=$GROUP " <<<"$out")
	if [ "$(grep -c . <<<"$line")" -ne 1 ] || ! grep -q "ok get-mfe count=1" <<<"$out"; then
		echo "not exactly one MFE, for ($SRC, $GROUP)"
		return 1
	fi
	if ! grep -q " iif=$IF0 " <<<"$line"; then
		echo "the MFE's iif is not up0 ($IF0)"
		return 1
	fi
	got=$(grep -o ' oif=[0-9]*' <<<"$line" | cut -d = -f 2 | sort | xargs)
	want=$(for d in "$@"; do cat "/sys/class/net/$d/ifindex"; done | sort | xargs)
	[ "$got" = "$want" ] && return 0
	echo "MFE oifs: '$got', wanted '$want' ($*)"
	return 1
}

if [ ! -x "$CLIENT" ]; then
	t_fail "ipmr: $CLIENT is built"
	exit 1
fi
# For a new (S,G) the engine asks the incoming interface's owner an RPF
# question and each outgoing interface's owner a creation question, and
# ipmr holds the first packets (4 at most, 10 s at most) meanwhile.  Here
# protocol 200 answers its RPF question at once (agreeing with the route);
# IGMP answers nothing, so MGM keeps its default for the creation question
# (every interface enabled) after reply_timeout_ms, which is short here.
if ! insmod "$MGM_KO" reply_timeout_ms=300; then
	t_fail "ipmr: insmod $MGM_KO"
	exit 1
fi
t_ok "ipmr: insmod mgm reply_timeout_ms=300"

# ---- the network ---------------------------------------------------------
# The router's route toward the source goes out of up0, where the source
# is, so its reverse-path check passes with any rp_filter; the hosts have
# a default route to the router, and rp_filter 0 besides.  ipmr needs no
# net.ipv4.ip_forward: it forwards between its VIFs, the devices where it
# set MC_FORWARDING.
setup_net() {
	local i

	for n in "${NS[@]}"; do
		ip netns add "$n" || return 1
		in_ns "$n" ip link set lo up || return 1
		in_ns "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 || return 1
	done
	ip link add up0 type veth peer name s0 netns "${NS[0]}" &&
	ip link add dn1 type veth peer name h1 netns "${NS[1]}" &&
	ip link add dn2 type veth peer name h2 netns "${NS[2]}" || return 1
	for i in 1 2 3; do
		local r=(up0 dn1 dn2) h=(s0 h1 h2)

		ip addr add "10.0.$i.1/24" dev "${r[i - 1]}" &&
		ip link set "${r[i - 1]}" up &&
		in_ns "${NS[i - 1]}" ip addr add "10.0.$i.2/24" dev "${h[i - 1]}" &&
		in_ns "${NS[i - 1]}" ip link set "${h[i - 1]}" up &&
		in_ns "${NS[i - 1]}" ip route add default via "10.0.$i.1" || return 1
	done
}
if setup_net; then
	t_ok "ipmr: three host namespaces joined to the router by veth"
else
	t_fail "ipmr: three host namespaces joined to the router by veth"
	exit 1
fi
# the router's unicast route toward the source: its RPF interface
t_check_out "ipmr: the router's route toward the source is up0" "dev up0" \
	ip route get "$SRC"

# ---- protocols take their interfaces ----------------------------------------
spawn /dev/null "$tmp/M.out" "$CLIENT" run 'monitor 100'
wait_lines "$tmp/M.out" '^ok monitor$' 1

proto A
proto G
proto B

# ---- a multicast router that owns the table already: MGM does not take it --------
spawn /dev/null "$tmp/legacy.out" "${MCAST[@]}" mrt-hold 60
legacy=$spawned
if wait_lines "$tmp/legacy.out" '^ok$' 1; then
	step "ipmr: take-interface while another router owns the table: EADDRINUSE" \
		A 'answer rpf' 'register 200 1' 'expect-error EADDRINUSE take $H up0'
	if grep -Eq '^error take-interface EADDRINUSE msg=".*table.*"' "$tmp/A.out"; then
		t_ok "ipmr: the EADDRINUSE message names the table"
	else
		t_fail "ipmr: the EADDRINUSE message names the table"
		show <"$tmp/A.out"
	fi
else
	t_fail "ipmr: another router holds the table (MRT_INIT)"
	to A 'answer rpf' 'register 200 1'
fi
kill "$legacy"
wait "$legacy" 2>/dev/null

step "ipmr: protocol 200 takes the upstream up0" A 'take $H up0'
step "ipmr: IGMP takes dn1 and dn2" G 'register 10 1' 'take $H dn1' 'take $H dn2'
step "ipmr: protocol 201 takes dn2 beside IGMP" B 'register 201 1' 'take $H dn2'
HG=$(sed -n 's/^register handle=\([0-9]*\)$/\1/p' "$tmp/G.out")
IF0=$(</sys/class/net/up0/ifindex)
IF1=$(</sys/class/net/dn1/ifindex)
IF2=$(</sys/class/net/dn2/ifindex)

show </proc/net/ip_mr_vif
for dev in up0 dn1 dn2; do
	if grep -Eq "^ *[0-9]+ +$dev " /proc/net/ip_mr_vif; then
		t_ok "ipmr: a VIF for $dev in /proc/net/ip_mr_vif"
	else
		t_fail "ipmr: a VIF for $dev in /proc/net/ip_mr_vif"
	fi
done
if [ "$(</proc/sys/net/ipv4/conf/all/mc_forwarding)" = 1 ] &&
   [ "$(</proc/sys/net/ipv4/conf/dn1/mc_forwarding)" = 1 ]; then
	t_ok "ipmr: mc_forwarding is on (all and dn1)"
else
	t_fail "ipmr: mc_forwarding is on (all and dn1)"
fi

# ---- another multicast router wants the table ---------------------------------
t_check_out "ipmr: a second MRT_INIT on MGM's table gets EADDRINUSE" \
	"^error EADDRINUSE$" "${MCAST[@]}" mrt-init

# ---- traffic --------------------------------------------------------------------
for i in 1 2; do
	spawn /dev/null "$tmp/rcv$i.rx" ip netns exec "${NS[i]}" \
		"${MCAST[@]}" recv "$GROUP" "$PORT" "10.0.$((i + 1)).2"
done
wait_lines "$tmp/rcv1.rx" '^ready$' 1
wait_lines "$tmp/rcv2.rx" '^ready$' 1

# forwarding: the whole story of the memberships, traffic and protocols.
forwarding() {
	# ---- IGMP's receivers on dn1: forwarded there, and nowhere else -----------------
	step "ipmr: IGMP reports (*,$GROUP) on dn1" G "$(join_line dn1)"
	spawn /dev/null "$tmp/send.out" ip netns exec "${NS[0]}" \
		"${MCAST[@]}" send "$GROUP" "$PORT" "$SRC"
	sender=$spawned
	wait_lines "$tmp/send.out" '^ready$' 1
	t_check "ipmr: rcv1 gets the datagrams (membership on dn1)" flowing rcv1
	t_check "ipmr: rcv2 gets none (no membership on dn2)" silent rcv2
	echo "receivers: rcv1 $(rx rcv1), rcv2 $(rx rcv2) datagrams"
	if [ "$(rx rcv2)" -eq 0 ]; then
		t_ok "ipmr: rcv2 got no datagram at all"
	else
		t_fail "ipmr: rcv2 got no datagram at all ($(rx rcv2))"
	fi
	t_check "ipmr: ip mroute show: ($SRC,$GROUP) from up0 to dn1" oifs_are dn1
	t_check "ipmr: MGM's MFE dump agrees: from up0 to dn1" mfe_is dn1
	# 200 answered its RPF question; IGMP left its creation alert to the
	# default (forward) after reply_timeout_ms.
	to A 'hold 0.1'
	to G 'hold 0.1'
	if grep -Eq "^notify rpf .*source=$SRC group=$GROUP .*iif=$IF0 " "$tmp/A.out" &&
	   grep -q '^ok rpf-reply$' "$tmp/A.out"; then
		t_ok "ipmr: protocol 200, owner of up0, was asked the RPF question and answered"
	else
		t_fail "ipmr: protocol 200, owner of up0, was asked the RPF question and answered"
		show <"$tmp/A.out"
	fi
	if grep -Eq "^notify creation-alert .*source=$SRC group=$GROUP .*oif=$IF1/" "$tmp/G.out"; then
		t_ok "ipmr: IGMP, owner of dn1, got the creation alert (unanswered)"
	else
		t_fail "ipmr: IGMP, owner of dn1, got the creation alert (unanswered)"
		show <"$tmp/G.out"
	fi

	# ---- IGMP's receivers on dn2 too: the MFE grows -------------------------------------
	step "ipmr: IGMP reports (*,$GROUP) on dn2" G "$(join_line dn2)"
	t_check "ipmr: rcv2 gets the datagrams (membership on dn2)" flowing rcv2
	t_check "ipmr: rcv1 still gets them" flowing rcv1
	t_check "ipmr: ip mroute show: ($SRC,$GROUP) from up0 to dn1 and dn2" \
		oifs_are dn1 dn2
	t_check "ipmr: MGM's MFE dump agrees: from up0 to dn1 and dn2" mfe_is dn1 dn2

	# ---- 201 releases dn2: IGMP's bracket, its membership there dropped -------------
	nmon=$(grep -c . "$tmp/M.out")
	to G 'hold 0.1' 'echo before-release'
	step "ipmr: protocol 201 releases dn2" B 'release $H dn2'
	settle
	t_check "ipmr: rcv2 gets nothing after the release" silent rcv2
	t_check "ipmr: rcv1 still gets the datagrams" flowing rcv1
	t_check "ipmr: ip mroute show: ($SRC,$GROUP) from up0 to dn1 again" oifs_are dn1
	t_check "ipmr: MGM's MFE dump agrees: from up0 to dn1" mfe_is dn1
	to G 'hold 0.5'
	bracket=$(printf "notify %s-igmp handle=$HG ifindex=$IF2 nexthop=0.0.0.0\n" \
		disable enable)
	got=$(since G before-release | grep -E '^notify (disable|enable)-igmp')
	if [ "$got" = "$bracket" ]; then
		t_ok "ipmr: IGMP got disable then enable for dn2"
	else
		t_fail "ipmr: IGMP got disable then enable for dn2"
		show <<<"$got"
	fi
	got=$(tail -n +$((nmon + 1)) "$tmp/M.out" | grep -E "^event (disable-igmp|enable-igmp|interface-del) .*ifindex=$IF2 " |
		cut -d ' ' -f 2)
	if [ "$got" = "$(printf '%s\n' disable-igmp interface-del enable-igmp)" ]; then
		t_ok "ipmr: the monitor saw disable-igmp, interface-del, enable-igmp in order"
	else
		t_fail "ipmr: the monitor saw disable-igmp, interface-del, enable-igmp in order"
		show <<<"$got"
	fi

	# ---- 201 comes back with receivers of its own on dn2, and is killed --------------
	step "ipmr: protocol 201 takes dn2 again and reports (*,$GROUP) there" B \
		'take $H dn2' "$(join_line dn2)"
	t_check "ipmr: rcv2 gets the datagrams again (201's membership)" flowing rcv2
	t_check "ipmr: ip mroute show: ($SRC,$GROUP) from up0 to dn1 and dn2 again" \
		oifs_are dn1 dn2
	to G 'hold 0.1' 'echo before-kill'
	kill -KILL "${pid_of[B]}"
	wait "${pid_of[B]}" 2>/dev/null
	settle
	t_check "ipmr: after SIGKILL of 201, rcv2 gets nothing" silent rcv2
	t_check "ipmr: after SIGKILL of 201, rcv1 still gets the datagrams" flowing rcv1
	t_check "ipmr: after SIGKILL of 201, ip mroute show: from up0 to dn1" oifs_are dn1
	t_check "ipmr: after SIGKILL of 201, the MFE dump agrees: from up0 to dn1" mfe_is dn1
	to G 'hold 0.5'
	got=$(since G before-kill | grep -E '^notify (disable|enable)-igmp')
	if [ "$got" = "$bracket" ]; then
		t_ok "ipmr: IGMP got disable then enable for dn2 at 201's death"
	else
		t_fail "ipmr: IGMP got disable then enable for dn2 at 201's death"
		show <<<"$got"
	fi

	# ---- counters: ipmr's and MGM's agree once the sender stops ---------------------
	kill -TERM "$sender"
	wait "$sender"
	settle
	ip -s mroute show | tee "$tmp/mroute-s" | show
	sent=$(sed -n 's/^sent \([0-9]*\)$/\1/p' "$tmp/send.out")
	ipmr_pkts=$(sed -n 's/^ *\([0-9]*\) packets,.*/\1/p' "$tmp/mroute-s")
	out=$("$CLIENT" run 'mfes stats' 2>&1)
	show <<<"$out"
	mgm_pkts=$(sed -n "s/^get-mfe source=$SRC group=$GROUP .*pkts=\([0-9]*\).*/\1/p" <<<"$out")
	echo "after ${SECONDS}s: datagrams: sent ${sent:-?}, forwarded by ipmr ${ipmr_pkts:-?} (MGM says ${mgm_pkts:-?}), received: rcv1 $(rx rcv1), rcv2 $(rx rcv2)"
	if [ -n "$ipmr_pkts" ] && [ "$ipmr_pkts" -gt 0 ] && [ "$mgm_pkts" = "$ipmr_pkts" ]; then
		t_ok "ipmr: the MFE dump's packet counter agrees with ip -s mroute"
	else
		t_fail "ipmr: the MFE dump's packet counter agrees with ip -s mroute"
	fi
	if [ -n "$sent" ] && [ -n "$ipmr_pkts" ] &&
	   [ "$(rx rcv1)" -le "$ipmr_pkts" ] && [ "$ipmr_pkts" -le "$sent" ]; then
		t_ok "ipmr: received <= forwarded <= sent"
	else
		t_fail "ipmr: received <= forwarded <= sent"
	fi
	spawn /dev/null "$tmp/send.out" ip netns exec "${NS[0]}" \
		"${MCAST[@]}" send "$GROUP" "$PORT" "$SRC"
	sender=$spawned
	wait_lines "$tmp/send.out" '^ready$' 1
	t_check "ipmr: a new sender is forwarded to rcv1 again" flowing rcv1
}

forwarding

# ---- unloading ------------------------------------------------------------
t_check "ipmr: rmmod mgm with live registrations and traffic" rmmod mgm
out=$(ip mroute show 2>&1)
show <<<"$out"
if [ -z "$out" ]; then
	t_ok "ipmr: ip mroute show is empty after rmmod"
else
	t_fail "ipmr: ip mroute show is empty after rmmod"
fi
show </proc/net/ip_mr_vif
if [ "$(wc -l </proc/net/ip_mr_vif)" -le 1 ]; then
	t_ok "ipmr: no VIF left after rmmod"
else
	t_fail "ipmr: no VIF left after rmmod"
fi
t_check_out "ipmr: mc_forwarding is off after rmmod" "^0$" \
	cat /proc/sys/net/ipv4/conf/all/mc_forwarding
settle
t_check "ipmr: after rmmod nothing reaches rcv1" silent rcv1
t_check_out "ipmr: the table is free for another router after rmmod" \
	"^ok$" "${MCAST[@]}" mrt-init

# the protocols' processes outlive the module and end cleanly
for n in A G; do
	f=${fd[$n]}
	exec {f}>&-
	unset "fd[$n]"
	if wait "${pid_of[$n]}"; then
		t_ok "ipmr: client $n outlived the module and exited cleanly"
	else
		t_fail "ipmr: client $n outlived the module and exited cleanly (exit $?)"
		show <"$tmp/$n.out"
	fi
done
