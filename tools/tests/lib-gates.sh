# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the reliability and security gates, tools/tests/6*.sh, sourced
# after lib.sh: the Python tools in tools/pynl/ and their result lines.

# shellcheck disable=SC2034 # PYNL and CLIENT: for the scripts that source this
{
	PYNL=$MGM_REPO/tools/pynl
	CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
}
# The repository is read-only inside UML: no __pycache__ attempts.
export PYTHONDONTWRITEBYTECODE=1
PY=(/usr/bin/python3 -B)

# sanitizer: whether this is the sanitizer kernel (KASAN, kmemleak,
# fault injection), tools/uml/sanitize.kunitconfig.
sanitizer() {
	[ "${MGM_KERNEL:-}" = uml-san ]
}

# relay PREFIX CMD...: runs CMD, a tool that prints result lines ("ok -
# NAME", "not ok - NAME", "# skip NAME"), and records them with PREFIX put
# before each NAME; other "# " lines (figures) go to the results as they
# are, the rest to the log, indented.  A CMD that exits non-zero without a
# "not ok" line is a failure of its own.
relay() {
	local prefix=$1 line rc=0 failed=0

	shift
	while IFS= read -r line; do
		case $line in
		"ok - "*) t_ok "$prefix${line#ok - }" ;;
		"not ok - "*) t_fail "$prefix${line#not ok - }"; failed=1 ;;
		"# skip "*) t_skip "$prefix${line#\# skip }" ;;
		"@relay-exit "*) rc=${line#@relay-exit } ;;
		"# "*) echo "$line" >>"$MGM_RESULTS"; echo "mgm-test: $line" ;;
		*) echo "  | $line" ;;
		esac
	done < <("$@" 2>&1; echo "@relay-exit $?")
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		t_fail "$prefix$* exited $rc"
	fi
	[ "$rc" = 0 ]
}

# state_check NAME [--empty]: the invariants of the state of this netns
# (tools/pynl/mgm-state.py check), as one result.
state_check() {
	local name=$1

	shift
	t_check "$name" "${PY[@]}" "$PYNL/mgm-state.py" check "$@"
}

# wait_file FILE REGEX: waits (20 s at most) for a line matching REGEX.
wait_file() {
	local i

	for ((i = 0; i < 200; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for /$2/ in $1:"
	sed 's/^/  | /' "$1"
	return 1
}
