#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A Debian kernel for the qemu guests: tools/qemu/kernel.sh SERIES prints
# "DIR ABI", DIR holding boot/vmlinuz-ABI and lib/modules/ABI (with
# depmod's files), for SERIES 6.1 (Debian 12's own kernel, the ABI of the
# installed linux-headers-amd64) or 6.12 (the ABI of
# linux-headers-6.12-amd64): the kernels whose headers the compile checks
# build against, at the version of those headers.  The image package is
# fetched with apt-get download and unpacked, never installed, once: it
# is cached in $MGM_CACHE/qemu/PACKAGE_VERSION/ (a directory is complete
# when it has .done; builds take a lock).
set -euo pipefail

cache=${MGM_CACHE:-/var/cache/mgm}
series=${1:?usage: kernel.sh 6.1|6.12}

case $series in
6.1) meta=linux-headers-amd64 ;;
6.12) meta=linux-headers-6.12-amd64 ;;
*) echo "mgm: kernel.sh: no series $series (6.1, 6.12)" >&2; exit 2 ;;
esac
# the ABI the meta package's headers are for, e.g. 6.1.0-57-amd64, and
# their version, which the image package of that ABI has too
abi=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null | tr ',' '\n' |
	sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' | head -n 1 || true)
ver=""
if [ -n "$abi" ]; then
	ver=$(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2>/dev/null || true)
fi
if [ -z "$abi" ] || [ -z "$ver" ]; then
	echo "mgm: kernel.sh: $meta and its headers are not installed (tools/uml/deps.sh)" >&2
	exit 1
fi
pkg=linux-image-$abi
dir=$cache/qemu/${pkg}_$ver
if [ ! -f "$dir/.done" ]; then
	mkdir -p "$cache/qemu"
	exec 9>"$cache/qemu/.lock"
	flock 9
fi
if [ ! -f "$dir/.done" ]; then
	tmp=$(mktemp -d "$cache/qemu/.fetch-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# the signed image, or the unsigned one of the same build; apt's
	# sandbox user could not write here
	if ! (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download \
		"$pkg=$ver" >&2) &&
		! (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download \
			"$pkg-unsigned=$ver" >&2); then
		echo "mgm: kernel.sh: apt has no $pkg $ver (apt-get update; or upgrade $meta)" >&2
		exit 1
	fi
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	depmod -b "$tmp/root" "$abi"
	touch "$tmp/root/.done"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
fi
echo "$dir $abi"
