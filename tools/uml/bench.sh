#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The MGM benchmark (make bench): builds (once, cached like the test
# kernels) a UML kernel without the lock and RCU checkers, builds mgm.ko
# and mgm_bench.ko for it, boots it and runs tools/bench/run.sh inside.
# The table goes to stdout and to build/last/bench.txt (build/last points
# to this run's directory, build/bench-<time>-<id>/, with the console log).
# Figures, not a test: nothing fails for being slow, but a step that fails
# fails the run.
#
# Environment:
#   MGM_CACHE          default /var/cache/mgm (see build-kernel.sh)
#   MGM_BENCH_KERNEL   "bench" (default) or "test": the test kernel of
#                      kunit/.kunitconfig, with lockdep (slower figures, no
#                      kernel to build)
#   MGM_BENCH_MEM      the UML kernel's memory, default 3G (a million MFEs
#                      take about half a gigabyte)
#   MGM_BENCH_TIMEOUT  seconds for the whole run inside UML, default 1800
#   MGM_BENCH_MFES, MGM_BENCH_MEMBERS, MGM_BENCH_FLOWS, MGM_BENCH_NETLINK,
#   MGM_BENCH_BURSTS, MGM_BENCH_ANCHOR, MGM_BENCH_SMALL, MGM_BENCH_TRIES
#                      the sizes, passed to tools/bench/run.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc=$cache/src/linux-source-6.12
kind=${MGM_BENCH_KERNEL:-bench}

if [[ $repo =~ [[:space:]] ]]; then
	echo "mgm: the repository path must not contain spaces (UML command line)" >&2
	exit 1
fi

mkdir -p "$repo/build"
run=$(mktemp -d "$repo/build/bench-$(date +%Y%m%d-%H%M%S)-XXXX")
ln -sfn "${run##*/}" "$repo/build/last"
echo "mgm: benchmark run, logs in $run"

# The benchmark kernel is the test kernel without what makes every lock
# and RCU read section slow; derived from kunit/.kunitconfig each time, so
# that it follows it, and cached by its contents like any other.
case $kind in
bench)
	frag=$run/bench.kunitconfig
	{
		echo "# make bench: kunit/.kunitconfig without the lock, RCU and sleep checkers"
		grep -v -E '^CONFIG_(PROVE_LOCKING|PROVE_RCU|DEBUG_ATOMIC_SLEEP)=' \
			"$repo/kunit/.kunitconfig"
		echo "# CONFIG_PROVE_LOCKING is not set"
		echo "# CONFIG_PROVE_RCU is not set"
		echo "# CONFIG_DEBUG_ATOMIC_SLEEP is not set"
	} >"$frag"
	;;
test) frag=$repo/kunit/.kunitconfig ;;
*) echo "mgm: MGM_BENCH_KERNEL must be bench or test" >&2; exit 2 ;;
esac
bdir=$("$repo/tools/uml/build-kernel.sh" "$frag")
echo "mgm: kernel $bdir"

# mgm.ko, mgm_bench.ko and mgm_owner.ko only (not the KUnit module), from a copy of the
# sources as check.sh builds them, so that the repository gets no build
# output.
src=$run/src
mkdir -p "$src"
tar -C "$repo" --exclude=./.git --exclude=./build \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude=modules.order \
	--exclude=Module.symvers -cf - . | tar -C "$src" -xf -
if ! make -C "$ksrc" O="$bdir" ARCH=um M="$src" -j"$(nproc)" mgm.ko mgm_bench.ko mgm_owner.ko \
	>"$run/build.log" 2>&1; then
	grep -E 'error|Error' "$run/build.log" | head -n 20 >&2 || tail -n 20 "$run/build.log" >&2
	echo "mgm: the modules did not build (log: $run/build.log)" >&2
	exit 1
fi
gcc -static -O2 -Wall -Wextra -Werror -o "$run/init" "$repo/tools/uml/init.c"
# the client that adds memberships over netlink from userspace, mgmctl,
# and the mroute daemon the bursts compare MGM with
make -s -C "$repo" TOOLS_OUT="$run/tools" "$run/tools/mgm-client" \
	"$run/tools/mgmctl/mgmctl" "$run/tools/bench/mroute-anchor" \
	"$run/tools/bench/burst-send"

# the sizes as one word each for the kernel command line
mfes=${MGM_BENCH_MFES:-}
members=${MGM_BENCH_MEMBERS:-}
flows=${MGM_BENCH_FLOWS:-}
netlink=${MGM_BENCH_NETLINK:-}
bursts=${MGM_BENCH_BURSTS:-}
anchor=${MGM_BENCH_ANCHOR:-}
mfes=${mfes// /,} members=${members// /,} flows=${flows// /,}
netlink=${netlink// /,} bursts=${bursts// /,} anchor=${anchor// /,}

mkdir -p "$run/guest" "$run/umldir"
echo "mgm: booting UML (mem=${MGM_BENCH_MEM:-3G}); console log $run/uml.log"
set +e
{ timeout -s KILL "${MGM_BENCH_TIMEOUT:-1800}" "$bdir/linux" \
	mem="${MGM_BENCH_MEM:-3G}" console=tty \
	root=/dev/root rootfstype=hostfs rootflags=/ ro \
	uml_dir="$run/umldir" init="$run/init" \
	MGM_RW="$run/guest" MGM_SCRIPT="$repo/tools/bench/run.sh" \
	MGM_REPO="$repo" MGM_KO="$src/mgm.ko" \
	MGM_BENCH_MFES="$mfes" MGM_BENCH_MEMBERS="$members" \
	MGM_BENCH_FLOWS="$flows" MGM_BENCH_NETLINK="$netlink" \
	MGM_BENCH_BURSTS="$bursts" MGM_BENCH_ANCHOR="$anchor" \
	MGM_TOOLS="$run/tools" \
	MGM_BENCH_SMALL="${MGM_BENCH_SMALL:-}" MGM_BENCH_TRIES="${MGM_BENCH_TRIES:-}" \
	MGM_BENCH_HOSTLOAD="$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)" \
	</dev/null 2>&1 | tr -d '\r' | tee "$run/uml.log" |
	grep --line-buffered '^mgm-bench:'; } 2>/dev/null
rc=${PIPESTATUS[0]}
set -e

if [ "$rc" -ne 0 ] || ! grep -q '^mgm-init: script exit status 0, power off$' "$run/uml.log"; then
	echo "mgm: the benchmark failed (UML exit $rc); the end of $run/uml.log:" >&2
	tail -n 30 "$run/uml.log" >&2
	exit 1
fi
cp "$run/guest/bench.txt" "$run/bench.txt"
cat "$run/bench.txt"
echo "mgm: figures in $run/bench.txt (build/last/bench.txt)"

# the plots, from the data run.sh left (tools/bench/plot.gp)
if [ -d "$run/guest/plots" ] && [ -e "$run/guest/plots/cost.dat" ]; then
	cp -r "$run/guest/plots" "$run/plots"
	if command -v gnuplot >/dev/null; then
		for term in svg png; do
			gnuplot -e "dir='$run/plots'; term='$term'" \
				"$repo/tools/bench/plot.gp"
		done
		echo "mgm: plots in $run/plots (build/last/plots): cost, memory, delay (.svg, .png)"
	else
		echo "mgm: no plots: gnuplot is not installed (apt install gnuplot-nox); their data is in $run/plots"
	fi
fi
