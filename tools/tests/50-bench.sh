#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench at a small size (tools/bench/run.sh with mgm_bench.ko): the
# benchmark module and its driver keep building and working, every step
# succeeds and every figure is there; on the sanitizer kernel, the engine
# with a few thousand MFEs and memberships trips no check and leaks
# nothing.  The figures are printed, never judged: speed is not tested.
# Runs inside UML as root (tools/uml/inside.sh); never on a real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# mgm_bench.ko uses what mgm.ko exports for its KUnit tests only: a kernel
# without KUnit (Debian's, under qemu) has no benchmark module; on UML a
# missing one fails below
if [[ ${MGM_KERNEL:-} == qemu-* ]]; then
	t_skip "bench: no mgm_bench.ko for Debian's $MGM_KERNEL (it needs KUnit)"
	exit 0
fi

bdir=$(mktemp -d)
# shellcheck disable=SC2016 # expanded at exit
t_defer 'rm -rf "$bdir"'
out=$bdir/bench.txt

# the netlink and the mroute daemon's sizes are the MFEs': the ratios to
# today's way are taken at the same size
t_check "bench: every step at 1000 MFEs, 1000 memberships, 200 flows, 1000 over netlink, bursts of 100, the daemon's 1000" \
	env MGM_BENCH_MFES=1000 MGM_BENCH_MEMBERS=1000 MGM_BENCH_FLOWS=200 \
	MGM_BENCH_NETLINK=1000 MGM_BENCH_BURSTS=100 MGM_BENCH_ANCHOR=1000 \
	MGM_BENCH_SMALL=100 MGM_BENCH_TRIES=1 \
	"$MGM_REPO/tools/bench/run.sh" "$out"
# complete: the six tables, and no "-" where a step printed no figure
complete() {
	grep -q '^MFEs in the table' "$1" && grep -q '^Memberships (' "$1" &&
		grep -q '^New-source flows' "$1" &&
		grep -q '^Memberships over generic netlink' "$1" &&
		grep -q "^Today's way, same boot" "$1" &&
		grep -q '^New flows in one burst, one source' "$1" &&
		grep -q '^New flows in one burst, N sources' "$1" &&
		! grep -Eq -- ' -( |$)' "$1"
}
t_check "bench: a figure in every row" complete "$out"

# the plots' data, and the plots where the machine has gnuplot (the
# guest sees its root)
plots() {
	local f o

	for f in cost memory; do
		[ "$(wc -l <"$bdir/plots/$f.dat")" -ge 1 ] || return 1
		! grep -q NaN "$bdir/plots/$f.dat" || return 1
	done
	for o in anchor asked standing kernel; do
		[ "$(wc -l <"$bdir/plots/delay-groups-$o.dat")" -ge 50 ] || return 1
	done
	command -v gnuplot >/dev/null || return 0
	gnuplot -e "dir='$bdir/plots'; term='svg'" "$MGM_REPO/tools/bench/plot.gp" &&
		grep -q '<svg' "$bdir/plots/cost.svg" &&
		grep -q '<svg' "$bdir/plots/memory.svg" &&
		grep -q '<svg' "$bdir/plots/delay.svg"
}
t_check "bench: the plots' data (and the plots, with gnuplot)" plots
