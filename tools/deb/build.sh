#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: builds the Debian packages mgm-dkms and mgm-tools (debian/)
# from the working tree, as dpkg-buildpackage -b -us -uc does, into OUT:
#
#   tools/deb/build.sh OUT
#
# dpkg-buildpackage writes its packages beside the source tree, so it runs
# on a copy, OUT/src/mgm-VERSION; OUT/build.log is its log.  Prints the
# paths of the .deb files.  Needs debhelper, dh-dkms and libmnl-dev
# (tools/uml/deps.sh installs them).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$repo/dkms.conf")
src=$out/src/mgm-$version

rm -rf "$out/src" "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mkdir -p "$src"
# the tree as it is, without git data, build output or built objects
tar -C "$repo" --exclude=./.git --exclude=./build --exclude='*.o' \
	--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
	-cf - . | tar -C "$src" -xf -

if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" \
	dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
	echo "mgm: dpkg-buildpackage failed; the end of $out/build.log:" >&2
	tail -n 25 "$out/build.log" >&2
	exit 1
fi
mv "$out/src"/*.deb "$out/src"/*.buildinfo "$out/src"/*.changes "$out/"
ls "$out"/*.deb
