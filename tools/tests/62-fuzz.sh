#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The seeded netlink fuzzer (tools/pynl/mgm-fuzz.py): workers, some in a
# netns of their own, some killed midway, send a fixed number of random and
# mangled messages of every command of the spec; the state they hold at the
# end keeps the invariants, nothing is left once they are gone, the module
# unloads.  Splats and leaks: the harness's log check and kmemleak scan.
#
# A finding is reproduced from the seed and the worker the run printed:
#   make check MGM_TESTS=62 MGM_FUZZ_SEED=S [MGM_FUZZ_COUNT=N]
#       [MGM_FUZZ_WORKERS=W] [MGM_FUZZ_ONLY=W.G] [MGM_FUZZ_TRACE=1]
# (README, "What is tested").
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.
set -euo pipefail

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tools/tests/lib-gates.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-gates.sh"

# The bounded count for CI: 4 workers x 10000 messages took 24 s on the
# sanitizer kernel (tools/uml/sanitize.kunitconfig), 10 s on the other.
seed=${MGM_FUZZ_SEED:-1}
count=${MGM_FUZZ_COUNT:-10000}
workers=${MGM_FUZZ_WORKERS:-4}

# undone at exit (lib.sh)
t_links z62a z62b

if ! insmod "$MGM_KO"; then
	t_fail "fuzz: insmod $MGM_KO"
	exit 1
fi
ip link add z62a type dummy
ip link add z62b type dummy
ip link set z62a up

args=(--seed "$seed" --count "$count" --workers "$workers"
	--ifindexes "1,$(</sys/class/net/z62a/ifindex),$(</sys/class/net/z62b/ifindex)")
[ -n "${MGM_FUZZ_ONLY:-}" ] && args+=(--only "$MGM_FUZZ_ONLY")
if [ -n "${MGM_FUZZ_TRACE:-}" ]; then
	# every message into the kernel log, none dropped by its rate limit
	echo on >/proc/sys/kernel/printk_devkmsg
	args+=(--trace)
fi
relay "" "${PY[@]}" "$PYNL/mgm-fuzz.py" "${args[@]}" || true

# registrations held by dead workers (hold times of 2 s at most) go first
empty() { "${PY[@]}" "$PYNL/mgm-state.py" check --empty >/dev/null 2>&1; }
wait_for 6 empty
state_check "fuzz: nothing left once the workers are gone" --empty
t_check "fuzz: rmmod mgm" rmmod mgm
