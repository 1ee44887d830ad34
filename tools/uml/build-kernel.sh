#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tools/uml/build-kernel.sh [--series=SERIES] [FRAGMENT...]
#
# Build (or reuse) a UML test kernel from the config fragments given (default
# kunit/.kunitconfig; kunit.py merges several, later ones adding to earlier
# ones), from the source of Debian's package linux-source-SERIES (default
# 6.12, the only one the harness builds now), unpacked into the cache.  The cache
# lives outside the repo and is keyed by kernel version and the hash of the
# fragments' contents, so a change to a fragment or a new Debian source
# builds a new kernel and never reuses a stale one (for one fragment the key
# is the hash of that file, as it always was).  Options a series cannot
# have go in tools/uml/linux-SERIES.kunitconfig (none now), applied after
# the fragments (kunit.py --kconfig_add, which overrides), and part of the
# key.  Prints the build directory on stdout.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
series=6.12
case ${1:-} in
--series=*)
	series=${1#--series=}
	shift
	;;
esac
if [ $# -eq 0 ]; then
	set -- "$repo/kunit/.kunitconfig"
fi
frags=("$@")
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc_tar=/usr/src/linux-source-$series.tar.xz
if [ ! -f "$ksrc_tar" ]; then
	echo "mgm: no $ksrc_tar; apt install linux-source-$series (tools/uml/deps.sh)" >&2
	exit 1
fi

ksrc=$cache/src/linux-source-$series
series_frag=$repo/tools/uml/linux-$series.kunitconfig
series_add=()
if [ -f "$series_frag" ]; then
	while IFS= read -r line; do
		series_add+=(--kconfig_add "$line")
	done < <(grep -E '^(CONFIG_|# CONFIG_.* is not set$)' "$series_frag")
	key=$(cat "${frags[@]}" "$series_frag" | sha256sum | cut -c1-12)
else
	key=$(cat "${frags[@]}" | sha256sum | cut -c1-12)
fi

# built: whether the kernel of these fragments is in the cache.
built() {
	local bdir

	[ -f "$ksrc/Makefile" ] || return 1
	bdir=$cache/uml/$(make -s -C "$ksrc" kernelversion)-$key
	[ -x "$bdir/linux" ] && [ -f "$bdir/Module.symvers" ]
}

# A cached kernel needs no lock: a run that finds its kernel built does not
# wait for another one building a different kernel.  Otherwise one run at a
# time unpacks or builds; a second one waits and then reuses.
mkdir -p "$cache/src" "$cache/uml"
if ! built; then
	exec 9>"$cache/uml/.lock"
	flock 9
fi

if [ ! -f "$ksrc/Makefile" ]; then
	echo "mgm: unpacking $ksrc_tar" >&2
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir "$ksrc.tmp"
	tar -C "$ksrc.tmp" -xf "$ksrc_tar"
	mv "$ksrc.tmp/linux-source-$series" "$ksrc"
	rmdir "$ksrc.tmp"
fi
kver=$(make -s -C "$ksrc" kernelversion)
bdir=$cache/uml/$kver-$key

if [ ! -x "$bdir/linux" ] || [ ! -f "$bdir/Module.symvers" ]; then
	mkdir -p "$bdir"
	echo "mgm: building UML $kver kernel in $bdir from ${frags[*]##*/}" \
		"(10-20 minutes on 2 cores, once)" >&2
	export CCACHE_DIR=${CCACHE_DIR:-$cache/ccache}
	cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	kunitconfigs=()
	for f in "${frags[@]}"; do
		kunitconfigs+=(--kunitconfig "$(realpath "$f")")
	done
	(cd "$ksrc" && python3 tools/testing/kunit/kunit.py build \
		"${kunitconfigs[@]}" "${series_add[@]}" --build_dir "$bdir" \
		--make_options "CC=$cc" --jobs "$(nproc)") >&2
fi
echo "$bdir"
