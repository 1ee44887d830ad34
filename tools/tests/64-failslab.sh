#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failure: every state-changing command with its n-th slab
# allocation failed, for every n until it needs no more
# (tools/pynl/mgm-failnth.py): it fails with ENOMEM and changes nothing, or
# succeeds; the state keeps its invariants; nothing is left behind.  Leaks
# and warnings: the harness's kmemleak scan after this test and its log
# check.  Needs fail-nth and failslab: the uml-san kernel only.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
set -euo pipefail

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"

failslab=/sys/kernel/debug/failslab
if ! sanitizer; then
	t_skip "failslab: no fault injection in the $MGM_KERNEL kernel"
	exit 0
fi
if [ ! -e /proc/thread-self/fail-nth ] || [ ! -d "$failslab" ]; then
	t_fail "failslab: the $MGM_KERNEL kernel has fail-nth and failslab"
	exit 1
fi

saved_wait=$(<"$failslab/ignore-gfp-wait")
saved_verbose=$(<"$failslab/verbose")
# failslab as it was, the links gone: before the last checks, and at exit
failslab_off() {
	echo "$saved_wait" >"$failslab/ignore-gfp-wait"
	echo "$saved_verbose" >"$failslab/verbose"
	ip link del f64a 2>/dev/null || true
	ip link del f64b 2>/dev/null || true
}
t_defer failslab_off

if ! insmod "$MGM_KO"; then
	t_fail "failslab: insmod $MGM_KO"
	exit 1
fi
ip link add f64a type dummy
ip link add f64b type dummy
ip link set f64a up
ip link set f64b up

# GFP_KERNEL allocations are exempt unless ignore-gfp-wait is N; an
# injected failure prints a stack trace (the log check's "Call Trace")
# unless verbose is 0.
echo N >"$failslab/ignore-gfp-wait"
echo 0 >"$failslab/verbose"
relay "" "${PY[@]}" "$PYNL/mgm-failnth.py" \
	--if0 "$(</sys/class/net/f64a/ifindex)" \
	--if1 "$(</sys/class/net/f64b/ifindex)" || true
failslab_off

state_check "failslab: nothing left" --empty
t_check "failslab: rmmod mgm" rmmod mgm
