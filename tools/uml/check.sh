#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mgm test harness.
#
#   tools/uml/check.sh check   everything: KUnit and integration tests in UML,
#                              compile checks, sparse, checkpatch (make check)
#   tools/uml/check.sh kunit   the KUnit suites in UML only (make kunit)
#
# Each run works in its own directory build/<mode>-<time>-<id>/ (build/last
# points to the newest): copies of the sources built per kernel, logs, and
# the directory the UML guest writes its results to.  The UML guest sees the
# machine's root read-only; it changes nothing outside that directory.
#
# Environment: MGM_CACHE (default /var/cache/mgm, see build-kernel.sh),
# MGM_UML_TIMEOUT (seconds, default 600), MGM_TEST_TIMEOUT (per integration
# test, default 120).
set -euo pipefail

mode=${1:-check}
case $mode in
check | kunit) ;;
*) echo "usage: $0 [check|kunit]" >&2; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc=$cache/src/linux-source-6.12
uml_timeout=${MGM_UML_TIMEOUT:-600}

if [[ $repo =~ [[:space:]] ]]; then
	echo "mgm: the repository path must not contain spaces (UML command line)" >&2
	exit 1
fi

# A directory per run; runs older than two days are removed.
mkdir -p "$repo/build"
find "$repo/build" -mindepth 1 -maxdepth 1 -type d -mtime +1 -exec rm -rf {} +
run=$(mktemp -d "$repo/build/$mode-$(date +%Y%m%d-%H%M%S)-XXXX")
ln -sfn "${run##*/}" "$repo/build/last"

passed=0
failed=0
failures=()

phase() { printf '\n== %s\n' "$*"; }
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); failures+=("$*"); echo "not ok - $*"; }
indent() { sed 's/^/#     /'; }

# tally: reads "ok - NAME" / "not ok - NAME" lines (the results format of
# the integration tests) and counts them; other lines pass through.
tally() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "${line#ok - }" ;;
		"not ok - "*) fail "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done
}

# excerpt LOG [DIR]: the error and warning lines of a build log, with the
# per-run source copy DIR shown as the repository path.
excerpt() {
	{ grep -E 'error|warning|Error|undefined' "$1" || tail -n 15 "$1"; } |
		head -n 40 | sed -e "s|${2:-$run}/||g" | indent
}

# copy_src DIR: the repository's sources, without git data and build
# output, so that every kernel gets its own Kbuild output directory.
copy_src() {
	mkdir -p "$1"
	tar -C "$repo" --exclude=./.git --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=modules.order \
		--exclude=Module.symvers -cf - . | tar -C "$1" -xf -
}

# build_module NAME KDIR [MAKE-ARGS...]: builds the module in
# $run/src-NAME against the kernel build tree KDIR, log in
# $run/build-NAME.log.  Shows the compiler's warnings; on failure also its
# errors, and returns 1.
build_module() {
	local dir=$run/src-$1 log=$run/build-$1.log kdir=$2
	shift 2
	copy_src "$dir"
	echo "# make -C $kdir M=$dir $* modules"
	if ! make -C "$kdir" M="$dir" "$@" -j"$(nproc)" modules >"$log" 2>&1; then
		excerpt "$log" "$dir"
		echo "#   log: $log"
		return 1
	fi
	if grep -q 'warning:' "$log"; then
		excerpt "$log" "$dir"
	fi
}

# sparse_check NAME KDIR [MAKE-ARGS...]: a C=2 build as build_module NAME
# does; passes when sparse (or gcc) said nothing about our files.
sparse_check() {
	local name=$1 dir=$run/src-$1 log=$run/build-$1.log

	if [ -z "$2" ]; then
		fail "$name: no kernel tree to check against"
	elif ! build_module "$@" C=2; then
		fail "$name: the build failed"
	elif grep -q "^$dir/" "$log"; then
		fail "$name: warnings in our files"
		grep "^$dir/" "$log" | sed "s|$dir/||" | indent
	else
		pass "$name: clean"
	fi
}

# Debian's newest installed amd64 headers of one kernel series.
headers() {
	find /usr/src -maxdepth 1 -name "linux-headers-$1.*-amd64" | sort -V | tail -n 1
}

echo "mgm: $mode run, logs in $run"

phase "UML kernel (tools/uml/build-kernel.sh, cached in $cache/uml)"
bdir=""
if bdir=$("$repo/tools/uml/build-kernel.sh"); then
	pass "build: UML kernel $bdir"
else
	fail "build: UML kernel"
fi

if [ "$mode" = check ]; then
	phase "userspace tools (make tools)"
	if [ -z "$(find "$repo/tools" -maxdepth 1 -name '*.c')" ]; then
		echo "# no tools/*.c yet, nothing to build"
	elif make -s -C "$repo" tools TOOLS_OUT="$run/tools" >"$run/build-tools.log" 2>&1; then
		pass "build: tools"
	else
		fail "build: tools (log: $run/build-tools.log)"
		excerpt "$run/build-tools.log" "$repo"
	fi
fi

if [ -n "$bdir" ]; then
	phase "mgm.ko and mgm_test.ko for UML"
	if build_module uml "$ksrc" O="$bdir" ARCH=um; then
		pass "build: mgm.ko and mgm_test.ko for UML"
	else
		fail "build: mgm.ko and mgm_test.ko for UML"
	fi

	phase "boot UML (console log: $run/uml.log)"
	log=$run/uml.log
	mkdir -p "$run/uml" "$run/umldir"
	: >"$run/uml/results.txt"
	if gcc -static -O2 -Wall -Wextra -Werror -o "$run/init" "$repo/tools/uml/init.c"; then
		# The braces keep bash's "Killed" notice about a timed-out run quiet.
		set +e
		{ timeout -s KILL "$uml_timeout" "$bdir/linux" mem=1G console=tty \
			root=/dev/root rootfstype=hostfs rootflags=/ ro \
			uml_dir="$run/umldir" init="$run/init" \
			MGM_RW="$run/uml" MGM_SCRIPT="$repo/tools/uml/inside.sh" \
			MGM_MODE="$mode" MGM_REPO="$repo" MGM_KO="$run/src-uml/mgm.ko" \
			MGM_TOOLS="$run/tools" MGM_KSRC="$ksrc" \
			MGM_TEST_TIMEOUT="${MGM_TEST_TIMEOUT:-120}" \
			</dev/null 2>&1 | tr -d '\r' | tee "$log" |
			grep --line-buffered '^mgm-'; } 2>/dev/null
		uml_rc=${PIPESTATUS[0]}
		set -e
		if [ "$uml_rc" -eq 137 ]; then
			fail "uml: no power-off within ${uml_timeout}s, killed"
			tail -n 20 "$log" | indent
		elif [ "$uml_rc" -ne 0 ] || ! grep -q '^mgm-init: .* power off$' "$log"; then
			fail "uml: did not reach power-off (exit $uml_rc)"
			tail -n 20 "$log" | indent
		else
			pass "uml: boot and power-off"
		fi
	else
		fail "build: tools/uml/init.c"
		: >"$log"
	fi

	phase "KUnit results (kunit.py parse $run/kunit.log)"
	sed -n '/^mgm-harness: kunit start$/,/^mgm-harness: kunit end$/p' "$log" >"$run/kunit.log"
	if ! grep -q 'KTAP version' "$run/kunit.log"; then
		fail "kunit: no KTAP output"
	else
		parse_rc=0
		python3 "$ksrc/tools/testing/kunit/kunit.py" parse \
			--json="$run/kunit.json" "$run/kunit.log" || parse_rc=$?
		python3 "$repo/tools/uml/kunit-cases.py" "$run/kunit.json" \
			>"$run/kunit-cases.txt" || true
		kunit_failed=$failed
		while read -r status name; do
			case $status in
			PASS) passed=$((passed + 1)) ;;
			SKIP) echo "# kunit: $name skipped" ;;
			*) fail "kunit: $name ($status)" ;;
			esac
		done <"$run/kunit-cases.txt"
		if [ ! -s "$run/kunit-cases.txt" ]; then
			fail "kunit: no test cases in the KTAP output"
		elif [ "$parse_rc" -ne 0 ] && [ "$failed" -eq "$kunit_failed" ]; then
			fail "kunit: kunit.py parse found the output malformed (see above)"
		fi
		echo "# kunit: $(grep -c '^PASS' "$run/kunit-cases.txt") passed," \
			"$((failed - kunit_failed)) failed"
	fi

	phase "steps and integration tests inside UML ($run/uml/results.txt)"
	tally <"$run/uml/results.txt"

	phase "kernel log check (tools/uml/logcheck.sh $log)"
	tally < <("$repo/tools/uml/logcheck.sh" "$log" || true)
fi

if [ "$mode" = check ]; then
	phase "compile checks against Debian's kernel headers"
	for series in 6.1 6.12; do
		kdir=$(headers "$series")
		if [ -z "$kdir" ]; then
			fail "build: $series headers (no /usr/src/linux-headers-$series.*-amd64)"
		elif build_module "$series" "$kdir" W=1 KCFLAGS=-Werror; then
			pass "build: mgm.ko for ${kdir##*/} (W=1 -Werror)"
		else
			fail "build: mgm.ko for ${kdir##*/} (W=1 -Werror)"
		fi
	done

	phase "sparse (C=2): UML with the KUnit module, and 6.12 amd64"
	sparse_check sparse-uml "${bdir:+$ksrc}" O="$bdir" ARCH=um
	sparse_check sparse-6.12 "$(headers 6.12)"

	phase "checkpatch --strict on every .c and .h file"
	while IFS= read -r f; do
		if out=$(cd "$repo" && perl "$ksrc/scripts/checkpatch.pl" \
			--no-tree --strict --terse -f "$f" 2>&1); then
			pass "checkpatch: $f"
		else
			fail "checkpatch: $f"
			indent <<<"$out"
		fi
	done < <(cd "$repo" && find . \( -path ./.git -o -path ./build \) -prune -o \
		-type f -name '*.[ch]' -printf '%P\n' | sort)
fi

phase "summary (logs: $run)"
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed" | tee "$run/summary.txt"
[ "$failed" -eq 0 ]
