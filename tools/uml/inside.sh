#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the UML test kernel, started by tools/uml/init.c; the harness
# (tools/uml/check.sh) passes the variables below on the kernel command line.
#
#   MGM_MODE     "kunit": KUnit suites only; "check": KUnit + integration tests
#   MGM_KERNEL   which test kernel this is: uml, uml-san (the sanitizers),
#                qemu-6.1 or qemu-6.12 (Debian's, tools/qemu/boot.sh)
#   MGM_RW       writable results directory (host path, hostfs)
#   MGM_REPO     the repository (read-only here)
#   MGM_KO       mgm.ko built for this kernel; mgm_test.ko lies next to it
#   MGM_TOOLS    directory of the built userspace tools
#   MGM_KSRC     the kernel source (its tools/net/ynl client, for instance)
#   MGM_TEST_TIMEOUT  seconds per integration test (default 300)
#   MGM_TESTS    optional: only the integration tests whose file names start
#                with one of these words, e.g. "10,62" (make check MGM_TESTS=...)
#
# Everything printed goes to the UML console log.  Each step appends one
# "ok - NAME" or "not ok - NAME" line to $MGM_RESULTS, which the harness
# counts, the same format the integration tests use (tools/tests/lib.sh).
set -euo pipefail

export MGM_RESULTS=$MGM_RW/results.txt
export MGM_REPO MGM_KO MGM_TOOLS MGM_KSRC MGM_KERNEL TMPDIR=/tmp
test_timeout=${MGM_TEST_TIMEOUT:-300}

say() { echo "mgm-harness: $*"; }
ok() { echo "ok - $*" >>"$MGM_RESULTS"; say "ok - $*"; }
not_ok() { echo "not ok - $*" >>"$MGM_RESULTS"; say "not ok - $*"; }

# step NAME CMD...: runs CMD and records whether it succeeded.
step() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name (exit $?)"; fi
}

count() { grep -c "$1" "$MGM_RESULTS" || true; }

# timing NAME START: how long NAME took since START ($SECONDS), a figure
# in the results (for the CI budget; never a pass or fail).
timing() {
	echo "# time: $MGM_KERNEL: $1 $((SECONDS - $2)) s" >>"$MGM_RESULTS"
}

unload_mgm() {
	if [ -d /sys/module/mgm ]; then
		say "$1 left mgm loaded: rmmod mgm"
		rmmod mgm || true
	fi
}

# The KUnit module runs its suites while it is being loaded and prints one
# KTAP document; the harness parses what lies between the two markers.
run_kunit() {
	local test_ko sleeper start
	test_ko=$(dirname "$MGM_KO")/mgm_test.ko

	# A second network namespace for the netns-isolation cases, held by a
	# sleeping process whose pid is handed to the test module.
	unshare -n sleep 100000 &
	sleeper=$!
	while [ "$(readlink "/proc/$sleeper/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do
		sleep 0.1
	done

	if [ -f "$MGM_KO" ]; then
		step "uml: insmod mgm.ko" insmod "$MGM_KO"
	else
		say "$MGM_KO was not built"
	fi
	say "kunit start"
	start=$SECONDS
	if [ -f "$test_ko" ]; then
		step "uml: insmod mgm_test.ko" \
			timeout 300 insmod "$test_ko" "netns_pid=$sleeper"
	else
		say "$test_ko was not built"
	fi
	say "kunit end"
	timing "KUnit (insmod mgm_test.ko)" "$start"
	if [ -d /sys/module/mgm_test ]; then
		step "uml: rmmod mgm_test" rmmod mgm_test
	fi
	if [ -d /sys/module/mgm ]; then
		step "uml: rmmod mgm" rmmod mgm
	fi
	kill "$sleeper"
	wait "$sleeper" || true
}

# selected NAME: whether MGM_TESTS (if set) selects the test file NAME.
selected() {
	local w

	[ -z "${MGM_TESTS:-}" ] && return 0
	for w in ${MGM_TESTS//,/ }; do
		[[ $1 == "$w"* ]] && return 0
	done
	return 1
}

# Every executable tools/tests/[0-9]*.sh, in order, each under a timeout.  A
# script that fails without reporting a failure, or reports nothing at all,
# is recorded as failed here.
run_integration() {
	local t name rc lines failures start

	for t in "$MGM_REPO"/tools/tests/[0-9]*.sh; do
		[ -x "$t" ] || continue
		name=${t##*/}
		selected "$name" || continue
		say "integration test $name"
		lines=$(count .)
		failures=$(count '^not ok')
		rc=0
		start=$SECONDS
		(cd "$MGM_REPO" && timeout -k 10 "$test_timeout" "$t") || rc=$?
		timing "$name" "$start"
		if [ "$rc" -eq 124 ]; then
			not_ok "$name timed out after ${test_timeout}s"
		elif [ "$rc" -ne 0 ] && [ "$(count '^not ok')" -eq "$failures" ]; then
			not_ok "$name exited $rc"
		elif [ "$(count .)" -eq "$lines" ]; then
			not_ok "$name reported no result"
		fi
		unload_mgm "$name"
		kmemleak_report "after $name"
	done
}

# kmemleak (the uml-san kernel): once mgm is gone, every object it or its
# tests allocated must be gone too.  Scans after each test name the test in
# the log (kmemleak's backtraces are empty on UML: its stack frames are all
# unreliable); the final ones after the last rmmod wait first, as objects
# younger than 5 s are never reported.  It takes two scans to report an
# object (the first only takes its checksum, mm/kmemleak.c), hence the
# kmemleak documentation's advice to scan twice.  Reports go to the console
# log, where logcheck.sh finds "unreferenced object"; a scan that cannot
# run (kmemleak disabled itself, for instance) fails here.
kmemleak=/sys/kernel/debug/kmemleak

# kmemleak_report WHEN: scans twice now, prints what is new, forgets it;
# returns 1 if a scan failed.
kmemleak_report() {
	local report

	[ -e "$kmemleak" ] || return 0
	if ! { echo scan >"$kmemleak" && echo scan >"$kmemleak"; }; then
		not_ok "kmemleak: scan $1"
		return 1
	fi
	report=$(cat "$kmemleak")
	if [ -n "$report" ]; then
		say "kmemleak: leaks found $1:"
		echo "$report"
		echo clear >"$kmemleak"
	fi
}

kmemleak_final() {
	[ -e "$kmemleak" ] || return 0
	if [ -d /sys/module/mgm ]; then
		not_ok "kmemleak: mgm is still loaded at the end"
		return
	fi
	sleep 6
	if kmemleak_report "after the last rmmod"; then
		ok "kmemleak: scans after the last rmmod"
	fi
}

say "mode $MGM_MODE, kernel $MGM_KERNEL $(uname -r)"
boot=$SECONDS
run_kunit
if [ "$MGM_MODE" = check ]; then
	run_integration
fi
kmemleak_final
timing "everything inside UML" "$boot"
say "tainted $(cat /proc/sys/kernel/tainted)"
say "done"
