# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for the netlink tests that play several protocols at once: each
# protocol is one tools/mgm-client socket in the background that reads its
# commands from a FIFO ("mgm-client run" with stdin), so a test drives the
# protocols step by step and reads what each one received in between.
# Source tools/tests/lib.sh first.
# shellcheck disable=SC2016

CLIENT=${MGM_TOOLS:-$MGM_REPO/tools}/mgm-client
declare -A cl_fd=() cl_pid=() busy=()
clients=()
mark=0

# A client that exited leaves its FIFO without a reader: writing to it must
# fail the step, not kill the test.
trap '' PIPE

# show: indented, so that the UML log tells output from results
show() {
	sed 's/^/  | /'
}

# wait_lines FILE REGEX N [SECS]: waits (SECS, default 10) for N lines
# matching REGEX.
wait_lines() {
	local i

	for ((i = 0; i < ${4:-10} * 20; i++)); do
		[ "$(grep -Ec -- "$2" "$1")" -ge "$3" ] && return 0
		sleep 0.05
	done
	echo "timed out waiting for $3 lines /$2/ in $1:"
	show <"$1"
	return 1
}

# client NAME [LINE...]: starts client NAME reading commands from its FIFO,
# output in $tmp/NAME.out, and sends it LINE...
client() {
	local name=$1 fd

	shift
	mkfifo "$tmp/$name.in"
	# without the other clients' FIFOs: each must see its own end
	(
		for fd in "${cl_fd[@]}"; do
			exec {fd}>&-
		done
		exec "$CLIENT" run <"$tmp/$name.in" >"$tmp/$name.out" 2>&1
	) &
	cl_pid[$name]=$!
	bg_pids+=("$!")
	exec {fd}>"$tmp/$name.in"
	cl_fd[$name]=$fd
	clients+=("$name")
	# a burst of notifications must not overflow the socket
	say "$name" 'rcvbuf 8388608' "echo mark $mark" "$@"
}

# say NAME LINE...: sends command lines to client NAME.
say() {
	local name=$1 line

	shift
	for line; do
		printf '%s\n' "$line" >&"${cl_fd[$name]}" || return 1
	done
	busy[$name]=1
}

# step WHAT: waits until the clients sent commands since the last step
# ran them, then until each client printed what arrived on its socket up
# to then.  WHAT names the results of the step's checks.  Returns 1 if a
# client did not follow.
step() {
	local name rc=0

	what=$1
	mark=$((mark + 1))
	# every command done, and with it every notification sent
	for name in "${!busy[@]}"; do
		say "$name" "echo sync $mark"
	done
	for name in "${!busy[@]}"; do
		wait_lines "$tmp/$name.out" "^sync $mark\$" 1 || rc=1
	done
	for name in "${clients[@]}"; do
		say "$name" "echo mark $mark"
	done
	for name in "${clients[@]}"; do
		wait_lines "$tmp/$name.out" "^mark $mark\$" 1 || rc=1
	done
	busy=()
	return $rc
}

# got NAME [REGEX]: what client NAME printed in the last step (the lines
# matching REGEX, default every notification and event).
got() {
	awk -v from="mark $((mark - 1))" -v to="mark $mark" \
		'BEGIN { on = from == "mark 0" }
		 $0 == to { exit } on { print } $0 == from { on = 1 }' \
		"$tmp/$1.out" | grep -E -- "${2:-^(notify|event) }"
}

# expect NAME WHAT [REGEX]: passes when the lines of got NAME [REGEX] are
# exactly the lines of WHAT.
expect() {
	local name=$1 want=$2 have

	have=$(got "$name" "${3:-}")
	if [ "$have" = "$want" ]; then
		t_ok "$TEST: $what: $name got what it should"
	else
		t_fail "$TEST: $what: $name got what it should"
		echo "  expected:"
		show <<<"$want"
		echo "  got:"
		show <<<"$have"
	fi
}

# has_line NAME WHAT REGEX: passes ("$TEST: WHAT") when a whole line of
# what client NAME printed in the last step matches REGEX.
has_line() {
	if got "$1" '.' | grep -Eq -- "^$3\$"; then
		t_ok "$TEST: $2"
	else
		t_fail "$TEST: $2 (no line /^$3\$/ from $1)"
		got "$1" '.' | show
	fi
}

# handle NAME: the handle of client NAME's (first) registration.
handle() {
	sed -n 's/^register handle=\([0-9]*\)$/\1/p' "$tmp/$1.out" | head -n 1
}

# stop NAME: closes client NAME's stdin, so that it exits (and its socket
# closes); returns its exit status.
stop() {
	local i fd=${cl_fd[$1]}

	exec {fd}>&-
	for i in "${!clients[@]}"; do
		[ "${clients[$i]}" = "$1" ] && unset 'clients[i]'
	done
	clients=("${clients[@]}")
	unset "busy[$1]"
	wait "${cl_pid[$1]}"
}

# At exit the clients' stdin closes, so that they exit (lib.sh kills what
# is left).
netlink_close_clients() {
	local name fd

	for name in "${clients[@]}"; do
		fd=${cl_fd[$name]}
		exec {fd}>&-
	done
}
t_defer netlink_close_clients
