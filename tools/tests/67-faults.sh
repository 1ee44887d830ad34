#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures in every context mgm runs in, for a while, under
# load: failslab fails one in five slab allocations made with mgm's code
# on the stack (its module text between require-start and require-end),
# whoever runs it: a command's task, and the upcall, timer, route and
# netdev work.  Meanwhile a host floods new (S,G), the upstream owner
# lets the questions run into their deadline and gives 1 s lifetimes (so
# the timer work makes MFEs and expires them), routes toward the sources
# come and go (the route work), netdevs are taken and deleted (the netdev
# work), and a protocol adds and deletes memberships.  Afterwards the
# state keeps its invariants, the owners' sockets close, rmmod; the
# harness's kmemleak scan and log check find nothing.  A failed
# allocation may lose a new source or an answer, never corrupt state.
# Needs failslab with the stacktrace filter: the uml-san kernel only.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
# shellcheck disable=SC2016

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"
# shellcheck source=tools/tests/lib-netlink.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-netlink.sh"

TEST=faults
SECONDS_UNDER=${MGM_FAULT_SECONDS:-10}
failslab=/sys/kernel/debug/failslab
SRC_NS=mgm67-src
RCV_NS=mgm67-rcv
SRC=10.0.51.2
pids=()

if ! sanitizer; then
	t_skip "$TEST: no fault injection in the $MGM_KERNEL kernel"
	exit 0
fi
if [ ! -e "$failslab/require-start" ]; then
	t_fail "$TEST: the $MGM_KERNEL kernel has failslab's stacktrace filter"
	exit 1
fi

faults_off() {
	echo 0 >"$failslab/probability"
	echo 0 >"$failslab/require-start"
	echo 0 >"$failslab/require-end"
	echo Y >"$failslab/ignore-gfp-wait"
}

# undone at exit (lib.sh)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'kill -KILL "${pids[@]}"'
t_defer faults_off
t_netns "$SRC_NS" "$RCV_NS"
t_links fu0 fd0 fx0 fx1 fx2 fx3

if ! insmod "$MGM_KO" reply_timeout_ms=300; then
	t_fail "$TEST: insmod $MGM_KO"
	exit 1
fi
veth_host "$SRC_NS" fu0 fs0 10.0.51
veth_host "$RCV_NS" fd0 fr0 10.0.52

client U 'register 200 1' 'take $H fu0' 'answer rpf silent' 'answer prune 1'
client D 'register 201 1' 'take $H fd0' 'answer creation accept' 'add $H * * fd0'
if ! step "setup"; then
	t_fail "$TEST: two protocols own the router's interfaces"
	exit 1
fi

# mgm's module memory: the text its frames return into
read -r _ size _ _ _ base _ < <(grep '^mgm ' /proc/modules)
start=$((base))
end=$((base + size))
echo "  | mgm at $base, $size bytes"

# ---- the load --------------------------------------------------------------
ip netns exec "$SRC_NS" python3 - "$SRC" "$SECONDS_UNDER" <<'EOF' &
import socket, struct, sys, time
src, secs = sys.argv[1], float(sys.argv[2])
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
end, i = time.time() + secs, 0
while time.time() < end:
    i += 1
    s = src if i % 2 else "10.250.%d.%d" % (i >> 8 & 255, i & 255)
    g = "239.67.%d.%d" % (i >> 8 & 255, i & 255)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 8, 17, 0,
                      socket.inet_aton(s), socket.inet_aton(g))
    try:
        raw.sendto(hdr + struct.pack("!HHHH", 5067, 5067, 8, 0), (g, 0))
    except OSError:
        pass
    if i % 200 == 0:
        time.sleep(0.01)
EOF
pids+=($!)
# Route and netdev churn.  No process forks while the faults are armed:
# a fork that fails under them crashes UML's flush_tlb_mm() on its error
# path (a UML bug, not mgm's).  So one `ip -batch` each runs what a loop
# of builtins feeds it, and waits are reads that time out on a FIFO.
mkfifo "$tmp/never"
# pause SECS, without a fork
pause() {
	read -r -t "$1" _ <>"$tmp/never" || true
}
{
	end=$((SECONDS + SECONDS_UNDER))
	while [ $SECONDS -lt $end ]; do
		echo "route add 10.250.0.0/16 via 10.0.51.2"
		pause 0.3
		echo "route del 10.250.0.0/16 via 10.0.51.2"
		pause 0.3
	done
} | ip -force -batch - >/dev/null 2>&1 &
pids+=($!)
{
	end=$((SECONDS + SECONDS_UNDER))
	while [ $SECONDS -lt $end ]; do
		for i in 0 1 2 3; do
			echo "link add fx$i type dummy"
			echo "link set fx$i up"
		done
		pause 0.4
		for i in 0 1 2 3; do
			echo "link del fx$i"
		done
	done
} | ip -force -batch - >/dev/null 2>&1 &
pids+=($!)
# a third protocol takes the dummies and adds and deletes memberships
# there; any of it may fail: "try"
{
	echo "register 202 1"
	for ((i = 0; i < 40 * SECONDS_UNDER; i++)); do
		echo "try take \$H fx$((i % 4))"
		echo "try add \$H * 239.67.$((i % 64)).$((i % 200)) fx$((i % 4))"
		echo "try del \$H * 239.67.$(((i + 32) % 64)).$(((i + 7) % 200)) fx$(((i + 1) % 4))"
		echo "try release \$H fx$(((i + 2) % 4))"
		echo "sleep 0.02"
	done
} >"$tmp/churn.cmds"
"$CLIENT" run <"$tmp/churn.cmds" >"$tmp/churn.out" 2>&1 &
pids+=($!)

# without the range, faults would hit the whole system: not armed then
if ! echo "$start" >"$failslab/require-start" ||
   ! echo "$end" >"$failslab/require-end" ||
   [ "$(<"$failslab/require-start")" != "$(printf '0x%016x' "$start")" ]; then
	t_fail "$TEST: failslab limited to mgm's module memory ($start-$end)"
	exit 1
fi
echo 32 >"$failslab/stacktrace-depth"
echo N >"$failslab/task-filter"
echo N >"$failslab/ignore-gfp-wait"
echo 1 >"$failslab/verbose"
echo 1 >"$failslab/interval"
echo -1 >"$failslab/times"
echo 20 >"$failslab/probability"
# no fork while armed (see the churn above)
pause "$SECONDS_UNDER"
faults_off
echo 0 >"$failslab/verbose"
kill -KILL "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
pids=()

injected=$(dmesg | grep -c 'FAULT_INJECTION: forcing a failure')
echo "# faults: $SECONDS_UNDER s, $injected failures reported (rate limited), $(grep -c ENOMEM "$tmp/churn.out") ENOMEM to the churning client"
if [ "$injected" -gt 0 ]; then
	t_ok "$TEST: allocations failed under load"
else
	t_fail "$TEST: allocations failed under load"
fi
"${MGM_TOOLS:-$MGM_REPO/tools}/mgmctl/mgmctl" limits show | show

# ---- afterwards ------------------------------------------------------------
step "after the faults"
state_check "$TEST: the state keeps its invariants"
for c in U D; do
	stop "$c"
done
for i in 0 1 2 3; do
	ip link del "fx$i" 2>/dev/null
done
state_check "$TEST: the owners' sockets closed: nothing owned"

# ---- a netns that goes while a flood is being resolved ----------------------
# Its only owner is killed and the netns deleted while ipmr still reports
# new sources there: the last VIF goes, mgm's socket closes and the netns
# exits with upcalls queued and questions open (no faults now).
ip netns add mgm67-gone
ip link add fg0 type veth peer name fg1 netns mgm67-gone
ip addr add 10.0.53.1/24 dev fg0
ip link set fg0 up
ip netns exec mgm67-gone ip addr add 10.0.53.2/24 dev fg1
ip netns exec mgm67-gone ip link set fg1 up
mkfifo "$tmp/gone.in"
ip netns exec mgm67-gone "$CLIENT" run <"$tmp/gone.in" >"$tmp/gone.out" 2>&1 &
gone_pid=$!
exec {gone_fd}>"$tmp/gone.in"
printf '%s\n' 'register 200 1' 'take $H fg1' 'answer rpf silent' \
	'echo ready' >&"$gone_fd"
wait_file "$tmp/gone.out" '^ready$'
python3 - <<'EOF' &
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton("10.0.53.1"))
end, i = time.time() + 3, 0
while time.time() < end:
    i += 1
    try:
        s.sendto(b"x", ("239.68.%d.%d" % (i >> 8 & 255, i & 255), 5068))
    except OSError:
        pass
EOF
flood_pid=$!
sleep 1
kill -KILL $gone_pid
exec {gone_fd}>&-
ip netns del mgm67-gone
wait $flood_pid 2>/dev/null
wait $gone_pid 2>/dev/null
# dismantled, with the veth whose peer it held, unless a reference of
# mgm's kept it
for ((i = 0; i < 100; i++)); do
	ip link show fg0 >/dev/null 2>&1 || break
	sleep 0.1
done
if ! ip link show fg0 >/dev/null 2>&1; then
	t_ok "$TEST: a netns that went during a flood was dismantled"
else
	t_fail "$TEST: a netns that went during a flood was dismantled"
	ip link del fg0 2>/dev/null
fi
t_check "$TEST: rmmod mgm" rmmod mgm
