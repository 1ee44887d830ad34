#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tools/uml/build-kernel.sh [FRAGMENT...]
#
# Build (or reuse) a UML test kernel from the config fragments given (default
# kunit/.kunitconfig; kunit.py merges several, later ones adding to earlier
# ones).  The cache lives outside the repo and is keyed by kernel version and
# the hash of the fragments' contents, so a change to a fragment builds a new
# kernel and never reuses a stale one (for one fragment the key is the hash of
# that file, as it always was).  Prints the build directory on stdout.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -eq 0 ]; then
	set -- "$repo/kunit/.kunitconfig"
fi
frags=("$@")
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc_tar=/usr/src/linux-source-6.12.tar.xz
if [ ! -f "$ksrc_tar" ]; then
	echo "mgm: no $ksrc_tar; apt install linux-source-6.12 (tools/uml/deps.sh)" >&2
	exit 1
fi

ksrc=$cache/src/linux-source-6.12
key=$(cat "${frags[@]}" | sha256sum | cut -c1-12)

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
	mv "$ksrc.tmp/linux-source-6.12" "$ksrc"
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
		"${kunitconfigs[@]}" --build_dir "$bdir" \
		--make_options "CC=$cc" --jobs "$(nproc)") >&2
fi
echo "$bdir"
