#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boots the UML test kernel (tools/uml/build-kernel.sh, cached)
# as a virtual router and runs tools/demo/inside.sh there: mgm loaded, two
# mgm-staticd and an IGMP component, real multicast, mgmctl at each step,
# one routing protocol shut down.  The module is never loaded into this
# machine's kernel, only into UML.
#
# Works in build/demo/ (incremental builds of mgm.ko and the tools, the
# UML console log uml.log).  Environment: MGM_CACHE (default
# /var/cache/mgm), MGM_UML_TIMEOUT (seconds, default 120).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc=$cache/src/linux-source-6.12
frag=$repo/kunit/.kunitconfig
work=$repo/build/demo
start=$SECONDS

if [[ $repo =~ [[:space:]] ]]; then
	echo "mgm demo: the repository path must not contain spaces (UML command line)" >&2
	exit 1
fi
info() { printf 'mgm demo: %s\n' "$*"; }

# The kernel, keyed as build-kernel.sh keys it: version and fragment hash.
bdir=""
if [ -f "$ksrc/Makefile" ]; then
	kver=$(make -s -C "$ksrc" kernelversion)
	bdir=$cache/uml/$kver-$(sha256sum <"$frag" | cut -c1-12)
fi
if [ -z "$bdir" ] || [ ! -x "$bdir/linux" ] || [ ! -f "$bdir/Module.symvers" ]; then
	info "no cached UML kernel yet: building it first, which takes 10-15 minutes"
	info "on 2 cores, once (then cached in $cache/uml; later runs take under a minute)"
else
	info "UML kernel cached in $bdir"
fi
bdir=$("$repo/tools/uml/build-kernel.sh" "$frag")

# mgm.ko for it, the tools and PID 1, built incrementally in build/demo
# (a copy of the sources whose times tar keeps, so make rebuilds only what
# changed).
info "building mgm.ko for UML and the tools in $work"
mkdir -p "$work/src" "$work/rw" "$work/umldir"
tar -C "$repo" --exclude=./.git --exclude=./build \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude=modules.order \
	--exclude=Module.symvers -cf - . | tar -C "$work/src" -xf -
if ! make -C "$ksrc" M="$work/src" O="$bdir" ARCH=um -j"$(nproc)" modules \
	>"$work/build.log" 2>&1; then
	tail -n 20 "$work/build.log" >&2
	info "building mgm.ko failed (log: $work/build.log)" >&2
	exit 1
fi
if ! make -s -C "$repo" tools TOOLS_OUT="$work/tools" >"$work/tools.log" 2>&1; then
	cat "$work/tools.log" >&2
	info "building the tools failed" >&2
	exit 1
fi
if [ ! -x "$work/init" ] || [ "$repo/tools/uml/init.c" -nt "$work/init" ]; then
	gcc -static -O2 -Wall -Wextra -Werror -o "$work/init" "$repo/tools/uml/init.c"
fi

info "booting UML (console log: $work/uml.log)"
set +e
{ timeout -s KILL "${MGM_UML_TIMEOUT:-120}" "$bdir/linux" mem=512M console=tty quiet \
	root=/dev/root rootfstype=hostfs rootflags=/ ro \
	uml_dir="$work/umldir" init="$work/init" \
	MGM_RW="$work/rw" MGM_SCRIPT="$repo/tools/demo/inside.sh" \
	MGM_REPO="$repo" MGM_KO="$work/src/mgm.ko" MGM_TOOLS="$work/tools" \
	</dev/null 2>&1 | tr -d '\r' | tee "$work/uml.log" |
	sed -un '/^=== mgm demo: a virtual/,/^=== mgm demo: done/p'; } 2>/dev/null
set -e
status=$(sed -n 's/^mgm-init: script exit status \([0-9-]*\), power off$/\1/p' "$work/uml.log")
info "finished in $((SECONDS - start)) s"
if [ "$status" != 0 ]; then
	info "the demo did not go as described (status ${status:-none}; log: $work/uml.log)" >&2
	exit 1
fi
