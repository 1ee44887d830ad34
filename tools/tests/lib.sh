# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the integration tests that run inside UML.
# Each result is one line "ok - NAME" or "not ok - NAME" appended to
# $MGM_RESULTS (set by the harness); details go to stdout (the UML log).

: "${MGM_RESULTS:=/dev/stdout}"
MGM_REPO=${MGM_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MGM_KO=${MGM_KO:-$MGM_REPO/mgm.ko}

t_ok()   { echo "ok - $*" >> "$MGM_RESULTS"; echo "mgm-test: ok - $*"; }
t_fail() { echo "not ok - $*" >> "$MGM_RESULTS"; echo "mgm-test: not ok - $*"; }
# t_skip NAME: a check that cannot run here, said in the results (a test
# that skips everything still reports something).
t_skip() { echo "# skip $*" >> "$MGM_RESULTS"; echo "mgm-test: # skip $*"; }

# veth_host NS LINK PEER NET: a host in a new network namespace NS behind
# the router's (this namespace's) LINK, NET.1/24, its end PEER at NET.2/24
# with its default route via the router.
veth_host() {
	local ns=$1 link=$2 peer=$3 net=$4

	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
	ip link add "$link" type veth peer name "$peer" netns "$ns"
	ip addr add "$net.1/24" dev "$link"
	ip link set "$link" up
	ip netns exec "$ns" ip addr add "$net.2/24" dev "$peer"
	ip netns exec "$ns" ip link set "$peer" up
	ip netns exec "$ns" ip route add default via "$net.1"
}

# wait_for SECS CMD...: runs CMD every 50 ms until it passes (0) or SECS.
wait_for() {
	local i secs=$1

	shift
	for ((i = 0; i < secs * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# now_ms: milliseconds, for the delays a test prints
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# t_check NAME CMD...: passes when CMD exits 0.
t_check() {
	local name=$1; shift
	if "$@"; then t_ok "$name"; else t_fail "$name (exit $?: $*)"; fi
}

# t_check_out NAME REGEX CMD...: passes when CMD exits 0 and its output
# matches the extended regular expression REGEX.
t_check_out() {
	local name=$1 re=$2 out rc; shift 2
	out=$("$@" 2>&1); rc=$?
	echo "$out"
	if [ $rc -eq 0 ] && grep -Eq -- "$re" <<<"$out"; then
		t_ok "$name"
	else
		t_fail "$name (exit $rc, wanted /$re/)"
	fi
}

# ---- what a test makes, undone at its exit -------------------------------
# One trap for every test: it runs the commands given to t_defer (the last
# one first, each with its errors silenced), kills the processes in
# bg_pids and waits for them, deletes the network namespaces and links
# given to t_netns and t_links, and removes the scratch directory $tmp.
# A test registers what it makes as it makes it, and sets no trap of its
# own on EXIT.
tmp=$(mktemp -d)
bg_pids=()
T_DEFER=()
T_NETNS=()
T_LINKS=()

# t_defer CMD: run the shell command CMD (a string, expanded then) at exit.
t_defer() { T_DEFER=("$1" "${T_DEFER[@]}"); }
# t_netns NS...: network namespaces to delete at exit.
t_netns() { T_NETNS+=("$@"); }
# t_links DEV...: links to delete at exit.
t_links() { T_LINKS+=("$@"); }

# Whatever fails here fails quietly, under set -e too: the test's own
# verdict is its exit status.
t_cleanup() {
	local c p n

	for c in "${T_DEFER[@]}"; do
		eval "$c" 2>/dev/null || true
	done
	for p in "${bg_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for n in "${T_NETNS[@]}"; do
		ip netns del "$n" 2>/dev/null || true
	done
	for n in "${T_LINKS[@]}"; do
		ip link del "$n" 2>/dev/null || true
	done
	rm -rf "$tmp"
	return 0
}
trap t_cleanup EXIT

# t_json NAME PYTHON ARG...: `$MGMCTL -j ARG...` parsed as `d`; passes
# when PYTHON's asserts do (the output shown when not).
t_json() {
	local name=$1 code=$2

	shift 2
	if "$MGMCTL" -j "$@" >"$tmp/json" 2>&1 && python3 -c "
import json
d = json.load(open('$tmp/json'))
$code"; then
		t_ok "$name"
	else
		t_fail "$name"
		sed 's/^/  | /' <"$tmp/json"
	fi
}
