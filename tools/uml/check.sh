#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mgm test harness.
#
#   tools/uml/check.sh check   everything: KUnit and integration tests in UML,
#                              compile checks, sparse, checkpatch (make check)
#   tools/uml/check.sh kunit   the KUnit suites in UML only (make kunit)
#
# They run on test kernels (see "kernels" below): two 6.12 UML kernels,
# the test kernel with lockdep and the sanitizer kernel with KASAN and
# kmemleak too, and Debian's own 6.1 and 6.12 amd64 kernels booted by
# qemu with two CPUs (check only: Debian's kernels have no KUnit).  As
# many kernels run at a time as there are CPUs.
#
# Each run works in its own directory build/<mode>-<time>-<id>/ (build/last
# points to the newest): copies of the sources built per kernel, logs, and
# the directories the guests write their results to.  A guest sees the
# machine's root read-only; it changes nothing outside its directory.
#
# Environment:
#   MGM_CACHE         default /var/cache/mgm (see build-kernel.sh)
#   MGM_UML_TIMEOUT   seconds per UML boot, default 3600: the sanitizer
#                     kernel runs the whole suite in about 28 minutes on
#                     2 cores (each test's "# time:" line in the summary);
#                     MGM_TEST_TIMEOUT catches a hung test, this only a
#                     hung boot, so it leaves room for a slower machine
#   MGM_TEST_TIMEOUT  seconds per integration test, default 300: under
#                     KASAN the longest take a few times their 20-40 s
#   MGM_KERNELS       the kernels to run on, default three: "uml-san
#                     qemu-6.1 qemu-6.12"; "uml" is the fourth
#   MGM_QEMU612_TESTS the integration tests qemu-6.12 runs (default a
#                     subset, below; "" all of them)
#   MGM_QEMU_SILENCE  seconds a qemu guest's console may stay silent
#                     before it is killed (default MGM_TEST_TIMEOUT + 60,
#                     tools/qemu/boot.sh)
#   MGM_TESTS         only the integration tests whose names start with one
#                     of these words, e.g. MGM_TESTS="10 62" (a quick run,
#                     not for CI)
#   MGM_FUZZ_*        passed to the guest, for tools/tests/62-fuzz.sh
#                     (README, "What is tested")
#   MGM_STRESS_*      passed to the guest, for tools/tests/63-stress.sh
#   MGM_PKG_BUILD     for tools/tests/70-package.sh: "machine" (default)
#                     brings DKMS's build for the guest's kernel from this
#                     machine, "guest" lets the package's postinst build
#                     it inside the guest (minutes under emulation)
#   MGM_FAULT_*       passed to the guest, for tools/tests/67-faults.sh
set -euo pipefail

mode=${1:-check}
case $mode in
check | kunit) ;;
*) echo "usage: $0 [check|kunit]" >&2; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
# The 6.12 source: kunit.py's parser, checkpatch, the YNL client inside
# UML; each kernel's own source builds its modules (ksrcs below).
ksrc=$cache/src/linux-source-6.12
uml_timeout=${MGM_UML_TIMEOUT:-3600}

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

# install_check KDIR: make install from a copy of the tree into a staging
# root, which must then hold what the Makefile says it installs.
install_check() {
	local dir=$run/src-install root=$run/install f

	[ -n "$1" ] || return 1
	copy_src "$dir"
	make -C "$dir" KDIR="$1" DESTDIR="$root" TOOLS_OUT="$run/install-tools" \
		install >"$run/install.log" 2>&1 || return 1
	for f in "lib/modules/${1##*/linux-headers-}/updates/mgm.ko*" \
		usr/local/sbin/mgmctl usr/local/sbin/mgm-staticd \
		usr/local/share/man/man8/mgmctl.8 \
		usr/local/share/man/man8/mgm-staticd.8 \
		usr/local/share/bash-completion/completions/mgmctl \
		usr/local/share/doc/mgm/examples/mgm-staticd.conf \
		usr/local/lib/libmgm.so.0 usr/local/lib/libmgm.a \
		usr/local/lib/pkgconfig/libmgm.pc \
		usr/local/include/libmgm/libmgm.h \
		usr/local/include/libmgm/linux/mgm.h \
		usr/local/share/man/man3/libmgm.3; do
		if ! compgen -G "$root/$f" >/dev/null; then
			echo "#   not installed: /$f"
			return 1
		fi
	done
	grep -q '^ExecStart=/usr/local/sbin/mgm-staticd ' \
		"$root/usr/local/lib/systemd/system/mgm-staticd.service"
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

# The UML kernels the suite runs on, each built from its config fragments
# and cached by tools/uml/build-kernel.sh.  Everything about a kernel lives
# under its name: $run/NAME.log (console), $run/NAME/ (what its guest
# writes), $run/src-NAME/ (the module built for it).  Results of the uml
# kernel keep their plain names; those of the others are prefixed "NAME: ".
#   uml      6.12: lockdep, PROVE_RCU, atomic-sleep checks (kunit/.kunitconfig)
#   uml-san  6.12: the same plus KASAN, kmemleak, list and object debugging
#            and slab fault injection (tools/uml/sanitize.kunitconfig)
#   qemu-6.1, qemu-6.12  Debian's own amd64 kernels (tools/qemu/kernel.sh),
#            booted by qemu with two CPUs (tools/qemu/boot.sh); mgm.ko built
#            against their Debian headers; no KUnit (Debian builds none),
#            the integration tests only
#
# (Debian 12's 6.1 was a UML kernel too, uml-6.1, until qemu-6.1 took its
# place: 6.1's UML could hang for good freeing a module's init memory.)
all_kernels=(uml uml-san qemu-6.1 qemu-6.12)
# uml is not among them: uml-san checks all it checks and more, and
# building it from a cold cache (11 minutes) and running every test on
# it (13) brought a cold make check past its hour (2026-12-07).
default_kernels=(uml-san qemu-6.1 qemu-6.12)
read -r -a kernels <<<"${MGM_KERNELS:-${default_kernels[*]}}"
for k in "${kernels[@]}"; do
	if [[ " ${all_kernels[*]} " != *" $k "* ]]; then
		echo "mgm: MGM_KERNELS: no kernel $k (${all_kernels[*]})" >&2
		exit 2
	fi
done
# make kunit: Debian's kernels have no KUnit to run
if [ "$mode" = kunit ]; then
	read -r -a kernels <<<"$(printf '%s\n' "${kernels[@]}" | grep -v '^qemu-' | tr '\n' ' ')"
	if [ ${#kernels[@]} -eq 0 ]; then
		echo "mgm: make kunit: no UML kernel in MGM_KERNELS (Debian's have no KUnit)" >&2
		exit 2
	fi
fi
declare -A series=([uml]=6.12 [uml-san]=6.12 [qemu-6.1]=6.1 [qemu-6.12]=6.12)
declare -A frags=(
	[uml]="$repo/kunit/.kunitconfig"
	[uml-san]="$repo/kunit/.kunitconfig $repo/tools/uml/sanitize.kunitconfig"
)
declare -A ksrcs=()
for k in "${all_kernels[@]}"; do
	ksrcs[$k]=$cache/src/linux-source-${series[$k]}
done
# Longest runs first, the shortest in the CPU that frees first: qemu-6.1
# (its two emulated CPUs share the machine with the other guest running)
# and the sanitizer kernel take longest, qemu-6.12 runs a subset (below).
boot_order=(qemu-6.1 uml-san uml qemu-6.12)
declare -A bdirs=()
# MGM_TESTS as one word for the kernel command line, where spaces part
# arguments.  qemu-6.12 runs by default only the tests that most depend
# on the kernel's version (generic netlink, ipmr and routes, IGMP, the
# demo, unloading, the SMP stress), to keep make check within its
# budget; MGM_QEMU612_TESTS="" runs all of them there too.  (11, the
# kernel's own YNL client, runs on the UML kernels, which are 6.12 too.)
tests=${MGM_TESTS:-}
tests=${tests// /,}
qemu612_tests=${MGM_QEMU612_TESTS-10 16 20 21 40 61 63}
# kernel_tests KERNEL: the tests KERNEL runs, as the guest takes them
kernel_tests() {
	local t=$tests

	if [ -z "$t" ] && [ "$1" = qemu-6.12 ]; then
		t=${qemu612_tests// /,}
	fi
	echo "$t"
}

# label KERNEL: the prefix of that kernel's result names.
label() {
	if [ "$1" != uml ]; then echo "$1: "; fi
}

# Variables MGM_FUZZ_* (tools/tests/62-fuzz.sh), MGM_STRESS_*
# (63-stress.sh), MGM_FAULT_* (67-faults.sh) and MGM_PKG_* (70-package.sh)
# go to the guest as they are, as one word each.
guest_env=()
for v in $(compgen -v MGM_FUZZ_ || true) $(compgen -v MGM_STRESS_ || true) \
	 $(compgen -v MGM_FAULT_ || true) $(compgen -v MGM_PKG_ || true); do
	guest_env+=("$v=${!v// /,}")
done

# boot_uml KERNEL: boots the kernel's UML with init.c running inside.sh
# and the suite of $mode; console log in $run/KERNEL.log, the guest's
# results in $run/KERNEL/results.txt.  Prints the guest's progress lines
# (mgm-*) as they come, prefixed with the kernel's name, and writes the
# result of the boot itself to $run/KERNEL.boot.  Each runs in the
# background, as many at a time as there are CPUs (UML uses one).
boot_uml() {
	local k=$1 log=$run/$1.log rc lbl

	lbl=$(label "$k")
	mkdir -p "$run/$k" "$run/$k.umldir"
	: >"$run/$k/results.txt"
	# The braces keep bash's "Killed" notice about a timed-out run quiet.
	set +e
	{ timeout -s KILL "$uml_timeout" "${bdirs[$k]}/linux" mem=1G console=tty \
		root=/dev/root rootfstype=hostfs rootflags=/ ro \
		uml_dir="$run/$k.umldir" init="$run/init" \
		MGM_RW="$run/$k" MGM_SCRIPT="$repo/tools/uml/inside.sh" \
		MGM_MODE="$mode" MGM_KERNEL="$k" MGM_REPO="$repo" \
		MGM_KO="$run/src-$k/mgm.ko" MGM_TOOLS="$run/tools" \
		MGM_KSRC="$ksrc" MGM_TESTS="$tests" \
		MGM_TEST_TIMEOUT="${MGM_TEST_TIMEOUT:-300}" "${guest_env[@]}" \
		</dev/null 2>&1 | tr -d '\r' | tee "$log" |
		grep --line-buffered '^mgm-' | sed -u "s/^/[$k] /"; } 2>/dev/null
	rc=${PIPESTATUS[0]}
	set -e
	{
		if [ "$rc" -eq 137 ]; then
			echo "not ok - ${lbl}uml: no power-off within ${uml_timeout}s, killed"
			tail -n 20 "$log" | indent
		elif [ "$rc" -ne 0 ] || ! grep -q '^mgm-init: .* power off$' "$log"; then
			echo "not ok - ${lbl}uml: did not reach power-off (exit $rc)"
			tail -n 20 "$log" | indent
		else
			echo "ok - ${lbl}uml: boot and power-off"
		fi
	} >"$run/$k.boot"
}

# boot_qemu KERNEL: as boot_uml, for a Debian kernel under qemu
# (tools/qemu/boot.sh, with a watchdog on the console).
boot_qemu() {
	local k=$1 log=$run/$1.log rc lbl kdir abi

	lbl=$(label "$k")
	read -r kdir abi <<<"${bdirs[$k]}"
	mkdir -p "$run/$k"
	: >"$run/$k/results.txt"
	set +e
	# a test that hangs is the test timeout's to report, not the watchdog's
	"$repo/tools/qemu/boot.sh" "$kdir" "$abi" "$run/$k.initramfs.img" \
		"$log" "$uml_timeout" \
		"${MGM_QEMU_SILENCE:-$((${MGM_TEST_TIMEOUT:-300} + 60))}" \
		"$run/$k" "$repo" \
		MGM_INIT="$run/init" MGM_FS=9p \
		MGM_RW="$run/$k" MGM_SCRIPT="$repo/tools/uml/inside.sh" \
		MGM_MODE="$mode" MGM_KERNEL="$k" MGM_REPO="$repo" \
		MGM_KO="$run/src-$k/mgm.ko" MGM_TOOLS="$run/tools" \
		MGM_KSRC="$ksrc" MGM_TESTS="$(kernel_tests "$k")" MGM_PKG="$run/pkg" \
		MGM_TEST_TIMEOUT="${MGM_TEST_TIMEOUT:-300}" "${guest_env[@]}" |
		grep --line-buffered '^mgm-' | sed -u "s/^/[$k] /"
	rc=${PIPESTATUS[0]}
	set -e
	{
		# init.c powers off after inside.sh said done, with results
		if [ "$rc" -eq 0 ] && grep -q '^mgm-harness: done$' "$log" &&
			grep -q '^mgm-init: .* power off$' "$log" &&
			grep -q '^ok - ' "$run/$k/results.txt"; then
			echo "ok - ${lbl}qemu: boot, the suite, power-off"
		else
			echo "not ok - ${lbl}qemu: boot, the suite, power-off ($(cat "$run/$k.why" 2>/dev/null)exit $rc)"
			tail -n 20 "$log" | indent
		fi
	} >"$run/$k.boot"
}

# kunit_results KERNEL: the KUnit cases found in the kernel's console log.
kunit_results() {
	local k=$1 sfx=${1#uml} lbl kunit_failed parse_rc=0 status name

	lbl=$(label "$k")
	sed -n '/^mgm-harness: kunit start$/,/^mgm-harness: kunit end$/p' \
		"$run/$k.log" >"$run/kunit$sfx.log"
	if ! grep -q 'KTAP version' "$run/kunit$sfx.log"; then
		fail "${lbl}kunit: no KTAP output"
		return
	fi
	# KUnit in 6.1 prints the top-level KTAP header at boot only, not for
	# the suites of a module: without one put back, the parser takes the
	# suites' result lines for lines of their last case.
	if ! grep -q '^KTAP version' "$run/kunit$sfx.log"; then
		sed -i "1a KTAP version 1\\n1..$(grep -c '^    # Subtest:' "$run/kunit$sfx.log")" \
			"$run/kunit$sfx.log"
	fi
	python3 "$ksrc/tools/testing/kunit/kunit.py" parse \
		--json="$run/kunit$sfx.json" "$run/kunit$sfx.log" || parse_rc=$?
	python3 "$repo/tools/uml/kunit-cases.py" "$run/kunit$sfx.json" \
		"$repo"/kunit/*_test.c >"$run/kunit-cases$sfx.txt" || true
	kunit_failed=$failed
	while read -r status name; do
		case $status in
		PASS) passed=$((passed + 1)) ;;
		SKIP) echo "# ${lbl}kunit: $name skipped" ;;
		*) fail "${lbl}kunit: $name ($status)" ;;
		esac
	done <"$run/kunit-cases$sfx.txt"
	if [ ! -s "$run/kunit-cases$sfx.txt" ]; then
		fail "${lbl}kunit: no test cases in the KTAP output"
	elif [ "$parse_rc" -ne 0 ] && [ "$failed" -eq "$kunit_failed" ]; then
		fail "${lbl}kunit: kunit.py parse found the output malformed (see above)"
	fi
	echo "# ${lbl}kunit: $(grep -c '^PASS' "$run/kunit-cases$sfx.txt") passed," \
		"$((failed - kunit_failed)) failed"
}

# prefixed LABEL: tally's input format, with LABEL put before each name.
prefixed() {
	sed -e "s/^ok - /ok - $1/" -e "s/^not ok - /not ok - $1/"
}

# static_checks: the compile checks against Debian's headers, sparse and
# checkpatch; result lines in tally's format.
static_checks() {
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

	phase "make install into a staging root (DESTDIR), against the 6.12 headers"
	if install_check "$(headers 6.12)"; then
		pass "install: make install puts the module, tools, libmgm, man pages, completion and unit under DESTDIR"
	else
		fail "install: make install DESTDIR=... (log: $run/install.log)"
	fi

	phase "sparse (C=2): UML with the KUnit module, and 6.12 amd64"
	if [[ " ${kernels[*]} " == *" uml "* ]]; then
		sparse_check sparse-uml "${bdirs[uml]:+$ksrc}" O="${bdirs[uml]:-}" ARCH=um
	else
		echo "# sparse-uml: the uml kernel is not in this run (MGM_KERNELS)"
	fi
	sparse_check sparse-6.12 "$(headers 6.12)"

	phase "generated files: the uAPI header and mgm_genl.[ch] from tools/spec/mgm.yaml"
	if out=$(MGM_KSRC=$ksrc "$repo/tools/spec/regen.sh" --check 2>&1); then
		pass "regen: include/uapi/linux/mgm.h, mgm_genl.h and mgm_genl.c match the spec"
	else
		fail "regen: a generated file is out of date or the ops cannot be folded (make regen)"
	fi
	indent <<<"$out"

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
}

echo "mgm: $mode run, logs in $run"

phase "test kernels (UML: tools/uml/build-kernel.sh, cached in $cache/uml; qemu: tools/qemu/kernel.sh)"
for k in "${kernels[@]}"; do
	if [[ $k == qemu-* ]]; then
		# the initramfs is built every run: a few seconds, never stale
		if bdirs[$k]=$("$repo/tools/qemu/kernel.sh" "${series[$k]}") &&
			"$repo/tools/qemu/initramfs.sh" "${bdirs[$k]% *}" \
				"${bdirs[$k]#* }" "$run/$k.initramfs.img"; then
			pass "build: $k kernel ${bdirs[$k]% *}"
		else
			bdirs[$k]=""
			fail "build: $k kernel (Debian's image, tools/qemu/kernel.sh)"
		fi
		continue
	fi
	# shellcheck disable=SC2086 # the fragment list is split on purpose
	if bdirs[$k]=$("$repo/tools/uml/build-kernel.sh" \
		--series="${series[$k]}" ${frags[$k]}); then
		pass "build: $k kernel ${bdirs[$k]}"
	else
		bdirs[$k]=""
		fail "build: $k kernel"
	fi
done

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

# The Debian packages (make deb), checked here, then installed by
# tools/tests/70-package.sh in each qemu guest: DKMS builds the module for
# the Debian kernels of this run from the packaged source (some seconds).
pkg_abis=()
for k in "${kernels[@]}"; do
	if [[ $k == qemu-* ]] && [ -n "${bdirs[$k]}" ]; then
		pkg_abis+=("${bdirs[$k]#* }")
	fi
done
if [ "$mode" = check ] && [ ${#pkg_abis[@]} -gt 0 ]; then
	phase "Debian packages: make deb, lintian, DKMS for ${pkg_abis[*]} (tools/deb/check.sh)"
	tally < <("$repo/tools/deb/check.sh" "$run/pkg" "${pkg_abis[@]}")
fi

booted=()
for k in "${kernels[@]}"; do
	[ -n "${bdirs[$k]}" ] || continue
	if [[ $k == qemu-* ]]; then
		phase "mgm.ko for the $k kernel (Debian's headers)"
		if build_module "$k" "/usr/src/linux-headers-${bdirs[$k]#* }"; then
			pass "build: mgm.ko for $k"
		else
			fail "build: mgm.ko for $k"
		fi
		booted+=("$k")
		continue
	fi
	phase "mgm.ko and mgm_test.ko for the $k kernel"
	if build_module "$k" "${ksrcs[$k]}" O="${bdirs[$k]}" ARCH=um; then
		pass "build: mgm.ko and mgm_test.ko for $k"
	else
		fail "build: mgm.ko and mgm_test.ko for $k"
	fi
	booted+=("$k")
done

# The static checks need none of the kernels' results: they run meanwhile,
# at a lower priority than the UML kernels, and report after them.
static_pid=""
if [ "$mode" = check ]; then
	(renice -n 10 "$BASHPID" >/dev/null; static_checks) >"$run/static.out" 2>&1 &
	static_pid=$!
fi

if [ ${#booted[@]} -gt 0 ]; then
	phase "boot ${booted[*]}, $(nproc) at a time (console logs: $run/<kernel>.log)"
	if gcc -static -O2 -Wall -Wextra -Werror -o "$run/init" "$repo/tools/uml/init.c"; then
		pids=()
		qemu_pid=""
		for k in "${boot_order[@]}"; do
			[[ " ${booted[*]} " == *" $k "* ]] || continue
			# One qemu guest at a time: each emulates two CPUs, and
			# two of them starve each other (their timing-bound
			# tests fail) and take longer than one after the other.
			if [[ $k == qemu-* ]] && [ -n "$qemu_pid" ]; then
				wait "$qemu_pid" || true
				for i in "${!pids[@]}"; do
					if [ "${pids[i]}" = "$qemu_pid" ]; then unset 'pids[i]'; fi
				done
			fi
			if [ ${#pids[@]} -ge "$(nproc)" ]; then
				wait -n -p done_pid "${pids[@]}" || true
				for i in "${!pids[@]}"; do
					if [ "${pids[i]}" = "$done_pid" ]; then unset 'pids[i]'; fi
				done
			fi
			if [[ $k == qemu-* ]]; then
				boot_qemu "$k" &
				qemu_pid=$!
			else
				boot_uml "$k" &
			fi
			pids+=($!)
		done
		wait "${pids[@]}"
	else
		fail "build: tools/uml/init.c"
		booted=()
	fi
fi

for k in "${booted[@]}"; do
	lbl=$(label "$k")
	phase "$k kernel: boot"
	tally <"$run/$k.boot"

	if [[ $k != qemu-* ]]; then
		phase "$k kernel: KUnit results (kunit.py parse $run/kunit${k#uml}.log)"
		kunit_results "$k"
	fi

	phase "$k kernel: steps and integration tests inside UML ($run/$k/results.txt)"
	tally < <(prefixed "$lbl" <"$run/$k/results.txt")

	phase "$k kernel: log check (tools/uml/logcheck.sh $run/$k.log)"
	tally < <("$repo/tools/uml/logcheck.sh" "$run/$k.log" "$k" | prefixed "$lbl" || true)
done

if [ -n "$static_pid" ]; then
	wait "$static_pid" || true
	tally <"$run/static.out"
fi

phase "summary (logs: $run)"
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed" | tee "$run/summary.txt"
[ "$failed" -eq 0 ]
