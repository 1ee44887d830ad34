#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The scenario of `make demo` (tools/demo/inside.sh), run here in the
# harness's UML kernel as `make demo` runs it in its own, and its output
# checked for the key lines: the protocols and owners, both flows
# forwarded and counted, the in-kernel IGMP router learning the hosts'
# joins, its disable/enable bracket around the release and its replay,
# the MFE of the released interface gone, the dead handle, the other
# protocol still forwarding.  (tools/demo/demo.sh, the host side of
# `make demo`, only builds and boots; this runs everything it shows.)
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=$(mktemp)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'rm -f "$out" "$out.13"'

TOOLS=${MGM_TOOLS:-$MGM_REPO/tools}

# The demo needs the membership and MFE commands in the module and in
# mgm-client; without them (an older tree) the test says so and skips.
if ! insmod "$MGM_KO"; then
	t_fail "demo: insmod $MGM_KO"
	exit 1
fi
have=yes
"$TOOLS/mgmctl/mgmctl" group show >/dev/null 2>&1 || have=no
"$TOOLS/mgmctl/mgmctl" igmp show >/dev/null 2>&1 || have=no
rmmod mgm
if [ "$have" = no ]; then
	echo "# skip demo: no IGMP router in mgm.ko yet" >>"$MGM_RESULTS"
	echo "mgm-test: # skip demo: no IGMP router in mgm.ko yet"
	exit 0
fi

"$MGM_REPO/tools/demo/inside.sh" >"$out" 2>&1
rc=$?
sed 's/^/  | /' "$out"

# key NAME REGEX: a line of the demo's output matches REGEX
key() {
	if grep -Eq -- "$2" "$out"; then
		t_ok "demo: $1"
	else
		t_fail "demo: $1 (no line /$2/)"
	fi
}

# section N: the output of the demo's step [N] (up to the next step)
section() {
	sed -n "/^\\[$1\\] /,/^\\[$(($1 + 1))\\] /p" "$out"
}

if [ "$rc" -eq 0 ]; then
	t_ok "demo: runs through, every step as described"
else
	t_fail "demo: runs through, every step as described (exit $rc)"
	grep 'DEMO PROBLEM' "$out"
fi
key "protocol show: 300/1, 300/2 and IGMP, in the kernel" '^ +[0-9]+ +10 +1 +kernel +- +active$'
t_check "demo: protocol show lists three protocols" \
	[ "$(section 6 | grep -Ec '^ +[0-9]+ +(300 +[12] +[0-9]+|10 +1 +kernel) +- +active$')" -eq 3 ]
key "igmp show: dn1 with this router the querier" \
	'^ +dn1 +3 +10\.1\.3\.1 \(this\)'
key "igmp groups: rcv1's join of 239.1.1.1 learnt on dn1" \
	'^ +dn1 +239\.1\.1\.1 +exclude'
key "igmp groups: rcv2's join of 239.2.2.2 learnt on dn2" \
	'^ +dn2 +239\.2\.2\.2 +exclude'
key "interface show: dn1 IGMP's alone" '^ +[0-9]+ +dn1 +- +- +- +- +[0-9]+$'
key "interface show: dn2 owned by 300/2 with IGMP" \
	'^ +[0-9]+ +dn2 +- +[0-9]+ +300 +2 +[0-9]+$'
key "mfe show -s: 239.1.1.1 from up1 to dn1, counting" \
	'^ +10\.1\.1\.2 +239\.1\.1\.1 +up1 +10\.1\.1\.2 +300 .* [1-9][0-9]* +[0-9]+ +0 +dn1$'
key "mfe show -s: 239.2.2.2 from up2 to dn2, counting" \
	'^ +10\.1\.2\.2 +239\.2\.2\.2 +up2 +10\.1\.2\.2 +300 .* [1-9][0-9]* +[0-9]+ +0 +dn2$'
key "both receivers get data" \
	'received so far: rcv1 \(239\.1\.1\.1\) [1-9][0-9]* datagrams, rcv2 \(239\.2\.2\.2\) [1-9][0-9]* datagrams'
key "staticd 300/2 shuts down on SIGTERM" 'mgm-staticd: deregistered handle [0-9]+'
# the monitor's events after the SIGTERM: disable-igmp on dn2 before
# enable-igmp on dn2, IGMP's replay of (*,239.2.2.2) after it, and the
# MFE from up2 deleted
section 14 >"$out.13"
dis=$(grep -n ' disable-igmp .*ifindex=[0-9]*:dn2 ' "$out.13" | head -n 1 | cut -d : -f 1)
ena=$(grep -n ' enable-igmp .*ifindex=[0-9]*:dn2 ' "$out.13" | head -n 1 | cut -d : -f 1)
# in_order A B: both lines were found, A before B (t_check runs one
# command: a chain of tests goes in a function, or only its first counts)
in_order() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ]; }
t_check "demo: monitor: disable-igmp on dn2, then enable-igmp on dn2" \
	in_order "$dis" "$ena"
rep=$(grep -n ' membership-new .*protocol-id=10 .*group=239\.2\.2\.2 .*ifindex=[0-9]*:dn2' "$out.13" |
	tail -n 1 | cut -d : -f 1)
t_check "demo: monitor: IGMP replays (*,239.2.2.2) on dn2 after enable-igmp" \
	in_order "$ena" "$rep"
key "monitor: mfe-del of (10.1.2.2,239.2.2.2) from up2" \
	' mfe-del source=10\.1\.2\.2 group=239\.2\.2\.2 .*iif=[0-9]+:up2 '
key "the dead handle is refused" 'error take-interface ENOENT attr=handle'
t_check "demo: 300/2 gone from protocol show" \
	[ "$(section 15 | grep -Ec '^ +[0-9]+ +(300 +[12] +[0-9]+|10 +1 +kernel) +- +active$')" -eq 2 ]
t_check "demo: the MFE from up2 is gone, the one from up1 stays" \
	[ "$(section 17 | grep -Ec '^ +10\.1\.[12]\.2 +239')" -eq 1 ]
key "the other protocol still forwards" '^ +rcv1: still receiving$'
key "rcv2 gets nothing after its protocol went" '^ +rcv2: nothing since 300/2 went$'
# RFC 3376 §6.6.3.1 with the defaults: LMQT 2 s; the host's leave and the
# work item's tick add little, an emulated guest's timers on a busy host
# up to a second more (3103 ms seen on qemu-6.1)
within() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
left=$(sed -n 's/^ *(\*,239\.1\.1\.1) gone from dn1 \([0-9]*\) ms after the leave$/\1/p' "$out")
echo "# demo: rcv1's membership gone ${left:-?} ms after its leave (LMQT 2000 ms)"
t_check "demo: rcv1 leaves: (*,239.1.1.1) gone within LMQT + 1.5 s (${left:-never} ms)" \
	within "$left" 1500 3500
