#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The scenario of `make demo` (tools/demo/inside.sh), run here in the
# harness's UML kernel as `make demo` runs it in its own, and its output
# checked for the key lines: the protocols and owners, both flows
# forwarded and counted, the IGMP disable/enable bracket around the
# release, the MFE of the released interface gone, the dead handle, the
# other protocol still forwarding.  (tools/demo/demo.sh, the host side of
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
"$TOOLS/mgm-client" run 'answer creation accept' >/dev/null 2>&1 || have=no
rmmod mgm
if [ "$have" = no ]; then
	echo "# skip demo: no membership commands in mgm.ko or mgm-client yet" >>"$MGM_RESULTS"
	echo "mgm-test: # skip demo: no membership commands in mgm.ko or mgm-client yet"
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
key "protocol show: 300/1, 300/2 and IGMP" '^ +[0-9]+ +10 +1 +[0-9]+$'
t_check "demo: protocol show lists three protocols" \
	[ "$(section 6 | grep -Ec '^ +[0-9]+ +(300 +[12]|10 +1) +[0-9]+$')" -eq 3 ]
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
# enable-igmp on dn2, and the MFE from up2 deleted
section 13 >"$out.13"
dis=$(grep -n ' disable-igmp .*ifindex=[0-9]*:dn2 ' "$out.13" | head -n 1 | cut -d : -f 1)
ena=$(grep -n ' enable-igmp .*ifindex=[0-9]*:dn2 ' "$out.13" | head -n 1 | cut -d : -f 1)
t_check "demo: monitor: disable-igmp on dn2, then enable-igmp on dn2" \
	[ -n "$dis" ] && [ -n "$ena" ] && [ "$dis" -lt "$ena" ]
key "monitor: mfe-del of (10.1.2.2,239.2.2.2) from up2" \
	' mfe-del source=10\.1\.2\.2 group=239\.2\.2\.2 .*iif=[0-9]+:up2 '
key "IGMP's socket is notified disable-igmp" '^ +notify disable-igmp handle=[0-9]+ ifindex=[0-9]+'
key "IGMP's socket is notified enable-igmp" '^ +notify enable-igmp handle=[0-9]+ ifindex=[0-9]+'
key "the dead handle is refused" 'error take-interface ENOENT attr=handle'
t_check "demo: 300/2 gone from protocol show" \
	[ "$(section 14 | grep -Ec '^ +[0-9]+ +(300 +[12]|10 +1) +[0-9]+$')" -eq 2 ]
t_check "demo: the MFE from up2 is gone, the one from up1 stays" \
	[ "$(section 16 | grep -Ec '^ +10\.1\.[12]\.2 +239')" -eq 1 ]
key "the other protocol still forwards" '^ +rcv1: still receiving$'
key "rcv2 gets nothing after its protocol went" '^ +rcv2: nothing since 300/2 went$'
