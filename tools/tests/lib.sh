# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the integration tests that run inside UML.
# Each result is one line "ok - NAME" or "not ok - NAME" appended to
# $MGM_RESULTS (set by the harness); details go to stdout (the UML log).

: "${MGM_RESULTS:=/dev/stdout}"
MGM_REPO=${MGM_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MGM_KO=${MGM_KO:-$MGM_REPO/mgm.ko}

t_ok()   { echo "ok - $*" >> "$MGM_RESULTS"; echo "mgm-test: ok - $*"; }
t_fail() { echo "not ok - $*" >> "$MGM_RESULTS"; echo "mgm-test: not ok - $*"; }

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
