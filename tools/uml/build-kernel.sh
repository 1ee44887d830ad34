#!/bin/bash
# Build (or reuse) the UML test kernel.  The cache lives outside the repo and
# is keyed by kernel version and the hash of the config fragment, so a change
# to the fragment builds a new kernel and never reuses a stale one.
# Prints the build directory on stdout.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
frag=${1:-$repo/kunit/.kunitconfig}
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc_tar=/usr/src/linux-source-6.12.tar.xz
if [ ! -f "$ksrc_tar" ]; then
	echo "mgm: no $ksrc_tar; apt install linux-source-6.12 (tools/uml/deps.sh)" >&2
	exit 1
fi

# One run at a time unpacks or builds; a second one waits and then reuses.
mkdir -p "$cache/src" "$cache/uml"
exec 9>"$cache/uml/.lock"
flock 9

ksrc=$cache/src/linux-source-6.12
if [ ! -f "$ksrc/Makefile" ]; then
	echo "mgm: unpacking $ksrc_tar" >&2
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir "$ksrc.tmp"
	tar -C "$ksrc.tmp" -xf "$ksrc_tar"
	mv "$ksrc.tmp/linux-source-6.12" "$ksrc"
	rmdir "$ksrc.tmp"
fi
kver=$(make -s -C "$ksrc" kernelversion)
key=$(sha256sum "$frag" | cut -c1-12)
bdir=$cache/uml/$kver-$key

if [ ! -x "$bdir/linux" ] || [ ! -f "$bdir/Module.symvers" ]; then
	mkdir -p "$bdir"
	echo "mgm: building UML $kver kernel in $bdir (10-15 minutes on 2 cores, once)" >&2
	export CCACHE_DIR=${CCACHE_DIR:-$cache/ccache}
	cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	(cd "$ksrc" && python3 tools/testing/kunit/kunit.py build \
		--kunitconfig "$frag" --build_dir "$bdir" \
		--make_options "CC=$cc" --jobs "$(nproc)") >&2
fi
echo "$bdir"
