#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A Debian kernel for the qemu guests: tools/qemu/kernel.sh SERIES prints
# the directory holding boot/vmlinuz-ABI, lib/modules/ABI (with depmod's
# files) and initramfs.img, for SERIES 6.1 (Debian 12's own kernel, the
# ABI of the installed linux-headers-amd64) or 6.12 (the ABI of
# linux-headers-6.12-amd64): the same kernels whose headers the compile
# checks build against.  The image package is fetched with apt-get
# download and unpacked, never installed; all of it is cached in
# $MGM_CACHE/qemu/PACKAGE_VERSION/ and built once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
series=${1:?usage: kernel.sh 6.1|6.12}

case $series in
6.1) meta=linux-headers-amd64 ;;
6.12) meta=linux-headers-6.12-amd64 ;;
*) echo "mgm: kernel.sh: no series $series (6.1, 6.12)" >&2; exit 2 ;;
esac
# the ABI the meta package's headers are for, e.g. 6.1.0-57-amd64
abi=$(dpkg-query -W -f='${Depends}' "$meta" | tr ',' '\n' |
	sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' | head -n 1)
if [ -z "$abi" ]; then
	echo "mgm: kernel.sh: $meta is not installed (tools/uml/deps.sh)" >&2
	exit 1
fi
pkg=linux-image-$abi
ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	echo "mgm: kernel.sh: apt knows no $pkg" >&2
	exit 1
fi
dir=$cache/qemu/${pkg}_$ver
if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	# (apt's sandbox user could not write here)
	(cd "$dir.tmp" && apt-get -q -o APT::Sandbox::User=root download \
		"$pkg=$ver") >&2
	dpkg-deb -x "$dir.tmp"/*.deb "$dir.tmp/root"
	depmod -b "$dir.tmp/root" "$abi"
	"$here/initramfs.sh" "$dir.tmp/root" "$abi" "$dir.tmp/root/initramfs.img"
	rm -f "$dir.tmp"/*.deb
	rm -rf "$dir"
	mv "$dir.tmp/root" "$dir"
	rmdir "$dir.tmp"
	touch "$dir/.done"
fi
echo "$dir $abi"
