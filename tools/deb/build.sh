#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: builds the Debian packages mgm-dkms and mgm-tools (debian/)
# from the working tree, as dpkg-buildpackage -b -us -uc does, into OUT:
#
#   tools/deb/build.sh OUT
#
# dpkg-buildpackage writes its packages beside the source tree, so it runs
# on a copy, OUT/src/mgm-VERSION; OUT/build.log is its log.  Prints the
# paths of the .deb files.  Needs what debian/control's Build-Depends
# name (apt build-dep ./ installs it; so does tools/uml/deps.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$repo/dkms.conf")
src=$out/src/mgm-$version

if ! (cd "$repo" && dpkg-checkbuilddeps) 2>"$out/deps.log"; then
	sed 's/^dpkg-checkbuilddeps: error: /mgm: /' "$out/deps.log" >&2
	echo "mgm: as root, in $repo: apt build-dep ./" >&2
	exit 1
fi

rm -rf "$out/src" "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mkdir -p "$src"
# In a checkout, the files git knows (modified ones as they are), so that
# nothing stray reaches the package; else the tree without build output.
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$repo" && git ls-files -z --cached) |
		tar -C "$repo" --null --ignore-failed-read -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$repo" --exclude=./build --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
		-cf - . | tar -C "$src" -xf -
fi

if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" \
	dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
	echo "mgm: dpkg-buildpackage failed; the end of $out/build.log:" >&2
	tail -n 25 "$out/build.log" >&2
	exit 1
fi
mv "$out/src"/*.deb "$out/src"/*.buildinfo "$out/src"/*.changes "$out/"
ls "$out"/*.deb
