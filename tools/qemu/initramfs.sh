#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The initramfs of a qemu guest: tools/qemu/initramfs.sh ROOT ABI OUT
# writes to OUT a gzip'd cpio with busybox (Debian's busybox-static), the
# modules the guest needs to mount its root over virtio-9p (taken from
# ROOT/lib/modules/ABI with their dependencies, decompressed where Debian
# compressed them) and tools/qemu/init.sh as /init.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${1:?usage: initramfs.sh ROOT ABI OUT}
abi=${2:?}
out=${3:?}
# what mounting the root over virtio-9p takes, where they are modules
want=(virtio_pci 9pnet_virtio 9p)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$work/bin/busybox"
cp "$here/init.sh" "$work/init"
chmod 755 "$work/init"

# The modules in load order, each after those it depends on (modinfo
# reads depmod's files of ROOT for ABI); built-in ones need nothing.
declare -A seen=()
order=()
add() {
	local name=$1 file dep

	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	file=$(modinfo -b "$root" -k "$abi" -n "$name")
	[[ $file == /* ]] || return 0
	for dep in $(modinfo -b "$root" -k "$abi" -F depends "$name" | tr , ' '); do
		add "$dep"
	done
	order+=("$file")
}
for m in "${want[@]}"; do
	add "$m"
done
for file in "${order[@]}"; do
	f=${file##*/}
	if [[ $f == *.xz ]]; then
		f=${f%.xz}
		xz -dc "$file" >"$work/modules/$f"
	else
		cp "$file" "$work/modules/$f"
	fi
	echo "$f" >>"$work/modules/order"
done
touch "$work/modules/order"
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
